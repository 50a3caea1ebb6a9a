// Configuration loading and cross-checks; see config.hpp.
#include "agent/config.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "agent/device_share.hpp"
#include "agent/template.hpp"

namespace netfeed {

const OptionTable<HttpSettings>& HttpSettings::options() {
    static const auto table =
        OptionTable<HttpSettings>()
            .add("enabled", &HttpSettings::enabled, "Serve /metrics and /healthz.")
            .add("listen", &HttpSettings::listen,
                 "Address and port of the metrics and health endpoint. Keep it on loopback "
                 "unless a firewall protects it; port 0 picks a free port (logged at start).");
    return table;
}

const OptionTable<FleetSettings>& FleetSettings::options() {
    static const auto table =
        OptionTable<FleetSettings>()
            .add("name", &FleetSettings::name,
                 "Agents with the same fleet name split the polled devices among themselves "
                 "through a Kafka consumer group on the topic netfeed.fleet.<name>; an agent "
                 "that stops has its devices taken over within session_timeout. Empty: no "
                 "fleet. docs/FLEET.md.")
            .add("partitions", &FleetSettings::partitions,
                 "Partitions of netfeed.fleet.<name> when this agent creates it: at least the "
                 "largest number of agents the fleet will have.",
                 range(1, 10000))
            .add("session_timeout", &FleetSettings::session_timeout,
                 "How long a silent agent keeps its devices before the others take them over "
                 "(the group's session.timeout.ms).")
            .add("brokers", &FleetSettings::brokers,
                 "Bootstrap brokers the fleet meets on; empty: kafka.brokers.")
            .check([](const FleetSettings& f) -> std::optional<std::string> {
                for (char c : f.name) {
                    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
                        c != '.')
                        return "name: '" + f.name +
                               "' has a character a Kafka topic name cannot hold (use letters, "
                               "digits, '.', '_' and '-')";
                }
                if (f.session_timeout < std::chrono::seconds(1) ||
                    f.session_timeout > std::chrono::minutes(5))
                    return "session_timeout: between 1s and 5m";
                return std::nullopt;
            });
    return table;
}

const OptionTable<AgentSettings>& AgentSettings::options() {
    static const auto table =
        OptionTable<AgentSettings>()
            .add("log_level", &AgentSettings::log_level,
                 "Least severe log level printed (--log-level overrides it).")
            .add("io_threads", &AgentSettings::io_threads,
                 "Threads running the sockets and timers of every collector.", range(1, 64))
            .add("queue_capacity", &AgentSettings::queue_capacity,
                 "Records that may wait between the collectors and enrichment. When full, "
                 "receivers drop (counted, reason queue_full) and pollers wait.",
                 range(1, 50'000'000))
            .add("sink_queue_capacity", &AgentSettings::sink_queue_capacity,
                 "Records that may wait in front of each sink.", range(1, 50'000'000))
            .add("batch_size", &AgentSettings::batch_size,
                 "Records moved between stages at a time.", range(1, 65536))
            .add("shutdown_timeout", &AgentSettings::shutdown_timeout,
                 "On SIGTERM, how long queued records may take to reach Kafka before the rest "
                 "are counted as dropped (reason shutdown_timeout).")
            .add("summary_interval", &AgentSettings::summary_interval,
                 "How often one log line sums up records in, out and dropped; 0s turns it off.")
            .add("http", &AgentSettings::http, "Metrics and health endpoint.")
            .add("stats_file", &AgentSettings::stats_file,
                 "Where to write the final record counts as JSON when the agent stops "
                 "(empty: not written).")
            .add("state_dir", &AgentSettings::state_dir,
                 "Directory for what must survive a restart: the keys sent to state topics "
                 "(routes with state: true), so that devices removed while the agent was down "
                 "still get their tombstones, and each collector's state under "
                 "<state_dir>/<collector name>/ (NetFlow templates, file positions, SNMP "
                 "counter baselines). Empty: kept in memory only.")
            .add("shard", &AgentSettings::shard,
                 "Static sharding: i/N makes this agent poll only the devices of shard i of N "
                 "(the Java client's murmur2 of the device name modulo N, plus one: the partition "
                 "the name would have as a Kafka key), so that N agents with the same device list "
                 "and shards 1/N..N/N poll every device exactly once. Empty: every device. "
                 "Received syslog, flows and traps are not filtered. docs/FLEET.md.")
            .add("poll_tags", &AgentSettings::poll_tags,
                 "Poll only devices whose tags match: tag name -> comma-separated values, for "
                 "example {site: 'par1,par2', role: leaf}; every entry must match. Combines "
                 "with shard.")
            .add("fleet", &AgentSettings::fleet,
                 "Share the polled devices with the other agents of a fleet, over Kafka "
                 "(instead of a static shard).")
            .check([](const AgentSettings& a) -> std::optional<std::string> {
                std::string error;
                if (!a.shard.empty() && !a.fleet.name.empty())
                    return "shard and fleet both given: a fleet splits the devices itself; "
                           "remove one";
                if (!a.shard.empty() && !DeviceShard::parse(a.shard, error))
                    return "shard: " + error;
                return std::nullopt;
            });
    return table;
}

const OptionTable<Credentials>& Credentials::options() {
    static const auto table =
        OptionTable<Credentials>()
            .add("username", &Credentials::username, "User name (NX-API, SNMPv3).")
            .add("password", &Credentials::password,
                 "Password; write ${ENV_VAR} or use password_file to keep it out of this file.")
            .add("community", &Credentials::community,
                 "SNMP v1/v2c community; ${ENV_VAR} or community_file as for passwords.")
            .add("auth_protocol", &Credentials::auth_protocol,
                 "SNMPv3 authentication (none: noAuthNoPriv); the user is `username`.")
            .add("auth_passphrase", &Credentials::auth_passphrase,
                 "SNMPv3 authentication passphrase (at least 8 characters); ${ENV_VAR} or "
                 "auth_passphrase_file.")
            .add("priv_protocol", &Credentials::priv_protocol,
                 "SNMPv3 privacy (encryption); needs auth_protocol (authPriv).")
            .add("priv_passphrase", &Credentials::priv_passphrase,
                 "SNMPv3 privacy passphrase (at least 8 characters); ${ENV_VAR} or "
                 "priv_passphrase_file.")
            .check([](const Credentials& c) -> std::optional<std::string> {
                if (c.auth_protocol != SnmpAuthProtocol::none &&
                    c.auth_passphrase.reveal().size() < 8)
                    return "auth_protocol needs an auth_passphrase of at least 8 characters";
                if (c.priv_protocol != SnmpPrivProtocol::none) {
                    if (c.auth_protocol == SnmpAuthProtocol::none)
                        return "priv_protocol needs an auth_protocol (no SNMPv3 privacy "
                               "without authentication)";
                    if (c.priv_passphrase.reveal().size() < 8)
                        return "priv_protocol needs a priv_passphrase of at least 8 characters";
                }
                return std::nullopt;
            });
    return table;
}

const OptionTable<DeviceConfig>& DeviceConfig::options() {
    static const auto table =
        OptionTable<DeviceConfig>()
            .add("name", &DeviceConfig::name, "Device name used in records and keys.", required())
            .add("address", &DeviceConfig::address,
                 "Management address: where it is polled and where its syslog and flows "
                 "come from.",
                 required())
            .add("vendor", &DeviceConfig::vendor, "Vendor tag, e.g. cisco.")
            .add("model", &DeviceConfig::model, "Model tag, e.g. N9K-C93180YC-EX.")
            .add("role", &DeviceConfig::role, "Role tag, e.g. core, edge, access.")
            .add("site", &DeviceConfig::site, "Site tag, usable as {site} in topics and keys.")
            .add("tags", &DeviceConfig::tags, "Further tags, usable as {name} in templates.")
            .add("collectors", &DeviceConfig::collectors,
                 "Names of the polling collectors (snmp, nxapi, ...) that poll this device.")
            .add("credentials", &DeviceConfig::credentials,
                 "Name of an entry under credentials: used to poll it.");
    return table;
}

const OptionTable<RouteConfig>& RouteConfig::options() {
    static const auto table =
        OptionTable<RouteConfig>()
            .add("name", &RouteConfig::name, "Name in logs and metrics (default route<N>).")
            .add("kinds", &RouteConfig::kinds,
                 "Record kinds this route takes (syslog, flow, snmp, trap, nxapi, status, "
                 "test); empty: all.")
            .add("topic", &RouteConfig::topic,
                 "Topic template: {kind}, {device}, {device_address}, any record field and any "
                 "device tag ({site}, {role}, ...). Default: the topic the collector names for "
                 "the record (the nxapi collector's per-command topics), else netfeed.{kind}.")
            .add("key", &RouteConfig::key,
                 "Key template, as for topic; empty: the collector's key, else the device name.")
            .add("partitioner", &RouteConfig::partitioner,
                 "Partition choice for keyed records: murmur2 (Java client) or crc32 "
                 "(librdkafka and confluent-kafka default).")
            .add("key_encoding", &RouteConfig::key_encoding,
                 "Key bytes: utf-8, or utf-16 with a BOM as Python writes it.")
            .add("partitions", &RouteConfig::partitions,
                 "Partitions of topics the agent creates (embedded broker); 0: "
                 "kafka.default_partitions.",
                 range(0, 10000))
            .add("sink", &RouteConfig::sink,
                 "Sink that takes the records: kafka or a name "
                 "under sinks:.")
            .add("format", &RouteConfig::format,
                 "Value format: json (flat JSON, docs/records.md) or connect_json (the schema + "
                 "payload "
                 "envelope of Kafka Connect's JsonConverter with schemas.enable=true).")
            .add("state", &RouteConfig::state,
                 "A current-state topic (compacted): the agent remembers the keys it sent per "
                 "device and sends a tombstone for each when the device leaves the device list "
                 "(agent.state_dir keeps them across restarts).");
    return table;
}

bool OptionValue<RecordKind>::parse(const YAML::Node& node, RecordKind& out, ParseState& state,
                                    const std::string& key) {
    auto text = option_detail::scalar_text(node, state, key);
    if (!text) return false;
    if (auto kind = parse_record_kind(*text)) {
        out = *kind;
        return true;
    }
    // Plugins define kinds, so the list depends on what is registered: name the likely one.
    std::vector<std::string> known;
    std::string names;
    for (RecordKind kind : all_record_kinds()) {
        known.emplace_back(to_string(kind));
        names += (names.empty() ? "" : ", ") + known.back();
    }
    const std::string hint = suggest_key(*text, known);
    state.error(
        node, key,
        "'" + *text + "' is not a record kind; " + (hint.empty() ? "known kinds: " + names : hint));
    return false;
}

nlohmann::json OptionValue<RecordKind>::values() {
    nlohmann::json out = nlohmann::json::array();
    for (RecordKind kind : all_record_kinds())
        out.push_back(std::string(to_string(kind)));
    return out;
}

namespace {

// The value under `key` when there is one, else the map itself: where to point an error.
YAML::Node at_key(const YAML::Node& map, const char* key) {
    if (map.IsDefined() && map.IsMap()) {
        const YAML::Node value = map[key];
        if (value.IsDefined()) return value;
    }
    return map;
}

// The sections the core parses itself; plugins declare the others (config_sections.hpp).
const std::vector<std::string> kCoreKeys = {"agent",     "credentials", "devices", "collectors",
                                            "enrichers", "sinks",       "routes"};

const ConfigSection* declared_section(const ConfigSections& sections, const std::string& key) {
    for (const auto& section : sections) {
        if (section.key == key) return &section;
    }
    return nullptr;
}

// Every top-level key, agent first as the docs order them, for the unknown-section hint.
std::vector<std::string> top_level_keys(const ConfigSections& sections) {
    std::vector<std::string> keys = {kCoreKeys.front()};
    for (const auto& section : sections)
        keys.push_back(section.key);
    keys.insert(keys.end(), kCoreKeys.begin() + 1, kCoreKeys.end());
    return keys;
}

void parse_plugin_list(const YAML::Node& node, std::vector<PluginSection>& out, ParseState& state,
                       const std::string& key, bool with_kinds) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
        state.error(node, key,
                    "expected a list of sections, each with a type:, got " +
                        option_detail::type_name_of_node(node));
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const std::string path = key + "[" + std::to_string(i) + "]";
        if (!item.IsMap()) {
            state.error(item, path, "expected a map with a type: key");
            continue;
        }
        PluginSection section;
        section.node = item;
        section.path = path;
        if (!item["type"]) {
            state.error(item, path, "missing required key 'type'");
            continue;
        }
        if (!OptionValue<std::string>::parse(item["type"], section.type, state, path + ".type")) {
            continue;
        }
        section.name = section.type;
        if (item["name"] &&
            !OptionValue<std::string>::parse(item["name"], section.name, state, path + ".name")) {
            continue;
        }
        if (item["kinds"]) {
            if (!with_kinds) {
                state.error(item["kinds"], path + ".kinds",
                            "kinds: applies to enrichers only (routes choose kinds for sinks)");
                continue;
            }
            OptionValue<std::vector<RecordKind>>::parse(item["kinds"], section.kinds, state,
                                                        path + ".kinds");
        }
        if (!names.insert(section.name).second) {
            state.error(item, path,
                        "a second section named '" + section.name +
                            "': give each section of the same type its own name:");
            continue;
        }
        out.push_back(std::move(section));
    }
}

// Parses a list item by item, keeping each parsed item's own YAML node: an item that fails is
// left out, so positions in `out` and in the file no longer match and checks need the node.
template <class T>
void parse_list(const YAML::Node& node, std::vector<T>& out, std::vector<YAML::Node>& items,
                ParseState& state, const std::string& key) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
        state.error(node, key, "expected a list, got " + option_detail::type_name_of_node(node));
        return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        T item{};
        if (OptionValue<T>::parse(node[i], item, state, key + "[" + std::to_string(i) + "]")) {
            out.push_back(std::move(item));
            items.push_back(node[i]);
        }
    }
}

// "devices[3]" for the item at `node` of the sequence `list` (a failed item leaves a gap, so the
// index in config.devices is not the one in the file).
std::string item_path(const std::string& key, const YAML::Node& list, const YAML::Node& node) {
    if (list.IsDefined() && list.IsSequence()) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].is(node)) return key + "[" + std::to_string(i) + "]";
        }
    }
    return key;
}

void check_devices(const YAML::Node& list, const std::vector<YAML::Node>& items, Config& config,
                   ParseState& state) {
    // Names under collectors: or credentials: that failed to parse are unknown here; a
    // reference to them is not a new mistake.
    const bool collectors_known = !config.sections_with_errors.contains("collectors");
    const bool credentials_known = !config.sections_with_errors.contains("credentials");
    std::map<std::string, std::string> by_name;
    std::map<IpAddress, std::string> by_address;
    std::set<std::string> collector_names;
    for (const auto& c : config.collectors)
        collector_names.insert(c.name);
    for (std::size_t i = 0; i < config.devices.size(); ++i) {
        const auto& d = config.devices[i];
        const YAML::Node item = i < items.size() ? items[i] : YAML::Node();
        const std::string path = item_path("devices", list, item);
        if (auto [it, fresh] = by_name.emplace(d.name, path); !fresh) {
            state.error(at_key(item, "name"), path + ".name",
                        "device name '" + d.name + "' is already used by " + it->second);
        }
        if (auto [it, fresh] = by_address.emplace(d.address, path); !fresh) {
            state.error(at_key(item, "address"), path + ".address",
                        "address " + d.address.to_string() + " is already used by " + it->second);
        }
        if (credentials_known && !d.credentials.empty() &&
            !config.credentials.contains(d.credentials)) {
            state.error(at_key(item, "credentials"), path + ".credentials",
                        "no credentials named '" + d.credentials + "' under credentials:");
        }
        for (std::size_t k = 0; collectors_known && k < d.collectors.size(); ++k) {
            if (!collector_names.contains(d.collectors[k])) {
                const YAML::Node names = at_key(item, "collectors");
                const std::string hint = suggest_key(
                    d.collectors[k],
                    std::vector<std::string>(collector_names.begin(), collector_names.end()));
                state.error(names.IsSequence() ? names[k] : names,
                            path + ".collectors[" + std::to_string(k) + "]",
                            "no collector named '" + d.collectors[k] + "' under collectors:" +
                                (hint.empty() ? std::string() : "; " + hint));
            }
        }
    }
}

void check_routes(const YAML::Node& list, const std::vector<YAML::Node>& items, Config& config,
                  ParseState& state) {
    const bool sinks_known = !config.sections_with_errors.contains("sinks");
    std::set<std::string> sink_names;
    for (const auto& s : config.sinks)
        sink_names.insert(s.name);
    std::set<std::string> route_names;
    for (std::size_t i = 0; i < config.routes.size(); ++i) {
        auto& route = config.routes[i];
        const YAML::Node item = i < items.size() ? items[i] : YAML::Node();
        const std::string path = item_path("routes", list, item);
        if (route.name.empty()) route.name = "route" + std::to_string(i);
        if (!route_names.insert(route.name).second) {
            state.error(item, path + ".name", "a second route named '" + route.name + "'");
        }
        if (sinks_known && !sink_names.contains(route.sink)) {
            state.error(at_key(item, "sink"), path + ".sink",
                        "no sink named '" + route.sink + "' (kafka, or a name under sinks:)");
        }
        RecordTemplate compiled;
        if (route.topic.empty() && item.IsMap() && item["topic"]) {
            state.error(at_key(item, "topic"), path + ".topic", "topic is empty");
        } else if (auto problem = RecordTemplate::compile(route.topic, compiled)) {
            state.error(at_key(item, "topic"), path + ".topic", *problem);
        }
        if (auto problem = RecordTemplate::compile(route.key, compiled)) {
            state.error(at_key(item, "key"), path + ".key", *problem);
        }
    }
}

Config parse_root(const YAML::Node& root, ParseState& state, const ConfigSections& sections) {
    Config config;
    config.file = state.file();
    config.root = root;
    if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
        state.error(root, "", "expected a map of sections (agent:, devices:, collectors:, ...)");
        state.throw_if_errors();
    }
    std::map<std::string, YAML::Node> sink_nodes;
    std::vector<YAML::Node> device_items;
    std::vector<YAML::Node> route_items;
    std::set<std::string> seen;
    if (root.IsMap()) {
        for (const auto& item : root) {
            const std::string key = item.first.Scalar();
            if (!seen.insert(key).second) {
                state.error(item.first, key, "section given twice");
                continue;
            }
            const std::size_t issues_before = state.issue_count();
            const YAML::Node& value = item.second;
            if (key == "agent") {
                AgentSettings::options().parse(value, config.agent, state, key);
            } else if (const ConfigSection* declared = declared_section(sections, key)) {
                if (declared->sink_type.empty()) {
                    config.plugin_settings[key] = declared->parse(value, state, key);
                } else {
                    sink_nodes[key] = value;
                }
            } else if (key == "credentials") {
                if (!value.IsMap() && !value.IsNull()) {
                    state.error(value, key, "expected a map of named credentials");
                } else {
                    for (const auto& entry : value) {
                        const std::string name = entry.first.Scalar();
                        Credentials creds;
                        if (Credentials::options().parse(entry.second, creds, state,
                                                         key + "." + name)) {
                            config.credentials[name] = std::move(creds);
                        }
                    }
                }
            } else if (key == "devices") {
                parse_list(value, config.devices, device_items, state, key);
            } else if (key == "collectors") {
                parse_plugin_list(value, config.collectors, state, key, false);
            } else if (key == "enrichers") {
                parse_plugin_list(value, config.enrichers, state, key, true);
            } else if (key == "sinks") {
                parse_plugin_list(value, config.sinks, state, key, false);
            } else if (key == "routes") {
                parse_list(value, config.routes, route_items, state, key);
            } else {
                const std::vector<std::string> keys = top_level_keys(sections);
                const std::string hint = suggest_key(key, keys);
                std::string known;
                for (const auto& k : keys)
                    known += (known.empty() ? "" : ", ") + k;
                state.error(
                    item.first, key,
                    "unknown section" + (hint.empty() ? "; sections are " + known : "; " + hint));
            }
            if (state.issue_count() != issues_before) config.sections_with_errors.insert(key);
        }
    }
    // Each sink section's sink comes first, in declaration order, named after its section.
    std::vector<PluginSection> section_sinks;
    for (const auto& section : sections) {
        if (section.sink_type.empty()) continue;
        for (const auto& s : config.sinks) {
            if (s.name == section.key) {
                state.error(s.node, "sinks",
                            "the name '" + s.name + "' belongs to the " + s.name + ": section");
            }
        }
        const auto node = sink_nodes.find(section.key);
        section_sinks.push_back(
            PluginSection{section.sink_type,
                          section.key,
                          node == sink_nodes.end() ? YAML::Node() : node->second,
                          section.key,
                          {}});
    }
    config.sinks.insert(config.sinks.begin(), section_sinks.begin(), section_sinks.end());
    if (config.routes.empty() && !root["routes"]) {
        RouteConfig route;
        route.name = "default";
        config.routes.push_back(route);
    }
    // Cross-checks run even after errors elsewhere, each skipping what depends on a failed section.
    std::size_t issues_before = state.issue_count();
    check_devices(root["devices"], device_items, config, state);
    if (state.issue_count() != issues_before) config.sections_with_errors.insert("devices");
    issues_before = state.issue_count();
    check_routes(root["routes"], route_items, config, state);
    if (state.issue_count() != issues_before) config.sections_with_errors.insert("routes");
    return config;
}

}  // namespace

Config parse_config_text(const std::string& text, ParseState& state,
                         const ConfigSections& sections) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        // Nothing after a syntax error can be trusted to mean what the operator wrote.
        state.error_at(e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg);
        state.throw_if_errors();
    }
    return parse_root(root, state, sections);
}

Config load_config(const std::string& path, ParseState& state, const ConfigSections& sections) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError({{path, 0, 0, "",
                            std::string("cannot read config file: ") + std::strerror(errno) +
                                " (give the path with -c FILE)"}});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config_text(text.str(), state, sections);
}

}  // namespace netfeed
