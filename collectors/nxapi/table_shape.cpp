// TABLE/ROW normalisation, row explosion and number conversion; see table_shape.hpp.
#include "collectors/nxapi/table_shape.hpp"

#include <cctype>
#include <charconv>

namespace netfeed::nxapi {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Rows of several TABLE_x objects gathered into one; false when an element is not a table.
bool merge_tables(const Json& tables, Json& merged) {
    merged = Json::object();
    for (const auto& table : tables) {
        if (!table.is_object()) return false;
        for (const auto& [key, value] : table.items()) {
            if (!starts_with(key, "ROW_")) {
                if (!merged.contains(key)) merged[key] = value;
                continue;
            }
            Json& rows = merged[key];
            if (!rows.is_array()) rows = Json::array();
            if (value.is_array()) {
                for (const auto& row : value)
                    rows.push_back(row);
            } else {
                rows.push_back(value);
            }
        }
    }
    return true;
}

std::optional<Json> plain_number(const std::string& s) {
    std::size_t i = 0;
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) i = 1;
    const std::size_t int_start = i;
    while (i < s.size() && is_digit(s[i]))
        ++i;
    const std::size_t int_digits = i - int_start;
    if (int_digits == 0) return std::nullopt;
    if (int_digits > 1 && s[int_start] == '0') return std::nullopt;  // "007": an identifier
    bool fraction = false;
    if (i < s.size() && s[i] == '.') {
        const std::size_t frac_start = ++i;
        while (i < s.size() && is_digit(s[i]))
            ++i;
        if (i == frac_start) return std::nullopt;
        fraction = true;
    }
    if (i != s.size()) return std::nullopt;
    const char* first = s.data();
    const char* last = s.data() + s.size();
    if (fraction) {
        double d = 0;
        const auto [end, ec] = std::from_chars(first, last, d);
        if (ec != std::errc() || end != last) return std::nullopt;
        return Json(d);
    }
    if (negative) {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(first, last, v);
        if (ec != std::errc() || end != last) return std::nullopt;
        return Json(v);
    }
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || end != last) return std::nullopt;
    return Json(v);
}

const Json* find_table(const Json& body, std::string_view name) {
    if (body.is_object()) {
        for (const auto& [key, value] : body.items()) {
            const bool match = name.empty() ? starts_with(key, "TABLE_") : key == name;
            if (match && value.is_object()) return &value;
        }
        for (const auto& [key, value] : body.items()) {
            if (const Json* t = find_table(value, name)) return t;
        }
    } else if (body.is_array()) {
        for (const auto& value : body) {
            if (const Json* t = find_table(value, name)) return t;
        }
    }
    return nullptr;
}

std::string key_text(const Json& value) {
    std::string text = value.is_string()
                           ? value.get<std::string>()
                           : value.dump(-1, ' ', false, Json::error_handler_t::replace);
    // NX-OS quotes some names inside the string ("\"Chassis\"" in show inventory).
    auto first = text.find_first_not_of(" \t\"");
    auto last = text.find_last_not_of(" \t\"");
    if (first == std::string::npos) return {};
    return text.substr(first, last - first + 1);
}

}  // namespace

void normalize_tables(Json& body) {
    if (body.is_array()) {
        for (auto& element : body)
            normalize_tables(element);
        return;
    }
    if (!body.is_object()) return;
    for (auto it = body.begin(); it != body.end(); ++it) {
        Json& value = it.value();
        if (starts_with(it.key(), "ROW_") && !value.is_array()) {
            Json rows = Json::array();
            rows.push_back(std::move(value));
            value = std::move(rows);
        } else if (starts_with(it.key(), "TABLE_") && value.is_array()) {
            Json merged;
            if (merge_tables(value, merged)) value = std::move(merged);
        }
        normalize_tables(value);
    }
}

void convert_numbers(Json& body) {
    if (body.is_string()) {
        if (auto number = plain_number(body.get_ref<const std::string&>()))
            body = std::move(*number);
        return;
    }
    if (body.is_array() || body.is_object()) {
        for (auto& element : body)
            convert_numbers(element);
    }
}

std::vector<Row> explode_rows(const Json& body, std::string_view table,
                              std::span<const std::string> key_fields) {
    std::vector<Row> out;
    std::string name;
    if (!table.empty())
        name = starts_with(table, "TABLE_") ? std::string(table) : "TABLE_" + std::string(table);
    const Json* found = find_table(body, name);
    if (found == nullptr) return out;
    const Json* rows = nullptr;
    for (const auto& [key, value] : found->items()) {
        if (starts_with(key, "ROW_")) {
            rows = &value;
            break;
        }
    }
    if (rows == nullptr) return out;
    const auto add = [&](const Json& row) {
        Row r;
        r.fields = row.is_object() ? row : Json{{"value", row}};
        bool complete = !key_fields.empty();
        for (const auto& field : key_fields) {
            const auto it = r.fields.find(field);
            if (it == r.fields.end() || it->is_null() || it->is_structured()) {
                complete = false;
                break;
            }
            r.key += (r.key.empty() ? "" : "|") + key_text(*it);
        }
        if (!complete) r.key = "#" + std::to_string(out.size());
        out.push_back(std::move(r));
    };
    if (rows->is_array()) {
        for (const auto& row : *rows)
            add(row);
    } else {
        add(*rows);
    }
    return out;
}

std::vector<std::string> default_row_key(std::string_view command) {
    std::string c = canonical_command(command);
    for (auto& ch : c)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (c == "show interface" || c == "show interface brief" || c == "show interface status" ||
        c == "show interface counters") {
        return {"interface"};
    }
    if (c == "show inventory") return {"name"};
    if (c == "show lldp neighbors" || c == "show lldp neighbors detail") {
        return {"chassis_id", "port_id"};
    }
    if (c == "show cdp neighbors" || c == "show cdp neighbors detail") {
        return {"device_id", "intf_id"};
    }
    if (c == "show module") return {"modinf"};
    if (c == "show vlan brief") return {"vlanshowbr-vlanid"};
    return {};
}

std::string default_topic(std::string_view command) {
    std::string out = "nxapi.";
    bool gap = false;
    for (char ch : canonical_command(command)) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if ((c >= 'a' && c <= 'z') || is_digit(c)) {
            if (gap && out.back() != '.') out += '_';
            gap = false;
            out += c;
        } else {
            gap = true;
        }
    }
    return out;
}

std::string canonical_command(std::string_view command) {
    std::string out;
    bool blank = false;
    for (char c : command) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            blank = !out.empty();
            continue;
        }
        if (blank) out += ' ';
        blank = false;
        out += c;
    }
    return out;
}

}  // namespace netfeed::nxapi
