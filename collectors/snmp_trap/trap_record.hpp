// A decoded trap as a `trap` record (fields in docs/records.md): numeric and named trap OID,
// the varbinds as a JSON array, and the interface objects copied to flat fields.
#pragma once

#include <string>

#include "agent/record.hpp"
#include "collectors/snmp_trap/trap_decode.hpp"

namespace netfeed::snmp_trap {

/// `device` is the sender's configured name (or its address text); `source` the address the
/// datagram came from.
Record make_trap_record(const Trap& trap, std::string device, const IpAddress& source,
                        Timestamp received);

/// The v1 agent-addr field as an address (v1 traps only).
IpAddress agent_address_of(const Trap& trap);

}  // namespace netfeed::snmp_trap
