// Registration of the generator collector: synthetic records for demos, tests and benchmarks.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed {

void register_generator_collector(PluginRegistry& registry);

}  // namespace netfeed
