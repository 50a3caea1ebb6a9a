// Table row assembly; see row_assembly.hpp.
#include "collectors/snmp/row_assembly.hpp"

#include <boost/asio/ip/address_v6.hpp>

namespace netfeed::snmp {

TableAssembler::TableAssembler(const TableSpec& spec) : spec_(spec) {
    for (const auto& subtree : spec.subtrees) {
        subtree_offset_.push_back(columns_.size());
        for (const auto& column : subtree.columns)
            columns_.push_back(&column);
    }
}

std::optional<std::size_t> TableAssembler::position_of(std::size_t subtree,
                                                       std::uint32_t number) const {
    if (subtree >= spec_.subtrees.size()) return std::nullopt;
    const auto& columns = spec_.subtrees[subtree].columns;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].number == number) return subtree_offset_[subtree] + i;
    }
    return std::nullopt;
}

bool TableAssembler::add(const VarBind& varbind) {
    if (varbind.value.is_exception()) return false;
    for (std::size_t s = 0; s < spec_.subtrees.size(); ++s) {
        const Oid& entry = spec_.subtrees[s].entry;
        // entry + column + at least one index sub-identifier
        if (varbind.oid.size() < entry.size() + 2 || !oid_has_prefix(varbind.oid, entry)) continue;
        const auto position = position_of(s, varbind.oid[entry.size()]);
        if (!position) return false;
        Oid index(varbind.oid.begin() + static_cast<std::ptrdiff_t>(entry.size() + 1),
                  varbind.oid.end());
        auto& values = rows_[std::move(index)];
        values.resize(columns_.size());
        values[*position] = varbind.value;
        return true;
    }
    return false;
}

std::vector<TableRow> TableAssembler::rows() const {
    std::vector<TableRow> out;
    out.reserve(rows_.size());
    for (const auto& [index, values] : rows_)
        out.push_back({index, values});
    return out;
}

namespace {

// LLDP-MIB networkAddress ids: an IANA address family byte, then the address.
Value network_address(const std::string& bytes) {
    if (bytes.size() == 5 && bytes[0] == 1) {
        boost::asio::ip::address_v4::bytes_type b;
        for (std::size_t i = 0; i < 4; ++i)
            b[i] = static_cast<unsigned char>(bytes[i + 1]);
        return IpAddress(boost::asio::ip::address_v4(b));
    }
    if (bytes.size() == 17 && bytes[0] == 2) {
        boost::asio::ip::address_v6::bytes_type b;
        for (std::size_t i = 0; i < 16; ++i)
            b[i] = static_cast<unsigned char>(bytes[i + 1]);
        return IpAddress(boost::asio::ip::address_v6(b));
    }
    return octets_to_hex(bytes);
}

}  // namespace

Value decode_column(const TableAssembler& table, const TableRow& row, std::size_t position) {
    const auto& value = row.values[position];
    if (!value) return std::monostate{};
    const ColumnSpec& spec = table.column(position);
    if (value->type != SnmpType::octets || spec.decode == ColumnDecode::generic) {
        return to_record_value(*value);
    }
    if (spec.decode == ColumnDecode::hex) return octets_to_hex(value->bytes);
    // Subtype-aware LLDP ids: the subtype column sits in the same subtree.
    std::int64_t subtype = 0;
    for (std::size_t p = 0; p < table.column_count(); ++p) {
        if (table.column(p).number == spec.subtype_column && row.values[p] &&
            row.values[p]->type == SnmpType::integer) {
            subtype = row.values[p]->integer;
        }
    }
    const bool chassis = spec.decode == ColumnDecode::chassis_id;
    const std::int64_t mac = chassis ? 4 : 3;
    const std::int64_t network = chassis ? 5 : 4;
    if (subtype == mac) return octets_to_hex(value->bytes);
    if (subtype == network) return network_address(value->bytes);
    return octets_to_text(value->bytes);
}

bool parse_index(const std::vector<IndexPart>& index, const Oid& suffix,
                 std::vector<IndexValue>& out) {
    out.clear();
    std::size_t at = 0;
    const auto bytes_from = [&](std::size_t from, std::size_t count, std::string& text) {
        for (std::size_t i = from; i < from + count; ++i) {
            if (suffix[i] > 255) return false;
            text.push_back(static_cast<char>(suffix[i]));
        }
        return true;
    };
    for (std::size_t p = 0; p < index.size(); ++p) {
        const IndexPart& part = index[p];
        switch (part.encoding) {
            case IndexEncoding::integer:
                if (at >= suffix.size()) return false;
                out.push_back({part.name, static_cast<std::uint64_t>(suffix[at++])});
                break;
            case IndexEncoding::ipv4: {
                if (at + 4 > suffix.size()) return false;
                boost::asio::ip::address_v4::bytes_type b;
                for (std::size_t i = 0; i < 4; ++i) {
                    if (suffix[at + i] > 255) return false;
                    b[i] = static_cast<unsigned char>(suffix[at + i]);
                }
                at += 4;
                out.push_back({part.name, IpAddress(boost::asio::ip::address_v4(b))});
                break;
            }
            case IndexEncoding::string: {
                if (at >= suffix.size()) return false;
                const std::size_t length = suffix[at++];
                if (length > suffix.size() - at) return false;
                std::string text;
                if (!bytes_from(at, length, text)) return false;
                at += length;
                out.push_back({part.name, octets_to_text(text)});
                break;
            }
            case IndexEncoding::implied: {
                if (p + 1 != index.size()) return false;
                std::string text;
                if (!bytes_from(at, suffix.size() - at, text)) return false;
                at = suffix.size();
                out.push_back({part.name, octets_to_text(text)});
                break;
            }
        }
    }
    return at == suffix.size();
}

void add_row_fields(const TableAssembler& table, const TableRow& row,
                    const std::vector<IndexPart>& index, Record& record) {
    std::vector<IndexValue> parts;
    if (parse_index(index, row.index, parts)) {
        for (auto& part : parts)
            record.add(part.name, std::move(part.value));
    } else {
        record.add("index", oid_to_string(row.index));
    }
    for (std::size_t p = 0; p < table.column_count(); ++p) {
        if (!row.values[p]) continue;
        record.add(table.column(p).name, decode_column(table, row, p));
    }
}

std::string row_key(std::string_view device, std::string_view table,
                    const std::vector<IndexPart>& index, const Oid& suffix) {
    std::string key;
    key.append(device).append("|").append(table).append("|");
    std::vector<IndexValue> parts;
    if (!parse_index(index, suffix, parts)) return key + "index=" + oid_to_string(suffix);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) key.push_back(',');
        key.append(parts[i].name.view()).append("=").append(value_to_text(parts[i].value));
    }
    return key;
}

void collect_interface(const Record& row, const Oid& index, InterfaceTable::DeviceInterfaces& out) {
    if (index.size() != 1) return;
    InterfaceInfo info;
    if (const Value* v = row.find("if_name"); v != nullptr) info.name = value_to_text(*v);
    if (const Value* v = row.find("if_alias"); v != nullptr) info.alias = value_to_text(*v);
    if (const Value* v = row.find("if_high_speed");
        v != nullptr && std::holds_alternative<std::uint64_t>(*v)) {
        info.speed_mbps = std::get<std::uint64_t>(*v);
    }
    out[index[0]] = std::move(info);
}

}  // namespace netfeed::snmp
