// The fields of a fleet member's status record (`kind: status, collector: fleet`), declared
// with the Kafka plugin that writes them.
#pragma once

#include "agent/field_name.hpp"
#include "agent/record_schema.hpp"

namespace netfeed::fleet_fields {

inline constexpr FieldName collector = "collector";
inline constexpr FieldName fleet = "fleet";
inline constexpr FieldName agent = "agent";
inline constexpr FieldName member = "member";
inline constexpr FieldName round = "round";
inline constexpr FieldName partitions = "partitions";
inline constexpr FieldName partition_count = "partition_count";
inline constexpr FieldName devices = "devices";
inline constexpr FieldName device_count = "device_count";

KindDeclaration status_declaration() noexcept;

}  // namespace netfeed::fleet_fields
