// Registration of the Kafka sink (the `kafka:` section) and of `netfeed broker`.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed {

void register_kafka_sink(PluginRegistry& registry);

}  // namespace netfeed
