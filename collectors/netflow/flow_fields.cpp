// The element id -> FlowRecord field tables (see flow_fields.hpp and docs/flows.md).
#include "collectors/netflow/flow_fields.hpp"

#include "collectors/netflow/flow_record.hpp"

namespace netfeed::netflow {

namespace {

using T = FieldTarget;

// Integer lengths are ranges because of reduced-size encoding: an 8-byte octetDeltaCount may
// come in 4 bytes, and v9 exporters send in_if in 2 or 4. A length beyond the slot's width would
// lose bits, so such a field goes to `extra` instead.
constexpr FieldMapping kDataFields[] = {
    {1, T::bytes, 1, 8, kBytes, "octetDeltaCount"},
    {85, T::bytes, 1, 8, kBytes, "octetTotalCount"},
    {2, T::packets, 1, 8, kPackets, "packetDeltaCount"},
    {86, T::packets, 1, 8, kPackets, "packetTotalCount"},
    {4, T::proto, 1, 1, kProto, "protocolIdentifier"},
    {5, T::ip_tos, 1, 1, kIpTos, "ipClassOfService"},
    {6, T::tcp_flags, 1, 2, kTcpFlags, "tcpControlBits"},
    {7, T::src_port, 1, 2, kSrcPort, "sourceTransportPort"},
    {8, T::src_addr4, 4, 4, kSrcAddr, "sourceIPv4Address"},
    {27, T::src_addr6, 16, 16, kSrcAddr, "sourceIPv6Address"},
    {9, T::src_net, 1, 1, kSrcNet, "sourceIPv4PrefixLength"},
    {29, T::src_net, 1, 1, kSrcNet, "sourceIPv6PrefixLength"},
    {10, T::in_if, 1, 4, kInIf, "ingressInterface"},
    {11, T::dst_port, 1, 2, kDstPort, "destinationTransportPort"},
    {12, T::dst_addr4, 4, 4, kDstAddr, "destinationIPv4Address"},
    {28, T::dst_addr6, 16, 16, kDstAddr, "destinationIPv6Address"},
    {13, T::dst_net, 1, 1, kDstNet, "destinationIPv4PrefixLength"},
    {30, T::dst_net, 1, 1, kDstNet, "destinationIPv6PrefixLength"},
    {14, T::out_if, 1, 4, kOutIf, "egressInterface"},
    {15, T::next_hop4, 4, 4, kNextHop, "ipNextHopIPv4Address"},
    {62, T::next_hop6, 16, 16, kNextHop, "ipNextHopIPv6Address"},
    {16, T::src_as, 1, 4, kSrcAs, "bgpSourceAsNumber"},
    {17, T::dst_as, 1, 4, kDstAs, "bgpDestinationAsNumber"},
    {18, T::bgp_next_hop4, 4, 4, kBgpNextHop, "bgpNextHopIPv4Address"},
    {63, T::bgp_next_hop6, 16, 16, kBgpNextHop, "bgpNextHopIPv6Address"},
    {58, T::vlan_id, 1, 2, kVlanId, "vlanId"},
    {61, T::direction, 1, 1, kDirection, "flowDirection"},
    {32, T::icmp_type_code, 1, 2, kIcmpType | kIcmpCode, "icmpTypeCodeIPv4"},
    {139, T::icmp_type_code, 1, 2, kIcmpType | kIcmpCode, "icmpTypeCodeIPv6"},
    {176, T::icmp_type, 1, 1, kIcmpType, "icmpTypeIPv4"},
    {177, T::icmp_code, 1, 1, kIcmpCode, "icmpCodeIPv4"},
    {178, T::icmp_type, 1, 1, kIcmpType, "icmpTypeIPv6"},
    {179, T::icmp_code, 1, 1, kIcmpCode, "icmpCodeIPv6"},
    {136, T::flow_end_reason, 1, 1, kFlowEndReason, "flowEndReason"},
    {48, T::sampler_id, 1, 8, kSamplerId, "samplerId"},
    {302, T::sampler_id, 1, 8, kSamplerId, "selectorId"},
    {256, T::etype, 1, 2, kEtype, "ethernetType"},
    {60, T::ip_version, 1, 1, 0, "ipVersion"},
    {34, T::sampling_rate, 1, 8, 0, "samplingInterval"},
    {50, T::sampling_rate, 1, 8, 0, "samplerRandomInterval"},
    {22, T::start_uptime, 1, 4, 0, "flowStartSysUpTime"},
    {21, T::end_uptime, 1, 4, 0, "flowEndSysUpTime"},
    {150, T::start_seconds, 1, 8, 0, "flowStartSeconds"},
    {151, T::end_seconds, 1, 8, 0, "flowEndSeconds"},
    {152, T::start_millis, 1, 8, 0, "flowStartMilliseconds"},
    {153, T::end_millis, 1, 8, 0, "flowEndMilliseconds"},
    {154, T::start_micros, 8, 8, 0, "flowStartMicroseconds"},
    {155, T::end_micros, 8, 8, 0, "flowEndMicroseconds"},
    {156, T::start_nanos, 8, 8, 0, "flowStartNanoseconds"},
    {157, T::end_nanos, 8, 8, 0, "flowEndNanoseconds"},
    {158, T::start_delta_micros, 1, 4, 0, "flowStartDeltaMicroseconds"},
    {159, T::end_delta_micros, 1, 4, 0, "flowEndDeltaMicroseconds"},
    {160, T::system_init_millis, 1, 8, 0, "systemInitTimeMilliseconds"},

    // RFC 5103 biflows: reverse information elements are the forward ones under PEN 29305
    // (section 6.1); only the reversible counters and per-direction header fields have slots.
    {1, T::reverse_bytes, 1, 8, kReverseBytes, "reverseOctetDeltaCount", kReversePen},
    {85, T::reverse_bytes, 1, 8, kReverseBytes, "reverseOctetTotalCount", kReversePen},
    {2, T::reverse_packets, 1, 8, kReversePackets, "reversePacketDeltaCount", kReversePen},
    {86, T::reverse_packets, 1, 8, kReversePackets, "reversePacketTotalCount", kReversePen},
    {6, T::reverse_tcp_flags, 1, 2, kReverseTcpFlags, "reverseTcpControlBits", kReversePen},
    {5, T::reverse_ip_tos, 1, 1, kReverseIpTos, "reverseIpClassOfService", kReversePen},
    {239, T::biflow_direction, 1, 1, kBiflowDirection, "biflowDirection"},
    // YAF sends the flags of a flow's first packet and the union of the rest instead of
    // tcpControlBits (CERT PEN 6871, YAF's information model): ORed, they are tcp_flags.
    {14, T::tcp_flags_or, 1, 2, kTcpFlags, "initialTCPFlags", kCertPen},
    {15, T::tcp_flags_or, 1, 2, kTcpFlags, "unionTCPFlags", kCertPen},
    {14 | 0x4000, T::reverse_tcp_flags_or, 1, 2, kReverseTcpFlags, "reverseInitialTCPFlags",
     kCertPen},
    {15 | 0x4000, T::reverse_tcp_flags_or, 1, 2, kReverseTcpFlags, "reverseUnionTCPFlags",
     kCertPen},
    // Initiator/responder counts (IANA 231, 232, 298, 299): what Cisco ASA sends instead of
    // 1 and 2 (NF_F_FWD_FLOW_DELTA_BYTES, NF_F_REV_FLOW_DELTA_BYTES: bytes from source to
    // destination and back), so they fill the forward and reverse counters.
    {231, T::bytes, 1, 8, kBytes, "initiatorOctets"},
    {232, T::reverse_bytes, 1, 8, kReverseBytes, "responderOctets"},
    {298, T::packets, 1, 8, kPackets, "initiatorPackets"},
    {299, T::reverse_packets, 1, 8, kReversePackets, "responderPackets"},

    // NAT (IANA, as Cisco ASA NSEL uses them: NF_F_XLATE_*).
    {225, T::nat_src_addr4, 4, 4, kNatSrcAddr, "postNATSourceIPv4Address"},
    {226, T::nat_dst_addr4, 4, 4, kNatDstAddr, "postNATDestinationIPv4Address"},
    {281, T::nat_src_addr6, 16, 16, kNatSrcAddr, "postNATSourceIPv6Address"},
    {282, T::nat_dst_addr6, 16, 16, kNatDstAddr, "postNATDestinationIPv6Address"},
    {227, T::nat_src_port, 1, 2, kNatSrcPort, "postNAPTSourceTransportPort"},
    {228, T::nat_dst_port, 1, 2, kNatDstPort, "postNAPTDestinationTransportPort"},
    // Firewall events (Cisco ASA NSEL implementation guide, "Data Records Exported Through NSEL").
    {148, T::flow_id, 1, 8, kFlowId, "flowId"},           // NF_F_CONN_ID, 4 bytes on ASA
    {233, T::fw_event, 1, 1, kFwEvent, "firewallEvent"},  // NF_F_FW_EVENT
    {33002, T::fw_ext_event, 1, 2, kFwExtEvent, "NF_F_FW_EXT_EVENT"},
    {33000, T::ingress_acl_id, 12, 12, 0, "NF_F_INGRESS_ACL_ID"},  // all zero: none
    {33001, T::egress_acl_id, 12, 12, 0, "NF_F_EGRESS_ACL_ID"},
    // NF_F_USERNAME (20 bytes) and NF_F_USERNAME_MAX (65 bytes) share the id; 371 is IANA's.
    {40000, T::username, 1, 255, 0, "NF_F_USERNAME", 0, true},
    {371, T::username, 1, 255, 0, "userName", 0, true},
    // ASA 8.2's ids for the same, before the IANA ones (NF_F_XLATE_*_84, NF_F_FW_EVENT_84).
    {40001, T::nat_src_addr4, 4, 4, kNatSrcAddr, "NF_F_XLATE_SRC_ADDR_84"},
    {40002, T::nat_dst_addr4, 4, 4, kNatDstAddr, "NF_F_XLATE_DST_ADDR_84"},
    {40003, T::nat_src_port, 1, 2, kNatSrcPort, "NF_F_XLATE_SRC_PORT_84"},
    {40004, T::nat_dst_port, 1, 2, kNatDstPort, "NF_F_XLATE_DST_PORT_84"},
    {40005, T::fw_event, 1, 1, kFwEvent, "NF_F_FW_EVENT_84"},
    // When the event happened (NF_F_EVENT_TIME_MSEC is 323; the guide allows 324 and 325).
    {322, T::observation_seconds, 1, 4, 0, "observationTimeSeconds"},
    {323, T::observation_millis, 1, 8, 0, "observationTimeMilliseconds"},
    {324, T::observation_micros, 8, 8, 0, "observationTimeMicroseconds"},
    {325, T::observation_nanos, 8, 8, 0, "observationTimeNanoseconds"},
    // Cisco AVC / NBAR (RFC 6759): engine id, then the selector; often variable-length.
    {95, T::application_id, 2, 8, 0, "applicationId", 0, true},
};

constexpr FieldMapping kOptionsFields[] = {
    {34, T::opt_sampling_interval, 1, 8, 0, "samplingInterval"},
    {50, T::opt_random_interval, 1, 8, 0, "samplerRandomInterval"},
    {305, T::opt_packet_interval, 1, 8, 0, "samplingPacketInterval"},
    {306, T::opt_packet_space, 1, 8, 0, "samplingPacketSpace"},
    {48, T::opt_sampler_id, 1, 8, 0, "samplerId"},
    {302, T::opt_sampler_id, 1, 8, 0, "selectorId"},
    {160, T::opt_system_init_millis, 1, 8, 0, "systemInitTimeMilliseconds"},
    // Cisco AVC / NBAR application tables (RFC 6759): the id as a scope (IPFIX) or an option
    // field (v9, scoped by System), and its name.
    {95, T::opt_application_id, 2, 8, 0, "applicationId", 0, true},
    {96, T::opt_application_name, 1, 255, 0, "applicationName", 0, true},
};

}  // namespace

std::span<const FieldMapping> data_field_table() noexcept {
    return kDataFields;
}
std::span<const FieldMapping> options_field_table() noexcept {
    return kOptionsFields;
}

const FieldMapping* find_field(std::span<const FieldMapping> table, std::uint32_t enterprise,
                               std::uint16_t element) noexcept {
    // A linear scan: it runs once per template field when a template is learnt, never per flow.
    for (const FieldMapping& row : table) {
        if (row.element == element && row.enterprise == enterprise) return &row;
    }
    return nullptr;
}

}  // namespace netfeed::netflow
