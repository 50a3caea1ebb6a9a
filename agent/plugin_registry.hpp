// Maps the YAML `type:` of a collector, enricher or sink to the factory that builds it from its
// options, and holds what plugins add beside their factories: the top-level config sections they
// own and their own subcommands. agent/plugins.cpp holds the one registration line per plugin.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "agent/config.hpp"
#include "agent/device_directory.hpp"
#include "agent/enricher.hpp"
#include "agent/fleet.hpp"
#include "agent/record_schema.hpp"
#include "agent/sink.hpp"

namespace CLI {
class App;
}

namespace netfeed {

/// What a factory sees when it builds a plugin. Factories must not open sockets or files they
/// would keep (that is start()'s job): `netfeed validate` builds everything and starts nothing.
struct BuildContext {
    const Config& config;
    const PluginSection& section;
    ParseState& state;
    std::shared_ptr<const DeviceSnapshot> devices;
};

/// True when devices:, credentials: or a plugin's settings section (inventory:) had errors, so
/// that a factory resolving them would see a partial list.
inline bool references_have_errors(const Config& config) {
    for (const auto& section : config.sections_with_errors) {
        if (section == "devices" || section == "credentials" ||
            config.plugin_settings.contains(section))
            return true;
    }
    return false;
}

/// A subcommand a plugin adds to the command line (the Kafka plugin's `netfeed broker`).
struct PluginCommand {
    std::string name;
    std::string description;
    /// Adds the command's options to `command` (a CLI11 subcommand) and returns what runs it
    /// once the command line is parsed; the returned function gives the exit code.
    std::function<std::function<int()>(CLI::App& command)> define;
};

class PluginRegistry {
  public:
    template <HasOptionTable Options, class Make>
    void add_collector(std::string type, std::string summary, Make make) {
        add<Options>(collectors_, std::move(type), std::move(summary), std::move(make), true);
    }
    template <HasOptionTable Options, class Make>
    void add_enricher(std::string type, std::string summary, Make make) {
        add<Options>(enrichers_, std::move(type), std::move(summary), std::move(make), true);
    }
    template <HasOptionTable Options, class Make>
    void add_sink(std::string type, std::string summary, Make make) {
        add<Options>(sinks_, std::move(type), std::move(summary), std::move(make), false);
    }

    /// Declares the fields a collector writes into records of `kind` (defining the kind if it
    /// is new): the one line a new kind needs.
    RecordKind add_record_fields(std::string_view kind, const KindDeclaration& declaration) {
        return declare_kind_fields(kind, declaration);
    }
    /// Declares the fields an enricher type can add (its docs, and `netfeed schema` without a
    /// config); a built enricher names its exact fields itself (Enricher::added_fields()).
    void add_enricher_fields(const std::string& type, std::span<const SchemaField> fields) {
        enricher_fields_[type] = fields;
    }
    const std::map<std::string, std::span<const SchemaField>>& enricher_fields() const {
        return enricher_fields_;
    }
    /// The fleet membership (agent.fleet) a plugin provides; the Kafka plugin's consumer group.
    void set_fleet_factory(FleetFactory factory) { fleet_factory_ = std::move(factory); }
    const FleetFactory& fleet_factory() const noexcept { return fleet_factory_; }

    /// Declares a top-level config section holding a plugin's settings (`inventory:`): parsed
    /// at load with Settings' option table, read at build with section_settings<Settings>().
    template <HasOptionTable Settings>
    void add_settings_section(std::string key) {
        ConfigSection section;
        section.key = std::move(key);
        section.parse = [](const YAML::Node& node, ParseState& state, const std::string& at) {
            Settings settings{};
            Settings::options().parse(node, settings, state, at);
            return std::any(std::move(settings));
        };
        sections_.push_back(std::move(section));
    }
    /// Declares a top-level section that configures one sink of `sink_type` which always
    /// runs, named after the section (`kafka:`), built like a sink under sinks:.
    void add_sink_section(std::string key, std::string sink_type) {
        sections_.push_back({std::move(key), std::move(sink_type), {}});
    }
    const ConfigSections& config_sections() const { return sections_; }

    /// Adds a subcommand to `netfeed` (see PluginCommand), listed after the built-in ones.
    void add_command(PluginCommand command) { commands_.push_back(std::move(command)); }
    const std::vector<PluginCommand>& commands() const { return commands_; }

    /// Parse the section's options and build the plugin; nullptr when problems were reported
    /// into context.state.
    CollectorPtr build_collector(const BuildContext& context) const {
        return build(collectors_, "collector", context);
    }
    EnricherPtr build_enricher(const BuildContext& context) const {
        return build(enrichers_, "enricher", context);
    }
    SinkPtr build_sink(const BuildContext& context) const { return build(sinks_, "sink", context); }

    std::vector<std::string> collector_types() const { return types(collectors_); }
    std::vector<std::string> enricher_types() const { return types(enrichers_); }
    std::vector<std::string> sink_types() const { return types(sinks_); }

    /// Every plugin's summary and option schema (`netfeed options --json`).
    nlohmann::json describe() const;

  private:
    template <class Product>
    struct Entry {
        std::string summary;
        std::function<std::unique_ptr<Product>(const BuildContext&)> build;
        std::function<nlohmann::json()> describe;
    };

    // `reads_references`: the factory resolves devices:, credentials: or inventory: (collectors
    // and enrichers do; sinks do not).
    template <class Options, class Product, class Make>
    void add(std::map<std::string, Entry<Product>>& table, std::string type, std::string summary,
             Make make, bool reads_references) {
        Entry<Product> entry;
        entry.summary = std::move(summary);
        entry.describe = [] { return Options::options().describe(); };
        entry.build = [make = std::move(make),
                       reads_references](const BuildContext& context) -> std::unique_ptr<Product> {
            Options options{};
            if (!Options::options().parse(context.section.node, options, context.state,
                                          context.section.path, reserved_plugin_keys())) {
                return nullptr;
            }
            try {
                return make(options, context);
            } catch (const std::exception& e) {
                // What it finds missing there follows from errors already reported; the run
                // after they are fixed shows whatever remains.
                if (reads_references && references_have_errors(context.config)) return nullptr;
                context.state.error(context.section.node, context.section.path, e.what());
                return nullptr;
            }
        };
        table[std::move(type)] = std::move(entry);
    }

    template <class Product>
    std::unique_ptr<Product> build(const std::map<std::string, Entry<Product>>& table,
                                   std::string_view what, const BuildContext& context) const {
        auto it = table.find(context.section.type);
        if (it == table.end()) {
            const std::string hint = suggest_key(context.section.type, types(table));
            std::string known;
            for (const auto& [type, entry] : table)
                known += (known.empty() ? "" : ", ") + type;
            context.state.error(context.section.node["type"], context.section.path + ".type",
                                "unknown " + std::string(what) + " type '" + context.section.type +
                                    "'; " + (hint.empty() ? "known types: " + known : hint));
            return nullptr;
        }
        return it->second.build(context);
    }

    template <class Product>
    static std::vector<std::string> types(const std::map<std::string, Entry<Product>>& table) {
        std::vector<std::string> out;
        for (const auto& [type, entry] : table)
            out.push_back(type);
        return out;
    }
    template <class Product>
    static nlohmann::json describe(const std::map<std::string, Entry<Product>>& table) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [type, entry] : table) {
            out[type] = {{"summary", entry.summary}, {"options", entry.describe()}};
        }
        return out;
    }

    std::map<std::string, Entry<Collector>> collectors_;
    std::map<std::string, Entry<Enricher>> enrichers_;
    std::map<std::string, Entry<Sink>> sinks_;
    std::map<std::string, std::span<const SchemaField>> enricher_fields_;
    ConfigSections sections_;
    std::vector<PluginCommand> commands_;
    FleetFactory fleet_factory_;
};

/// The registry with every built-in plugin (agent/plugins.cpp).
const PluginRegistry& builtin_plugins();

}  // namespace netfeed
