// librdkafka producer settings; see producer_config.hpp.
#include "sinks/kafka/producer_config.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace netfeed {

rd_kafka_conf_t* make_producer_conf(const KafkaOptions& options, const std::string& bootstrap,
                                    std::string& error) {
    const auto compression = std::string(enum_name(options.compression));
    const std::vector<std::pair<std::string, std::string>> settings = {
        {"bootstrap.servers", bootstrap},
        {"client.id", options.client_id},
        {"acks", options.acks == KafkaAcks::all      ? "all"
                 : options.acks == KafkaAcks::leader ? "1"
                                                     : "0"},
        {"enable.idempotence", options.idempotence ? "true" : "false"},
        {"compression.type", compression},
        {"linger.ms", std::to_string(options.linger.count())},
        {"message.timeout.ms", std::to_string(options.delivery_timeout.count())},
        {"message.max.bytes", std::to_string(options.message_max_bytes + 4096)},
        // librdkafka's defaults (1 GiB, 100,000 records) let its queue alone exceed the memory
        // bound of docs/PERFORMANCE.md; a byte bound holds whatever the record size, and the
        // record bound (one per 256 bytes) only caps the per-record bookkeeping of tiny ones.
        {"queue.buffering.max.kbytes", std::to_string(options.buffer_bytes / 1024)},
        {"queue.buffering.max.messages",
         std::to_string(std::max<std::size_t>(options.buffer_bytes / 256, 1000))},
        // Idle connections closed by brokers are normal; do not log them as errors.
        {"log.connection.close", "false"},
        // librdkafka keeps NULL-key records on its own sticky partition (never calling a custom
        // partitioner) unless this is 0; our TopicState does the sticky choice instead.
        {"sticky.partitioning.linger.ms", "0"},
    };
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char errstr[512];
    for (const auto& [name, value] : settings) {
        if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
            error = "kafka: " + name + ": " + errstr;
            rd_kafka_conf_destroy(conf);
            return nullptr;
        }
    }
    for (const auto& [name, value] : options.properties) {
        if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
            // errstr may quote the value; properties can hold secrets, so say only the name.
            error = "kafka.properties." + name +
                    ": librdkafka refuses this property or its "
                    "value (see librdkafka's CONFIGURATION.md)";
            rd_kafka_conf_destroy(conf);
            return nullptr;
        }
    }
    return conf;
}

}  // namespace netfeed
