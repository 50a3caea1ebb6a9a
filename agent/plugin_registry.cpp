// Plugin schema output; see plugin_registry.hpp.
#include "agent/plugin_registry.hpp"

namespace netfeed {

nlohmann::json PluginRegistry::describe() const {
    return {{"collectors", describe(collectors_)},
            {"enrichers", describe(enrichers_)},
            {"sinks", describe(sinks_)}};
}

}  // namespace netfeed
