// `netfeed schema`: the JSON Schema of every record kind, or of one, optionally with the fields
// the enrichers of a config add; `--markdown` prints the field tables the docs embed.
#pragma once

#include <string>
#include <vector>

#include "agent/plugin_registry.hpp"
#include "agent/record_json_schema.hpp"

namespace netfeed {

/// What the enrichers of the config at `path` add, per enricher section. Throws ConfigError.
std::vector<EnrichedFields> configured_enricher_fields(const std::string& path,
                                                       const PluginRegistry& registry);

/// Prints the schemas (or one kind's, when `kind` is not empty) to stdout. Returns the exit
/// code: 2 for an unknown kind or a config error.
int print_record_schemas(const std::string& kind, const std::string& config_path);

/// Prints a Markdown table for the docs: `kind` is a kind name, `envelope`, or `enrichers`.
int print_record_schema_markdown(const std::string& what);

}  // namespace netfeed
