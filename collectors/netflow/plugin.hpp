// Registration of the NetFlow/IPFIX collector.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::netflow {

void register_netflow_collector(PluginRegistry& registry);

}  // namespace netfeed::netflow
