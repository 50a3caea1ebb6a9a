// Registration of the protocol enricher: protocol, service and TCP flag names on flows.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::protocol {

void register_protocol_enricher(PluginRegistry& registry);

}  // namespace netfeed::protocol
