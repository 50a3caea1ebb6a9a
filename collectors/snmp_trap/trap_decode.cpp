// SNMP trap and inform decoding; see trap_decode.hpp.
#include "collectors/snmp_trap/trap_decode.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "collectors/common/snmp_init.hpp"

namespace netfeed::snmp_trap {

namespace {

struct PduFree {
    void operator()(netsnmp_pdu* pdu) const noexcept { snmp_free_pdu(pdu); }
};
using PduPtr = std::unique_ptr<netsnmp_pdu, PduFree>;

const snmp::Oid kSysUpTime0 = {1, 3, 6, 1, 2, 1, 1, 3, 0};
const snmp::Oid kSnmpTrapOid0 = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

struct Envelope {
    TrapError error = TrapError::none;
    std::size_t length = 0;  // of the outer SEQUENCE, header included
    long version = -1;
};

// Reads just enough BER (the outer SEQUENCE and the version INTEGER) to tell garbage, a cut
// datagram and an unknown version apart before net-snmp sees the bytes, and to keep
// SNMPv3 away from a parser path that needs configured users.
Envelope read_envelope(std::span<const std::uint8_t> d) {
    Envelope out;
    if (d.size() < 2 || d[0] != 0x30) {
        out.error = TrapError::not_snmp;
        return out;
    }
    std::size_t header = 2;
    std::size_t content = d[1];
    if ((d[1] & 0x80) != 0) {
        const std::size_t n = d[1] & 0x7Fu;
        if (n == 0 || n > 3) {  // indefinite form (not allowed in SNMP) or > 16 MiB
            out.error = TrapError::not_snmp;
            return out;
        }
        if (d.size() < 2 + n) {
            out.error = TrapError::truncated;
            return out;
        }
        content = 0;
        for (std::size_t i = 0; i < n; ++i)
            content = (content << 8) | d[2 + i];
        header = 2 + n;
    }
    if (d.size() - header < content) {
        out.error = TrapError::truncated;
        return out;
    }
    out.length = header + content;
    if (content < 3 || d[header] != 0x02) {
        out.error = TrapError::not_snmp;
        return out;
    }
    const std::size_t int_length = d[header + 1];
    if (int_length == 0 || int_length > 4 || int_length + 2 > content) {
        out.error = TrapError::unknown_version;
        return out;
    }
    long version = 0;
    for (std::size_t i = 0; i < int_length; ++i)
        version = (version << 8) | d[header + 2 + i];
    out.version = version;
    if (version != SNMP_VERSION_1 && version != SNMP_VERSION_2c && version != SNMP_VERSION_3) {
        out.error = TrapError::unknown_version;
    }
    return out;
}

// One TLV of d[pos, end): its tag and content range; false if it does not fit in `end`.
bool next_tlv(std::span<const std::uint8_t> d, std::size_t& pos, std::size_t end, std::uint8_t& tag,
              std::size_t& start, std::size_t& length) {
    if (pos + 2 > end) return false;
    tag = d[pos];
    std::size_t n = d[pos + 1];
    std::size_t header = 2;
    if (n & 0x80) {
        const std::size_t bytes = n & 0x7f;
        if (bytes == 0 || bytes > 3 || pos + 2 + bytes > end) return false;
        n = 0;
        for (std::size_t i = 0; i < bytes; ++i)
            n = (n << 8) | d[pos + 2 + i];
        header += bytes;
    }
    if (n > end - pos - header) return false;
    start = pos + header;
    length = n;
    pos = start + n;
    return true;
}

// net-snmp 5.9's USM parser trusts the inner lengths of the security parameters and reads
// past the end of the message when they claim more than the message holds (found by the
// fuzz target under ASan). So before net-snmp sees a v3 message, every TLV of its header and
// of the USM parameters must lie inside the one that contains it.
bool v3_lengths_nest(std::span<const std::uint8_t> d, std::size_t message_length) {
    std::size_t pos = 0, start = 0, length = 0;
    std::uint8_t tag = 0;
    if (!next_tlv(d, pos, message_length, tag, start, length) || tag != 0x30) return false;
    const std::size_t end = start + length;
    pos = start;
    if (!next_tlv(d, pos, end, tag, start, length) || tag != 0x02) return false;  // version
    if (!next_tlv(d, pos, end, tag, start, length) || tag != 0x30) return false;  // header
    std::size_t h = start;
    const std::size_t header_end = start + length;
    for (int i = 0; i < 4; ++i) {  // msgID, msgMaxSize, msgFlags, msgSecurityModel
        std::size_t a = 0, b = 0;
        if (!next_tlv(d, h, header_end, tag, a, b)) return false;
    }
    if (!next_tlv(d, pos, end, tag, start, length) || tag != 0x04) return false;  // secParams
    std::size_t u = start;
    const std::size_t params_end = start + length;
    if (length > 0) {
        std::size_t a = 0, b = 0;
        if (!next_tlv(d, u, params_end, tag, a, b)) return false;  // UsmSecurityParameters
        std::size_t v = a;
        for (int i = 0; i < 6; ++i) {  // engine ID, boots, time, user, auth, priv
            std::size_t c = 0, e = 0;
            if (!next_tlv(d, v, a + b, tag, c, e)) return false;
        }
    }
    std::size_t a = 0, b = 0;
    return next_tlv(d, pos, end, tag, a, b);  // the (maybe encrypted) scoped PDU
}

bool community_allowed(const netsnmp_pdu& pdu, const std::vector<std::string>& communities) {
    if (communities.empty()) return true;
    const std::string_view given(
        pdu.community != nullptr ? reinterpret_cast<const char*>(pdu.community) : "",
        pdu.community != nullptr ? pdu.community_len : 0);
    return std::any_of(communities.begin(), communities.end(),
                       [&](const std::string& c) { return c == given; });
}

// The acknowledgement of an inform: a Response-PDU echoing its request-id and varbinds
// (RFC 3416 section 4.2.7), encoded with net-snmp's own builder.
std::vector<std::uint8_t> encode_response(const netsnmp_pdu& inform) {
    PduPtr response(snmp_clone_pdu(const_cast<netsnmp_pdu*>(&inform)));
    if (!response) return {};
    response->command = SNMP_MSG_RESPONSE;
    response->errstat = SNMP_ERR_NOERROR;
    response->errindex = 0;
    netsnmp_session session;
    snmp_sess_init(&session);
    session.version = inform.version;
    // snmp_build may grow the buffer with realloc, so it must come from malloc.
    std::size_t size = 2048;
    auto* buffer = static_cast<u_char*>(std::malloc(size));
    if (buffer == nullptr) return {};
    std::size_t used = 0;
    std::vector<std::uint8_t> out;
    if (snmp_build(&buffer, &size, &used, &session, response.get()) == 0 && used <= size) {
        // Reverse encoding (the default) writes the message at the end of the buffer.
        const bool reverse =
            netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_REVERSE_ENCODE) != 0;
        const u_char* start = reverse ? buffer + size - used : buffer;
        out.assign(start, start + used);
    }
    std::free(buffer);
    return out;
}

// The encoded form of `pdu` by net-snmp's builder (for v3 with USM: authenticated and
// encrypted with the keys the message it answers was checked with).
std::vector<std::uint8_t> build(netsnmp_pdu& pdu, long version) {
    netsnmp_session session;
    snmp_sess_init(&session);
    session.version = version;
    // snmp_build may grow the buffer with realloc, so it must come from malloc.
    std::size_t size = 2048;
    auto* buffer = static_cast<u_char*>(std::malloc(size));
    if (buffer == nullptr) return {};
    std::size_t used = 0;
    std::vector<std::uint8_t> out;
    if (snmp_build(&buffer, &size, &used, &session, &pdu) == 0 && used <= size) {
        // Reverse encoding (the default) writes the message at the end of the buffer.
        const bool reverse =
            netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_REVERSE_ENCODE) != 0;
        const u_char* start = reverse ? buffer + size - used : buffer;
        out.assign(start, start + used);
    }
    std::free(buffer);
    return out;
}

TrapError usm_error(int code, const netsnmp_pdu& pdu) {
    switch (code) {
        case SNMPERR_USM_UNKNOWNENGINEID:
            return pdu.securityEngineIDLen == 0 ? TrapError::v3_discovery
                                                : TrapError::v3_unknown_engine_id;
        case SNMPERR_USM_UNKNOWNSECURITYNAME:
            return TrapError::v3_unknown_user;
        case SNMPERR_USM_AUTHENTICATIONFAILURE:
            return TrapError::v3_wrong_digest;
        case SNMPERR_USM_DECRYPTIONERROR:
            return TrapError::v3_decryption_error;
        case SNMPERR_USM_NOTINTIMEWINDOW:
            return TrapError::v3_not_in_time_window;
        case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
            return TrapError::v3_unsupported_security_level;
        case SNMPERR_USM_GENERICERROR:
        case SNMPERR_USM_ENCRYPTIONERROR:
        case SNMPERR_USM_PARSEERROR:
            return TrapError::v3_security_error;
        default:
            // AES and DES cannot tell a wrong key: what comes out is garbage that does not
            // parse. After an authenticated, encrypted header that is a decryption failure.
            return pdu.securityLevel == SNMP_SEC_LEVEL_AUTHPRIV ? TrapError::v3_decryption_error
                                                                : TrapError::malformed;
    }
}

std::string_view security_level_name(int level) {
    switch (level) {
        case SNMP_SEC_LEVEL_AUTHNOPRIV:
            return "authNoPriv";
        case SNMP_SEC_LEVEL_AUTHPRIV:
            return "authPriv";
        default:
            return "noAuthNoPriv";
    }
}

}  // namespace

std::string_view to_string(TrapError error) noexcept {
    switch (error) {
        case TrapError::none:
            return "none";
        case TrapError::not_snmp:
            return "not_snmp";
        case TrapError::truncated:
            return "truncated";
        case TrapError::unknown_version:
            return "unknown_version";
        case TrapError::v3_not_supported:
            return "v3_not_supported";
        case TrapError::malformed:
            return "malformed";
        case TrapError::not_a_trap:
            return "not_a_trap";
        case TrapError::bad_community:
            return "bad_community";
        case TrapError::v3_discovery:
            return "v3_discovery";
        case TrapError::v3_unknown_engine_id:
            return "v3_unknown_engine_id";
        case TrapError::v3_unknown_user:
            return "v3_unknown_user";
        case TrapError::v3_wrong_digest:
            return "v3_wrong_digest";
        case TrapError::v3_decryption_error:
            return "v3_decryption_error";
        case TrapError::v3_not_in_time_window:
            return "v3_not_in_time_window";
        case TrapError::v3_unsupported_security_level:
            return "v3_unsupported_security_level";
        case TrapError::v3_security_error:
            return "v3_security_error";
        case TrapError::kCount:
            break;
    }
    return "unknown";
}

std::string_view to_string(SnmpVersion version) noexcept {
    switch (version) {
        case SnmpVersion::v1:
            return "1";
        case SnmpVersion::v2c:
            return "2c";
        case SnmpVersion::v3:
            return "3";
    }
    return "unknown";
}

snmp::Oid v1_trap_oid(const snmp::Oid& enterprise, std::int64_t generic, std::int64_t specific) {
    if (generic >= 0 && generic <= 5) {
        return {1, 3, 6, 1, 6, 3, 1, 1, 5, static_cast<std::uint32_t>(generic + 1)};
    }
    if (generic != 6) return {};
    snmp::Oid out = enterprise;
    out.push_back(0);
    out.push_back(static_cast<std::uint32_t>(specific));
    return out;
}

DecodeResult decode_trap(std::span<const std::uint8_t> datagram, const DecodeSettings& settings) {
    DecodeResult result;
    const Envelope envelope = read_envelope(datagram);
    if (envelope.error != TrapError::none) {
        result.error = envelope.error;
        return result;
    }
    if (envelope.version == SNMP_VERSION_3 && !settings.v3) {
        result.error = TrapError::v3_not_supported;
        return result;
    }
    if (envelope.version == SNMP_VERSION_3 && !v3_lengths_nest(datagram, envelope.length)) {
        result.error = TrapError::malformed;
        return result;
    }
    snmp::ensure_snmp_library();
    const std::lock_guard library_lock(snmp::snmp_library_mutex());

    // A private copy of exactly the message: net-snmp takes a mutable pointer, and bytes
    // after the outer SEQUENCE are not part of it.
    std::vector<u_char> bytes(datagram.begin(),
                              datagram.begin() + static_cast<std::ptrdiff_t>(envelope.length));
    netsnmp_session session;
    snmp_sess_init(&session);  // version "any": taken from the message
    // A notification receiver is authoritative for what asks for an answer (informs and
    // discovery probes carry the reportable flag: our engine ID), and not for traps (the
    // sender's engine ID), as RFC 3414 3.2 and snmptrapd have it.
    session.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
    PduPtr pdu(snmp_pdu_create(0));
    if (!pdu) {
        result.error = TrapError::malformed;
        return result;
    }
    // No session list: net-snmp then parses only, sending nothing (no reports, no replies).
    const int parsed = snmp_parse(nullptr, &session, pdu.get(), bytes.data(), bytes.size());
    if (parsed != 0) {
        if (envelope.version != SNMP_VERSION_3) {
            result.error = TrapError::malformed;
            return result;
        }
        const int code = session.s_snmp_errno != 0 ? session.s_snmp_errno : parsed;
        result.error = usm_error(code, *pdu);
        // RFC 3412 7.2: a failed message that wants an answer gets a Report naming the
        // usmStats counter, sent unauthenticated (it carries our engine ID, boots and time,
        // which is how a sender discovers them).
        const bool wants_answer = SNMP_CMD_CONFIRMED(pdu->command) ||
                                  (pdu->command == 0 && (pdu->flags & SNMP_MSG_FLAG_RPRT_BIT));
        if (result.error != TrapError::malformed && wants_answer &&
            snmpv3_make_report(pdu.get(), code) == SNMPERR_SUCCESS) {
            pdu->flags &= ~UCD_MSG_FLAG_EXPECT_RESPONSE;
            result.response = build(*pdu, SNMP_VERSION_3);
        }
        return result;
    }
    if (!community_allowed(*pdu, settings.communities)) {
        result.error = TrapError::bad_community;
        return result;
    }
    Trap& trap = result.trap;
    if (pdu->version == SNMP_VERSION_1 && pdu->command == SNMP_MSG_TRAP) {
        trap.version = SnmpVersion::v1;
        if (pdu->enterprise != nullptr) {
            trap.enterprise.assign(pdu->enterprise, pdu->enterprise + pdu->enterprise_length);
        }
        trap.agent_address = std::array<std::uint8_t, 4>{};
        std::memcpy(trap.agent_address->data(), pdu->agent_addr, 4);
        trap.generic_trap = pdu->trap_type;
        trap.specific_trap = pdu->specific_type;
        trap.uptime = static_cast<std::uint32_t>(pdu->time);
        trap.trap_oid = v1_trap_oid(trap.enterprise, trap.generic_trap, trap.specific_trap);
    } else if (pdu->version == SNMP_VERSION_2c &&
               (pdu->command == SNMP_MSG_TRAP2 || pdu->command == SNMP_MSG_INFORM)) {
        trap.version = SnmpVersion::v2c;
        trap.inform = pdu->command == SNMP_MSG_INFORM;
        trap.request_id = pdu->reqid;
    } else if (pdu->version == SNMP_VERSION_3 &&
               (pdu->command == SNMP_MSG_TRAP2 || pdu->command == SNMP_MSG_INFORM)) {
        trap.version = SnmpVersion::v3;
        trap.inform = pdu->command == SNMP_MSG_INFORM;
        trap.request_id = pdu->reqid;
        if (pdu->securityName != nullptr) trap.user.assign(pdu->securityName, pdu->securityNameLen);
        if (pdu->securityEngineID != nullptr) {
            trap.engine_id.assign(pdu->securityEngineID,
                                  pdu->securityEngineID + pdu->securityEngineIDLen);
        }
        trap.security_level = security_level_name(pdu->securityLevel);
        if (pdu->contextName != nullptr)
            trap.context_name.assign(pdu->contextName, pdu->contextNameLen);
    } else {
        result.error = TrapError::not_a_trap;
        return result;
    }
    trap.varbinds = snmp::read_varbinds(pdu->variables);
    if (trap.version != SnmpVersion::v1) {
        // RFC 3416 puts them first; take them wherever they are rather than lose the trap.
        for (const snmp::VarBind& vb : trap.varbinds) {
            if (vb.oid == kSysUpTime0 && vb.value.type == snmp::SnmpType::timeticks &&
                !trap.uptime) {
                trap.uptime = vb.value.unsigned_;
            } else if (vb.oid == kSnmpTrapOid0 && vb.value.type == snmp::SnmpType::object_id &&
                       trap.trap_oid.empty()) {
                trap.trap_oid = vb.value.oid;
            }
        }
    }
    if (trap.inform && trap.version == SnmpVersion::v3) {
        // Answered in place: the parsed PDU keeps the USM state (user, keys, msgID) that the
        // Response must be secured with.
        pdu->command = SNMP_MSG_RESPONSE;
        pdu->errstat = SNMP_ERR_NOERROR;
        pdu->errindex = 0;
        pdu->flags &= ~UCD_MSG_FLAG_EXPECT_RESPONSE;
        result.response = build(*pdu, SNMP_VERSION_3);
        result.response_failed = result.response.empty();
    } else if (trap.inform) {
        result.response = encode_response(*pdu);
        result.response_failed = result.response.empty();
    }
    return result;
}

}  // namespace netfeed::snmp_trap
