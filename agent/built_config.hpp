// A loaded configuration with every plugin built but not started: what `netfeed validate`
// checks, what the pipeline starts, and what a reload compares against the running one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/config.hpp"
#include "agent/device_directory.hpp"
#include "agent/plugin_registry.hpp"

namespace netfeed {

template <class Plugin>
struct BuiltPlugin {
    PluginSection section;
    /// Equal fingerprints mean equal configuration: a reload keeps the running instance.
    std::string fingerprint;
    std::unique_ptr<Plugin> instance;
};

struct BuiltConfig {
    Config config;
    std::shared_ptr<const DeviceSnapshot> devices;
    std::vector<BuiltPlugin<Collector>> collectors;
    std::vector<BuiltPlugin<Enricher>> enrichers;
    std::vector<BuiltPlugin<Sink>> sinks;
    /// Problems that did not stop the build (ParseState::warning_at), for `netfeed validate`.
    std::vector<ConfigIssue> warnings;

    std::vector<std::string> sink_names() const;
    /// Every kind some configured collector emits.
    std::vector<RecordKind> produced_kinds() const;
    /// Every topic some configured collector's records name (Record::topic).
    std::vector<TopicRequest> requested_topics() const;
};

/// Builds every plugin of `config`. Throws ConfigError listing every problem (plugin options
/// included) with file, line and column.
BuiltConfig build_config(Config config, const PluginRegistry& registry);
/// The same, recording problems into `state` (which may hold the load's already) and throwing
/// once at the end with all of them.
BuiltConfig build_config(Config config, const PluginRegistry& registry, ParseState& state);

/// Loads `path` and builds its plugins, checking every section even when others failed, then
/// throws one ConfigError with every problem of both stages: what `netfeed validate`, `run` and
/// a reload print. `adjust` may add to the loaded config before the build (`netfeed replay`).
BuiltConfig load_and_build(const std::string& path, const PluginRegistry& registry,
                           const std::function<void(Config&)>& adjust = {});

}  // namespace netfeed
