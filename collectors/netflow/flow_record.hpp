// One decoded flow, as the NetFlow v5/v9 and IPFIX decoders produce it: a flat struct with no
// allocation for the common fields, so decoding keeps up with millions of flows per second.
// Field names follow goflow2's JSON names (docs/flows.md has the element -> field mapping).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netfeed::netflow {

/// An IPv4 or IPv6 address stored inline.
struct FlowAddress {
    std::uint8_t family = 0;  // 0: absent, 4: IPv4 (bytes[0..3]), 6: IPv6
    std::array<std::uint8_t, 16> bytes{};

    bool operator==(const FlowAddress&) const = default;
    static FlowAddress v4(const std::uint8_t* b) {
        FlowAddress a;
        a.family = 4;
        for (int i = 0; i < 4; ++i)
            a.bytes[i] = b[i];
        return a;
    }
    static FlowAddress v6(const std::uint8_t* b) {
        FlowAddress a;
        a.family = 6;
        for (int i = 0; i < 16; ++i)
            a.bytes[i] = b[i];
        return a;
    }
};

/// A field the decoder has no place for: enterprise-specific (IPFIX) or unmapped, kept by
/// number with its raw bytes so that nothing the exporter sent is silently dropped.
struct RawField {
    std::uint32_t enterprise = 0;  // 0 for IANA elements and NetFlow v9 field types
    std::uint16_t element = 0;
    std::string value;  // the bytes as sent (network order)
};

/// Which optional fields a flow carries (bits of FlowRecord::present).
enum FlowField : std::uint64_t {
    kSrcAddr = 1ull << 0,
    kDstAddr = 1ull << 1,
    kNextHop = 1ull << 2,
    kSrcPort = 1ull << 3,
    kDstPort = 1ull << 4,
    kProto = 1ull << 5,
    kTcpFlags = 1ull << 6,
    kIpTos = 1ull << 7,
    kInIf = 1ull << 8,
    kOutIf = 1ull << 9,
    kSrcAs = 1ull << 10,
    kDstAs = 1ull << 11,
    kSrcNet = 1ull << 12,
    kDstNet = 1ull << 13,
    kBytes = 1ull << 14,
    kPackets = 1ull << 15,
    kTimeStart = 1ull << 16,
    kTimeEnd = 1ull << 17,
    kEtype = 1ull << 18,
    kVlanId = 1ull << 19,
    kDirection = 1ull << 20,
    kIcmpType = 1ull << 21,
    kIcmpCode = 1ull << 22,
    kSamplerId = 1ull << 23,
    kBgpNextHop = 1ull << 24,
    kFlowEndReason = 1ull << 25,
    // RFC 5103 biflows: the reverse direction's counters (PEN 29305, or ASA's responder counts).
    kReverseBytes = 1ull << 26,
    kReversePackets = 1ull << 27,
    kReverseTcpFlags = 1ull << 28,
    kReverseIpTos = 1ull << 29,
    kBiflowDirection = 1ull << 30,
    // Firewalls and NAT (Cisco ASA NSEL, IANA NAT elements).
    kNatSrcAddr = 1ull << 31,
    kNatDstAddr = 1ull << 32,
    kNatSrcPort = 1ull << 33,
    kNatDstPort = 1ull << 34,
    kFlowId = 1ull << 35,
    kFwEvent = 1ull << 36,
    kFwExtEvent = 1ull << 37,
    kObservationTime = 1ull << 38,
    kIngressAclId = 1ull << 39,
    kEgressAclId = 1ull << 40,
    kUsername = 1ull << 41,
    kApplicationId = 1ull << 42,
};

/// An ASA ACL id (NSEL 33000/33001): three 32-bit words, the ACL, the ACE within it, and a hash
/// of the extended ACE configuration.
using AclId = std::array<std::uint32_t, 3>;

/// The longest username NSEL sends (NF_F_USERNAME_MAX is 65 bytes, NUL padded), kept inline so
/// that a firewall flow costs no allocation.
inline constexpr std::size_t kMaxUsername = 65;

struct FlowRecord {
    std::uint8_t version = 0;   // 5, 9 or 10 (IPFIX)
    std::uint64_t present = 0;  // FlowField bits

    // Where and when: the exporter (the packet's source address), its observation domain
    // (v9 source id, IPFIX observation domain id, v5 engine type << 8 | engine id), the export
    // packet's sequence number, and times in nanoseconds since the Unix epoch.
    FlowAddress sampler_address;
    std::uint32_t observation_domain = 0;
    std::uint32_t sequence_num = 0;
    std::uint64_t time_received_ns = 0;
    std::uint64_t time_flow_start_ns = 0;
    std::uint64_t time_flow_end_ns = 0;

    std::uint64_t bytes = 0;
    std::uint64_t packets = 0;
    /// 1-in-N packet sampling the exporter reported (header or options data); 0: unknown.
    std::uint64_t sampling_rate = 0;

    FlowAddress src_addr;
    FlowAddress dst_addr;
    FlowAddress next_hop;
    FlowAddress bgp_next_hop;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint8_t proto = 0;
    std::uint16_t tcp_flags = 0;
    std::uint8_t ip_tos = 0;
    std::uint8_t src_net = 0;  // prefix length of the source address's route
    std::uint8_t dst_net = 0;
    std::uint32_t in_if = 0;
    std::uint32_t out_if = 0;
    std::uint32_t src_as = 0;
    std::uint32_t dst_as = 0;
    std::uint16_t etype = 0;  // 0x0800 IPv4, 0x86dd IPv6
    std::uint16_t vlan_id = 0;
    std::uint8_t direction = 0;  // 0 ingress, 1 egress
    std::uint8_t icmp_type = 0;
    std::uint8_t icmp_code = 0;
    std::uint8_t flow_end_reason = 0;
    std::uint64_t sampler_id = 0;  // v9 FLOW_SAMPLER_ID (48) or IPFIX selectorId (302, 64-bit)

    // The reverse direction of a biflow (RFC 5103): destination to source.
    std::uint64_t reverse_bytes = 0;
    std::uint64_t reverse_packets = 0;
    std::uint16_t reverse_tcp_flags = 0;
    std::uint8_t reverse_ip_tos = 0;
    std::uint8_t biflow_direction =
        0;  // 239: 0 arbitrary, 1 initiator, 2 reverse initiator, 3 perimeter

    // Firewall events and address translation (NSEL, RFC 8158 / IANA 225-228, 281, 282).
    FlowAddress nat_src_addr;
    FlowAddress nat_dst_addr;
    std::uint16_t nat_src_port = 0;
    std::uint16_t nat_dst_port = 0;
    std::uint16_t fw_ext_event = 0;
    std::uint8_t fw_event = 0;  // 233: 1 created, 2 deleted, 3 denied, 4 alert, 5 update
    std::uint8_t username_length = 0;
    std::uint64_t flow_id = 0;
    std::uint64_t observation_time_ns = 0;  // when the event happened (322-325)
    AclId ingress_acl_id{};
    AclId egress_acl_id{};
    std::array<char, kMaxUsername> username{};  // username_length bytes are the name

    // Cisco AVC / NBAR applicationId (95): classification engine and selector.
    std::uint64_t application_selector = 0;
    std::uint8_t application_engine = 0;
    /// The name the exporter gave the id in options data (96), shared, not copied per flow.
    std::shared_ptr<const std::string> application_name;

    std::vector<RawField> extra;

    bool has(FlowField f) const noexcept { return (present & f) != 0; }
};

}  // namespace netfeed::netflow
