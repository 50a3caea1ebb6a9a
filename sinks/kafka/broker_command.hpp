// `netfeed broker` on the command line: the Kafka plugin adds it through the plugin registry, so
// that agent/main.cpp names no plugin.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed {

/// The `broker` subcommand: its options and what runs it (standalone_broker.hpp).
PluginCommand broker_command();

}  // namespace netfeed
