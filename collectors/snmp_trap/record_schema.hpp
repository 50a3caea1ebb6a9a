// The fields of a `trap` record (trap_record.cpp).
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed::snmp_trap {

KindDeclaration trap_declaration() noexcept;

}  // namespace netfeed::snmp_trap
