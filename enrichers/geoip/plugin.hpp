// Registration of the geoip enricher: country and AS of public addresses from MaxMind files.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::geoip {

void register_geoip_enricher(PluginRegistry& registry);

}  // namespace netfeed::geoip
