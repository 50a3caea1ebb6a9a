// Options of the Kafka sink: the `kafka:` section of the config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "sinks/kafka/spool.hpp"

namespace netfeed {

enum class KafkaAcks { all, leader, none };
template <>
struct EnumNames<KafkaAcks> {
    static constexpr std::pair<std::string_view, KafkaAcks> values[] = {
        {"all", KafkaAcks::all}, {"1", KafkaAcks::leader}, {"0", KafkaAcks::none}};
};

enum class KafkaCompression { none, gzip, snappy, lz4, zstd };
template <>
struct EnumNames<KafkaCompression> {
    static constexpr std::pair<std::string_view, KafkaCompression> values[] = {
        {"none", KafkaCompression::none},
        {"gzip", KafkaCompression::gzip},
        {"snappy", KafkaCompression::snappy},
        {"lz4", KafkaCompression::lz4},
        {"zstd", KafkaCompression::zstd}};
};

template <>
struct EnumNames<kafka::SpoolOverflow> {
    static constexpr std::pair<std::string_view, kafka::SpoolOverflow> values[] = {
        {"refuse_newest", kafka::SpoolOverflow::refuse_newest},
        {"drop_oldest", kafka::SpoolOverflow::drop_oldest}};
};

/// `kafka.spool:` the write-ahead log on disk (spool.hpp).
struct KafkaSpoolOptions {
    /// Unset: on when agent.state_dir (or dir) is set.
    std::optional<bool> enabled;
    FilePath dir;  // empty: <agent.state_dir>/spool
    std::uint64_t max_bytes = 1ull << 30;
    kafka::SpoolOverflow overflow = kafka::SpoolOverflow::refuse_newest;
    Duration fsync = std::chrono::seconds(1);
    std::uint64_t segment_bytes = 16ull << 20;

    static const OptionTable<KafkaSpoolOptions>& options();
};

struct KafkaOptions {
    /// Unset: embedded when no brokers are given.
    std::optional<bool> embedded;
    Endpoint embedded_listen{"127.0.0.1", 9092};
    std::vector<std::string> brokers;
    std::string client_id = "netfeed";
    KafkaAcks acks = KafkaAcks::all;
    bool idempotence = true;
    KafkaCompression compression = KafkaCompression::none;
    Duration linger{5};
    Duration delivery_timeout = std::chrono::minutes(5);
    std::size_t message_max_bytes = 1'000'000;
    std::size_t buffer_bytes = 16 * 1024 * 1024;
    int default_partitions = 4;
    bool check_topics = true;
    std::size_t sticky_batch_records = 1000;
    std::map<std::string, std::string> properties;
    KafkaSpoolOptions spool;

    bool use_embedded() const { return embedded.value_or(brokers.empty()); }
    static const OptionTable<KafkaOptions>& options();
};

}  // namespace netfeed
