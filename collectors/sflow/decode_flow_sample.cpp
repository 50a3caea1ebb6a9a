// Flow samples (1) and expanded flow samples (3) of sFlow v5 and their records: the raw packet
// header (read by the pcap input's header parser), Ethernet frame data, sampled IPv4/IPv6, and
// the extended switch, router and gateway records. Records of other formats are skipped.
#include <algorithm>

#include "collectors/pcap/parse_header.hpp"
#include "collectors/sflow/decode_samples.hpp"

namespace netfeed::sflow::detail {

namespace {

using namespace xdr;

// Flow record formats of enterprise 0 (sflow_version_5.txt, section 5).
constexpr std::uint32_t kRawHeader = 1;
constexpr std::uint32_t kEthernetFrame = 2;
constexpr std::uint32_t kSampledIpv4 = 3;
constexpr std::uint32_t kSampledIpv6 = 4;
constexpr std::uint32_t kExtendedSwitch = 1001;
constexpr std::uint32_t kExtendedRouter = 1002;
constexpr std::uint32_t kExtendedGateway = 1003;
// header_protocol values of the raw packet header record.
constexpr std::uint32_t kHeaderEthernet = 1;
constexpr std::uint32_t kHeaderIpv4 = 11;
constexpr std::uint32_t kHeaderIpv6 = 12;

/// The sampled IPv4/IPv6 data records (3, 4), kept aside: the raw header wins when both come.
struct SampledIp {
    bool present = false;
    std::uint32_t length = 0;
    std::uint32_t proto = 0;
    FlowAddress src;
    FlowAddress dst;
    std::uint32_t src_port = 0;
    std::uint32_t dst_port = 0;
    std::uint32_t tcp_flags = 0;
    std::uint32_t tos = 0;
};

/// What the records of one flow sample said, before it is folded into a FlowRecord.
struct FlowParts {
    bool has_header = false;
    std::uint32_t frame_length = 0;
    pcap::PacketHeader header;
    bool has_frame = false;  // Ethernet frame data (2)
    std::uint32_t frame_data_length = 0;
    std::uint32_t frame_type = 0;
    SampledIp ip;
};

DecodeError read_raw_header(Bytes body, FlowParts& parts) noexcept {
    XdrReader r(body);
    const std::uint32_t protocol = r.u32();
    const std::uint32_t frame_length = r.u32();
    r.u32();  // stripped: bytes removed before sampling (FCS, encapsulation)
    const std::uint32_t header_length = r.u32();
    const Bytes header = r.opaque(header_length);
    if (r.failed()) return DecodeError::bad_length;
    parts.has_header = true;
    parts.frame_length = frame_length;
    switch (protocol) {
        case kHeaderEthernet:
            parts.header = pcap::parse_header(pcap::HeaderStart::ethernet, header);
            break;
        case kHeaderIpv4:
            parts.header = pcap::parse_header(pcap::HeaderStart::ipv4, header);
            break;
        case kHeaderIpv6:
            parts.header = pcap::parse_header(pcap::HeaderStart::ipv6, header);
            break;
        default:
            break;  // token ring, FDDI, MPLS, PPP...: counts only
    }
    return DecodeError::none;
}

DecodeError read_sampled_ip(Bytes body, bool v6, SampledIp& ip) noexcept {
    XdrReader r(body);
    ip.length = r.u32();
    ip.proto = r.u32();
    const Bytes src = r.opaque(v6 ? 16 : 4);
    const Bytes dst = r.opaque(v6 ? 16 : 4);
    ip.src_port = r.u32();
    ip.dst_port = r.u32();
    ip.tcp_flags = r.u32();
    ip.tos = r.u32();  // IPv6: priority (traffic class)
    if (r.failed()) return DecodeError::bad_length;
    ip.src = v6 ? FlowAddress::v6(src.data()) : FlowAddress::v4(src.data());
    ip.dst = v6 ? FlowAddress::v6(dst.data()) : FlowAddress::v4(dst.data());
    ip.present = true;
    return DecodeError::none;
}

DecodeError read_gateway(Bytes body, SflowFlow& f) noexcept {
    XdrReader r(body);
    FlowAddress next_hop;
    r.address(next_hop);
    SflowExtra& x = f.sflow;
    x.router_as = r.u32();
    const std::uint32_t src_as = r.u32();
    x.src_peer_as = r.u32();
    const std::uint32_t segments = r.u32();
    if (!r.count_fits(segments, 8)) return error_of(r);
    x.as_path.clear();
    for (std::uint32_t s = 0; s < segments; ++s) {
        r.u32();  // segment type: 1 AS_SET, 2 AS_SEQUENCE; the path keeps both in order
        const std::uint32_t n = r.u32();
        if (!r.count_fits(n, 4)) return error_of(r);
        for (std::uint32_t i = 0; i < n; ++i)
            x.as_path.push_back(r.u32());
    }
    const std::uint32_t communities = r.u32();
    if (!r.count_fits(communities, 4)) return error_of(r);
    x.communities.clear();
    for (std::uint32_t i = 0; i < communities; ++i)
        x.communities.push_back(r.u32());
    x.local_pref = r.u32();
    if (r.failed()) return error_of(r);
    FlowRecord& flow = f.flow;
    flow.bgp_next_hop = next_hop;
    flow.src_as = src_as;
    // The origin AS ends the path; an empty path means the destination is in the agent's AS.
    flow.dst_as = x.as_path.empty() ? x.router_as : x.as_path.back();
    flow.present |= netflow::kBgpNextHop | netflow::kSrcAs | netflow::kDstAs;
    x.present |= kExtraGateway;
    return DecodeError::none;
}

DecodeError read_flow_record(const Tagged& t, SflowFlow& f, FlowParts& parts,
                             SflowDatagram& out) noexcept {
    if (t.enterprise != 0) {
        ++out.skipped_records;
        return DecodeError::none;
    }
    switch (t.format) {
        case kRawHeader:
            return read_raw_header(t.body, parts);
        case kEthernetFrame: {
            XdrReader r(t.body);
            parts.frame_data_length = r.u32();
            const Bytes src = r.opaque(6);
            const Bytes dst = r.opaque(6);
            parts.frame_type = r.u32();
            if (r.failed()) return DecodeError::bad_length;
            std::copy_n(src.begin(), 6, f.sflow.src_mac.begin());
            std::copy_n(dst.begin(), 6, f.sflow.dst_mac.begin());
            parts.has_frame = true;
            return DecodeError::none;
        }
        case kSampledIpv4:
            return read_sampled_ip(t.body, false, parts.ip);
        case kSampledIpv6:
            return read_sampled_ip(t.body, true, parts.ip);
        case kExtendedSwitch: {
            XdrReader r(t.body);
            f.sflow.src_vlan = r.u32();
            f.sflow.src_priority = r.u32();
            f.sflow.dst_vlan = r.u32();
            f.sflow.dst_priority = r.u32();
            if (r.failed()) return DecodeError::bad_length;
            f.sflow.present |= kExtraSwitch;
            return DecodeError::none;
        }
        case kExtendedRouter: {
            XdrReader r(t.body);
            FlowAddress next_hop;
            r.address(next_hop);
            const std::uint32_t src_mask = r.u32();
            const std::uint32_t dst_mask = r.u32();
            if (r.failed()) return error_of(r);
            f.flow.next_hop = next_hop;
            f.flow.src_net = static_cast<std::uint8_t>(std::min<std::uint32_t>(src_mask, 128));
            f.flow.dst_net = static_cast<std::uint8_t>(std::min<std::uint32_t>(dst_mask, 128));
            f.flow.present |= netflow::kNextHop | netflow::kSrcNet | netflow::kDstNet;
            f.sflow.present |= kExtraRouter;
            return DecodeError::none;
        }
        case kExtendedGateway:
            return read_gateway(t.body, f);
        default:
            ++out.skipped_records;
            return DecodeError::none;
    }
}

FlowAddress header_address(const pcap::PacketHeader& h, const std::array<std::uint8_t, 16>& a) {
    return h.ip_version == 6 ? FlowAddress::v6(a.data()) : FlowAddress::v4(a.data());
}

/// Folds the packet records into the flow: the sampled header first, else sampled IP data.
void apply_packet(const FlowParts& parts, SflowFlow& f) noexcept {
    FlowRecord& flow = f.flow;
    flow.packets = 1;
    flow.present |= netflow::kPackets;
    if (parts.has_header) {
        flow.bytes = parts.frame_length;
        flow.present |= netflow::kBytes;
        const pcap::PacketHeader& h = parts.header;
        if (h.has(pcap::kHeaderMacs)) {
            f.sflow.src_mac = h.src_mac;
            f.sflow.dst_mac = h.dst_mac;
            f.sflow.present |= kExtraMacs;
        }
        if (h.has(pcap::kHeaderEtype)) {
            flow.etype = h.etype;
            flow.present |= netflow::kEtype;
        }
        if (h.has(pcap::kHeaderVlan)) {
            flow.vlan_id = h.vlan_id;
            flow.present |= netflow::kVlanId;
        }
        if (h.has(pcap::kHeaderIp)) {
            flow.src_addr = header_address(h, h.src);
            flow.dst_addr = header_address(h, h.dst);
            flow.proto = h.proto;
            flow.ip_tos = h.tos;
            flow.present |=
                netflow::kSrcAddr | netflow::kDstAddr | netflow::kProto | netflow::kIpTos;
            f.sflow.ttl = h.ttl;
            f.sflow.present |= kExtraTtl;
        }
        if (h.has(pcap::kHeaderPorts)) {
            flow.src_port = h.src_port;
            flow.dst_port = h.dst_port;
            flow.present |= netflow::kSrcPort | netflow::kDstPort;
        }
        if (h.has(pcap::kHeaderTcpFlags)) {
            flow.tcp_flags = h.tcp_flags;
            flow.present |= netflow::kTcpFlags;
        }
        if (h.has(pcap::kHeaderIcmp)) {
            flow.icmp_type = h.icmp_type;
            flow.icmp_code = h.icmp_code;
            flow.present |= netflow::kIcmpType | netflow::kIcmpCode;
        }
        return;
    }
    if (parts.has_frame) {
        flow.bytes = parts.frame_data_length;
        flow.present |= netflow::kBytes;
        f.sflow.present |= kExtraMacs;
        if (parts.frame_type >= 0x0600 && parts.frame_type <= 0xFFFF) {
            flow.etype = static_cast<std::uint16_t>(parts.frame_type);
            flow.present |= netflow::kEtype;
        }
    }
    if (parts.ip.present) {
        const SampledIp& ip = parts.ip;
        // The IP packet's length stands in for the frame's when nothing else gave one.
        if (!flow.has(netflow::kBytes)) {
            flow.bytes = ip.length;
            flow.present |= netflow::kBytes;
        }
        flow.src_addr = ip.src;
        flow.dst_addr = ip.dst;
        flow.proto = static_cast<std::uint8_t>(ip.proto);
        flow.src_port = static_cast<std::uint16_t>(ip.src_port);
        flow.dst_port = static_cast<std::uint16_t>(ip.dst_port);
        flow.tcp_flags = static_cast<std::uint16_t>(ip.tcp_flags & 0x1FFu);
        flow.ip_tos = static_cast<std::uint8_t>(ip.tos);
        flow.etype = ip.src.family == 6 ? 0x86DD : 0x0800;
        flow.present |= netflow::kSrcAddr | netflow::kDstAddr | netflow::kProto |
                        netflow::kSrcPort | netflow::kDstPort | netflow::kTcpFlags |
                        netflow::kIpTos | netflow::kEtype;
    }
}

/// An interface as a flow sample gives it: format in the top 2 bits (0 ifIndex, 1 discarded
/// with a reason, 2 several interfaces), value in the other 30.
void apply_interface(std::uint32_t format, std::uint32_t value, bool input, SflowFlow& f) {
    if (format == 0) {
        if (input) {
            f.flow.in_if = value;
            f.flow.present |= netflow::kInIf;
        } else {
            f.flow.out_if = value;
            f.flow.present |= netflow::kOutIf;
        }
    } else if (format == 1 && !input) {
        f.sflow.discard_reason = value;
        f.sflow.present |= kExtraDiscard;
    }
}

}  // namespace

DecodeError read_flow_sample(Bytes body, bool expanded, const SflowDatagram& header,
                             std::uint64_t received_ns, SflowDatagram& out) noexcept {
    XdrReader r(body);
    SflowFlow& f = out.flows.emplace_back();
    SflowExtra& x = f.sflow;
    x.sample_sequence = r.u32();
    std::uint32_t in_format = 0, in_value = 0, out_format = 0, out_value = 0;
    if (expanded) {
        x.source_id_type = static_cast<std::uint8_t>(r.u32());
        x.source_id_index = r.u32();
    } else {
        const std::uint32_t source = r.u32();
        x.source_id_type = static_cast<std::uint8_t>(source >> 24);
        x.source_id_index = source & 0xFFFFFFu;
    }
    const std::uint32_t sampling_rate = r.u32();
    x.sample_pool = r.u32();
    x.drops = r.u32();
    if (expanded) {
        in_format = r.u32();
        in_value = r.u32();
        out_format = r.u32();
        out_value = r.u32();
    } else {
        const std::uint32_t input = r.u32();
        const std::uint32_t output = r.u32();
        in_format = input >> 30;
        in_value = input & 0x3FFFFFFFu;
        out_format = output >> 30;
        out_value = output & 0x3FFFFFFFu;
    }
    const std::uint32_t records = r.u32();
    if (r.failed()) return DecodeError::truncated;
    if (!r.count_fits(records, 8)) return DecodeError::truncated;

    FlowRecord& flow = f.flow;
    flow.sampler_address = header.agent;
    flow.observation_domain = header.sub_agent_id;
    flow.sequence_num = header.sequence;
    flow.time_received_ns = received_ns;
    flow.sampling_rate = sampling_rate;
    apply_interface(in_format, in_value, true, f);
    apply_interface(out_format, out_value, false, f);

    FlowParts parts;
    for (std::uint32_t i = 0; i < records; ++i) {
        Tagged t;
        if (const DecodeError e = read_tagged(r, t); e != DecodeError::none) return e;
        if (const DecodeError e = read_flow_record(t, f, parts, out); e != DecodeError::none) {
            return e;
        }
    }
    apply_packet(parts, f);
    return DecodeError::none;
}

}  // namespace netfeed::sflow::detail
