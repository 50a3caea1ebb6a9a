// SNMP varbind values; see snmp_value.hpp.
#include "collectors/common/snmp_value.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <charconv>

namespace netfeed::snmp {

std::string oid_to_string(const Oid& oid) {
    std::string out;
    out.reserve(oid.size() * 4);
    for (std::size_t i = 0; i < oid.size(); ++i) {
        if (i > 0) out.push_back('.');
        out += std::to_string(oid[i]);
    }
    return out;
}

bool parse_oid(std::string_view text, Oid& out) {
    out.clear();
    if (!text.empty() && text.front() == '.') text.remove_prefix(1);
    if (text.empty()) return false;
    while (!text.empty()) {
        std::uint32_t n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end == text.data()) return false;
        out.push_back(n);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (text.empty()) break;
        if (text.front() != '.' || text.size() == 1) return false;
        text.remove_prefix(1);
    }
    return out.size() <= MAX_OID_LEN;
}

bool oid_has_prefix(const Oid& oid, const Oid& prefix) noexcept {
    if (oid.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (oid[i] != prefix[i]) return false;
    }
    return true;
}

std::string_view to_string(SnmpType type) noexcept {
    switch (type) {
        case SnmpType::integer: return "integer";
        case SnmpType::unsigned32: return "unsigned32";
        case SnmpType::counter32: return "counter32";
        case SnmpType::counter64: return "counter64";
        case SnmpType::timeticks: return "timeticks";
        case SnmpType::octets: return "octets";
        case SnmpType::object_id: return "object_id";
        case SnmpType::ip_address: return "ip_address";
        case SnmpType::opaque: return "opaque";
        case SnmpType::null: return "null";
        case SnmpType::no_such_object: return "no_such_object";
        case SnmpType::no_such_instance: return "no_such_instance";
        case SnmpType::end_of_mib_view: return "end_of_mib_view";
        case SnmpType::other: return "other";
    }
    return "other";
}

VarBind read_varbind(const variable_list& v) {
    VarBind out;
    if (v.name != nullptr) out.oid.assign(v.name, v.name + v.name_length);
    SnmpValue& value = out.value;
    const auto bytes = [&] {
        if (v.val.string != nullptr) {
            value.bytes.assign(reinterpret_cast<const char*>(v.val.string), v.val_len);
        }
    };
    switch (v.type) {
        case ASN_INTEGER:
            value.type = SnmpType::integer;
            if (v.val.integer != nullptr) value.integer = *v.val.integer;
            break;
        case ASN_GAUGE:  // also ASN_UNSIGNED
        case ASN_UINTEGER:
            value.type = SnmpType::unsigned32;
            if (v.val.integer != nullptr) value.unsigned_ = static_cast<std::uint32_t>(*v.val.integer);
            break;
        case ASN_COUNTER:
            value.type = SnmpType::counter32;
            if (v.val.integer != nullptr) value.unsigned_ = static_cast<std::uint32_t>(*v.val.integer);
            break;
        case ASN_TIMETICKS:
            value.type = SnmpType::timeticks;
            if (v.val.integer != nullptr) value.unsigned_ = static_cast<std::uint32_t>(*v.val.integer);
            break;
        case ASN_COUNTER64:
            value.type = SnmpType::counter64;
            if (v.val.counter64 != nullptr) {
                value.unsigned_ = (static_cast<std::uint64_t>(v.val.counter64->high & 0xFFFFFFFFu) << 32) |
                                  (v.val.counter64->low & 0xFFFFFFFFu);
            }
            break;
        case ASN_OCTET_STR:
            value.type = SnmpType::octets;
            bytes();
            break;
        case ASN_OPAQUE:
            value.type = SnmpType::opaque;
            bytes();
            break;
        case ASN_IPADDRESS:
            value.type = SnmpType::ip_address;
            bytes();
            break;
        case ASN_OBJECT_ID:
            value.type = SnmpType::object_id;
            if (v.val.objid != nullptr) {
                value.oid.assign(v.val.objid, v.val.objid + v.val_len / sizeof(oid));
            }
            break;
        case ASN_NULL: value.type = SnmpType::null; break;
        case SNMP_NOSUCHOBJECT: value.type = SnmpType::no_such_object; break;
        case SNMP_NOSUCHINSTANCE: value.type = SnmpType::no_such_instance; break;
        case SNMP_ENDOFMIBVIEW: value.type = SnmpType::end_of_mib_view; break;
        default:
            value.type = SnmpType::other;
            bytes();
            break;
    }
    return out;
}

std::vector<VarBind> read_varbinds(const variable_list* first) {
    std::vector<VarBind> out;
    for (const variable_list* v = first; v != nullptr; v = v->next_variable) {
        out.push_back(read_varbind(*v));
    }
    return out;
}

namespace {

// Valid UTF-8 with no control characters but tab, CR and LF (and a trailing NUL or two, which
// some agents append to C strings).
bool is_text(std::string_view s) {
    while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return false;
            ++i;
            continue;
        }
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not text.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

}  // namespace

std::string octets_to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 3);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i > 0) out.push_back(':');
        const auto c = static_cast<unsigned char>(bytes[i]);
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

std::string octets_to_text(std::string_view bytes) {
    if (is_text(bytes)) {
        while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
        return std::string(bytes);
    }
    return octets_to_hex(bytes);
}

Value to_record_value(const SnmpValue& v) {
    switch (v.type) {
        case SnmpType::integer: return v.integer;
        case SnmpType::unsigned32:
        case SnmpType::counter32:
        case SnmpType::counter64:
        case SnmpType::timeticks: return v.unsigned_;
        case SnmpType::octets: return octets_to_text(v.bytes);
        case SnmpType::opaque:
        case SnmpType::other: return octets_to_hex(v.bytes);
        case SnmpType::object_id: return oid_to_string(v.oid);
        case SnmpType::ip_address:
            if (v.bytes.size() == 4) {
                boost::asio::ip::address_v4::bytes_type b;
                for (int i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(v.bytes[i]);
                return IpAddress(boost::asio::ip::address_v4(b));
            }
            return octets_to_hex(v.bytes);
        case SnmpType::null:
        case SnmpType::no_such_object:
        case SnmpType::no_such_instance:
        case SnmpType::end_of_mib_view: return std::monostate{};
    }
    return std::monostate{};
}

}  // namespace netfeed::snmp
