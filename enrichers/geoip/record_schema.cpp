// The geoip enricher's fields; see record_schema.hpp.
#include "enrichers/geoip/record_schema.hpp"

#include <string>

namespace netfeed::geoip {

namespace {

constexpr std::string_view kPublic = "public addresses the databases place";
constexpr std::string_view kCountry = "ISO 3166-1 country code of the address";
constexpr std::string_view kAsn = "autonomous system number of the address";
constexpr std::string_view kAsOrg = "organisation of that autonomous system";

constexpr SchemaField kFields[] = {
    {"src_country", FieldType::string, kCountry, "", kPublic},
    {"src_asn", FieldType::integer, kAsn, "", kPublic},
    {"src_as_org", FieldType::string, kAsOrg, "", kPublic},
    {"dst_country", FieldType::string, kCountry, "", kPublic},
    {"dst_asn", FieldType::integer, kAsn, "", kPublic},
    {"dst_as_org", FieldType::string, kAsOrg, "", kPublic},
};

}  // namespace

std::span<const SchemaField> geoip_fields() noexcept {
    return kFields;
}

std::vector<SchemaField> geoip_fields_for(std::string_view stem) {
    const std::string s(stem);
    return {{FieldName::intern(s + "_country").view(), FieldType::string, kCountry, "", kPublic},
            {FieldName::intern(s + "_asn").view(), FieldType::integer, kAsn, "", kPublic},
            {FieldName::intern(s + "_as_org").view(), FieldType::string, kAsOrg, "", kPublic}};
}

}  // namespace netfeed::geoip
