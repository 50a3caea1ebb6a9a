// The interfaces enricher's fields; see record_schema.hpp.
#include "enrichers/interfaces/record_schema.hpp"

namespace netfeed::interfaces {

namespace {

constexpr std::string_view kKnown = "when the exporter's interface is known";

constexpr SchemaField kFields[] = {
    {"in_if_name", FieldType::string, "ifName of in_if on the exporter (names option)", "", kKnown},
    {"out_if_name", FieldType::string, "ifName of out_if on the exporter (names option)", "",
     kKnown},
    {"in_if_alias", FieldType::string, "ifAlias of in_if (aliases option)", "", kKnown},
    {"out_if_alias", FieldType::string, "ifAlias of out_if (aliases option)", "", kKnown},
    {"in_if_speed_mbps", FieldType::integer, "ifHighSpeed of in_if (speeds option)", "Mbit/s",
     kKnown},
    {"out_if_speed_mbps", FieldType::integer, "ifHighSpeed of out_if (speeds option)", "Mbit/s",
     kKnown},
};

}  // namespace

std::span<const SchemaField> interfaces_fields() noexcept {
    return kFields;
}

}  // namespace netfeed::interfaces
