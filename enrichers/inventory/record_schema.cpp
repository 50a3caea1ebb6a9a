// The inventory enricher's fields; see record_schema.hpp.
#include "enrichers/inventory/record_schema.hpp"

namespace netfeed::inventory {

namespace {

constexpr SchemaField kFields[] = {
    {"inventory_match", FieldType::boolean, kMatchMeaning, "", "when match_field is set"},
    {"inventory_<column>", FieldType::string,
     "the row's columns (inventory_street; extra unnamed fields are inventory_column_3 ...); "
     "the prefix is the prefix option",
     "", kColumnPresent},
};

}  // namespace

std::span<const SchemaField> inventory_fields() noexcept {
    return kFields;
}

}  // namespace netfeed::inventory
