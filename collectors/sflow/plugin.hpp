// Registration of the sFlow v5 collector.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::sflow {

void register_sflow_collector(PluginRegistry& registry);

}  // namespace netfeed::sflow
