// The flow decoder on a table of real-format export packets (NetFlow v5, v9 with templates and
// options, IPFIX with IPv6, enterprise, variable-length and reduced-size fields, padding), each
// flow checked on every field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

const FlowAddress kExporter = ip4(192, 0, 2, 1);
constexpr std::uint64_t kReceived = 1'700'000'100 * kSecond + 123 * kMs;

struct Case {
    std::string name;
    std::vector<std::vector<std::uint8_t>> packets;
    std::vector<FlowRecord> flows;
    std::uint64_t options_records = 0;
};

FlowRecord base(std::uint8_t version, std::uint32_t domain, std::uint32_t sequence) {
    FlowRecord r;
    r.version = version;
    r.sampler_address = kExporter;
    r.observation_domain = domain;
    r.sequence_num = sequence;
    r.time_received_ns = kReceived;
    return r;
}

Case v5_two_flows() {
    Case c{"v5 with two flows"};
    const std::uint32_t uptime = 360'000'000;
    PacketBuilder p;
    // Sampling 0x4064: mode 1 (deterministic) in the top 2 bits, interval 100 in the low 14.
    p.v5_header(2, uptime, 1'700'000'000, 500'000'000, 1000, 1, 2, 0x4064);
    p.addr(ip4(10, 0, 0, 1)).addr(ip4(10, 0, 0, 2)).addr(ip4(10, 0, 0, 254));
    p.u16(3).u16(4).u32(10).u32(1500).u32(uptime - 60'000).u32(uptime - 1'000);
    p.u16(12345).u16(443).u8(0).u8(0x1b).u8(6).u8(0x20).u16(65001).u16(65002).u8(24).u8(16).u16(0);
    // An ICMP echo: the type and code travel in dst_port. Its end is stamped after the export.
    p.addr(ip4(10, 0, 0, 3)).addr(ip4(10, 0, 0, 4)).addr(ip4(0, 0, 0, 0));
    p.u16(5).u16(6).u32(1).u32(84).u32(uptime - 10).u32(uptime + 500);
    p.u16(0).u16(0x0800).u8(0).u8(0).u8(1).u8(0).u16(0).u16(0).u8(0).u8(0).u16(0);
    c.packets.push_back(p.bytes());

    const std::uint64_t export_ms = 1'700'000'000'500;
    const std::uint64_t all = kSrcAddr | kDstAddr | kNextHop | kInIf | kOutIf | kPackets | kBytes |
                              kSrcPort | kDstPort | kTcpFlags | kProto | kIpTos | kSrcAs | kDstAs |
                              kSrcNet | kDstNet | kEtype | kTimeStart | kTimeEnd;
    FlowRecord a = base(5, 0x0102, 1000);
    a.present = all;
    a.sampling_rate = 100;
    a.src_addr = ip4(10, 0, 0, 1);
    a.dst_addr = ip4(10, 0, 0, 2);
    a.next_hop = ip4(10, 0, 0, 254);
    a.in_if = 3;
    a.out_if = 4;
    a.packets = 10;
    a.bytes = 1500;
    a.time_flow_start_ns = (export_ms - 60'000) * kMs;
    a.time_flow_end_ns = (export_ms - 1'000) * kMs;
    a.src_port = 12345;
    a.dst_port = 443;
    a.tcp_flags = 0x1b;
    a.proto = 6;
    a.ip_tos = 0x20;
    a.src_as = 65001;
    a.dst_as = 65002;
    a.src_net = 24;
    a.dst_net = 16;
    a.etype = 0x0800;
    FlowRecord b = base(5, 0x0102, 1000);
    b.present = all;
    b.sampling_rate = 100;
    b.src_addr = ip4(10, 0, 0, 3);
    b.dst_addr = ip4(10, 0, 0, 4);
    b.next_hop = ip4(0, 0, 0, 0);
    b.in_if = 5;
    b.out_if = 6;
    b.packets = 1;
    b.bytes = 84;
    b.time_flow_start_ns = (export_ms - 10) * kMs;
    b.time_flow_end_ns = (export_ms + 500) * kMs;
    b.dst_port = 0x0800;
    b.proto = 1;
    b.etype = 0x0800;
    c.flows = {a, b};
    return c;
}

Case v9_template_and_data() {
    Case c{"v9 template and data in one packet, padded data flowset"};
    const std::uint32_t uptime = 100'000'000;
    PacketBuilder p;
    p.v9_header(77, 33, uptime, 1'700'000'000, 3);
    p.begin_set(0)
        .template_record(256, {{8, 4},
                               {12, 4},
                               {15, 4},
                               {10, 2},
                               {14, 2},
                               {2, 4},
                               {1, 4},
                               {22, 4},
                               {21, 4},
                               {7, 2},
                               {11, 2},
                               {6, 1},
                               {4, 1},
                               {5, 1},
                               {16, 2},
                               {17, 2},
                               {9, 1},
                               {13, 1}})
        .end_set();
    p.begin_set(256);
    p.addr(ip4(192, 168, 1, 10)).addr(ip4(8, 8, 8, 8)).addr(ip4(192, 168, 1, 1));
    p.u16(1).u16(2).u32(3).u32(228).u32(uptime - 5000).u32(uptime - 100);
    p.u16(53000).u16(53).u8(0).u8(17).u8(0).u16(0).u16(15169).u8(24).u8(0);
    p.addr(ip4(192, 168, 1, 11)).addr(ip4(1, 1, 1, 1)).addr(ip4(192, 168, 1, 1));
    p.u16(1).u16(3).u32(12).u32(4096).u32(uptime - 30'000).u32(uptime - 2000);
    p.u16(40000).u16(443).u8(0x1a).u8(6).u8(0xb8).u16(0).u16(13335).u8(24).u8(24);
    p.end_set(2);  // 2 records of 45 bytes: padded to a 4-byte boundary
    c.packets.push_back(p.bytes());

    const std::int64_t export_ms = 1'700'000'000'000;
    const std::uint64_t present = kSrcAddr | kDstAddr | kNextHop | kInIf | kOutIf | kPackets |
                                  kBytes | kTimeStart | kTimeEnd | kSrcPort | kDstPort | kTcpFlags |
                                  kProto | kIpTos | kSrcAs | kDstAs | kSrcNet | kDstNet | kEtype;
    FlowRecord a = base(9, 33, 77);
    a.present = present;
    a.src_addr = ip4(192, 168, 1, 10);
    a.dst_addr = ip4(8, 8, 8, 8);
    a.next_hop = ip4(192, 168, 1, 1);
    a.in_if = 1;
    a.out_if = 2;
    a.packets = 3;
    a.bytes = 228;
    a.time_flow_start_ns = (export_ms - 5000) * kMs;
    a.time_flow_end_ns = (export_ms - 100) * kMs;
    a.src_port = 53000;
    a.dst_port = 53;
    a.proto = 17;
    a.dst_as = 15169;
    a.src_net = 24;
    a.etype = 0x0800;
    FlowRecord b = base(9, 33, 77);
    b.present = present;
    b.src_addr = ip4(192, 168, 1, 11);
    b.dst_addr = ip4(1, 1, 1, 1);
    b.next_hop = ip4(192, 168, 1, 1);
    b.in_if = 1;
    b.out_if = 3;
    b.packets = 12;
    b.bytes = 4096;
    b.time_flow_start_ns = (export_ms - 30'000) * kMs;
    b.time_flow_end_ns = (export_ms - 2000) * kMs;
    b.src_port = 40000;
    b.dst_port = 443;
    b.tcp_flags = 0x1a;
    b.proto = 6;
    b.ip_tos = 0xb8;
    b.dst_as = 13335;
    b.src_net = 24;
    b.dst_net = 24;
    b.etype = 0x0800;
    c.flows = {a, b};
    return c;
}

Case v9_options_and_data() {
    Case c{"v9 options template, options data (sampler 1: 1 in 1000), then flows of sampler 1"};
    PacketBuilder p;
    p.v9_header(1, 0, 5000, 1'700'000'000);
    // Scope "System" (type 1 in v9's own scope numbering), then FLOW_SAMPLER_ID,
    // FLOW_SAMPLER_MODE and FLOW_SAMPLER_RANDOM_INTERVAL, as Cisco IOS sends them.
    p.begin_set(1).v9_options_template(257, {{1, 4}}, {{48, 1}, {49, 1}, {50, 4}}).end_set(2);
    p.begin_set(257).u32(0).u8(1).u8(2).u32(1000).end_set(2);
    p.begin_set(0).template_record(258, {{8, 4}, {12, 4}, {48, 1}, {1, 4}, {2, 4}}).end_set();
    p.begin_set(258).addr(ip4(10, 1, 1, 1)).addr(ip4(10, 2, 2, 2)).u8(1).u32(1000).u32(2);
    p.end_set(3);
    c.packets.push_back(p.bytes());
    c.options_records = 1;

    FlowRecord a = base(9, 0, 1);
    a.present = kSrcAddr | kDstAddr | kSamplerId | kBytes | kPackets | kEtype;
    a.src_addr = ip4(10, 1, 1, 1);
    a.dst_addr = ip4(10, 2, 2, 2);
    a.sampler_id = 1;
    a.bytes = 1000;
    a.packets = 2;
    a.sampling_rate = 1000;
    a.etype = 0x0800;
    c.flows = {a};
    return c;
}

Case ipfix_ipv6() {
    Case c{"IPFIX IPv6 flow with millisecond times, ICMPv6 type/code, vlan, direction"};
    PacketBuilder p;
    p.ipfix_header(5000, 7, 1'700'000'000);
    p.begin_set(2)
        .template_record(300, {{27, 16},
                               {28, 16},
                               {62, 16},
                               {7, 2},
                               {11, 2},
                               {4, 1},
                               {6, 2},
                               {1, 8},
                               {2, 8},
                               {152, 8},
                               {153, 8},
                               {10, 4},
                               {14, 4},
                               {29, 1},
                               {30, 1},
                               {139, 2},
                               {58, 2},
                               {61, 1},
                               {136, 1}})
        .end_set();
    const FlowAddress src = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1});
    const FlowAddress dst = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 2});
    const FlowAddress hop = ip6({0xfe80, 0, 0, 0, 0, 0, 0, 1});
    p.begin_set(300).addr(src).addr(dst).addr(hop).u16(443).u16(51000).u8(6).u16(0x0012);
    p.u64(123'456'789'012).u64(100'000).u64(1'699'999'990'500).u64(1'699'999'999'999);
    p.u32(10).u32(20).u8(64).u8(48).u16(0x8100).u16(100).u8(1).u8(3).end_set();
    c.packets.push_back(p.end_message());

    FlowRecord a = base(10, 7, 5000);
    a.present = kSrcAddr | kDstAddr | kNextHop | kSrcPort | kDstPort | kProto | kTcpFlags | kBytes |
                kPackets | kTimeStart | kTimeEnd | kInIf | kOutIf | kSrcNet | kDstNet | kIcmpType |
                kIcmpCode | kVlanId | kDirection | kFlowEndReason | kEtype;
    a.src_addr = src;
    a.dst_addr = dst;
    a.next_hop = hop;
    a.src_port = 443;
    a.dst_port = 51000;
    a.proto = 6;
    a.tcp_flags = 0x12;
    a.bytes = 123'456'789'012;
    a.packets = 100'000;
    a.time_flow_start_ns = 1'699'999'990'500 * kMs;
    a.time_flow_end_ns = 1'699'999'999'999 * kMs;
    a.in_if = 10;
    a.out_if = 20;
    a.src_net = 64;
    a.dst_net = 48;
    a.icmp_type = 0x81;
    a.icmp_code = 0x00;
    a.vlan_id = 100;
    a.direction = 1;
    a.flow_end_reason = 3;
    a.etype = 0x86dd;
    c.flows = {a};
    return c;
}

Case ipfix_enterprise() {
    Case c{"IPFIX enterprise-specific fields, fixed and variable length, kept by number"};
    PacketBuilder p;
    p.ipfix_header(1, 1, 1'700'000'000);
    p.begin_set(2)
        .template_record(301, {{8, 4}, {12, 4}, {12232, 4, 9}, {1, 65535, 29305}, {7, 2}})
        .end_set();
    p.begin_set(301).addr(ip4(1, 1, 1, 1)).addr(ip4(2, 2, 2, 2)).u32(0xdeadbeef);
    p.varlen("hello").u16(8080).end_set();
    c.packets.push_back(p.end_message());

    FlowRecord a = base(10, 1, 1);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kEtype;
    a.src_addr = ip4(1, 1, 1, 1);
    a.dst_addr = ip4(2, 2, 2, 2);
    a.src_port = 8080;
    a.etype = 0x0800;
    a.extra = {{9, 12232, std::string("\xde\xad\xbe\xef", 4)}, {29305, 1, "hello"}};
    c.flows = {a};
    return c;
}

Case ipfix_variable_length() {
    Case c{"IPFIX variable-length fields: short form, long form (255 + 2 bytes), empty"};
    const std::string long_text(300, 'd');
    PacketBuilder p;
    p.ipfix_header(9, 3, 1'700'000'000);
    p.begin_set(2)
        .template_record(302, {{8, 4}, {82, 65535}, {12, 4}, {83, 65535}, {7, 2}})
        .end_set();
    p.begin_set(302);
    p.addr(ip4(10, 0, 0, 1)).varlen("eth0").addr(ip4(10, 0, 0, 2)).varlen(long_text).u16(22);
    p.addr(ip4(10, 0, 0, 3)).varlen("").addr(ip4(10, 0, 0, 4)).varlen("x", true).u16(23);
    p.end_set();
    c.packets.push_back(p.end_message());

    FlowRecord a = base(10, 3, 9);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kEtype;
    a.src_addr = ip4(10, 0, 0, 1);
    a.dst_addr = ip4(10, 0, 0, 2);
    a.src_port = 22;
    a.etype = 0x0800;
    a.extra = {{0, 82, "eth0"}, {0, 83, long_text}};
    FlowRecord b = base(10, 3, 9);
    b.present = a.present;
    b.src_addr = ip4(10, 0, 0, 3);
    b.dst_addr = ip4(10, 0, 0, 4);
    b.src_port = 23;
    b.etype = 0x0800;
    b.extra = {{0, 82, ""}, {0, 83, "x"}};
    c.flows = {a, b};
    return c;
}

Case ipfix_reduced_size() {
    Case c{"IPFIX reduced-size integers; a field wider than its slot goes to extra"};
    PacketBuilder p;
    p.ipfix_header(100, 4, 1'700'000'000);
    p.begin_set(2)
        .template_record(303, {{1, 2},
                               {2, 1},
                               {10, 2},
                               {14, 1},
                               {16, 2},
                               {17, 3},
                               {8, 4},
                               {12, 4},
                               {4, 2},
                               {150, 4},
                               {151, 4}})
        .end_set();
    p.begin_set(303).u16(0x1234).u8(7).u16(300).u8(9).u16(64512).uint(0x010203, 3);
    p.addr(ip4(172, 16, 0, 1)).addr(ip4(172, 16, 0, 2)).u16(6).u32(1'699'999'000);
    p.u32(1'699'999'500).end_set();
    c.packets.push_back(p.end_message());

    FlowRecord a = base(10, 4, 100);
    a.present = kBytes | kPackets | kInIf | kOutIf | kSrcAs | kDstAs | kSrcAddr | kDstAddr |
                kTimeStart | kTimeEnd | kEtype;
    a.bytes = 0x1234;
    a.packets = 7;
    a.in_if = 300;
    a.out_if = 9;
    a.src_as = 64512;
    a.dst_as = 0x010203;
    a.src_addr = ip4(172, 16, 0, 1);
    a.dst_addr = ip4(172, 16, 0, 2);
    a.time_flow_start_ns = 1'699'999'000 * kSecond;
    a.time_flow_end_ns = 1'699'999'500 * kSecond;
    a.etype = 0x0800;
    a.extra = {{0, 4, std::string("\x00\x06", 2)}};
    c.flows = {a};
    return c;
}

Case ipfix_padding() {
    Case c{"IPFIX padding: paddingOctets in the template, zero padding after sets"};
    PacketBuilder p;
    p.ipfix_header(0, 5, 1'700'000'000);
    p.begin_set(2)
        .template_record(304, {{8, 4}, {210, 3}, {12, 4}, {7, 2}, {11, 2}})
        .end_set(4);  // padding after the last template record
    p.begin_set(304);
    p.addr(ip4(10, 9, 8, 7)).zeros(3).addr(ip4(10, 9, 8, 6)).u16(1).u16(2);
    p.addr(ip4(10, 9, 8, 5)).zeros(3).addr(ip4(10, 9, 8, 4)).u16(3).u16(4);
    p.end_set(2);  // fewer bytes than a record: padding
    c.packets.push_back(p.end_message());

    FlowRecord a = base(10, 5, 0);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kDstPort | kEtype;
    a.src_addr = ip4(10, 9, 8, 7);
    a.dst_addr = ip4(10, 9, 8, 6);
    a.src_port = 1;
    a.dst_port = 2;
    a.etype = 0x0800;
    FlowRecord b = a;
    b.src_addr = ip4(10, 9, 8, 5);
    b.dst_addr = ip4(10, 9, 8, 4);
    b.src_port = 3;
    b.dst_port = 4;
    c.flows = {a, b};
    return c;
}

TEST(NetflowDecodeTable, EveryCaseDecodesToItsFlows) {
    const std::vector<Case> cases = {
        v5_two_flows(),     v9_template_and_data(),  v9_options_and_data(), ipfix_ipv6(),
        ipfix_enterprise(), ipfix_variable_length(), ipfix_reduced_size(),  ipfix_padding()};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        FlowDecoder decoder;
        std::vector<FlowRecord> out;
        std::size_t reported = 0;
        for (const auto& packet : c.packets) {
            const DecodeResult r = decoder.decode(packet, kExporter, kReceived, out);
            EXPECT_TRUE(r.ok);
            reported += r.flows;
        }
        EXPECT_EQ(reported, out.size());
        ASSERT_EQ(out.size(), c.flows.size());
        for (std::size_t i = 0; i < out.size(); ++i) {
            expect_same_flow(out[i], c.flows[i], c.name + ", flow " + std::to_string(i));
        }
        const DecoderCounters& k = decoder.counters();
        EXPECT_EQ(k.packets, c.packets.size());
        EXPECT_EQ(k.flows, c.flows.size());
        EXPECT_EQ(k.options_records, c.options_records);
        EXPECT_EQ(k.held_sets, 0u);
        EXPECT_EQ(k.sequence_lost, 0u);
        for (std::size_t e = 0; e < static_cast<std::size_t>(DecodeError::kCount); ++e) {
            EXPECT_EQ(k.errors[e], 0u) << to_string(static_cast<DecodeError>(e));
        }
    }
}

}  // namespace
}  // namespace netfeed::netflow
