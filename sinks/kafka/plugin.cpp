// The Kafka sink's factory: options are checked against librdkafka at load time, so that
// `netfeed validate` reports a bad property before the agent runs.
#include "sinks/kafka/plugin.hpp"

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include "sinks/kafka/broker_command.hpp"
#include "sinks/kafka/fleet_member.hpp"
#include "sinks/kafka/fleet_status.hpp"
#include "sinks/kafka/kafka_sink.hpp"
#include "sinks/kafka/producer_config.hpp"

namespace netfeed {

namespace {

/// The brokers the fleet meets on: agent.fleet.brokers, else the kafka sink's brokers.
std::string fleet_brokers(const Config& config) {
    if (!config.agent.fleet.brokers.empty()) return bootstrap_servers(config.agent.fleet.brokers);
    for (const auto& section : config.sinks) {
        if (section.type != "kafka") continue;
        const YAML::Node brokers = section.node["brokers"];
        if (brokers.IsScalar()) return brokers.as<std::string>();
        if (brokers.IsSequence()) return bootstrap_servers(brokers.as<std::vector<std::string>>());
    }
    return {};
}

std::unique_ptr<FleetMembership> make_fleet_member(const Config& config) {
    const std::string brokers = fleet_brokers(config);
    if (brokers.empty()) {
        throw std::runtime_error(
            "agent.fleet needs a Kafka cluster that every agent of the fleet reaches: set "
            "kafka.brokers or agent.fleet.brokers (each agent's embedded broker is its own)");
    }
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::make_unique<KafkaFleetMember>(config.agent.fleet, brokers,
                                              std::string(host) + "-" + std::to_string(getpid()));
}

}  // namespace

void register_kafka_sink(PluginRegistry& registry) {
    registry.add_record_fields("status", fleet_fields::status_declaration());
    registry.set_fleet_factory(&make_fleet_member);
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
