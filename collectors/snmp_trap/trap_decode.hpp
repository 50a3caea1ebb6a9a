// Decodes one SNMP trap or inform datagram (v1, v2c) with net-snmp's BER parser and nothing of
// its transport or session machinery: bytes in, a trap (and, for an inform, the encoded
// acknowledgement to send back) or a reason out. No sockets, no state between calls.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/snmp_value.hpp"

namespace netfeed::snmp_trap {

/// Why a datagram gave no trap. Each is a drop reason (collectors/snmp_trap/README.md).
enum class TrapError : std::uint8_t {
    none,
    not_snmp,          // not a BER SEQUENCE starting with a version INTEGER
    truncated,         // a BER length runs past the end of the datagram
    unknown_version,   // a version other than 0 (v1), 1 (v2c), 3 (v3)
    v3_not_supported,  // an SNMPv3 message, and no v3 users are configured
    malformed,         // net-snmp's parser refused the message
    not_a_trap,        // a valid message that is not Trap-PDU, SNMPv2-Trap-PDU or InformRequest
    bad_community,     // a community outside the configured list
    // SNMPv3 (USM, RFC 3414): each a usmStats counter; informs and probes get a Report.
    v3_discovery,                   // an engine-ID discovery probe (answered: not a failure)
    v3_unknown_engine_id,           // a reportable message for another engine
    v3_unknown_user,                // a user name not configured (for that engine ID)
    v3_wrong_digest,                // a wrong authentication passphrase (or protocol)
    v3_decryption_error,            // a wrong privacy passphrase (or protocol)
    v3_not_in_time_window,          // outside the 150 s window (or a replay)
    v3_unsupported_security_level,  // e.g. authPriv for a user with no privacy key
    v3_security_error,              // any other USM failure
    kCount
};
std::string_view to_string(TrapError error) noexcept;

enum class SnmpVersion : std::uint8_t { v1, v2c, v3 };
/// "1", "2c", "3" (as the net-snmp tools' -v spells them).
std::string_view to_string(SnmpVersion version) noexcept;

struct Trap {
    SnmpVersion version = SnmpVersion::v2c;
    bool inform = false;
    /// v2c/v3 request-id (v1 traps have none).
    std::optional<std::int64_t> request_id;
    /// snmpTrapOID.0, or for v1 its RFC 3584 translation; empty when the trap carries none.
    snmp::Oid trap_oid;
    /// sysUpTime.0 (v2c) or the v1 time-stamp, in hundredths of a second.
    std::optional<std::uint64_t> uptime;
    // v1 only
    snmp::Oid enterprise;
    std::optional<std::array<std::uint8_t, 4>> agent_address;
    std::int64_t generic_trap = 0;
    std::int64_t specific_trap = 0;
    // v3 only: the USM user, the authoritative engine ID (the sender's for a trap, ours for
    // an inform), the security level (noAuthNoPriv, authNoPriv, authPriv) and the context.
    std::string user;
    std::vector<std::uint8_t> engine_id;
    std::string security_level;
    std::string context_name;
    /// Every varbind as sent (for v2c, sysUpTime.0 and snmpTrapOID.0 first).
    std::vector<snmp::VarBind> varbinds;
};

struct DecodeSettings {
    /// Communities accepted; empty accepts any.
    std::vector<std::string> communities;
    /// SNMPv3 users are registered (usm_users.hpp): v3 messages are decoded by net-snmp's
    /// USM code instead of being dropped as v3_not_supported.
    bool v3 = false;
};

struct DecodeResult {
    TrapError error = TrapError::none;
    Trap trap;  // meaningful when error == none
    /// For an inform: the Response-PDU (same version, community, request-id and varbinds) to
    /// send back to its source; empty otherwise or when it could not be encoded. For a v3
    /// message that failed USM checks and asked for one (a discovery probe, an inform): the
    /// Report to send back at once, with `error` saying why.
    std::vector<std::uint8_t> response;
    /// An inform whose response could not be encoded (the trap itself is still good).
    bool response_failed = false;
};

/// Decodes one datagram. Never throws and never crashes on any input.
DecodeResult decode_trap(std::span<const std::uint8_t> datagram, const DecodeSettings& settings);

/// The v2 snmpTrapOID of a v1 trap (RFC 3584 section 3.1): generic 0-5 are
/// 1.3.6.1.6.3.1.1.5.{1..6}; enterprise-specific (6) is enterprise.0.specific. Empty for a
/// generic trap number outside 0-6.
snmp::Oid v1_trap_oid(const snmp::Oid& enterprise, std::int64_t generic, std::int64_t specific);

}  // namespace netfeed::snmp_trap
