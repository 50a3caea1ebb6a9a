// Built-in names for notification OIDs (linkDown, coldStart, ...) and for the objects traps
// carry (ifIndex, ifOperStatus, sysUpTime, ...): the machine has no MIB files, and a record
// should be readable without them. The table itself is data, in trap_names.cpp.
#pragma once

#include <optional>
#include <string_view>

#include "agent/field_name.hpp"
#include "collectors/common/snmp_value.hpp"

namespace netfeed::snmp_trap {

/// The name of a notification ("linkDown" for 1.3.6.1.6.3.1.1.5.3); empty when not built in.
std::string_view notification_name(const snmp::Oid& oid);

struct ObjectName {
    std::string_view name;          // "ifOperStatus"
    std::size_t object_length = 0;  // sub-identifiers before the instance
    std::optional<FieldName> flat;  // the top-level record field it is copied to, if any
};

/// The object a varbind names: a scalar's or a table column's OID followed by an instance
/// (ifOperStatus.3 names ifOperStatus, instance 3). nullopt when not built in or when the OID
/// has no instance part.
std::optional<ObjectName> object_name(const snmp::Oid& oid);

/// True for the objects whose values are secrets (snmpTrapCommunity, which proxies forward):
/// records carry their type but never their value.
bool is_secret_object(std::string_view name);

}  // namespace netfeed::snmp_trap
