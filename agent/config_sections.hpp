// The top-level config sections that plugins declare (PluginRegistry::add_settings_section,
// add_sink_section): the core parses agent:, credentials:, devices:, collectors:, enrichers:,
// sinks: and routes:, and leaves every other section to the plugin that declared it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <any>
#include <functional>
#include <string>
#include <vector>

#include "agent/config_error.hpp"

namespace netfeed {

struct ConfigSection {
    std::string key;
    /// Set for a section that configures one sink of this type which always runs, named after
    /// the section (`kafka:`): the section's YAML becomes that sink's options.
    std::string sink_type;
    /// Otherwise: parses the section into the plugin's settings (Config::plugin_settings) at
    /// load, reporting problems into `state` under `key`, so they come out with file and line
    /// even when no plugin instance reads them.
    std::function<std::any(const YAML::Node& node, ParseState& state, const std::string& key)>
        parse;
};

using ConfigSections = std::vector<ConfigSection>;

}  // namespace netfeed
