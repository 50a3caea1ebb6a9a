// Registration of the stdout sink: JSON lines on standard output, for debugging and pipes.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed {

void register_stdout_sink(PluginRegistry& registry);

}  // namespace netfeed
