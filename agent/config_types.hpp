// The plain structs and enums of the agent's configuration (agent settings, credentials,
// devices, routes), apart from the YAML parsing in config.hpp: interfaces such as collector.hpp
// and sink.hpp use these without pulling in yaml-cpp.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/option_types.hpp"
#include "agent/record.hpp"
#include "agent/secret.hpp"

namespace netfeed {

// Defined in option_table.hpp, with the parsing; these structs only name their table.
template <class T>
class OptionTable;

enum class LogLevel { trace, debug, info, warn, error, off };
template <>
struct EnumNames<LogLevel> {
    static constexpr std::pair<std::string_view, LogLevel> values[] = {
        {"trace", LogLevel::trace}, {"debug", LogLevel::debug}, {"info", LogLevel::info},
        {"warn", LogLevel::warn},   {"error", LogLevel::error}, {"off", LogLevel::off}};
};

/// How a keyed record's partition is chosen (unkeyed records always use sticky partitioning).
enum class Partitioner {
    murmur2,  // the Java client's default: Kafka Streams, Connect and Java consumers agree
    crc32,    // librdkafka's default (consistent_random): confluent-kafka Python scripts agree
};
template <>
struct EnumNames<Partitioner> {
    static constexpr std::pair<std::string_view, Partitioner> values[] = {
        {"murmur2", Partitioner::murmur2}, {"crc32", Partitioner::crc32}};
};

/// The bytes a key is sent as.
enum class KeyEncoding {
    utf8,
    utf16,  // with a BOM, as Python's "utf-16" codec writes it
};
template <>
struct EnumNames<KeyEncoding> {
    static constexpr std::pair<std::string_view, KeyEncoding> values[] = {
        {"utf-8", KeyEncoding::utf8}, {"utf-16", KeyEncoding::utf16}};
};

/// The shape of a record's value.
enum class ValueFormat {
    json,          // one flat JSON object (docs/records.md)
    connect_json,  // {"schema", "payload"} for Kafka Connect's JsonConverter, schemas.enable=true
};
template <>
struct EnumNames<ValueFormat> {
    static constexpr std::pair<std::string_view, ValueFormat> values[] = {
        {"json", ValueFormat::json}, {"connect_json", ValueFormat::connect_json}};
};

struct HttpSettings {
    bool enabled = true;
    Endpoint listen{"127.0.0.1", 9273};
    static const OptionTable<HttpSettings>& options();
};

/// agent.fleet: agents with the same name share the polled devices through a Kafka consumer
/// group (docs/FLEET.md).
struct FleetSettings {
    std::string name;  // empty: no fleet
    /// Partitions of the coordination topic netfeed.fleet.<name> when the agent creates it; the
    /// topic's real count decides (every member must split the devices the same way).
    int partitions = 32;
    Duration session_timeout = std::chrono::seconds(10);
    /// Bootstrap brokers of the cluster the fleet meets on; empty: the kafka sink's brokers.
    std::vector<std::string> brokers;
    static const OptionTable<FleetSettings>& options();
};

struct AgentSettings {
    LogLevel log_level = LogLevel::info;
    int io_threads = 1;
    std::size_t queue_capacity = 16384;
    std::size_t sink_queue_capacity = 16384;
    std::size_t batch_size = 512;
    Duration shutdown_timeout = std::chrono::seconds(15);
    Duration summary_interval = std::chrono::seconds(60);
    HttpSettings http;
    FilePath stats_file;
    FilePath state_dir;
    std::string shard;                             // "i/N"; empty: every device
    std::map<std::string, std::string> poll_tags;  // tag -> comma-separated accepted values
    FleetSettings fleet;
    /// Not from the file: the coordination topic's partitions the fleet's group gave this agent
    /// and their total count (set by the agent on every rebalance; none before the first).
    std::set<int> fleet_partitions;
    int fleet_partition_count = 0;
    static const OptionTable<AgentSettings>& options();
};

/// SNMPv3 (USM) authentication and privacy protocols.
enum class SnmpAuthProtocol { none, md5, sha, sha224, sha256, sha384, sha512 };
template <>
struct EnumNames<SnmpAuthProtocol> {
    static constexpr std::pair<std::string_view, SnmpAuthProtocol> values[] = {
        {"none", SnmpAuthProtocol::none},     {"md5", SnmpAuthProtocol::md5},
        {"sha", SnmpAuthProtocol::sha},       {"sha224", SnmpAuthProtocol::sha224},
        {"sha256", SnmpAuthProtocol::sha256}, {"sha384", SnmpAuthProtocol::sha384},
        {"sha512", SnmpAuthProtocol::sha512}};
};
enum class SnmpPrivProtocol { none, des, aes, aes192, aes256 };
template <>
struct EnumNames<SnmpPrivProtocol> {
    static constexpr std::pair<std::string_view, SnmpPrivProtocol> values[] = {
        {"none", SnmpPrivProtocol::none},
        {"des", SnmpPrivProtocol::des},
        {"aes", SnmpPrivProtocol::aes},
        {"aes192", SnmpPrivProtocol::aes192},
        {"aes256", SnmpPrivProtocol::aes256}};
};

/// A named set of credentials that devices refer to; each collector uses the parts it needs.
struct Credentials {
    std::string username;
    Secret password;
    Secret community;
    SnmpAuthProtocol auth_protocol = SnmpAuthProtocol::none;
    Secret auth_passphrase;
    SnmpPrivProtocol priv_protocol = SnmpPrivProtocol::none;
    Secret priv_passphrase;
    static const OptionTable<Credentials>& options();
};

struct DeviceConfig {
    std::string name;
    IpAddress address;
    std::string vendor;
    std::string model;
    std::string role;
    std::string site;
    std::map<std::string, std::string> tags;
    /// Names of the polling collectors that poll this device.
    std::vector<std::string> collectors;
    std::string credentials;
    static const OptionTable<DeviceConfig>& options();
};

struct RouteConfig {
    std::string name;
    std::vector<RecordKind> kinds;  // empty: every kind
    std::string topic;              // empty: the record's own topic, else netfeed.{kind}
    std::string key;                // empty: the record's own key, else the device name
    Partitioner partitioner = Partitioner::murmur2;
    KeyEncoding key_encoding = KeyEncoding::utf8;
    int partitions = 0;  // for topics the agent creates; 0: the Kafka section's default
    std::string sink = "kafka";
    ValueFormat format = ValueFormat::json;
    /// A current-state topic: the agent remembers the keys it sent per device and sends
    /// tombstones for them when the device leaves the device list.
    bool state = false;
    static const OptionTable<RouteConfig>& options();
};

}  // namespace netfeed
