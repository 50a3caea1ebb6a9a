// The trap record's fields; see record_schema.hpp (RFC 3416, RFC 3584 for v1 translation).
#include "collectors/snmp_trap/record_schema.hpp"

namespace netfeed::snmp_trap {

namespace {

using T = FieldType;

constexpr SchemaField kTrap[] = {
    {"snmp_version", T::string, "1, 2c or 3"},
    {"inform", T::boolean, "true for an InformRequest (acknowledged once the record was accepted)"},
    {"trap_oid", T::string,
     "snmpTrapOID.0, numeric; v1: its RFC 3584 translation (generic 0-5 -> "
     "1.3.6.1.6.3.1.1.5.{1..6}, enterprise-specific -> <enterprise>.0.<specific>)",
     "", "when the trap carries one"},
    {"trap_name", T::string, "the built-in name of trap_oid (coldStart, linkDown, ...)", "",
     "when known"},
    {"uptime", T::integer, "the sender's sysUpTime.0 (v1: time-stamp)", "1/100 s", "when sent"},
    {"request_id", T::integer, "the PDU's request-id", "", "v2c and v3"},
    {"snmp_user", T::string, "the USM user", "", "v3 only"},
    {"snmp_engine_id", T::string,
     "the authoritative engine ID in hex (the sender's for a trap, the receiver's for an inform)",
     "", "v3 only"},
    {"snmp_security_level", T::string, "noAuthNoPriv, authNoPriv or authPriv", "", "v3 only"},
    {"snmp_context", T::string, "the context name", "", "v3, when not empty"},
    {"enterprise", T::string, "the Trap-PDU's enterprise OID", "", "v1 only"},
    {"agent_address", T::string, "the Trap-PDU's agent-addr", "", "v1 only"},
    {"generic_trap", T::integer, "the Trap-PDU's generic-trap (0-6)", "", "v1 only"},
    {"specific_trap", T::integer, "the Trap-PDU's specific-trap", "", "v1 only"},
    {"if_index", T::integer,
     "from an ifIndex varbind, else the instance of the ifTable/ifXTable varbinds", "",
     "when the trap names an interface"},
    {"if_descr", T::string, "from an ifDescr varbind", "", "when sent"},
    {"if_name", T::string, "from an ifName varbind", "", "when sent"},
    {"if_alias", T::string, "from an ifAlias varbind", "", "when sent"},
    {"if_admin_status", T::integer, "from ifAdminStatus: 1 up, 2 down, 3 testing", "", "when sent"},
    {"if_oper_status", T::integer,
     "from ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 "
     "lowerLayerDown",
     "", "when sent"},
    {"varbinds", T::array,
     "every varbind as sent: {\"oid\", \"name\" (when built in), \"type\", \"value\"}; octet "
     "strings are text when valid UTF-8, else hex bytes with colons; snmpTrapCommunity's value "
     "is null",
     "", "", false, T::object},
};

}  // namespace

KindDeclaration trap_declaration() noexcept {
    return {"collectors/snmp_trap",
            "one record per SNMP v1/v2c/v3 trap or inform; the community and v3 keys are never "
            "part of it; time is the receive time",
            kTrap};
}

}  // namespace netfeed::snmp_trap
