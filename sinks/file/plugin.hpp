// Registration of the file sink: JSON lines appended to a file.
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed {

void register_file_sink(PluginRegistry& registry);

}  // namespace netfeed
