// The Kafka sink's factory: options are checked against librdkafka at load time, so that
// `netfeed validate` reports a bad property before the agent runs.
#include "sinks/kafka/plugin.hpp"

#include <librdkafka/rdkafka.h>

#include "sinks/kafka/broker_command.hpp"
#include "sinks/kafka/kafka_sink.hpp"
#include "sinks/kafka/producer_config.hpp"

namespace netfeed {

void register_kafka_sink(PluginRegistry& registry) {
    // `kafka:` at the top level is this sink, always present (the embedded broker by default).
    registry.add_sink_section("kafka", "kafka");
    registry.add_command(broker_command());
    registry.add_sink<KafkaOptions>(
        "kafka", "Keyed JSON records to Kafka (embedded broker by default).",
        [](const KafkaOptions& options, const BuildContext&) {
            std::string error;
            rd_kafka_conf_t* probe = make_producer_conf(options, "127.0.0.1:9092", error);
            if (probe == nullptr) throw std::runtime_error(error);
            rd_kafka_conf_destroy(probe);
            return std::make_unique<KafkaSink>(options);
        });
}

}  // namespace netfeed
