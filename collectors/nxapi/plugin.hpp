// Registration of the NX-API poller.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::nxapi {

void register_nxapi_collector(PluginRegistry& registry);

}  // namespace netfeed::nxapi
