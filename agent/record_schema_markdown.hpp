// Renders declared fields as the Markdown tables docs/records.md and docs/flows.md embed, so the
// docs are generated from the same tables as the schemas and a test catches drift.
#pragma once

#include <map>
#include <span>
#include <string>

#include "agent/record_schema.hpp"

namespace netfeed {

/// | field | type | unit | meaning | present | rows, one per field.
std::string fields_markdown(std::span<const SchemaField> fields);
/// One table per declaration of the kind, each under a line naming its plugin.
std::string kind_markdown(const KindSchema& schema);
/// The enrichers' declared fields, one table with an enricher column.
std::string enrichers_markdown(const std::map<std::string, std::span<const SchemaField>>& fields);

}  // namespace netfeed
