// The `broker` subcommand's options; see broker_command.hpp.
#include "sinks/kafka/broker_command.hpp"

#include <CLI/CLI.hpp>
#include <memory>

#include "sinks/kafka/standalone_broker.hpp"

namespace netfeed {

PluginCommand broker_command() {
    PluginCommand command;
    command.name = "broker";
    command.description = "Run only the embedded Kafka broker (in memory, for tests and demos).";
    command.define = [](CLI::App& broker) -> std::function<int()> {
        // CLI11 writes the parsed values here after define() returned, so they live on the heap
        // shared with the function that runs the command.
        auto options = std::make_shared<StandaloneBrokerOptions>();
        broker.add_option("--port", options->port, "Bootstrap port on 127.0.0.1")
            ->capture_default_str();
        broker
            .add_option("--partitions", options->partitions, "Partitions of the topics it creates")
            ->capture_default_str();
        broker.add_option("--topic", options->topics, "Topic to create (repeatable)");
        broker.add_option("--refuse-topic", options->refused_topics,
                          "Answer 'unknown topic' for this topic, like a cluster that does not "
                          "create topics by itself (repeatable; for trying clients)");
        return [options] { return run_standalone_broker(*options); };
    };
    return command;
}

}  // namespace netfeed
