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
};

constexpr FieldMapping kOptionsFields[] = {
    {34, T::opt_sampling_interval, 1, 8, 0, "samplingInterval"},
    {50, T::opt_random_interval, 1, 8, 0, "samplerRandomInterval"},
    {305, T::opt_packet_interval, 1, 8, 0, "samplingPacketInterval"},
    {306, T::opt_packet_space, 1, 8, 0, "samplingPacketSpace"},
    {48, T::opt_sampler_id, 1, 8, 0, "samplerId"},
    {302, T::opt_sampler_id, 1, 8, 0, "selectorId"},
    {160, T::opt_system_init_millis, 1, 8, 0, "systemInitTimeMilliseconds"},
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
    if (enterprise != 0) return nullptr;
    // A linear scan: it runs once per template field when a template is learnt, never per flow.
    for (const FieldMapping& row : table) {
        if (row.element == element) return &row;
    }
    return nullptr;
}

}  // namespace netfeed::netflow
