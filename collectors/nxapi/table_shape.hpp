// NX-OS output shapes made regular (pure functions): TABLE_x/ROW_x rows always as arrays, tables
// exploded into one row per record with the row's natural key, numeric strings as numbers.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/nxapi/model.hpp"

namespace netfeed::nxapi {

/// Makes every ROW_x an array (NX-OS sends one row as an object, several as an array) and every
/// TABLE_x an object (an array of tables, as some commands send, becomes one table holding all
/// their rows), at every depth, so that a consumer reads TABLE_x.ROW_x[...] whatever the count.
void normalize_tables(Json& body);

/// Replaces string values that are plain decimal numbers ("42", "-7", "0.25") with numbers,
/// at every depth. Strings with leading zeros ("007"), signs other than a leading '-', exponents,
/// or integers beyond 64 bits stay strings: they are identifiers, not quantities.
void convert_numbers(Json& body);

/// One row of an exploded table.
struct Row {
    std::string key;  // the natural key's values joined by '|'; the row's position when none
    Json fields;      // the row (an object)
};

/// The rows of `table` in a normalized body ("TABLE_inv" or "inv"; empty: the first TABLE_x at
/// the top level that holds rows). `key_fields` name the row's natural key; a row missing one
/// of them is keyed by its position ("#3"). A body without the table gives no rows.
std::vector<Row> explode_rows(const Json& body, std::string_view table,
                              std::span<const std::string> key_fields);

/// The natural key of rows of well-known commands (show interface: interface; show inventory:
/// name; show lldp neighbors: chassis_id and port_id ...); empty when none is known.
std::vector<std::string> default_row_key(std::string_view command);

/// The default topic of a command: "nxapi." + the command with runs of other characters than
/// [a-z0-9] as '_' ("show version" -> "nxapi.show_version").
std::string default_topic(std::string_view command);

/// The command as the switch expects it: trimmed, inner runs of blanks as one space.
std::string canonical_command(std::string_view command);

}  // namespace netfeed::nxapi
