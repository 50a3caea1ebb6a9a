// SNMP varbind values as the SNMP poller and the trap receiver both need them: decoded from
// net-snmp's variable lists into a plain struct (no net-snmp types leak into callers), and
// turned into record values with one rule for text versus binary octet strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/record.hpp"

struct variable_list;  // net-snmp's netsnmp_variable_list

namespace netfeed::snmp {

/// An object identifier as numbers (1.3.6.1.2.1.1.3.0 is {1,3,6,1,2,1,1,3,0}).
using Oid = std::vector<std::uint32_t>;

/// "1.3.6.1.2.1.1.3.0"; empty for an empty OID.
std::string oid_to_string(const Oid& oid);
/// Parses dotted numbers, with or without a leading dot; false on anything else.
bool parse_oid(std::string_view text, Oid& out);
/// True when `oid` starts with `prefix` (and is at least as long).
bool oid_has_prefix(const Oid& oid, const Oid& prefix) noexcept;

enum class SnmpType : std::uint8_t {
    integer,           // INTEGER / Integer32 (enums too)
    unsigned32,        // Gauge32 / Unsigned32
    counter32,
    counter64,
    timeticks,         // hundredths of a second
    octets,            // OCTET STRING (text or binary)
    object_id,
    ip_address,
    opaque,
    null,
    no_such_object,    // v2c exceptions: the agent has no such object / instance
    no_such_instance,
    end_of_mib_view,
    other
};

std::string_view to_string(SnmpType type) noexcept;

struct SnmpValue {
    SnmpType type = SnmpType::null;
    std::int64_t integer = 0;    // integer
    std::uint64_t unsigned_ = 0; // unsigned32, counter32, counter64, timeticks
    std::string bytes;           // octets, opaque, ip_address (4 raw bytes)
    Oid oid;                     // object_id

    bool is_exception() const noexcept {
        return type == SnmpType::no_such_object || type == SnmpType::no_such_instance ||
               type == SnmpType::end_of_mib_view;
    }
    bool is_counter() const noexcept {
        return type == SnmpType::counter32 || type == SnmpType::counter64;
    }
};

struct VarBind {
    Oid oid;
    SnmpValue value;
};

/// Copies one net-snmp variable (its OID and value); never throws on any type or length.
VarBind read_varbind(const variable_list& variable);
/// Every variable of a PDU's list.
std::vector<VarBind> read_varbinds(const variable_list* first);

/// An octet string as a record value: the text when it is valid UTF-8 with no control
/// characters other than tab, CR and LF (sysDescr holds CR LF), else lowercase hex bytes
/// separated by colons ("00:1b:21:3a:4f:5e", how MAC addresses and chassis ids are read).
std::string octets_to_text(std::string_view bytes);
/// Always hex with colons, for values that are binary by definition (MAC addresses).
std::string octets_to_hex(std::string_view bytes);

/// The record value of a varbind: numbers as numbers, IP addresses as addresses, OIDs as dotted
/// text, octet strings through octets_to_text, null for null and the v2c exceptions.
Value to_record_value(const SnmpValue& value);

}  // namespace netfeed::snmp
