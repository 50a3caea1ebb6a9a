// Building plugins from a config; see built_config.hpp.
#include "agent/built_config.hpp"

#include <algorithm>

namespace netfeed {

std::vector<std::string> BuiltConfig::sink_names() const {
    std::vector<std::string> out;
    for (const auto& s : sinks)
        out.push_back(s.section.name);
    return out;
}

std::vector<RecordKind> BuiltConfig::produced_kinds() const {
    std::vector<RecordKind> out;
    for (const auto& c : collectors) {
        for (RecordKind kind : c.instance->kinds()) {
            if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
        }
    }
    return out;
}

std::vector<TopicRequest> BuiltConfig::requested_topics() const {
    std::vector<TopicRequest> out;
    for (const auto& c : collectors) {
        for (auto& request : c.instance->topics())
            out.push_back(std::move(request));
    }
    return out;
}

namespace {

std::string dump(const YAML::Node& node) {
    if (!node.IsDefined()) return "~";
    YAML::Emitter out;
    out << node;
    return out.c_str();
}

// A polling collector's behaviour also depends on the devices it polls and their credentials.
std::string device_fingerprint(const DeviceSnapshot& devices, const std::string& collector) {
    std::string out;
    for (const Device* d : devices.polled_by(collector)) {
        out += d->name + "|" + d->address.to_string() + "|";
        for (const auto& [k, v] : d->tags)
            out += k + "=" + v + ";";
        if (d->credentials != nullptr) {
            out += d->credentials->username + "|" + d->credentials->password.reveal() + "|" +
                   d->credentials->community.reveal() + "|" +
                   std::string(enum_name(d->credentials->auth_protocol)) + "|" +
                   d->credentials->auth_passphrase.reveal() + "|" +
                   std::string(enum_name(d->credentials->priv_protocol)) + "|" +
                   d->credentials->priv_passphrase.reveal();
        }
        out += "\n";
    }
    return out;
}

}  // namespace

BuiltConfig build_config(Config config, const PluginRegistry& registry) {
    ParseState state(config.file);
    return build_config(std::move(config), registry, state);
}

BuiltConfig load_and_build(const std::string& path, const PluginRegistry& registry,
                           const std::function<void(Config&)>& adjust) {
    ParseState state(path);
    Config config = load_config(path, state, registry.config_sections());
    if (adjust) adjust(config);
    return build_config(std::move(config), registry, state);
}

BuiltConfig build_config(Config config, const PluginRegistry& registry, ParseState& state) {
    BuiltConfig built;
    built.devices = std::make_shared<DeviceSnapshot>(config);
    for (const auto& section : config.collectors) {
        BuildContext context{config, section, state, built.devices};
        if (auto instance = registry.build_collector(context)) {
            built.collectors.push_back(
                {section, dump(section.node) + device_fingerprint(*built.devices, section.name),
                 std::move(instance)});
        }
    }
    for (const auto& section : config.enrichers) {
        BuildContext context{config, section, state, built.devices};
        if (auto instance = registry.build_enricher(context)) {
            built.enrichers.push_back({section, dump(section.node), std::move(instance)});
        }
    }
    for (const auto& section : config.sinks) {
        BuildContext context{config, section, state, built.devices};
        if (auto instance = registry.build_sink(context)) {
            built.sinks.push_back({section, dump(section.node), std::move(instance)});
        }
    }
    state.throw_if_errors();
    built.warnings = state.warnings();
    built.config = std::move(config);
    return built;
}

}  // namespace netfeed
