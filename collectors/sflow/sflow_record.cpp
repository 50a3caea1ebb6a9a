// sFlow samples -> records; see sflow_record.hpp, docs/flows.md (sFlow) and docs/records.md.
#include "collectors/sflow/sflow_record.hpp"

#include <algorithm>

namespace netfeed::sflow {

namespace {

std::string mac_text(const std::array<std::uint8_t, 6>& mac) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(17);
    for (std::size_t i = 0; i < mac.size(); ++i) {
        if (i > 0) out.push_back(':');
        out.push_back(digits[mac[i] >> 4]);
        out.push_back(digits[mac[i] & 0xF]);
    }
    return out;
}

Json number_array(const std::vector<std::uint32_t>& values) {
    Json out = Json::array();
    for (std::uint32_t v : values)
        out.push_back(v);
    return out;
}

// sFlow agents report a counter they do not keep as all ones (sflow_version_5.txt); the SNMP
// poller leaves out a column the device did not return, and so do we.
constexpr std::uint32_t kUnknown32 = 0xFFFFFFFFu;
constexpr std::uint64_t kUnknown64 = 0xFFFFFFFFFFFFFFFFull;

}  // namespace

Record make_sflow_flow_record(const SflowFlow& f, const std::string& device, netflow::FlowKey key,
                              Timestamp received) {
    Record r = netflow::make_flow_record(f.flow, device, key, received);
    // flow_version is NetFlow's version number (5, 9, 10); sFlow's 5 would read as NetFlow v5,
    // so an sFlow record says where it came from instead, in the same place.
    for (Field& field : r.fields) {
        if (field.name == std::string_view("flow_version")) {
            field = Field{"flow_source", std::string("sflow5")};
            break;
        }
    }
    const SflowExtra& x = f.sflow;
    const auto u = [&](FieldName name, std::uint64_t v) { r.add(name, v); };
    if (x.has(kExtraMacs)) {
        r.add("src_mac", mac_text(x.src_mac));
        r.add("dst_mac", mac_text(x.dst_mac));
    }
    if (x.has(kExtraTtl)) u("ip_ttl", x.ttl);
    if (x.has(kExtraSwitch)) {
        u("src_vlan", x.src_vlan);
        u("dst_vlan", x.dst_vlan);
        u("src_priority", x.src_priority);
        u("dst_priority", x.dst_priority);
    }
    if (x.has(kExtraGateway)) {
        u("src_peer_as", x.src_peer_as);
        u("local_pref", x.local_pref);
        if (!x.as_path.empty()) {
            u("next_hop_as", x.as_path.front());
            r.add("as_path", number_array(x.as_path));
        }
        if (!x.communities.empty()) r.add("bgp_communities", number_array(x.communities));
    }
    if (x.has(kExtraDiscard)) u("discard_reason", x.discard_reason);
    u("sample_pool", x.sample_pool);
    u("sample_drops", x.drops);
    return r;
}

Record make_interface_record(const SflowCounters& c, const SflowDatagram& d,
                             const std::string& device, Timestamp received) {
    Record r;
    r.kind = RecordKind::snmp;
    r.time = r.received = received;
    r.device = device;
    r.device_address = netflow::to_ip(d.agent);
    r.fields.reserve(40);
    // A sample of only Ethernet counters names its interface by the data source.
    const std::uint32_t if_index = c.has_interface ? c.interface.if_index : c.source_id_index;
    r.key = device + "|interfaces|if_index=" + std::to_string(if_index);
    r.add("snmp_table", std::string("interfaces"));
    r.add("if_index", std::uint64_t{if_index});
    const auto u32 = [&](FieldName name, std::uint32_t v) {
        if (v != kUnknown32) r.add(name, std::uint64_t{v});
    };
    if (c.has_interface) {
        const InterfaceCounters& i = c.interface;
        u32("if_type", i.if_type);
        if (i.if_speed != kUnknown64) {
            // IF-MIB: ifSpeed saturates at 2^32-1 and ifHighSpeed carries Mbit/s beyond it.
            r.add("if_speed", std::min<std::uint64_t>(i.if_speed, kUnknown32));
            r.add("if_high_speed", i.if_speed / 1000000);
        }
        // ifStatus bits to IF-MIB's enums: 1 up, 2 down.
        r.add("if_admin_status", std::uint64_t{(i.if_status & 1u) != 0 ? 1u : 2u});
        r.add("if_oper_status", std::uint64_t{(i.if_status & 2u) != 0 ? 1u : 2u});
        // The octet counters are 64-bit: the HC columns, and the 32-bit ones an SNMP poller
        // would read beside them (their low half).
        if (i.in_octets != kUnknown64) {
            r.add("if_in_octets", i.in_octets & kUnknown32);
            r.add("if_hc_in_octets", i.in_octets);
        }
        u32("if_in_ucast_pkts", i.in_ucast_pkts);
        u32("if_in_multicast_pkts", i.in_multicast_pkts);
        u32("if_in_broadcast_pkts", i.in_broadcast_pkts);
        u32("if_in_discards", i.in_discards);
        u32("if_in_errors", i.in_errors);
        u32("if_in_unknown_protos", i.in_unknown_protos);
        if (i.out_octets != kUnknown64) {
            r.add("if_out_octets", i.out_octets & kUnknown32);
            r.add("if_hc_out_octets", i.out_octets);
        }
        u32("if_out_ucast_pkts", i.out_ucast_pkts);
        u32("if_out_multicast_pkts", i.out_multicast_pkts);
        u32("if_out_broadcast_pkts", i.out_broadcast_pkts);
        u32("if_out_discards", i.out_discards);
        u32("if_out_errors", i.out_errors);
        // TruthValue: 1 true, 2 false.
        r.add("if_promiscuous_mode", std::uint64_t{i.promiscuous_mode == 1 ? 1u : 2u});
        r.add("if_direction", std::uint64_t{i.if_direction});
    }
    if (c.has_ethernet) {
        const EthernetCounters& e = c.ethernet;
        u32("dot3_stats_alignment_errors", e.alignment_errors);
        u32("dot3_stats_fcs_errors", e.fcs_errors);
        u32("dot3_stats_single_collision_frames", e.single_collision_frames);
        u32("dot3_stats_multiple_collision_frames", e.multiple_collision_frames);
        u32("dot3_stats_sqe_test_errors", e.sqe_test_errors);
        u32("dot3_stats_deferred_transmissions", e.deferred_transmissions);
        u32("dot3_stats_late_collisions", e.late_collisions);
        u32("dot3_stats_excessive_collisions", e.excessive_collisions);
        u32("dot3_stats_internal_mac_transmit_errors", e.internal_mac_transmit_errors);
        u32("dot3_stats_carrier_sense_errors", e.carrier_sense_errors);
        u32("dot3_stats_frame_too_longs", e.frame_too_longs);
        u32("dot3_stats_internal_mac_receive_errors", e.internal_mac_receive_errors);
        u32("dot3_stats_symbol_errors", e.symbol_errors);
    }
    r.add("counter_source", std::string("sflow5"));
    r.add("sampler_address", netflow::to_ip(d.agent));
    r.add("sequence_num", std::uint64_t{d.sequence});
    return r;
}

}  // namespace netfeed::sflow
