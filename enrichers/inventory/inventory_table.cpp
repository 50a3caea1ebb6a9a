// Building and searching the inventory; see inventory_table.hpp.
#include "enrichers/inventory/inventory_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace netfeed::inventory {

AddressKey address_key(const IpAddress& address) noexcept {
    AddressKey key;
    if (address.is_v4()) {
        key.high = 0;
        key.low = 0xFFFF00000000ull | address.to_v4().to_uint();
        return key;
    }
    const auto bytes = address.to_v6().to_bytes();
    for (int i = 0; i < 8; ++i)
        key.high = key.high << 8 | bytes[static_cast<std::size_t>(i)];
    for (int i = 8; i < 16; ++i)
        key.low = key.low << 8 | bytes[static_cast<std::size_t>(i)];
    return key;
}

namespace {

constexpr std::size_t kMaxNameBytes = 255;  // a DNS name is shorter; longer ones never match
constexpr int kReportsPerKind = 20;         // then one summary line, so a broken file is readable

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

std::optional<IpAddress> parse_address(std::string_view text) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(text), ec);
    if (ec) return std::nullopt;
    // An IPv4-mapped IPv6 address is the IPv4 device.
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return IpAddress(
            boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()));
    return address;
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        if (!item.empty()) out.push_back(item);
        start = end + 1;
    }
    return out;
}

// Reports the first kReportsPerKind problems of a kind one by one, then how many more there were.
class FindingLimiter {
  public:
    explicit FindingLimiter(std::vector<CsvFinding>& out) : out_(out) {}
    void add(int kind, int line, std::string message) {
        auto& n = counts_[kind];
        if (n++ < kReportsPerKind) out_.push_back({line, std::move(message)});
    }
    void summarize(int kind, int last_line, std::string_view what) {
        const int n = counts_[kind];
        if (n > kReportsPerKind)
            out_.push_back(
                {last_line, fmt::format("{} more {} not listed", n - kReportsPerKind, what)});
    }

  private:
    std::vector<CsvFinding>& out_;
    int counts_[8] = {};
};

enum FindingKind { kShort, kDuplicateKey, kDuplicateAddress, kBadAddress, kEmptyKey };

}  // namespace

namespace {

// Names are indexed lowercase; a longer name than any DNS name matches nothing.
bool lowercase_into(std::string_view name, char (&buffer)[kMaxNameBytes]) noexcept {
    if (name.size() > kMaxNameBytes) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        buffer[i] = lower(name[i]);
    return true;
}

}  // namespace

const InventoryTable::Row* InventoryTable::by_name(std::string_view name) const noexcept {
    char buffer[kMaxNameBytes];
    if (by_name_.empty() || !lowercase_into(name, buffer)) return nullptr;
    const std::uint32_t row = by_name_.find(std::string_view(buffer, name.size()));
    return row == kNoRow ? nullptr : &rows_[row];
}

void InventoryTable::prefetch_name(std::string_view name) const noexcept {
    char buffer[kMaxNameBytes];
    if (by_name_.empty() || !lowercase_into(name, buffer)) return;
    by_name_.prefetch(std::string_view(buffer, name.size()));
}

const InventoryTable::Row* InventoryTable::by_address(const IpAddress& address) const noexcept {
    if (by_address_.empty() || address.is_unspecified()) return nullptr;
    return by_address(address_key(address));
}

const InventoryTable::Row* InventoryTable::by_address(const AddressKey& address) const noexcept {
    const std::uint32_t row = by_address_.find(address);
    return row == kNoRow ? nullptr : &rows_[row];
}

InventoryBuild build_inventory(const CsvDocument& csv, const InventoryLayout& layout) {
    InventoryBuild out;
    out.findings = csv.findings;
    if (csv.rows.empty()) {
        out.error = "no header row (the file is empty)";
        return out;
    }
    auto table = std::make_shared<InventoryTable>();
    const CsvRow& header_row = csv.rows.front();
    table->header_ = header_row.fields;
    auto& header = table->header_;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i].empty()) {
            header[i] = fmt::format("column_{}", i + 1);
            out.findings.push_back(
                {header_row.line,
                 fmt::format("column {} has no name; it is called {}", i + 1, header[i])});
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (header[j] == header[i]) {
                out.findings.push_back(
                    {header_row.line,
                     fmt::format("column name '{}' given twice (columns {} and {}); the first "
                                 "one is used",
                                 header[i], j + 1, i + 1)});
            }
        }
    }
    const auto column_of = [&](const std::string& name) -> std::optional<std::size_t> {
        auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) return std::nullopt;
        return static_cast<std::size_t>(it - header.begin());
    };
    const auto key_column = column_of(layout.key_column);
    if (!key_column) {
        out.error = fmt::format("line {}: the header has no key column '{}' (it names: {})",
                                header_row.line, layout.key_column, fmt::join(header, ", "));
        return out;
    }
    const auto name_column =
        layout.name_column.empty() ? std::nullopt : column_of(layout.name_column);
    const auto addresses_column =
        layout.addresses_column.empty() ? std::nullopt : column_of(layout.addresses_column);
    if (!layout.addresses_column.empty() && !addresses_column) {
        out.findings.push_back(
            {header_row.line, fmt::format("the header has no addresses column '{}'; devices are "
                                          "found by their key only",
                                          layout.addresses_column)});
    }

    // The widest row decides how many column_N names exist.
    std::size_t width = header.size();
    int wide_rows = 0;
    int first_wide_line = 0;
    std::size_t first_wide_fields = 0;
    for (std::size_t r = 1; r < csv.rows.size(); ++r) {
        const std::size_t n = csv.rows[r].fields.size();
        if (n > header.size()) {
            if (wide_rows++ == 0) {
                first_wide_line = csv.rows[r].line;
                first_wide_fields = n;
            }
            width = std::max(width, n);
        }
    }
    std::vector<std::string> names = header;
    for (std::size_t i = header.size(); i < width; ++i)
        names.push_back(fmt::format("column_{}", i + 1));
    if (wide_rows > 0) {
        out.findings.push_back(
            {first_wide_line,
             fmt::format("{} fields but the header names {}; the extra fields are named {}{} "
                         "({} row{} like this)",
                         first_wide_fields, header.size(), names[header.size()],
                         width > header.size() + 1 ? " to " + names[width - 1] : std::string(),
                         wide_rows, wide_rows == 1 ? "" : "s")});
    }

    // Columns added to records, with their names interned once here.
    struct Selected {
        std::size_t index;
        FieldName name;
    };
    std::vector<Selected> selected;
    const auto select = [&](std::size_t i) {
        selected.push_back({i, FieldName::intern(layout.prefix + names[i])});
    };
    if (layout.columns.empty()) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i),
                          names[i]) == names.begin() + static_cast<std::ptrdiff_t>(i))
                select(i);
        }
    } else {
        for (const auto& column : layout.columns) {
            auto it = std::find(names.begin(), names.end(), column);
            if (it == names.end()) {
                out.findings.push_back(
                    {header_row.line, fmt::format("no column '{}' to add (the header names: {})",
                                                  column, fmt::join(header, ", "))});
                continue;
            }
            select(static_cast<std::size_t>(it - names.begin()));
        }
    }

    FindingLimiter limited(out.findings);
    int last_line = header_row.line;
    table->rows_.reserve(csv.rows.size() - 1);
    std::unordered_map<AddressKey, int, AddressKeyHash> address_lines;
    // While building, maps that find duplicates; then frozen into the hot path's flat indexes.
    std::unordered_map<std::string, std::uint32_t> name_rows;
    std::vector<std::pair<AddressKey, std::uint32_t>> addresses_of_rows;
    for (std::size_t r = 1; r < csv.rows.size(); ++r) {
        const CsvRow& row = csv.rows[r];
        last_line = row.line;
        if (row.fields.size() < header.size()) {
            limited.add(
                kShort, row.line,
                fmt::format("{} field{} but the header names {}; the missing ones are "
                            "empty",
                            row.fields.size(), row.fields.size() == 1 ? "" : "s", header.size()));
        }
        const auto cell = [&](std::size_t i) -> std::string_view {
            return i < row.fields.size() ? std::string_view(row.fields[i]) : std::string_view();
        };
        const std::string_view key = cell(*key_column);
        if (key.empty()) {
            limited.add(
                kEmptyKey, row.line,
                fmt::format("no {} (the key column); the row is ignored", layout.key_column));
            continue;
        }
        const auto index = static_cast<std::uint32_t>(table->rows_.size());
        std::vector<AddressKey> addresses;
        if (layout.key_type == KeyType::name) {
            auto [it, fresh] = name_rows.try_emplace(lowercase(key), index);
            if (!fresh) {
                limited.add(kDuplicateKey, row.line,
                            fmt::format("duplicate key '{}' (first at line {}); the row is ignored",
                                        key, table->rows_[it->second].line));
                continue;
            }
        } else {
            auto address = parse_address(key);
            if (!address) {
                limited.add(kBadAddress, row.line,
                            fmt::format("'{}' in {} is not an IP address; the row is ignored", key,
                                        layout.key_column));
                continue;
            }
            const AddressKey k = address_key(*address);
            auto [it, fresh] = address_lines.try_emplace(k, row.line);
            if (!fresh) {
                limited.add(kDuplicateKey, row.line,
                            fmt::format("duplicate key '{}' (first at line {}); the row is ignored",
                                        key, it->second));
                continue;
            }
            addresses.push_back(k);
        }
        if (addresses_column) {
            for (std::string_view item :
                 split_list(cell(*addresses_column), layout.addresses_separator)) {
                auto address = parse_address(item);
                if (!address) {
                    limited.add(kBadAddress, row.line,
                                fmt::format("'{}' in {} is not an IP address; it is skipped", item,
                                            layout.addresses_column));
                    continue;
                }
                const AddressKey k = address_key(*address);
                auto [it, fresh] = address_lines.try_emplace(k, row.line);
                if (!fresh) {
                    if (it->second != row.line) {
                        limited.add(kDuplicateAddress, row.line,
                                    fmt::format("address {} is already the device's of line {}; "
                                                "it stays there",
                                                item, it->second));
                    }
                    continue;
                }
                addresses.push_back(k);
            }
        }
        for (const AddressKey& k : addresses)
            addresses_of_rows.emplace_back(k, index);

        InventoryTable::Row out_row;
        out_row.line = row.line;
        if (name_column) out_row.name = std::string(cell(*name_column));
        out_row.fields.reserve(selected.size());
        for (const auto& s : selected) {
            const std::string_view value = cell(s.index);
            if (!value.empty()) out_row.fields.push_back({s.name, std::string(value)});
        }
        table->rows_.push_back(std::move(out_row));
    }
    table->by_name_.build({name_rows.begin(), name_rows.end()});
    table->by_address_.build(addresses_of_rows);
    limited.summarize(kShort, last_line, "short rows");
    limited.summarize(kDuplicateKey, last_line, "duplicate keys");
    limited.summarize(kDuplicateAddress, last_line, "repeated addresses");
    limited.summarize(kBadAddress, last_line, "bad addresses");
    limited.summarize(kEmptyKey, last_line, "rows without a key");
    std::stable_sort(out.findings.begin(), out.findings.end(),
                     [](const CsvFinding& a, const CsvFinding& b) { return a.line < b.line; });
    out.table = std::move(table);
    return out;
}

InventoryBuild load_inventory(const std::string& path, const InventoryLayout& layout) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        InventoryBuild out;
        out.error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return build_inventory(parse_csv(text.str()), layout);
}

std::string format_finding(std::string_view file, const CsvFinding& finding) {
    return fmt::format("{}:{}: {}", file, finding.line, finding.message);
}

}  // namespace netfeed::inventory
