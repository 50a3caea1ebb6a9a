// Registration of the SNMP poller.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::snmp {

void register_snmp_collector(PluginRegistry& registry);

}  // namespace netfeed::snmp
