// Table rows from walked varbinds: the columns of every subtree of a table (ifTable and
// ifXTable) joined by their instance suffix, then turned into record fields. Pure code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/interface_table.hpp"
#include "agent/record.hpp"
#include "collectors/snmp/profile.hpp"

namespace netfeed::snmp {

/// One row: its index (the instance suffix) and a value per column of the table, in the
/// table's column order (subtree by subtree); absent when the device did not return it.
struct TableRow {
    Oid index;
    std::vector<std::optional<SnmpValue>> values;
};

/// Where a column sits in TableRow::values.
struct ColumnRef {
    std::size_t subtree = 0;
    std::size_t column = 0;
};

class TableAssembler {
  public:
    explicit TableAssembler(const TableSpec& spec);

    /// Files a varbind under its row and column. False (and nothing kept) when the OID is
    /// not a column of this table with an index, or the value is an exception.
    bool add(const VarBind& varbind);
    /// Rows ordered by index.
    std::vector<TableRow> rows() const;
    std::size_t column_count() const noexcept { return columns_.size(); }
    const ColumnSpec& column(std::size_t position) const { return *columns_[position]; }
    /// The position of (subtree entry, column number), or nullopt.
    std::optional<std::size_t> position_of(std::size_t subtree, std::uint32_t number) const;

  private:
    const TableSpec& spec_;
    std::vector<const ColumnSpec*> columns_;
    std::vector<std::size_t> subtree_offset_;
    std::map<Oid, std::vector<std::optional<SnmpValue>>> rows_;
};

/// The value of a column in a row, decoded as its spec says (subtype-aware LLDP ids, hex MACs).
Value decode_column(const TableAssembler& table, const TableRow& row, std::size_t position);

/// Index fields then column fields of a row. A suffix that does not fit the index spec is kept
/// as `index` (dotted text) so that nothing is lost.
void add_row_fields(const TableAssembler& table, const TableRow& row,
                    const std::vector<IndexPart>& index, Record& record);

/// The record key of a row: "device|table|name=value,name=value"
/// ("lax-cor-r1|interfaces|if_index=3").
std::string row_key(std::string_view device, std::string_view table,
                    const std::vector<IndexPart>& index, const Oid& suffix);

/// Files an interfaces row (its if_name, if_alias, if_high_speed fields) under its ifIndex in
/// the facts the flow enricher reads; rows without a one-part index are skipped.
void collect_interface(const Record& row, const Oid& index, InterfaceTable::DeviceInterfaces& out);

}  // namespace netfeed::snmp
