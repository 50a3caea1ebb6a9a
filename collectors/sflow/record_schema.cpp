// sFlow's fields; see record_schema.hpp and sflow.org's sflow_version_5.txt.
#include "collectors/sflow/record_schema.hpp"

namespace netfeed::sflow {

namespace {

using T = FieldType;

constexpr SchemaField kFlow[] = {
    {"flow_source", T::string, "\"sflow5\": where the record came from (instead of flow_version)",
     "", "sFlow"},
    {"src_mac", T::string, "source MAC of the sampled header, hex with colons", "",
     "sFlow, with an Ethernet header"},
    {"dst_mac", T::string, "destination MAC of the sampled header", "",
     "sFlow, with an Ethernet header"},
    {"ip_ttl", T::integer, "IPv4 TTL / IPv6 hop limit of the sampled packet", "",
     "sFlow, with an IP header"},
    {"src_vlan", T::integer, "extended switch: input VLAN", "", "sFlow extended switch"},
    {"dst_vlan", T::integer, "extended switch: output VLAN", "", "sFlow extended switch"},
    {"src_priority", T::integer, "extended switch: input 802.1p priority", "",
     "sFlow extended switch"},
    {"dst_priority", T::integer, "extended switch: output 802.1p priority", "",
     "sFlow extended switch"},
    {"src_peer_as", T::integer, "extended gateway: the peer AS of the source", "",
     "sFlow extended gateway"},
    {"local_pref", T::integer, "extended gateway: BGP local preference", "",
     "sFlow extended gateway"},
    {"next_hop_as", T::integer, "extended gateway: the first AS of as_path", "",
     "sFlow extended gateway with a path"},
    {"as_path", T::array, "extended gateway: every segment's AS numbers in order", "",
     "sFlow extended gateway with a path", false, T::integer},
    {"bgp_communities", T::array, "extended gateway: BGP communities", "",
     "sFlow extended gateway with communities", false, T::integer},
    {"discard_reason", T::integer, "output interface format 1: why the packet was discarded", "",
     "sFlow, discarded packets"},
    {"sample_pool", T::integer, "packets that could have been sampled", "packets", "sFlow"},
    {"sample_drops", T::integer, "samples the agent dropped for lack of resources", "samples",
     "sFlow"},
};

constexpr std::string_view kCounters = "sFlow counter samples";

constexpr SchemaField kCounterRow[] = {
    {"if_direction", T::integer, "sFlow's duplex: 0 unknown, 1 full, 2 half, 3 in, 4 out", "",
     kCounters},
    {"dot3_stats_alignment_errors", T::integer, "EtherLike-MIB dot3StatsAlignmentErrors", "",
     kCounters},
    {"dot3_stats_fcs_errors", T::integer, "dot3StatsFCSErrors", "", kCounters},
    {"dot3_stats_single_collision_frames", T::integer, "dot3StatsSingleCollisionFrames", "",
     kCounters},
    {"dot3_stats_multiple_collision_frames", T::integer, "dot3StatsMultipleCollisionFrames", "",
     kCounters},
    {"dot3_stats_sqe_test_errors", T::integer, "dot3StatsSQETestErrors", "", kCounters},
    {"dot3_stats_deferred_transmissions", T::integer, "dot3StatsDeferredTransmissions", "",
     kCounters},
    {"dot3_stats_late_collisions", T::integer, "dot3StatsLateCollisions", "", kCounters},
    {"dot3_stats_excessive_collisions", T::integer, "dot3StatsExcessiveCollisions", "", kCounters},
    {"dot3_stats_internal_mac_transmit_errors", T::integer, "dot3StatsInternalMacTransmitErrors",
     "", kCounters},
    {"dot3_stats_carrier_sense_errors", T::integer, "dot3StatsCarrierSenseErrors", "", kCounters},
    {"dot3_stats_frame_too_longs", T::integer, "dot3StatsFrameTooLongs", "", kCounters},
    {"dot3_stats_internal_mac_receive_errors", T::integer, "dot3StatsInternalMacReceiveErrors", "",
     kCounters},
    {"dot3_stats_symbol_errors", T::integer, "dot3StatsSymbolErrors", "", kCounters},
    {"counter_source", T::string, "\"sflow5\": the row came from an sFlow counter sample", "",
     kCounters},
    {"sampler_address", T::string, "the sFlow agent's address", "", kCounters},
    {"sequence_num", T::integer, "the datagram's sequence number", "", kCounters},
};

}  // namespace

KindDeclaration sflow_flow_declaration() noexcept {
    return {"collectors/sflow",
            "sFlow v5 flow samples: one record per sampled packet, with NetFlow's names", kFlow};
}

KindDeclaration sflow_counter_declaration() noexcept {
    return {"collectors/sflow",
            "sFlow v5 counter samples as interfaces rows, with the SNMP poller's names",
            kCounterRow};
}

}  // namespace netfeed::sflow
