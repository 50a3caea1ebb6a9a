// The config loaders that know the built-in plugins' sections; see config.hpp. Apart from
// config.cpp so that code linking the config parser alone does not pull in every plugin.
#include "agent/config.hpp"
#include "agent/plugin_registry.hpp"

namespace netfeed {

Config parse_config_text(const std::string& text, ParseState& state) {
    return parse_config_text(text, state, builtin_plugins().config_sections());
}

Config parse_config_text(const std::string& text, const std::string& file) {
    ParseState state(file);
    Config config = parse_config_text(text, state);
    state.throw_if_errors();
    return config;
}

Config load_config(const std::string& path, ParseState& state) {
    return load_config(path, state, builtin_plugins().config_sections());
}

Config load_config(const std::string& path) {
    ParseState state(path);
    Config config = load_config(path, state);
    state.throw_if_errors();
    return config;
}

}  // namespace netfeed
