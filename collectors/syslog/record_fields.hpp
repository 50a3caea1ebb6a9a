// The syslog record's field names, each spelled once: the builder (syslog_record.cpp) writes
// them and the declared table (record_schema.cpp) describes them.
#pragma once

#include "agent/field_name.hpp"

namespace netfeed::syslog::field {

inline constexpr FieldName syslog_format = "syslog_format";
inline constexpr FieldName syslog_version = "syslog_version";
inline constexpr FieldName severity = "severity";
inline constexpr FieldName severity_name = "severity_name";
inline constexpr FieldName facility = "facility";
inline constexpr FieldName facility_name = "facility_name";
inline constexpr FieldName hostname = "hostname";
inline constexpr FieldName app_name = "app_name";
inline constexpr FieldName proc_id = "proc_id";
inline constexpr FieldName msg_id = "msg_id";
inline constexpr FieldName sequence = "sequence";
inline constexpr FieldName node = "node";
inline constexpr FieldName time_sync = "time_sync";
inline constexpr FieldName cisco_facility = "cisco_facility";
inline constexpr FieldName cisco_severity = "cisco_severity";
inline constexpr FieldName cisco_mnemonic = "cisco_mnemonic";
inline constexpr FieldName structured_data = "structured_data";
inline constexpr FieldName message = "message";
inline constexpr FieldName parse_error = "parse_error";
inline constexpr FieldName transport = "transport";
inline constexpr FieldName file = "file";
inline constexpr FieldName truncated = "truncated";
inline constexpr FieldName time_from_agent = "time_from_agent";

}  // namespace netfeed::syslog::field
