// Registration of the inventory enricher: a CSV inventory joined to every record.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::inventory {

void register_inventory_enricher(PluginRegistry& registry);

}  // namespace netfeed::inventory
