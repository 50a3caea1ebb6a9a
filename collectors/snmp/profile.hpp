// What the SNMP poller asks a device for: scalar groups fetched with GET and tables walked by
// column, with the record field name of every object. Built-in profiles are data
// (profile_builtin.cpp); user-defined scalars and tables from the options become the same types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/field_name.hpp"
#include "collectors/common/snmp_value.hpp"

namespace netfeed::snmp {

/// How a column's value becomes a record value beyond the generic rule (to_record_value).
enum class ColumnDecode : std::uint8_t {
    generic,     // numbers as numbers, text as text, binary octets as hex
    hex,         // octets always as hex with colons (ifPhysAddress)
    chassis_id,  // LLDP chassis id: hex for macAddress(4), address for networkAddress(5)
    port_id,     // LLDP port id: hex for macAddress(3), address for networkAddress(4)
};

struct ColumnSpec {
    std::uint32_t number = 0;  // the sub-identifier under the table entry (ifDescr is 2)
    FieldName name;
    ColumnDecode decode = ColumnDecode::generic;
    /// The column that holds this one's subtype (chassis_id, port_id decodes).
    std::uint32_t subtype_column = 0;
};

/// How one part of a row index is encoded in the instance OID (RFC 2578 7.7).
enum class IndexEncoding : std::uint8_t {
    integer,  // one sub-identifier
    ipv4,     // four sub-identifiers
    string,   // a length, then that many sub-identifiers (bytes)
    implied,  // the rest of the OID as bytes (IMPLIED, last part only)
};

struct IndexPart {
    FieldName name;
    IndexEncoding encoding = IndexEncoding::integer;
};

/// Columns under one table entry OID (ifEntry, ifXEntry).
struct SubtreeSpec {
    Oid entry;  // 1.3.6.1.2.1.2.2.1
    std::vector<ColumnSpec> columns;
};

/// A table: one or more entries sharing an index, joined row by row (ifTable + ifXTable).
struct TableSpec {
    std::string name;  // snmp_table value: "interfaces"
    std::vector<IndexPart> index;
    std::vector<SubtreeSpec> subtrees;
};

struct ScalarSpec {
    Oid oid;  // with its instance: 1.3.6.1.2.1.1.1.0
    FieldName name;
};

/// Scalars fetched together and sent as one record (snmp_table: "system").
struct ScalarGroupSpec {
    std::string name;
    std::vector<ScalarSpec> scalars;
};

/// A profile is a named set of scalar groups and tables.
struct Profile {
    std::string name;
    std::vector<ScalarGroupSpec> groups;
    std::vector<TableSpec> tables;
};

/// sysUpTime.0: fetched with every poll round to tell a device restart from a counter wrap.
const Oid& sys_up_time_oid();

/// The built-in profiles: system, interfaces, entity, lldp.
const std::vector<Profile>& builtin_profiles();
/// A built-in profile by name; nullptr when there is none.
const Profile* find_builtin_profile(std::string_view name);

/// "lldp_rem_time_mark=0,..." parts for keys; false when `suffix` does not match `index`.
struct IndexValue {
    FieldName name;
    Value value;
};
bool parse_index(const std::vector<IndexPart>& index, const Oid& suffix,
                 std::vector<IndexValue>& out);

}  // namespace netfeed::snmp
