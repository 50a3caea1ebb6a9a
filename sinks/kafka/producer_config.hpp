// Turns the Kafka options into a librdkafka producer configuration.
#pragma once

#include <string>
#include <vector>

#include "sinks/kafka/options.hpp"

struct rd_kafka_conf_s;

namespace netfeed {

/// A new configuration for a producer talking to `bootstrap`, or nullptr with `error` naming
/// the offending option or property when librdkafka refuses a value.
rd_kafka_conf_s* make_producer_conf(const KafkaOptions& options, const std::string& bootstrap,
                                    std::string& error);

/// `bootstrap.servers` from a broker list: "kafka1:9092,kafka2:9092".
inline std::string bootstrap_servers(const std::vector<std::string>& brokers) {
    std::string out;
    for (const auto& broker : brokers)
        out += (out.empty() ? "" : ",") + broker;
    return out;
}

}  // namespace netfeed
