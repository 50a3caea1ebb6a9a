// The fields the geoip enricher adds (geoip_enricher.cpp): three per address field it looks at,
// named after the field without `_addr` (src_addr -> src_country, src_asn, src_as_org).
#pragma once

#include <span>

#include "agent/record_schema.hpp"

namespace netfeed::geoip {

/// The fields for the default `fields` option (src_addr, dst_addr).
std::span<const SchemaField> geoip_fields() noexcept;
/// The three fields for one address field's stem, with interned names.
std::vector<SchemaField> geoip_fields_for(std::string_view stem);

}  // namespace netfeed::geoip
