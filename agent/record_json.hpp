// Serializes a Record as one flat JSON object: the value every sink writes (docs/records.md).
#pragma once

#include <string>

#include "agent/record.hpp"

namespace netfeed {

/// Field names the envelope uses; body fields must not reuse them.
inline constexpr const char* kEnvelopeFields[] = {"kind", "time", "time_received", "device",
                                                  "device_address"};

/// Version of the record layout, sent as the `schema_version` Kafka header. Bump it when a field
/// changes meaning or type or is renamed; adding a field does not need it (tests/schemas and
/// test_schema_compat hold it to that). 2: enriched fields are flat (inventory_site, no dots).
inline constexpr int kRecordSchemaVersion = 2;

/// Appends the record's JSON text (one line, no trailing newline) to `out`.
void append_record_json(const Record& record, std::string& out);

inline std::string record_json(const Record& record) {
    std::string out;
    append_record_json(record, out);
    return out;
}

}  // namespace netfeed
