// The fields the protocol enricher adds to flow records (protocol_enricher.cpp).
#pragma once

#include <span>

#include "agent/record_schema.hpp"

namespace netfeed::protocol {

std::span<const SchemaField> protocol_fields() noexcept;

}  // namespace netfeed::protocol
