// The fields the inventory enricher adds (inventory_enricher.cpp). Its columns come from the CSV,
// so the static table names them by pattern; a built enricher lists the file's real columns.
#pragma once

#include <span>

#include "agent/record_schema.hpp"

namespace netfeed::inventory {

std::span<const SchemaField> inventory_fields() noexcept;
/// The meaning of one column field (for Enricher::added_fields()).
inline constexpr std::string_view kColumnMeaning = "a column of the inventory CSV row";
inline constexpr std::string_view kColumnPresent =
    "when the record found its row and the cell "
    "is not empty";
inline constexpr std::string_view kMatchMeaning =
    "whether the record found its CSV row (the name is the match_field option)";

}  // namespace netfeed::inventory
