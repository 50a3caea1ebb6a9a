// The sFlow v5 decoder: datagrams built here from the spec (sflow_builder.hpp) with every sample
// and record format it reads, the fallbacks between them, what it skips by length, and a table
// of malformed datagrams that must each be refused with their cause.
#include <gtest/gtest.h>

#include <string>

#include "collectors/sflow/sflow_datagram.hpp"
#include "tests/unit/collectors/sflow/sflow_builder.hpp"

namespace netfeed::sflow {
namespace {

using namespace test;

FlowAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    const std::uint8_t bytes[4] = {a, b, c, d};
    return FlowAddress::v4(bytes);
}

FlowAddress v6(const Bytes& b) {
    return FlowAddress::v6(b.data());
}

Bytes switch_record(std::uint32_t src_vlan, std::uint32_t dst_vlan) {
    Xdr x;
    x.u32(src_vlan).u32(5).u32(dst_vlan).u32(6);
    return tagged(1001, x.b);
}

Bytes router_record() {
    Xdr x;
    x.ipv4({10, 0, 0, 254}).u32(24).u32(16);
    return tagged(1002, x.b);
}

Bytes gateway_record() {
    Xdr x;
    x.ipv4({203, 0, 113, 9}).u32(65000).u32(64500).u32(64501);
    x.u32(2);                                  // two path segments
    x.u32(2).u32(2).u32(64501).u32(3356);      // AS_SEQUENCE 64501 3356
    x.u32(1).u32(1).u32(15169);                // AS_SET {15169}
    x.u32(2).u32(0xFDE80001).u32(0xFDE80002);  // communities
    x.u32(150);                                // localpref
    return tagged(1003, x.b);
}

Bytes interface_counters(std::uint32_t if_index) {
    Xdr x;
    x.u32(if_index).u32(6).u64(10000000000ull).u32(1).u32(3);
    x.u64(123456789012ull).u32(1000).u32(20).u32(30).u32(4).u32(5).u32(0xFFFFFFFFu);
    x.u64(98765432109ull).u32(2000).u32(21).u32(31).u32(6).u32(7).u32(1);
    return tagged(1, x.b);
}

Bytes ethernet_counters() {
    Xdr x;
    for (std::uint32_t v = 1; v <= 13; ++v)
        x.u32(v);
    return tagged(2, x.b);
}

SflowDatagram decode_ok(const Bytes& bytes) {
    SflowDatagram d;
    const DecodeError e = decode_sflow(bytes, 1000, d);
    EXPECT_EQ(e, DecodeError::none) << to_string(e);
    return d;
}

TEST(SflowDecode, FlowSampleWithEthernetHeaderAndExtendedRecords) {
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(51000, 443, 0x112)), {0x2064});
    const Bytes bytes =
        datagram({flow_sample({raw_header_record(1, 1518, frame), switch_record(100, 200),
                               router_record(), gateway_record()})});
    const SflowDatagram d = decode_ok(bytes);
    EXPECT_EQ(d.agent, v4(192, 0, 2, 1));
    EXPECT_EQ(d.sub_agent_id, 1u);
    EXPECT_EQ(d.sequence, 7u);
    EXPECT_EQ(d.uptime_ms, 123456u);
    ASSERT_EQ(d.flows.size(), 1u);
    const FlowRecord& f = d.flows[0].flow;
    const SflowExtra& x = d.flows[0].sflow;
    EXPECT_EQ(f.sampler_address, v4(192, 0, 2, 1));
    EXPECT_EQ(f.observation_domain, 1u);
    EXPECT_EQ(f.sequence_num, 7u);
    EXPECT_EQ(f.time_received_ns, 1000u);
    EXPECT_EQ(f.sampling_rate, 1000u);
    EXPECT_EQ(f.bytes, 1518u);
    EXPECT_EQ(f.packets, 1u);
    EXPECT_EQ(f.in_if, 3u);
    EXPECT_EQ(f.out_if, 5u);
    EXPECT_EQ(f.src_addr, v4(10, 1, 2, 3));
    EXPECT_EQ(f.dst_addr, v4(10, 4, 5, 6));
    EXPECT_EQ(f.proto, 6);
    EXPECT_EQ(f.src_port, 51000);
    EXPECT_EQ(f.dst_port, 443);
    EXPECT_EQ(f.tcp_flags, 0x112);
    EXPECT_EQ(f.ip_tos, 0x28);
    EXPECT_EQ(f.etype, 0x0800);
    EXPECT_EQ(f.vlan_id, 0x064);
    EXPECT_TRUE(f.has(netflow::kVlanId));
    EXPECT_EQ(f.next_hop, v4(10, 0, 0, 254));
    EXPECT_EQ(f.src_net, 24);
    EXPECT_EQ(f.dst_net, 16);
    EXPECT_EQ(f.bgp_next_hop, v4(203, 0, 113, 9));
    EXPECT_EQ(f.src_as, 64500u);
    EXPECT_EQ(f.dst_as, 15169u);  // the path's last AS: the origin
    EXPECT_EQ(x.ttl, 61);
    EXPECT_EQ(x.src_mac, (std::array<std::uint8_t, 6>{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}));
    EXPECT_EQ(x.dst_mac, (std::array<std::uint8_t, 6>{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}));
    EXPECT_EQ(x.src_vlan, 100u);
    EXPECT_EQ(x.dst_vlan, 200u);
    EXPECT_EQ(x.src_priority, 5u);
    EXPECT_EQ(x.dst_priority, 6u);
    EXPECT_EQ(x.router_as, 65000u);
    EXPECT_EQ(x.src_peer_as, 64501u);
    EXPECT_EQ(x.as_path, (std::vector<std::uint32_t>{64501, 3356, 15169}));
    EXPECT_EQ(x.communities, (std::vector<std::uint32_t>{0xFDE80001u, 0xFDE80002u}));
    EXPECT_EQ(x.local_pref, 150u);
    EXPECT_EQ(x.sample_sequence, 42u);
    EXPECT_EQ(x.source_id_index, 3u);
    EXPECT_EQ(x.sample_pool, 500000u);
    EXPECT_FALSE(x.has(kExtraDiscard));
}

TEST(SflowDecode, ExpandedFlowSampleWithIpv6UdpAndIpv6Agent) {
    Xdr sample;
    sample.u32(9).u32(0).u32(70000).u32(256).u32(1000).u32(2);
    sample.u32(0).u32(70000).u32(0).u32(70001);  // expanded interfaces: ifIndex > 2^24 fits
    const Bytes frame = ethernet(0x86DD, ipv6_packet(17, udp(5353, 53)));
    const Bytes header = raw_header_record(1, 90, frame);
    sample.u32(1).raw(header);
    Xdr d;
    d.u32(5).ipv6(ipv6_src()).u32(0).u32(1).u32(2).u32(1).raw(tagged(3, sample.b));
    const SflowDatagram out = decode_ok(d.b);
    EXPECT_EQ(out.agent, v6(ipv6_src()));
    ASSERT_EQ(out.flows.size(), 1u);
    const FlowRecord& f = out.flows[0].flow;
    EXPECT_EQ(f.in_if, 70000u);
    EXPECT_EQ(f.out_if, 70001u);
    EXPECT_EQ(f.sampling_rate, 256u);
    EXPECT_EQ(out.flows[0].sflow.source_id_index, 70000u);
    EXPECT_EQ(f.src_addr, v6(ipv6_src()));
    EXPECT_EQ(f.dst_addr, v6(ipv6_dst()));
    EXPECT_EQ(f.proto, 17);
    EXPECT_EQ(f.src_port, 5353);
    EXPECT_EQ(f.dst_port, 53);
    EXPECT_EQ(f.ip_tos, 0xb8);
    EXPECT_EQ(f.etype, 0x86DD);
    EXPECT_EQ(out.flows[0].sflow.ttl, 63);
    EXPECT_FALSE(f.has(netflow::kTcpFlags));
}

TEST(SflowDecode, SampledIpv4AndIpv6WhenThereIsNoHeader) {
    Xdr ip4;
    ip4.u32(1400).u32(6).raw({198, 51, 100, 1}).raw({198, 51, 100, 2}).u32(80).u32(40000);
    ip4.u32(0x18).u32(0x10);
    Xdr ip6;
    ip6.u32(600).u32(17).raw(ipv6_src()).raw(ipv6_dst()).u32(123).u32(124).u32(0).u32(0x20);
    const SflowDatagram d =
        decode_ok(datagram({flow_sample({tagged(3, ip4.b)}), flow_sample({tagged(4, ip6.b)})}));
    ASSERT_EQ(d.flows.size(), 2u);
    const FlowRecord& a = d.flows[0].flow;
    EXPECT_EQ(a.src_addr, v4(198, 51, 100, 1));
    EXPECT_EQ(a.dst_addr, v4(198, 51, 100, 2));
    EXPECT_EQ(a.bytes, 1400u);
    EXPECT_EQ(a.proto, 6);
    EXPECT_EQ(a.src_port, 80);
    EXPECT_EQ(a.dst_port, 40000);
    EXPECT_EQ(a.tcp_flags, 0x18);
    EXPECT_EQ(a.ip_tos, 0x10);
    EXPECT_EQ(a.etype, 0x0800);
    const FlowRecord& b = d.flows[1].flow;
    EXPECT_EQ(b.src_addr, v6(ipv6_src()));
    EXPECT_EQ(b.bytes, 600u);
    EXPECT_EQ(b.ip_tos, 0x20);
    EXPECT_EQ(b.etype, 0x86DD);
}

TEST(SflowDecode, TheSampledHeaderWinsOverSampledIpData) {
    Xdr ip4;
    ip4.u32(1400).u32(17).raw({198, 51, 100, 1}).raw({198, 51, 100, 2}).u32(1).u32(2);
    ip4.u32(0).u32(0);
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(1000, 2000, 0x02)));
    const SflowDatagram d =
        decode_ok(datagram({flow_sample({tagged(3, ip4.b), raw_header_record(1, 64, frame)})}));
    ASSERT_EQ(d.flows.size(), 1u);
    EXPECT_EQ(d.flows[0].flow.src_addr, v4(10, 1, 2, 3));
    EXPECT_EQ(d.flows[0].flow.src_port, 1000);
    EXPECT_EQ(d.flows[0].flow.bytes, 64u);
}

TEST(SflowDecode, IcmpAndAnIpv4HeaderWithoutEthernet) {
    const Bytes icmp = {8, 0, 0, 0, 0, 1, 0, 1};
    const SflowDatagram d =
        decode_ok(datagram({flow_sample({raw_header_record(11, 84, ipv4_packet(1, icmp))})}));
    ASSERT_EQ(d.flows.size(), 1u);
    const FlowRecord& f = d.flows[0].flow;
    EXPECT_EQ(f.proto, 1);
    EXPECT_EQ(f.icmp_type, 8);
    EXPECT_EQ(f.icmp_code, 0);
    EXPECT_TRUE(f.has(netflow::kIcmpType));
    EXPECT_FALSE(f.has(netflow::kSrcPort));
    EXPECT_EQ(f.etype, 0x0800);
    EXPECT_FALSE(d.flows[0].sflow.has(kExtraMacs));
}

TEST(SflowDecode, DiscardedPacketsAndUnknownInterfaces) {
    // Output format 1: discarded, reason 258 (ACL); input format 2: several interfaces.
    const Bytes frame = ethernet(0x0800, ipv4_packet(17, udp(1, 2)));
    const SflowDatagram d = decode_ok(
        datagram({flow_sample({raw_header_record(1, 60, frame)}, 10, 0x80000002u, 0x40000102u)}));
    ASSERT_EQ(d.flows.size(), 1u);
    EXPECT_FALSE(d.flows[0].flow.has(netflow::kInIf));
    EXPECT_FALSE(d.flows[0].flow.has(netflow::kOutIf));
    EXPECT_TRUE(d.flows[0].sflow.has(kExtraDiscard));
    EXPECT_EQ(d.flows[0].sflow.discard_reason, 258u);
}

TEST(SflowDecode, CounterSamplesGenericAndEthernet) {
    Xdr compact;
    compact.u32(11).u32(7).u32(2).raw(interface_counters(7)).raw(ethernet_counters());
    Xdr expanded;
    expanded.u32(12).u32(0).u32(9).u32(1).raw(ethernet_counters());
    const SflowDatagram d = decode_ok(datagram({tagged(2, compact.b), tagged(4, expanded.b)}));
    ASSERT_EQ(d.counters.size(), 2u);
    const SflowCounters& c = d.counters[0];
    EXPECT_TRUE(c.has_interface);
    EXPECT_TRUE(c.has_ethernet);
    EXPECT_EQ(c.sample_sequence, 11u);
    EXPECT_EQ(c.interface.if_index, 7u);
    EXPECT_EQ(c.interface.if_type, 6u);
    EXPECT_EQ(c.interface.if_speed, 10000000000ull);
    EXPECT_EQ(c.interface.if_direction, 1u);
    EXPECT_EQ(c.interface.if_status, 3u);
    EXPECT_EQ(c.interface.in_octets, 123456789012ull);
    EXPECT_EQ(c.interface.in_ucast_pkts, 1000u);
    EXPECT_EQ(c.interface.in_unknown_protos, 0xFFFFFFFFu);
    EXPECT_EQ(c.interface.out_octets, 98765432109ull);
    EXPECT_EQ(c.interface.out_errors, 7u);
    EXPECT_EQ(c.interface.promiscuous_mode, 1u);
    EXPECT_EQ(c.ethernet.alignment_errors, 1u);
    EXPECT_EQ(c.ethernet.symbol_errors, 13u);
    EXPECT_FALSE(d.counters[1].has_interface);
    EXPECT_EQ(d.counters[1].source_id_index, 9u);
    EXPECT_EQ(d.counters[1].ethernet.frame_too_longs, 11u);
}

TEST(SflowDecode, UnknownFormatsAreSkippedByTheirLength) {
    Xdr processor;  // counter record 1001 (processor): not interface counters
    processor.u32(100).u32(200).u32(300).u64(1 << 30).u64(1 << 20);
    Xdr counters;
    counters.u32(1).u32(3).u32(1).raw(tagged(1001, processor.b));
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(1, 2, 0x10)));
    const SflowDatagram d = decode_ok(datagram({
        tagged(2, counters.b),                           // no interface counters in it
        tagged(7, Bytes(12, 0xAB)),                      // unknown sample format
        tagged(1, Bytes(16, 0xCD), 4413),                // another enterprise's sample
        flow_sample({tagged(1010, Bytes(8, 0)),          // extended user: not read
                     tagged(1, Bytes(4, 0), 9),          // another enterprise's record
                     raw_header_record(1, 70, frame)}),  // still read after them
    }));
    EXPECT_EQ(d.skipped_samples, 3u);
    EXPECT_EQ(d.skipped_records, 3u);
    ASSERT_EQ(d.flows.size(), 1u);
    EXPECT_EQ(d.flows[0].flow.dst_port, 2);
    EXPECT_TRUE(d.counters.empty());
}

TEST(SflowDecode, EmptyAsPathMeansTheAgentsOwnAs) {
    Xdr x;
    x.ipv4({203, 0, 113, 9}).u32(65000).u32(0).u32(0).u32(0).u32(0).u32(100);
    const SflowDatagram d = decode_ok(datagram({flow_sample({tagged(1003, x.b)})}));
    ASSERT_EQ(d.flows.size(), 1u);
    EXPECT_EQ(d.flows[0].flow.dst_as, 65000u);
    EXPECT_TRUE(d.flows[0].sflow.as_path.empty());
}

struct Malformed {
    const char* name;
    Bytes bytes;
    DecodeError error;
};

std::vector<Malformed> malformed_datagrams() {
    const Bytes good_frame = ethernet(0x0800, ipv4_packet(6, tcp(1, 2, 0x10)));
    std::vector<Malformed> rows;
    rows.push_back({"empty", {}, DecodeError::truncated});
    rows.push_back({"version 4", Xdr().u32(4).ipv4({1, 2, 3, 4}).u32(0).u32(0).u32(0).u32(0).b,
                    DecodeError::bad_version});
    rows.push_back({"agent address type 3", Xdr().u32(5).u32(3).u32(0).u32(0).u32(0).u32(0).b,
                    DecodeError::bad_address_type});
    rows.push_back(
        {"header cut", Xdr().u32(5).ipv4({1, 2, 3, 4}).u32(0).b, DecodeError::truncated});
    {
        Bytes b = datagram({flow_sample({raw_header_record(1, 60, good_frame)})});
        b.resize(b.size() - 4);
        rows.push_back({"last sample cut", b, DecodeError::truncated});
    }
    rows.push_back({"more samples than sent",
                    Xdr().u32(5).ipv4({1, 2, 3, 4}).u32(0).u32(0).u32(0).u32(1000).b,
                    DecodeError::truncated});
    {
        Xdr sample;  // says 3 records, holds 1
        sample.u32(1).u32(3).u32(10).u32(10).u32(0).u32(1).u32(2).u32(3);
        sample.raw(switch_record(1, 2));
        rows.push_back(
            {"records beyond the sample", datagram({tagged(1, sample.b)}), DecodeError::truncated});
    }
    {
        Xdr rec;  // header length 200 in a record of 32 bytes
        rec.u32(1).u32(60).u32(0).u32(200).opaque(Bytes(16, 0));
        rows.push_back({"sampled header longer than its record",
                        datagram({flow_sample({tagged(1, rec.b)})}), DecodeError::bad_length});
    }
    rows.push_back({"switch record too short", datagram({flow_sample({tagged(1001, Bytes(8, 0))})}),
                    DecodeError::bad_length});
    {
        Xdr x;  // 0x40000000 path segments
        x.ipv4({1, 2, 3, 4}).u32(1).u32(2).u32(3).u32(0x40000000u).u32(2).u32(1).u32(7);
        rows.push_back({"as path count beyond the record",
                        datagram({flow_sample({tagged(1003, x.b)})}), DecodeError::bad_length});
    }
    {
        Xdr x;
        x.u32(7).u32(0).u32(0);
        rows.push_back({"router next hop address type 7",
                        datagram({flow_sample({tagged(1002, x.b)})}),
                        DecodeError::bad_address_type});
    }
    {
        Xdr counters;
        counters.u32(1).u32(3).u32(1).raw(tagged(1, Bytes(40, 0)));
        rows.push_back({"interface counters too short", datagram({tagged(2, counters.b)}),
                        DecodeError::bad_length});
    }
    return rows;
}

TEST(SflowDecode, MalformedDatagramsAreRefusedWithTheirCause) {
    for (const Malformed& row : malformed_datagrams()) {
        SflowDatagram d;
        d.flows.emplace_back();  // left over from an earlier datagram: must be cleared
        EXPECT_EQ(decode_sflow(row.bytes, 1, d), row.error) << row.name;
        EXPECT_TRUE(d.flows.empty()) << row.name;
        EXPECT_TRUE(d.counters.empty()) << row.name;
    }
}

TEST(SflowDecode, EveryPrefixOfAGoodDatagramIsRefused) {
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(1, 2, 0x10)));
    Xdr counters;
    counters.u32(1).u32(3).u32(2).raw(interface_counters(3)).raw(ethernet_counters());
    const Bytes good = datagram({flow_sample({raw_header_record(1, 60, frame), switch_record(1, 2),
                                              router_record(), gateway_record()}),
                                 tagged(2, counters.b)});
    SflowDatagram d;
    ASSERT_EQ(decode_sflow(good, 1, d), DecodeError::none);
    for (std::size_t n = 0; n < good.size(); ++n) {
        const Bytes prefix(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_NE(decode_sflow(prefix, 1, d), DecodeError::none) << n << " bytes";
        EXPECT_TRUE(d.flows.empty() && d.counters.empty()) << n << " bytes";
    }
}

}  // namespace
}  // namespace netfeed::sflow
