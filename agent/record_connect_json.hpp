// A record as Kafka Connect's JsonConverter reads it with schemas.enable=true: a
// {"schema": ..., "payload": ...} envelope, the schema taken from the kind's documented fields
// (docs/records.md) so a Connect sink (JDBC, Elasticsearch, S3) needs no transform.
#pragma once

#include <string>

#include "agent/record.hpp"

namespace netfeed {

/// Appends the envelope (one line, no trailing newline) to `out`. Documented fields are always in
/// the schema with their documented type (null in the payload when the record lacks them);
/// other fields follow with a type taken from their value; nested JSON content becomes structs,
/// maps and arrays (a value that fits no single type is sent as its JSON text).
void append_record_connect_json(const Record& record, std::string& out);

}  // namespace netfeed
