// The inventory as the hot path reads it: immutable rows with their fields ready to append,
// found by device name or by any of a device's addresses. Built off the hot path from a CSV.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/record.hpp"
#include "enrichers/inventory/address_key.hpp"
#include "enrichers/inventory/csv_parse.hpp"
#include "enrichers/inventory/flat_index.hpp"

namespace netfeed::inventory {

/// What the key column holds: device names (matched against a record's device) or management
/// addresses (matched against the address a record came from).
enum class KeyType { name, address };

/// Which columns mean what, and how the added fields are named.
struct InventoryLayout {
    std::string key_column = "hostname";
    KeyType key_type = KeyType::name;
    /// The column naming a device found by address; "" or absent: the device keeps its name.
    std::string name_column = "hostname";
    /// A column listing more addresses of the device (loopbacks, interfaces); "" for none.
    std::string addresses_column;
    char addresses_separator = ';';
    /// Columns added to records, in this order; empty: every column, extra ones included.
    std::vector<std::string> columns;
    std::string prefix = "inventory_";
};

struct InventoryBuild;

class InventoryTable {
  public:
    struct Row {
        int line = 0;
        std::string name;           // from name_column; "" when none
        std::vector<Field> fields;  // prefixed names, non-empty values, in column order
    };

    /// Names and addresses; keys are compared case-insensitively for names.
    const Row* by_name(std::string_view name) const noexcept;
    const Row* by_address(const IpAddress& address) const noexcept;
    const Row* by_address(const AddressKey& address) const noexcept;

    /// Start loading what by_name / by_address / reading a row's fields will touch first.
    void prefetch_name(std::string_view name) const noexcept;
    void prefetch_address(const AddressKey& address) const noexcept {
        by_address_.prefetch(address);
    }
    static void prefetch_row(const Row* row) noexcept {
        if (row == nullptr) return;
        const char* begin = reinterpret_cast<const char*>(row->fields.data());
        const char* end = reinterpret_cast<const char*>(row->fields.data() + row->fields.size());
        for (const char* p = begin; p < end; p += 64)
            __builtin_prefetch(p);
    }

    std::size_t size() const noexcept { return rows_.size(); }
    const std::vector<Row>& rows() const noexcept { return rows_; }
    const std::vector<std::string>& header() const noexcept { return header_; }

  private:
    friend InventoryBuild build_inventory(const CsvDocument&, const InventoryLayout&);
    std::vector<std::string> header_;
    std::vector<Row> rows_;
    NameIndex by_name_;  // lowercase names
    AddressIndex by_address_;
};

/// A table and what was wrong with the file, or why it could not be used at all (then `table`
/// is null and a running enricher keeps its previous one).
struct InventoryBuild {
    std::shared_ptr<const InventoryTable> table;
    std::vector<CsvFinding> findings;
    std::optional<std::string> error;
};

/// Applies the layout to parsed CSV: the first row is the header; a row with more fields than
/// the header names the extra ones `column_<position>` (reported once), a short row lacks the
/// last columns, a repeated key or address keeps the first row; each is reported with its line.
InventoryBuild build_inventory(const CsvDocument& csv, const InventoryLayout& layout);

/// Reads and builds `path`; an unreadable or empty file is an error.
InventoryBuild load_inventory(const std::string& path, const InventoryLayout& layout);

/// "file:line: message" for logs and `netfeed validate`.
std::string format_finding(std::string_view file, const CsvFinding& finding);

}  // namespace netfeed::inventory
