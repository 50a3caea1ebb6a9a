// The fields of `snmp` rows from the built-in profiles and of the poller's `status` records
// (snmp_poller.cpp, profile_builtin.cpp). User-defined tables add columns named in the config,
// so the snmp kind is open.
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed::snmp {

KindDeclaration snmp_declaration() noexcept;
KindDeclaration status_declaration() noexcept;

}  // namespace netfeed::snmp
