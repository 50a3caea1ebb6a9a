// Registration of the interfaces enricher: ifIndex -> name, alias and speed on flow records.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::interfaces {

void register_interfaces_enricher(PluginRegistry& registry);

}  // namespace netfeed::interfaces
