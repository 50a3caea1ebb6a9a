// USM users of the trap receiver; see usm_users.hpp.
#include "collectors/snmp_trap/usm_users.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
// After net-snmp-includes.h, which it needs first.
#include <net-snmp/library/lcd_time.h>

#include <algorithm>
#include <mutex>

#include "collectors/common/snmp_init.hpp"

namespace netfeed::snmp_trap {

namespace {

struct ProtocolOid {
    const oid* oid_;
    std::size_t length;
};

ProtocolOid auth_protocol(SnmpAuthProtocol p) {
    switch (p) {
        case SnmpAuthProtocol::md5:
            return {usmHMACMD5AuthProtocol, OID_LENGTH(usmHMACMD5AuthProtocol)};
        case SnmpAuthProtocol::sha:
            return {usmHMACSHA1AuthProtocol, OID_LENGTH(usmHMACSHA1AuthProtocol)};
        case SnmpAuthProtocol::sha224:
            return {usmHMAC128SHA224AuthProtocol, OID_LENGTH(usmHMAC128SHA224AuthProtocol)};
        case SnmpAuthProtocol::sha256:
            return {usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol)};
        case SnmpAuthProtocol::sha384:
            return {usmHMAC256SHA384AuthProtocol, OID_LENGTH(usmHMAC256SHA384AuthProtocol)};
        case SnmpAuthProtocol::sha512:
            return {usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol)};
        case SnmpAuthProtocol::none:
            break;
    }
    return {usmNoAuthProtocol, OID_LENGTH(usmNoAuthProtocol)};
}

ProtocolOid priv_protocol(SnmpPrivProtocol p) {
    switch (p) {
        case SnmpPrivProtocol::des:
            return {usmDESPrivProtocol, OID_LENGTH(usmDESPrivProtocol)};
        case SnmpPrivProtocol::aes:
            return {usmAESPrivProtocol, OID_LENGTH(usmAESPrivProtocol)};
        case SnmpPrivProtocol::aes192:
            return {usmAES192PrivProtocol, OID_LENGTH(usmAES192PrivProtocol)};
        case SnmpPrivProtocol::aes256:
            return {usmAES256PrivProtocol, OID_LENGTH(usmAES256PrivProtocol)};
        case SnmpPrivProtocol::none:
            break;
    }
    return {usmNoPrivProtocol, OID_LENGTH(usmNoPrivProtocol)};
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool parse_engine_id(const std::string& text, EngineId& out) {
    std::string_view t = text;
    if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
    if (t.size() % 2 != 0 || t.size() < 10 || t.size() > 64) return false;
    out.clear();
    for (std::size_t i = 0; i < t.size(); i += 2) {
        const int hi = hex_digit(t[i]), lo = hex_digit(t[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return true;
}

std::string engine_id_hex(const EngineId& id) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : id) {
        s.push_back(digits[b >> 4]);
        s.push_back(digits[b & 15]);
    }
    return s;
}

void UsmUsers::set_local_engine_id(const EngineId& id) {
    if (id.empty()) return;
    snmp::ensure_snmp_library();
    std::lock_guard lock(snmp::snmp_library_mutex());
    if (local_engine_id() == id) return;
    set_exact_engineID(id.data(), id.size());
    // USM accepts messages for an engine it has a time record of: give the new ID ours.
    set_enginetime(id.data(), static_cast<u_int>(id.size()), snmpv3_local_snmpEngineBoots(),
                   snmpv3_local_snmpEngineTime(), TRUE);
}

EngineId UsmUsers::local_engine_id() {
    snmp::ensure_snmp_library();
    u_char buf[MAX_ENGINEID_LENGTH];
    const std::size_t n = snmpv3_get_engineID(buf, sizeof buf);
    return EngineId(buf, buf + n);
}

bool UsmUsers::add(const Credentials& creds, const std::vector<EngineId>& engine_ids,
                   std::string& error) {
    snmp::ensure_snmp_library();
    std::lock_guard lock(snmp::snmp_library_mutex());
    for (const EngineId& engine : engine_ids) {
        netsnmp_session s;
        snmp_sess_init(&s);
        s.version = SNMP_VERSION_3;
        s.securityModel = SNMP_SEC_MODEL_USM;
        std::string name = creds.username;
        EngineId id = engine;
        s.securityName = name.data();
        s.securityNameLen = name.size();
        s.securityEngineID = id.data();
        s.securityEngineIDLen = id.size();
        s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        oid* auth = nullptr;
        oid* priv = nullptr;
        bool ok = true;
        if (creds.auth_protocol != SnmpAuthProtocol::none) {
            const auto a = auth_protocol(creds.auth_protocol);
            auth = snmp_duplicate_objid(a.oid_, a.length);
            s.securityAuthProto = auth;
            s.securityAuthProtoLen = a.length;
            s.securityAuthKeyLen = USM_AUTH_KU_LEN;
            const std::string& pass = creds.auth_passphrase.reveal();
            ok = generate_Ku(auth, static_cast<u_int>(a.length),
                             reinterpret_cast<const u_char*>(pass.data()), pass.size(),
                             s.securityAuthKey, &s.securityAuthKeyLen) == SNMPERR_SUCCESS;
            s.securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
            if (ok && creds.priv_protocol != SnmpPrivProtocol::none) {
                const auto p = priv_protocol(creds.priv_protocol);
                priv = snmp_duplicate_objid(p.oid_, p.length);
                s.securityPrivProto = priv;
                s.securityPrivProtoLen = p.length;
                s.securityPrivKeyLen = USM_PRIV_KU_LEN;
                const std::string& ppass = creds.priv_passphrase.reveal();
                // The privacy key is derived with the authentication hash (RFC 3414 2.6).
                ok = generate_Ku(auth, static_cast<u_int>(a.length),
                                 reinterpret_cast<const u_char*>(ppass.data()), ppass.size(),
                                 s.securityPrivKey, &s.securityPrivKeyLen) == SNMPERR_SUCCESS;
                s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
            }
        }
        // net-snmp wants both protocols named, the "no" ones included.
        if (auth == nullptr) {
            auth = snmp_duplicate_objid(usmNoAuthProtocol, OID_LENGTH(usmNoAuthProtocol));
            s.securityAuthProto = auth;
            s.securityAuthProtoLen = OID_LENGTH(usmNoAuthProtocol);
        }
        if (priv == nullptr) {
            priv = snmp_duplicate_objid(usmNoPrivProtocol, OID_LENGTH(usmNoPrivProtocol));
            s.securityPrivProto = priv;
            s.securityPrivProtoLen = OID_LENGTH(usmNoPrivProtocol);
        }
        if (!ok) {
            error = "cannot derive the keys of user '" + creds.username +
                    "' (passphrases must be at least 8 characters)";
        } else if (usm_get_user(id.data(), id.size(), name.data()) != nullptr) {
            // Another collector registered the same user for this engine: keep one entry.
        } else if (usm_create_user_from_session(&s) != SNMPERR_SUCCESS ||
                   usm_get_user(id.data(), id.size(), name.data()) == nullptr) {
            error = "net-snmp refused SNMPv3 user '" + creds.username + "'";
            ok = false;
        } else {
            users_.push_back({engine, creds.username});
        }
        std::fill(std::begin(s.securityAuthKey), std::end(s.securityAuthKey), 0);
        std::fill(std::begin(s.securityPrivKey), std::end(s.securityPrivKey), 0);
        SNMP_FREE(auth);
        SNMP_FREE(priv);
        if (!ok) return false;
    }
    return true;
}

UsmUsers::~UsmUsers() {
    if (users_.empty()) return;
    std::lock_guard lock(snmp::snmp_library_mutex());
    for (Registered& u : users_) {
        struct usmUser* user = usm_get_user(u.engine_id.data(), u.engine_id.size(), u.name.data());
        if (user == nullptr) continue;
        usm_remove_user(user);
        usm_free_user(user);
    }
}

}  // namespace netfeed::snmp_trap
