// The fields sFlow adds to `flow` records and to `snmp` interfaces rows (sflow_record.cpp).
#pragma once

#include "agent/record_schema.hpp"

namespace netfeed::sflow {

/// Flow-sample fields beyond NetFlow's (make_flow_record() writes the shared ones).
KindDeclaration sflow_flow_declaration() noexcept;
/// Counter-sample fields: IF-MIB names (the SNMP poller's) and sFlow's own.
KindDeclaration sflow_counter_declaration() noexcept;

}  // namespace netfeed::sflow
