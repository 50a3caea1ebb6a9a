// The SNMP poller's fields; see record_schema.hpp. Names are the MIB objects in snake_case
// (SNMPv2-MIB, IF-MIB, ENTITY-MIB, LLDP-MIB); a column the device did not return is absent.
#include "collectors/snmp/record_schema.hpp"

namespace netfeed::snmp {

namespace {

using T = FieldType;
constexpr std::string_view kIf = "interfaces rows, when returned";
constexpr std::string_view kEnt = "entity rows, when returned";
constexpr std::string_view kLldp = "lldp rows, when returned";
constexpr std::string_view kSys = "system records, when returned";

constexpr SchemaField kSnmp[] = {
    {"snmp_table", T::string, "system, interfaces, entity, lldp, or a user-defined name"},
    {"index", T::string, "the row's instance suffix", "",
     "only when it does not fit the table's index spec"},
    {"if_index", T::integer, "the ifIndex (row index)", "", "interfaces rows"},
    {"if_descr", T::string, "ifDescr", "", kIf},
    {"if_name", T::string, "ifName", "", kIf},
    {"if_alias", T::string, "ifAlias", "", kIf},
    {"if_type", T::integer, "ifType (IANAifType number)", "", kIf},
    {"if_mtu", T::integer, "ifMtu", "bytes", kIf},
    {"if_speed", T::integer, "ifSpeed", "bit/s", kIf},
    {"if_high_speed", T::integer, "ifHighSpeed", "Mbit/s", kIf},
    {"if_phys_address", T::string, "ifPhysAddress as hex with colons (\"\" when empty)", "", kIf},
    {"if_admin_status", T::integer, "ifAdminStatus: 1 up, 2 down, 3 testing", "", kIf},
    {"if_oper_status", T::integer,
     "ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 "
     "lowerLayerDown",
     "", kIf},
    {"if_last_change", T::integer, "ifLastChange", "1/100 s", kIf},
    {"if_counter_discontinuity_time", T::integer, "ifCounterDiscontinuityTime", "1/100 s", kIf},
    {"if_in_octets", T::integer, "ifInOctets (Counter32)", "bytes", kIf},
    {"if_out_octets", T::integer, "ifOutOctets (Counter32)", "bytes", kIf},
    {"if_in_ucast_pkts", T::integer, "ifInUcastPkts (Counter32)", "packets", kIf},
    {"if_out_ucast_pkts", T::integer, "ifOutUcastPkts (Counter32)", "packets", kIf},
    {"if_in_multicast_pkts", T::integer, "ifInMulticastPkts (Counter32)", "packets", kIf},
    {"if_out_multicast_pkts", T::integer, "ifOutMulticastPkts (Counter32)", "packets", kIf},
    {"if_in_broadcast_pkts", T::integer, "ifInBroadcastPkts (Counter32)", "packets", kIf},
    {"if_out_broadcast_pkts", T::integer, "ifOutBroadcastPkts (Counter32)", "packets", kIf},
    {"if_hc_in_octets", T::integer, "ifHCInOctets (Counter64)", "bytes", kIf},
    {"if_hc_out_octets", T::integer, "ifHCOutOctets (Counter64)", "bytes", kIf},
    {"if_hc_in_ucast_pkts", T::integer, "ifHCInUcastPkts (Counter64)", "packets", kIf},
    {"if_hc_out_ucast_pkts", T::integer, "ifHCOutUcastPkts (Counter64)", "packets", kIf},
    {"if_hc_in_multicast_pkts", T::integer, "ifHCInMulticastPkts (Counter64)", "packets", kIf},
    {"if_hc_out_multicast_pkts", T::integer, "ifHCOutMulticastPkts (Counter64)", "packets", kIf},
    {"if_hc_in_broadcast_pkts", T::integer, "ifHCInBroadcastPkts (Counter64)", "packets", kIf},
    {"if_hc_out_broadcast_pkts", T::integer, "ifHCOutBroadcastPkts (Counter64)", "packets", kIf},
    {"if_in_errors", T::integer, "ifInErrors (Counter32)", "packets", kIf},
    {"if_out_errors", T::integer, "ifOutErrors (Counter32)", "packets", kIf},
    {"if_in_discards", T::integer, "ifInDiscards (Counter32)", "packets", kIf},
    {"if_out_discards", T::integer, "ifOutDiscards (Counter32)", "packets", kIf},
    {"if_in_unknown_protos", T::integer, "ifInUnknownProtos (Counter32)", "packets", kIf},
    {"if_promiscuous_mode", T::integer, "ifPromiscuousMode, TruthValue: 1 true, 2 false", "", kIf},
    {"if_connector_present", T::integer, "ifConnectorPresent, TruthValue: 1 true, 2 false", "",
     kIf},
    {"ent_physical_index", T::integer, "the entPhysicalIndex (row index)", "", "entity rows"},
    {"ent_physical_descr", T::string, "entPhysicalDescr", "", kEnt},
    {"ent_physical_vendor_type", T::string, "entPhysicalVendorType, an OID", "", kEnt},
    {"ent_physical_contained_in", T::integer, "entPhysicalContainedIn", "", kEnt},
    {"ent_physical_class", T::integer,
     "entPhysicalClass: 3 chassis, 5 container, 6 powerSupply, 7 fan, 8 sensor, 9 module, 10 "
     "port, ...",
     "", kEnt},
    {"ent_physical_parent_rel_pos", T::integer, "entPhysicalParentRelPos", "", kEnt},
    {"ent_physical_name", T::string, "entPhysicalName", "", kEnt},
    {"ent_physical_hardware_rev", T::string, "entPhysicalHardwareRev", "", kEnt},
    {"ent_physical_firmware_rev", T::string, "entPhysicalFirmwareRev", "", kEnt},
    {"ent_physical_software_rev", T::string, "entPhysicalSoftwareRev", "", kEnt},
    {"ent_physical_serial_num", T::string, "entPhysicalSerialNum", "", kEnt},
    {"ent_physical_mfg_name", T::string, "entPhysicalMfgName", "", kEnt},
    {"ent_physical_model_name", T::string, "entPhysicalModelName", "", kEnt},
    {"ent_physical_alias", T::string, "entPhysicalAlias", "", kEnt},
    {"ent_physical_asset_id", T::string, "entPhysicalAssetID", "", kEnt},
    {"ent_physical_is_fru", T::integer, "entPhysicalIsFRU, TruthValue: 1 true, 2 false", "", kEnt},
    {"lldp_rem_time_mark", T::integer, "row index part: lldpRemTimeMark", "1/100 s", "lldp rows"},
    {"lldp_rem_local_port_num", T::integer, "row index part: lldpRemLocalPortNum", "", "lldp rows"},
    {"lldp_rem_index", T::integer, "row index part: lldpRemIndex", "", "lldp rows"},
    {"lldp_rem_chassis_id_subtype", T::integer, "LldpChassisIdSubtype", "", kLldp},
    {"lldp_rem_chassis_id", T::string,
     "by subtype: a MAC as hex with colons, a network address as an address, else text (hex "
     "when binary)",
     "", kLldp},
    {"lldp_rem_port_id_subtype", T::integer, "LldpPortIdSubtype", "", kLldp},
    {"lldp_rem_port_id", T::string, "by subtype, as lldp_rem_chassis_id", "", kLldp},
    {"lldp_rem_port_desc", T::string, "the neighbour's port description", "", kLldp},
    {"lldp_rem_sys_name", T::string, "the neighbour's name", "", kLldp},
    {"lldp_rem_sys_desc", T::string, "the neighbour's description", "", kLldp},
    {"lldp_rem_sys_cap_supported", T::string, "capability bits as hex", "", kLldp},
    {"lldp_rem_sys_cap_enabled", T::string, "capability bits as hex", "", kLldp},
    {"sys_descr", T::string, "sysDescr", "", kSys},
    {"sys_object_id", T::string, "sysObjectID, an OID", "", kSys},
    {"sys_up_time", T::integer, "sysUpTime: since the agent started", "1/100 s", kSys},
    {"sys_contact", T::string, "sysContact", "", kSys},
    {"sys_name", T::string, "sysName", "", kSys},
    {"sys_location", T::string, "sysLocation", "", kSys},
};

constexpr SchemaField kStatus[] = {
    {"collector", T::string, "the collector type that reports (snmp)"},
    {"component", T::string, "the collector's name in the config"},
    {"state", T::string, "ok, unreachable or auth_failed"},
    {"previous_state", T::string, "the state before this change"},
    {"error", T::string, "the problem", "", "when not ok"},
    {"since", T::string, "when the state began", "RFC 3339 UTC"},
    {"previous_since", T::string, "when the previous state began", "RFC 3339 UTC"},
};

}  // namespace

KindDeclaration snmp_declaration() noexcept {
    return {"collectors/snmp",
            "one record per table row per poll and one per scalar group; columns of "
            "user-defined tables and scalars, and <counter>_rate numbers (per second since the "
            "previous poll of the row, for every Counter32/Counter64 column) follow with the "
            "names the config gives",
            kSnmp, true};
}

KindDeclaration status_declaration() noexcept {
    return {"collectors/snmp",
            "a polling problem or its end, key <device>|snmp: each state change of a device",
            kStatus};
}

}  // namespace netfeed::snmp
