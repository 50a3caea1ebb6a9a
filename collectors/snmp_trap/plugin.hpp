// Registration of the SNMP trap and inform receiver.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::snmp_trap {

void register_snmp_trap_collector(PluginRegistry& registry);

}  // namespace netfeed::snmp_trap
