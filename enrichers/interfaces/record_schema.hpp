// The fields the interfaces enricher adds to flow records (interfaces_enricher.cpp).
#pragma once

#include <span>

#include "agent/record_schema.hpp"

namespace netfeed::interfaces {

std::span<const SchemaField> interfaces_fields() noexcept;

}  // namespace netfeed::interfaces
