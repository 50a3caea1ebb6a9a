// The fields of a `flow` record as the NetFlow/IPFIX builder writes them (netflow_record.cpp):
// the one table the Connect envelope, `netfeed schema` and docs/flows.md read.
#pragma once

#include <span>

#include "agent/record_schema.hpp"

namespace netfeed::netflow {

/// Every field make_flow_record() can write.
std::span<const SchemaField> flow_fields() noexcept;
KindDeclaration flow_declaration() noexcept;

}  // namespace netfeed::netflow
