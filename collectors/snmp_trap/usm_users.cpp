// USM users of the trap receiver; see usm_users.hpp.
#include "collectors/snmp_trap/usm_users.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
// After net-snmp-includes.h, which it needs first.
#include <net-snmp/library/lcd_time.h>

#include <algorithm>
#include <mutex>

#include "collectors/common/snmp_init.hpp"
#include "collectors/common/snmp_usm.hpp"

namespace netfeed::snmp_trap {

namespace {

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
        bool ok = snmp::set_usm_keys(s, creds, true);
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
        snmp::clear_usm_keys(s);
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
