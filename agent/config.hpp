// The agent's YAML configuration: agent settings, credentials, devices, plugin sections and
// routes. Plugin sections stay YAML here; each plugin parses its own with its table, and the
// top-level sections a plugin owns (kafka:, inventory:) are declared by it (config_sections.hpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <any>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agent/config_sections.hpp"
#include "agent/config_types.hpp"
#include "agent/option_table.hpp"
#include "agent/record.hpp"

namespace netfeed {

/// A kind is any name a plugin defined (RecordKind::define), so the list is read at parse time.
template <>
struct OptionValue<RecordKind> {
    static constexpr const char* type_name = "enum";
    static bool parse(const YAML::Node& node, RecordKind& out, ParseState& state,
                      const std::string& key);
    static nlohmann::json to_json(RecordKind v) { return std::string(to_string(v)); }
    static nlohmann::json values();
};

/// One entry of `collectors:`, `enrichers:` or `sinks:` (or a plugin's sink section, `kafka:`):
/// its type and name, and its YAML for the plugin to parse.
struct PluginSection {
    std::string type;
    std::string name;
    YAML::Node node;
    std::string path;               // where it is in the file, e.g. "collectors[2]", for messages
    std::vector<RecordKind> kinds;  // enrichers: the kinds it applies to; empty: all
};

struct Config {
    std::string file;
    AgentSettings agent;
    /// What the sections plugins declared with add_settings_section parsed into, by section
    /// key; only the sections the file has. Read them with section_settings().
    std::map<std::string, std::any> plugin_settings;
    std::map<std::string, Credentials> credentials;
    std::vector<DeviceConfig> devices;
    std::vector<PluginSection> collectors;
    std::vector<PluginSection> enrichers;
    /// The sinks of the declared sink sections (`kafka:`) first, then `sinks:`.
    std::vector<PluginSection> sinks;
    std::vector<RouteConfig> routes;
    /// The whole document, kept so that reload can tell which sections changed.
    YAML::Node root;
    /// Top-level sections (devices, credentials, ...) that had errors: checks that depend on
    /// them are skipped, since what they would find missing follows from errors already reported.
    std::set<std::string> sections_with_errors;
};

/// The settings the section `key` parsed into (PluginRegistry::add_settings_section), or the
/// defaults when the file has no such section.
template <class Settings>
Settings section_settings(const Config& config, const std::string& key) {
    const auto it = config.plugin_settings.find(key);
    if (it == config.plugin_settings.end()) return Settings{};
    return std::any_cast<const Settings&>(it->second);
}

/// Reads and checks a config file with the sections `sections` declares. Problems are recorded
/// into `state` instead of thrown, so that the plugin build can still check what parsed: every
/// section is parsed even when another one failed. Throws only when nothing can be checked (the
/// file cannot be read, YAML syntax, a document that is no map).
Config load_config(const std::string& path, ParseState& state, const ConfigSections& sections);
/// The same from YAML text; state.file() names it in messages and anchors relative paths.
Config parse_config_text(const std::string& text, ParseState& state,
                         const ConfigSections& sections);

// The forms below know the built-in plugins' sections (config_builtin.cpp).

/// Reads and checks a config file. Throws ConfigError listing every problem found.
Config load_config(const std::string& path);
/// The same from YAML text; `file` names it in messages and anchors relative paths.
Config parse_config_text(const std::string& text, const std::string& file);
/// The same, recording problems into `state` instead of throwing, so that the plugin build can
/// still check what parsed: every section is parsed even when another one failed. Throws only
/// when nothing can be checked (the file cannot be read, YAML syntax, a document that is no map).
Config parse_config_text(const std::string& text, ParseState& state);
Config load_config(const std::string& path, ParseState& state);

/// The keys a plugin section reserves for the agent.
inline const std::set<std::string>& reserved_plugin_keys() {
    static const std::set<std::string> keys = {"type", "name", "kinds"};
    return keys;
}

}  // namespace netfeed
