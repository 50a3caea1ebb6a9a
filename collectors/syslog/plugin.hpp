// Registration of the syslog collector.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::syslog {

void register_syslog_collector(PluginRegistry& registry);

}  // namespace netfeed::syslog
