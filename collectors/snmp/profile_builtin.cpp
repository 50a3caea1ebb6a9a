// The built-in profiles as data: OIDs from SNMPv2-MIB, IF-MIB, ENTITY-MIB and LLDP-MIB, so no MIB
// files are needed. Field names are the MIB object names in snake_case.
#include <algorithm>

#include "collectors/snmp/profile.hpp"

namespace netfeed::snmp {

namespace {

Oid oid_of(std::initializer_list<std::uint32_t> parts) {
    return Oid(parts);
}

const Oid kSystem = oid_of({1, 3, 6, 1, 2, 1, 1});
const Oid kIfEntry = oid_of({1, 3, 6, 1, 2, 1, 2, 2, 1});
const Oid kIfXEntry = oid_of({1, 3, 6, 1, 2, 1, 31, 1, 1, 1});
const Oid kEntPhysicalEntry = oid_of({1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1});
const Oid kLldpRemEntry = oid_of({1, 0, 8802, 1, 1, 2, 1, 4, 1, 1});

Oid under(const Oid& base, std::initializer_list<std::uint32_t> rest) {
    Oid out = base;
    out.insert(out.end(), rest);
    return out;
}

Profile system_profile() {
    return {"system",
            {{"system",
              {{under(kSystem, {1, 0}), "sys_descr"},
               {under(kSystem, {2, 0}), "sys_object_id"},
               {under(kSystem, {3, 0}), "sys_up_time"},
               {under(kSystem, {4, 0}), "sys_contact"},
               {under(kSystem, {5, 0}), "sys_name"},
               {under(kSystem, {6, 0}), "sys_location"}}}},
            {}};
}

Profile interfaces_profile() {
    using D = ColumnDecode;
    SubtreeSpec if_table{kIfEntry,
                         {{2, "if_descr"},
                          {3, "if_type"},
                          {4, "if_mtu"},
                          {5, "if_speed"},
                          {6, "if_phys_address", D::hex},
                          {7, "if_admin_status"},
                          {8, "if_oper_status"},
                          {9, "if_last_change"},
                          {10, "if_in_octets"},
                          {11, "if_in_ucast_pkts"},
                          {13, "if_in_discards"},
                          {14, "if_in_errors"},
                          {15, "if_in_unknown_protos"},
                          {16, "if_out_octets"},
                          {17, "if_out_ucast_pkts"},
                          {19, "if_out_discards"},
                          {20, "if_out_errors"}}};
    SubtreeSpec if_x_table{kIfXEntry,
                           {{1, "if_name"},
                            {2, "if_in_multicast_pkts"},
                            {3, "if_in_broadcast_pkts"},
                            {4, "if_out_multicast_pkts"},
                            {5, "if_out_broadcast_pkts"},
                            {6, "if_hc_in_octets"},
                            {7, "if_hc_in_ucast_pkts"},
                            {8, "if_hc_in_multicast_pkts"},
                            {9, "if_hc_in_broadcast_pkts"},
                            {10, "if_hc_out_octets"},
                            {11, "if_hc_out_ucast_pkts"},
                            {12, "if_hc_out_multicast_pkts"},
                            {13, "if_hc_out_broadcast_pkts"},
                            {15, "if_high_speed"},
                            {16, "if_promiscuous_mode"},
                            {17, "if_connector_present"},
                            {18, "if_alias"},
                            {19, "if_counter_discontinuity_time"}}};
    return {"interfaces",
            {},
            {{"interfaces", {{"if_index", IndexEncoding::integer}}, {if_table, if_x_table}}}};
}

Profile entity_profile() {
    SubtreeSpec entry{kEntPhysicalEntry,
                      {{2, "ent_physical_descr"},
                       {3, "ent_physical_vendor_type"},
                       {4, "ent_physical_contained_in"},
                       {5, "ent_physical_class"},
                       {6, "ent_physical_parent_rel_pos"},
                       {7, "ent_physical_name"},
                       {8, "ent_physical_hardware_rev"},
                       {9, "ent_physical_firmware_rev"},
                       {10, "ent_physical_software_rev"},
                       {11, "ent_physical_serial_num"},
                       {12, "ent_physical_mfg_name"},
                       {13, "ent_physical_model_name"},
                       {14, "ent_physical_alias"},
                       {15, "ent_physical_asset_id"},
                       {16, "ent_physical_is_fru"}}};
    return {"entity", {}, {{"entity", {{"ent_physical_index", IndexEncoding::integer}}, {entry}}}};
}

Profile lldp_profile() {
    using D = ColumnDecode;
    SubtreeSpec entry{kLldpRemEntry,
                      {{4, "lldp_rem_chassis_id_subtype"},
                       {5, "lldp_rem_chassis_id", D::chassis_id, 4},
                       {6, "lldp_rem_port_id_subtype"},
                       {7, "lldp_rem_port_id", D::port_id, 6},
                       {8, "lldp_rem_port_desc"},
                       {9, "lldp_rem_sys_name"},
                       {10, "lldp_rem_sys_desc"},
                       {11, "lldp_rem_sys_cap_supported", D::hex},
                       {12, "lldp_rem_sys_cap_enabled", D::hex}}};
    return {"lldp",
            {},
            {{"lldp",
              {{"lldp_rem_time_mark", IndexEncoding::integer},
               {"lldp_rem_local_port_num", IndexEncoding::integer},
               {"lldp_rem_index", IndexEncoding::integer}},
              {entry}}}};
}

}  // namespace

const Oid& sys_up_time_oid() {
    static const Oid oid = under(kSystem, {3, 0});
    return oid;
}

const std::vector<Profile>& builtin_profiles() {
    static const std::vector<Profile> profiles = {system_profile(), interfaces_profile(),
                                                  entity_profile(), lldp_profile()};
    return profiles;
}

const Profile* find_builtin_profile(std::string_view name) {
    const auto& all = builtin_profiles();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Profile& p) { return p.name == name; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace netfeed::snmp
