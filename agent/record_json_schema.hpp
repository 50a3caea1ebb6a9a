// The registered record schemas (record_schema.hpp) as JSON Schema, draft 2020-12: what
// `netfeed schema` prints and what the integration tests validate every record against.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "agent/record_schema.hpp"

namespace netfeed {

/// Fields an enricher of a config adds, and the kinds it runs on (empty: every kind).
struct EnrichedFields {
    std::string enricher;  // the section name in the config
    std::vector<RecordKind> kinds;
    std::vector<SchemaField> fields;
};

/// One kind's schema: the envelope, the kind's declared fields, then the enrichers' fields for
/// that kind. Every field but the envelope is optional; fields not listed are allowed (adding a
/// field is a compatible change, and user-defined SNMP columns are named by the config).
nlohmann::json record_json_schema(RecordKind kind, std::span<const EnrichedFields> enriched = {});

/// Every declared kind's schema, by kind name.
nlohmann::json record_json_schemas(std::span<const EnrichedFields> enriched = {});

}  // namespace netfeed
