// Flow -> Record; see netflow_record.hpp and docs/flows.md.
#include "collectors/netflow/netflow_record.hpp"

#include <bit>
#include <charconv>

#include "agent/field_pool.hpp"

namespace netfeed::netflow {

IpAddress to_ip(const FlowAddress& a) {
    if (a.family == 4) {
        return boost::asio::ip::address_v4(boost::asio::ip::address_v4::bytes_type{
            a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]});
    }
    if (a.family == 6) {
        boost::asio::ip::address_v6::bytes_type b;
        std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
        return boost::asio::ip::address_v6(b);
    }
    return {};
}

namespace {

Timestamp from_ns(std::uint64_t ns) {
    return Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::nanoseconds(ns)));
}

void append_hex(std::string& out, const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
}

// An NSEL ACL id as its three 32-bit words in hex, ACL-ACE-extended ACE hash (the form the
// ASA's `show access-list` prints as the hash of each entry).
std::string acl_id(const AclId& id) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(26, '-');
    for (std::size_t word = 0; word < 3; ++word) {
        const auto v = static_cast<std::uint32_t>(id[word]);
        for (std::size_t d = 0; d < 8; ++d)
            out[word * 9 + d] = digits[(v >> (28 - 4 * d)) & 0xF];
    }
    return out;
}

std::string five_tuple(const FlowRecord& f) {
    std::string key = to_ip(f.src_addr).to_string();
    key += '|';
    key += std::to_string(f.src_port);
    key += '|';
    key += to_ip(f.dst_addr).to_string();
    key += '|';
    key += std::to_string(f.dst_port);
    key += '|';
    key += std::to_string(f.proto);
    return key;
}

}  // namespace

Record make_flow_record(const FlowRecord& f, const std::string& device, FlowKey key,
                        Timestamp received) {
    Record r;
    r.kind = RecordKind::flow;
    r.received = received;
    // Firewall events (NSEL) often carry no flow end, only when the event happened.
    r.time = f.has(kTimeEnd)           ? from_ns(f.time_flow_end_ns)
             : f.has(kObservationTime) ? from_ns(f.observation_time_ns)
                                       : received;
    r.device = device;
    r.device_address = to_ip(f.sampler_address);
    // Every optional field and address has a bit in `present`; at most 10 fields come without
    // one (the fixed ones, the exporter, sampling, application name, extra).
    r.fields = take_field_vector(static_cast<std::size_t>(std::popcount(f.present)) + 10);
    const auto u = [&](FieldName name, std::uint64_t v) { r.add(name, v); };
    const auto ip = [&](FieldName name, const FlowAddress& a) {
        if (a.family != 0) r.add(name, to_ip(a));
    };
    u("flow_version", f.version);
    u("time_received_ns", f.time_received_ns);
    if (f.has(kTimeStart)) u("time_flow_start_ns", f.time_flow_start_ns);
    if (f.has(kTimeEnd)) u("time_flow_end_ns", f.time_flow_end_ns);
    ip("sampler_address", f.sampler_address);
    u("observation_domain_id", f.observation_domain);
    u("sequence_num", f.sequence_num);
    ip("src_addr", f.src_addr);
    ip("dst_addr", f.dst_addr);
    if (f.has(kSrcPort)) u("src_port", f.src_port);
    if (f.has(kDstPort)) u("dst_port", f.dst_port);
    if (f.has(kProto)) u("proto", f.proto);
    if (f.has(kBytes)) u("bytes", f.bytes);
    if (f.has(kPackets)) u("packets", f.packets);
    if (f.sampling_rate > 0) {
        u("sampling_rate", f.sampling_rate);
        // The estimate of what crossed the wire, beside what was sampled.
        if (f.has(kBytes)) u("bytes_scaled", f.bytes * f.sampling_rate);
        if (f.has(kPackets)) u("packets_scaled", f.packets * f.sampling_rate);
    }
    if (f.has(kTcpFlags)) u("tcp_flags", f.tcp_flags);
    if (f.has(kIpTos)) u("ip_tos", f.ip_tos);
    if (f.has(kInIf)) u("in_if", f.in_if);
    if (f.has(kOutIf)) u("out_if", f.out_if);
    if (f.has(kSrcAs)) u("src_as", f.src_as);
    if (f.has(kDstAs)) u("dst_as", f.dst_as);
    if (f.has(kSrcNet)) u("src_net", f.src_net);
    if (f.has(kDstNet)) u("dst_net", f.dst_net);
    ip("next_hop", f.next_hop);
    ip("bgp_next_hop", f.bgp_next_hop);
    if (f.has(kEtype)) u("etype", f.etype);
    if (f.has(kVlanId)) u("vlan_id", f.vlan_id);
    if (f.has(kDirection)) u("direction", f.direction);
    if (f.has(kIcmpType)) u("icmp_type", f.icmp_type);
    if (f.has(kIcmpCode)) u("icmp_code", f.icmp_code);
    if (f.has(kFlowEndReason)) u("flow_end_reason", f.flow_end_reason);
    if (f.has(kSamplerId)) u("sampler_id", f.sampler_id);
    // Biflows (RFC 5103) and firewall/NAT events: only templates that carry them pay for them.
    if (f.has(kReverseBytes)) u("reverse_bytes", f.reverse_bytes);
    if (f.has(kReversePackets)) u("reverse_packets", f.reverse_packets);
    if (f.has(kReverseTcpFlags)) u("reverse_tcp_flags", f.reverse_tcp_flags);
    if (f.has(kReverseIpTos)) u("reverse_ip_tos", f.reverse_ip_tos);
    if (f.has(kBiflowDirection)) u("biflow_direction", f.biflow_direction);
    ip("nat_src_addr", f.nat_src_addr);
    ip("nat_dst_addr", f.nat_dst_addr);
    if (f.has(kNatSrcPort)) u("nat_src_port", f.nat_src_port);
    if (f.has(kNatDstPort)) u("nat_dst_port", f.nat_dst_port);
    if (f.has(kFlowId)) u("flow_id", f.flow_id);
    if (f.has(kFwEvent)) u("fw_event", f.fw_event);
    if (f.has(kFwExtEvent)) u("fw_ext_event", f.fw_ext_event);
    if (f.has(kObservationTime)) u("observation_time_ns", f.observation_time_ns);
    if (f.has(kIngressAclId)) r.add("ingress_acl_id", acl_id(f.ingress_acl_id));
    if (f.has(kEgressAclId)) r.add("egress_acl_id", acl_id(f.egress_acl_id));
    if (f.has(kUsername)) r.add("username", std::string(f.username.data(), f.username_length));
    if (f.has(kApplicationId)) {
        // Cisco's notation, engine:selector (3:80 is port 80, 13:453 an NBAR protocol id).
        r.add("application_id",
              std::to_string(f.application_engine) + ":" + std::to_string(f.application_selector));
        if (f.application_name) r.add("application_name", *f.application_name);
    }
    if (!f.extra.empty()) {
        // Fields we have no name for, by number, so nothing the exporter sent is lost:
        // {"<enterprise>:<element>": "<hex bytes>"}.
        Json extra = Json::object();
        for (const RawField& field : f.extra) {
            std::string value;
            append_hex(value, field.value);
            extra[std::to_string(field.enterprise) + ":" + std::to_string(field.element)] =
                std::move(value);
        }
        r.add("extra", std::move(extra));
    }
    switch (key) {
        case FlowKey::device:
            break;  // the route's default: the device name
        case FlowKey::five_tuple:
            r.key = five_tuple(f);
            break;
        case FlowKey::src_addr:
            r.key = to_ip(f.src_addr).to_string();
            break;
        case FlowKey::dst_addr:
            r.key = to_ip(f.dst_addr).to_string();
            break;
    }
    return r;
}

}  // namespace netfeed::netflow
