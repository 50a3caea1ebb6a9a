// SNMPv3 USM session settings; see snmp_usm.hpp.
#include "collectors/common/snmp_usm.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <algorithm>

namespace netfeed::snmp {

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

bool derive_key(const snmp_session& s, const Secret& passphrase, u_char* key, size_t* length) {
    const std::string& text = passphrase.reveal();
    return generate_Ku(s.securityAuthProto, static_cast<u_int>(s.securityAuthProtoLen),
                       reinterpret_cast<const u_char*>(text.data()), text.size(), key,
                       length) == SNMPERR_SUCCESS;
}

}  // namespace

bool set_usm_keys(snmp_session& s, const Credentials& creds, bool name_unused_protocols) {
    s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
    const bool auth = creds.auth_protocol != SnmpAuthProtocol::none;
    const bool priv = auth && creds.priv_protocol != SnmpPrivProtocol::none;
    if (auth || name_unused_protocols) {
        const ProtocolOid a = auth_protocol(auth ? creds.auth_protocol : SnmpAuthProtocol::none);
        s.securityAuthProto = snmp_duplicate_objid(a.oid_, a.length);
        s.securityAuthProtoLen = a.length;
    }
    if (priv || name_unused_protocols) {
        const ProtocolOid p = priv_protocol(priv ? creds.priv_protocol : SnmpPrivProtocol::none);
        s.securityPrivProto = snmp_duplicate_objid(p.oid_, p.length);
        s.securityPrivProtoLen = p.length;
    }
    if (!auth) return true;
    s.securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (!derive_key(s, creds.auth_passphrase, s.securityAuthKey, &s.securityAuthKeyLen))
        return false;
    s.securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
    if (!priv) return true;
    s.securityPrivKeyLen = USM_PRIV_KU_LEN;
    if (!derive_key(s, creds.priv_passphrase, s.securityPrivKey, &s.securityPrivKeyLen))
        return false;
    s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
    return true;
}

void clear_usm_keys(snmp_session& s) {
    SNMP_FREE(s.securityAuthProto);
    SNMP_FREE(s.securityPrivProto);
    std::fill(std::begin(s.securityAuthKey), std::end(s.securityAuthKey), 0);
    std::fill(std::begin(s.securityPrivKey), std::end(s.securityPrivKey), 0);
}

}  // namespace netfeed::snmp
