// The built-in notification and object names; see trap_names.hpp. Numbers from the MIBs that
// define them (SNMPv2-MIB, IF-MIB, BGP4-MIB, ENTITY-MIB, CISCO-CONFIG-MAN-MIB,
// OLD-CISCO-INTERFACES-MIB, SNMP-COMMUNITY-MIB).
#include "collectors/snmp_trap/trap_names.hpp"

#include <vector>

namespace netfeed::snmp_trap {

namespace {

struct NotificationEntry {
    std::string_view name;
    snmp::Oid oid;
};

const std::vector<NotificationEntry>& notifications() {
    static const std::vector<NotificationEntry> table = {
        // SNMPv2-MIB snmpTraps (the v1 generic traps 0-5 translate to these, RFC 3584)
        {"coldStart", {1, 3, 6, 1, 6, 3, 1, 1, 5, 1}},
        {"warmStart", {1, 3, 6, 1, 6, 3, 1, 1, 5, 2}},
        {"linkDown", {1, 3, 6, 1, 6, 3, 1, 1, 5, 3}},
        {"linkUp", {1, 3, 6, 1, 6, 3, 1, 1, 5, 4}},
        {"authenticationFailure", {1, 3, 6, 1, 6, 3, 1, 1, 5, 5}},
        {"egpNeighborLoss", {1, 3, 6, 1, 6, 3, 1, 1, 5, 6}},
        // BGP4-MIB (RFC 1657 numbering, and RFC 4273's)
        {"bgpEstablished", {1, 3, 6, 1, 2, 1, 15, 7, 1}},
        {"bgpBackwardTransition", {1, 3, 6, 1, 2, 1, 15, 7, 2}},
        {"bgpEstablishedNotification", {1, 3, 6, 1, 2, 1, 15, 0, 1}},
        {"bgpBackwardTransNotification", {1, 3, 6, 1, 2, 1, 15, 0, 2}},
        // ENTITY-MIB
        {"entConfigChange", {1, 3, 6, 1, 2, 1, 47, 2, 0, 1}},
        // CISCO-CONFIG-MAN-MIB
        {"ciscoConfigManEvent", {1, 3, 6, 1, 4, 1, 9, 9, 43, 2, 0, 1}},
        {"ccmCLIRunningConfigChanged", {1, 3, 6, 1, 4, 1, 9, 9, 43, 2, 0, 2}},
    };
    return table;
}

struct ObjectEntry {
    std::string_view name;
    snmp::Oid oid;  // the object, without instance
    std::optional<FieldName> flat;
};

const std::vector<ObjectEntry>& objects() {
    static const std::vector<ObjectEntry> table = {
        // SNMPv2-MIB system group
        {"sysDescr", {1, 3, 6, 1, 2, 1, 1, 1}, std::nullopt},
        {"sysObjectID", {1, 3, 6, 1, 2, 1, 1, 2}, std::nullopt},
        {"sysUpTime", {1, 3, 6, 1, 2, 1, 1, 3}, std::nullopt},
        {"sysContact", {1, 3, 6, 1, 2, 1, 1, 4}, std::nullopt},
        {"sysName", {1, 3, 6, 1, 2, 1, 1, 5}, std::nullopt},
        {"sysLocation", {1, 3, 6, 1, 2, 1, 1, 6}, std::nullopt},
        // IF-MIB ifTable and ifXTable
        {"ifIndex", {1, 3, 6, 1, 2, 1, 2, 2, 1, 1}, FieldName("if_index")},
        {"ifDescr", {1, 3, 6, 1, 2, 1, 2, 2, 1, 2}, FieldName("if_descr")},
        {"ifType", {1, 3, 6, 1, 2, 1, 2, 2, 1, 3}, std::nullopt},
        {"ifMtu", {1, 3, 6, 1, 2, 1, 2, 2, 1, 4}, std::nullopt},
        {"ifSpeed", {1, 3, 6, 1, 2, 1, 2, 2, 1, 5}, std::nullopt},
        {"ifPhysAddress", {1, 3, 6, 1, 2, 1, 2, 2, 1, 6}, std::nullopt},
        {"ifAdminStatus", {1, 3, 6, 1, 2, 1, 2, 2, 1, 7}, FieldName("if_admin_status")},
        {"ifOperStatus", {1, 3, 6, 1, 2, 1, 2, 2, 1, 8}, FieldName("if_oper_status")},
        {"ifLastChange", {1, 3, 6, 1, 2, 1, 2, 2, 1, 9}, std::nullopt},
        {"ifName", {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1}, FieldName("if_name")},
        {"ifHighSpeed", {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15}, std::nullopt},
        {"ifAlias", {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18}, FieldName("if_alias")},
        // SNMPv2-MIB notification objects, SNMP-COMMUNITY-MIB (RFC 3584 proxies add these)
        {"snmpTrapOID", {1, 3, 6, 1, 6, 3, 1, 1, 4, 1}, std::nullopt},
        {"snmpTrapEnterprise", {1, 3, 6, 1, 6, 3, 1, 1, 4, 3}, std::nullopt},
        {"snmpTrapAddress", {1, 3, 6, 1, 6, 3, 18, 1, 3}, std::nullopt},
        {"snmpTrapCommunity", {1, 3, 6, 1, 6, 3, 18, 1, 4}, std::nullopt},
        // BGP4-MIB bgpPeerTable
        {"bgpPeerState", {1, 3, 6, 1, 2, 1, 15, 3, 1, 2}, std::nullopt},
        {"bgpPeerRemoteAddr", {1, 3, 6, 1, 2, 1, 15, 3, 1, 7}, std::nullopt},
        {"bgpPeerLastError", {1, 3, 6, 1, 2, 1, 15, 3, 1, 14}, std::nullopt},
        // ENTITY-MIB
        {"entLastChangeTime", {1, 3, 6, 1, 2, 1, 47, 1, 4, 1}, std::nullopt},
        // CISCO-CONFIG-MAN-MIB ccmHistoryEventTable
        {"ccmHistoryEventCommandSource", {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 3}, std::nullopt},
        {"ccmHistoryEventConfigSource", {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 4}, std::nullopt},
        {"ccmHistoryEventConfigDestination",
         {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 5},
         std::nullopt},
        // OLD-CISCO-INTERFACES-MIB (IOS puts it in linkUp/linkDown)
        {"locIfReason", {1, 3, 6, 1, 4, 1, 9, 2, 2, 1, 1, 20}, std::nullopt},
    };
    return table;
}

}  // namespace

std::string_view notification_name(const snmp::Oid& oid) {
    for (const auto& entry : notifications()) {
        if (entry.oid == oid) return entry.name;
    }
    return {};
}

std::optional<ObjectName> object_name(const snmp::Oid& oid) {
    for (const auto& entry : objects()) {
        if (oid.size() > entry.oid.size() && snmp::oid_has_prefix(oid, entry.oid)) {
            return ObjectName{entry.name, entry.oid.size(), entry.flat};
        }
    }
    return std::nullopt;
}

bool is_secret_object(std::string_view name) {
    return name == "snmpTrapCommunity";
}

}  // namespace netfeed::snmp_trap
