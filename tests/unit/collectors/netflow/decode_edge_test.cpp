// The template classes that break collectors (issue 15), one table row each, built from the
// public definitions cited per case: both address families in one template, zero-length fields,
// RFC 5103 biflows, Cisco ASA NSEL firewall events, Cisco AVC application ids, observation times.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "collectors/netflow/flow_fields.hpp"
#include "collectors/netflow/netflow_record.hpp"
#include "tests/unit/collectors/netflow/flow_test_support.hpp"

namespace netfeed::netflow {
namespace {

using namespace test;

const FlowAddress kExporter = ip4(192, 0, 2, 9);
constexpr std::uint64_t kReceived = 1'700'000'100 * kSecond;
constexpr std::uint32_t kExportSecs = 1'700'000'000;
constexpr std::int64_t kExportMs = std::int64_t{kExportSecs} * 1000;

struct Case {
    std::string name;
    std::vector<std::uint8_t> packet;
    std::vector<FlowRecord> flows;
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

void set_username(FlowRecord& r, const std::string& name) {
    r.username_length = static_cast<std::uint8_t>(name.size());
    std::copy(name.begin(), name.end(), r.username.begin());
    r.present |= kUsername;
}

// nProbe's and several routers' "one template for both families": sourceIPv4Address and
// sourceIPv6Address side by side (RFC 7012 5.4), the unused family sent as zeros. The record
// carries the family that is set, whichever comes first in the template.
Case dual_stack_v9() {
    Case c{"v9: IPv4 and IPv6 elements in one template, one flow of each family"};
    PacketBuilder p;
    p.v9_header(10, 1, 50'000, kExportSecs);
    p.begin_set(0)
        .template_record(
            256, {{8, 4}, {12, 4}, {27, 16}, {28, 16}, {15, 4}, {62, 16}, {7, 2}, {11, 2}, {4, 1}})
        .end_set();
    const FlowAddress v6a = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa});
    const FlowAddress v6b = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xb});
    const FlowAddress hop6 = ip6({0xfe80, 0, 0, 0, 0, 0, 0, 1});
    p.begin_set(256);
    p.addr(ip4(10, 0, 0, 1)).addr(ip4(10, 0, 0, 2)).zeros(32).addr(ip4(10, 0, 0, 254)).zeros(16);
    p.u16(1024).u16(80).u8(6);
    p.zeros(8).addr(v6a).addr(v6b).zeros(4).addr(hop6).u16(2048).u16(443).u8(17);
    p.end_set(2);
    c.packet = p.bytes();

    const std::uint64_t present =
        kSrcAddr | kDstAddr | kNextHop | kSrcPort | kDstPort | kProto | kEtype;
    FlowRecord a = base(9, 1, 10);
    a.present = present;
    a.src_addr = ip4(10, 0, 0, 1);
    a.dst_addr = ip4(10, 0, 0, 2);
    a.next_hop = ip4(10, 0, 0, 254);
    a.src_port = 1024;
    a.dst_port = 80;
    a.proto = 6;
    a.etype = 0x0800;
    FlowRecord b = base(9, 1, 10);
    b.present = present;
    b.src_addr = v6a;
    b.dst_addr = v6b;
    b.next_hop = hop6;
    b.src_port = 2048;
    b.dst_port = 443;
    b.proto = 17;
    b.etype = 0x86dd;
    c.flows = {a, b};
    return c;
}

Case dual_stack_ipfix_v6_first() {
    Case c{"IPFIX: IPv6 elements before IPv4 ones, an IPv4 flow"};
    PacketBuilder p;
    p.ipfix_header(3, 2, kExportSecs);
    p.begin_set(2).template_record(400, {{27, 16}, {28, 16}, {8, 4}, {12, 4}, {60, 1}}).end_set();
    p.begin_set(400).zeros(32).addr(ip4(192, 168, 0, 1)).addr(ip4(192, 168, 0, 2)).u8(4);
    p.end_set();
    c.packet = p.end_message();
    FlowRecord a = base(10, 2, 3);
    a.present = kSrcAddr | kDstAddr | kEtype;
    a.src_addr = ip4(192, 168, 0, 1);
    a.dst_addr = ip4(192, 168, 0, 2);
    a.etype = 0x0800;
    c.flows = {a};
    return c;
}

// RFC 7011 7 lets a field length be anything the element's type allows; Cisco exporters send
// some fields with length 0 when they have no value. They take no bytes of the record.
Case zero_length_fields() {
    Case c{"v9: fields of length 0 skipped, the rest of the record decoded"};
    PacketBuilder p;
    p.v9_header(11, 1, 50'000, kExportSecs);
    p.begin_set(0)
        .template_record(257, {{8, 4}, {95, 0}, {12, 4}, {7, 2}, {11, 2}, {82, 0}, {1, 4}})
        .end_set();
    p.begin_set(257).addr(ip4(10, 1, 0, 1)).addr(ip4(10, 1, 0, 2)).u16(5000).u16(53).u32(99);
    p.addr(ip4(10, 1, 0, 3)).addr(ip4(10, 1, 0, 4)).u16(5001).u16(123).u32(76);
    p.end_set();
    c.packet = p.bytes();
    FlowRecord a = base(9, 1, 11);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kDstPort | kBytes | kEtype;
    a.src_addr = ip4(10, 1, 0, 1);
    a.dst_addr = ip4(10, 1, 0, 2);
    a.src_port = 5000;
    a.dst_port = 53;
    a.bytes = 99;
    a.etype = 0x0800;
    FlowRecord b = a;
    b.src_addr = ip4(10, 1, 0, 3);
    b.dst_addr = ip4(10, 1, 0, 4);
    b.src_port = 5001;
    b.dst_port = 123;
    b.bytes = 76;
    c.flows = {a, b};
    return c;
}

// RFC 5103 section 6: a reverse element is the forward element's id under PEN 29305; the
// biflowDirection element (239) says which side initiated (1: the source). YAF exports its
// biflows this way (reverseOctetTotalCount and friends).
Case biflow_ipfix() {
    Case c{"IPFIX RFC 5103 biflow: reverse counters, flags and ToS next to the forward ones"};
    PacketBuilder p;
    p.ipfix_header(40, 5, kExportSecs);
    p.begin_set(2)
        .template_record(401, {{8, 4},
                               {12, 4},
                               {7, 2},
                               {11, 2},
                               {4, 1},
                               {85, 8},
                               {86, 8},
                               {6, 1},
                               {5, 1},
                               {85, 8, kReversePen},
                               {86, 8, kReversePen},
                               {6, 1, kReversePen},
                               {5, 1, kReversePen},
                               {21, 4, kReversePen},  // reverseFlowEndSysUpTime: not mapped
                               {239, 1}})
        .end_set();
    p.begin_set(401).addr(ip4(10, 2, 0, 1)).addr(ip4(10, 2, 0, 2)).u16(40001).u16(22).u8(6);
    p.u64(5120).u64(40).u8(0x1b).u8(0x10).u64(81920).u64(60).u8(0x1a).u8(0x28).u32(77).u8(1);
    p.end_set();
    c.packet = p.end_message();
    FlowRecord a = base(10, 5, 40);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kDstPort | kProto | kBytes | kPackets | kTcpFlags |
                kIpTos | kReverseBytes | kReversePackets | kReverseTcpFlags | kReverseIpTos |
                kBiflowDirection | kEtype;
    a.src_addr = ip4(10, 2, 0, 1);
    a.dst_addr = ip4(10, 2, 0, 2);
    a.src_port = 40001;
    a.dst_port = 22;
    a.proto = 6;
    a.bytes = 5120;
    a.packets = 40;
    a.tcp_flags = 0x1b;
    a.ip_tos = 0x10;
    a.reverse_bytes = 81920;
    a.reverse_packets = 60;
    a.reverse_tcp_flags = 0x1a;
    a.reverse_ip_tos = 0x28;
    a.biflow_direction = 1;
    a.etype = 0x0800;
    a.extra = {{kReversePen, 21, std::string("\x00\x00\x00\x4d", 4)}};
    c.flows = {a};
    return c;
}

// YAF's biflow template (its documented information model): total counts with their RFC 5103
// reverses, and TCP flags as initialTCPFlags / unionTCPFlags (CERT PEN 6871, ids 14 and 15; the
// reverse of an enterprise element sets bit 14 of its id, RFC 5103 6.2) instead of element 6.
Case yaf_biflow() {
    Case c{"IPFIX YAF biflow: CERT initial/union TCP flags ORed, forward and reverse"};
    PacketBuilder p;
    p.ipfix_header(41, 6, kExportSecs);
    p.begin_set(2)
        .template_record(405, {{8, 4},
                               {12, 4},
                               {85, 8},
                               {85, 8, kReversePen},
                               {14, 1, kCertPen},
                               {15, 1, kCertPen},
                               {14 | 0x4000, 1, kCertPen},
                               {15 | 0x4000, 1, kCertPen}})
        .end_set();
    p.begin_set(405).addr(ip4(10, 8, 0, 1)).addr(ip4(10, 8, 0, 2)).u64(640).u64(9000);
    p.u8(0x02).u8(0x18).u8(0x12).u8(0x11).end_set();
    c.packet = p.end_message();
    FlowRecord a = base(10, 6, 41);
    a.present =
        kSrcAddr | kDstAddr | kBytes | kReverseBytes | kTcpFlags | kReverseTcpFlags | kEtype;
    a.src_addr = ip4(10, 8, 0, 1);
    a.dst_addr = ip4(10, 8, 0, 2);
    a.bytes = 640;
    a.reverse_bytes = 9000;
    a.tcp_flags = 0x1a;          // SYN, then PSH ACK
    a.reverse_tcp_flags = 0x13;  // SYN ACK, then FIN ACK
    a.etype = 0x0800;
    c.flows = {a};
    return c;
}

// Cisco ASA NetFlow Implementation Guide, "Templates for Flow Creation Events": the IPv44 flow
// creation template with the common username size (20), in the guide's field order. The ASA
// sends NF_F_CONN_ID in 4 bytes and interface ids in 2.
Case asa_flow_create() {
    Case c{"v9 Cisco ASA NSEL flow-create: NAT, firewall event, ACL ids, username, event time"};
    PacketBuilder p;
    p.v9_header(500, 0, 900'000, kExportSecs);
    p.begin_set(0)
        .template_record(
            263, {{148, 4}, {8, 4},     {7, 2},   {10, 2},  {12, 4},     {11, 2},     {14, 2},
                  {4, 1},   {176, 1},   {177, 1}, {225, 4}, {226, 4},    {227, 2},    {228, 2},
                  {233, 1}, {33002, 2}, {323, 8}, {152, 8}, {33000, 12}, {33001, 12}, {40000, 20}})
        .end_set();
    p.begin_set(263).u32(0x00a1b2c3).addr(ip4(10, 3, 0, 5)).u16(51515).u16(3);
    p.addr(ip4(198, 51, 100, 7)).u16(443).u16(4).u8(6).u8(0).u8(0);
    p.addr(ip4(203, 0, 113, 5)).addr(ip4(198, 51, 100, 7)).u16(30001).u16(443);
    p.u8(1).u16(0).u64(kExportMs - 250).u64(kExportMs - 300);
    p.u32(0x1c9d2e3f).u32(0x00000001).u32(0).zeros(12).padded("alice", 20);
    p.end_set(2);
    c.packet = p.bytes();
    FlowRecord a = base(9, 0, 500);
    a.present = kFlowId | kSrcAddr | kSrcPort | kInIf | kDstAddr | kDstPort | kOutIf | kProto |
                kIcmpType | kIcmpCode | kNatSrcAddr | kNatDstAddr | kNatSrcPort | kNatDstPort |
                kFwEvent | kFwExtEvent | kObservationTime | kTimeStart | kIngressAclId | kEtype;
    a.flow_id = 0x00a1b2c3;
    a.src_addr = ip4(10, 3, 0, 5);
    a.src_port = 51515;
    a.in_if = 3;
    a.dst_addr = ip4(198, 51, 100, 7);
    a.dst_port = 443;
    a.out_if = 4;
    a.proto = 6;
    a.nat_src_addr = ip4(203, 0, 113, 5);
    a.nat_dst_addr = ip4(198, 51, 100, 7);
    a.nat_src_port = 30001;
    a.nat_dst_port = 443;
    a.fw_event = 1;
    a.observation_time_ns = static_cast<std::uint64_t>(kExportMs - 250) * kMs;
    a.time_flow_start_ns = static_cast<std::uint64_t>(kExportMs - 300) * kMs;
    a.ingress_acl_id = {0x1c9d2e3f, 1, 0};
    // No egress ACL: the ASA sends zeros, which is no id.
    a.etype = 0x0800;
    set_username(a, "alice");
    c.flows = {a};
    return c;
}

// The same guide's IPv66 flow-teardown: IPv6 NAT (281/282), NF_F_FWD/REV_FLOW_DELTA_BYTES
// (231/232), the extended event, and the maximum username size (65).
Case asa_flow_teardown_v6() {
    Case c{"v9 Cisco ASA NSEL IPv6 teardown: IPv6 NAT, 231/232 counters, 65-byte username"};
    const FlowAddress src = ip6({0x2001, 0xdb8, 1, 0, 0, 0, 0, 5});
    const FlowAddress dst = ip6({0x2001, 0xdb8, 2, 0, 0, 0, 0, 7});
    const FlowAddress nsrc = ip6({0x2001, 0xdb8, 3, 0, 0, 0, 0, 5});
    const std::string user(64, 'u');
    PacketBuilder p;
    p.v9_header(501, 0, 900'000, kExportSecs);
    p.begin_set(0)
        .template_record(264, {{148, 4},
                               {27, 16},
                               {7, 2},
                               {28, 16},
                               {11, 2},
                               {4, 1},
                               {281, 16},
                               {282, 16},
                               {233, 1},
                               {33002, 2},
                               {323, 8},
                               {231, 4},
                               {232, 4},
                               {40000, 65}})
        .end_set();
    p.begin_set(264).u32(77).addr(src).u16(1234).addr(dst).u16(80).u8(6).addr(nsrc).addr(dst);
    p.u8(2).u16(2030).u64(kExportMs - 5).u32(1500).u32(64000).padded(user, 65).end_set(3);
    c.packet = p.bytes();
    FlowRecord a = base(9, 0, 501);
    a.present = kFlowId | kSrcAddr | kSrcPort | kDstAddr | kDstPort | kProto | kNatSrcAddr |
                kNatDstAddr | kFwEvent | kFwExtEvent | kObservationTime | kBytes | kReverseBytes |
                kEtype;
    a.flow_id = 77;
    a.src_addr = src;
    a.src_port = 1234;
    a.dst_addr = dst;
    a.dst_port = 80;
    a.proto = 6;
    a.nat_src_addr = nsrc;
    a.nat_dst_addr = dst;
    a.fw_event = 2;
    a.fw_ext_event = 2030;
    a.observation_time_ns = static_cast<std::uint64_t>(kExportMs - 5) * kMs;
    a.bytes = 1500;
    a.reverse_bytes = 64000;
    a.etype = 0x86dd;
    set_username(a, user);
    c.flows = {a};
    return c;
}

// ASA 8.2's NSEL ids before IANA assigned 225-228 and 233 (NF_F_XLATE_*_84, NF_F_FW_EVENT_84),
// and a denied flow (event 3) whose username is empty: no `username`.
Case asa_legacy_ids() {
    Case c{"v9 Cisco ASA 8.2 NSEL ids 40001-40005, empty username"};
    PacketBuilder p;
    p.v9_header(502, 0, 900'000, kExportSecs);
    p.begin_set(0)
        .template_record(265, {{8, 4},
                               {12, 4},
                               {7, 2},
                               {11, 2},
                               {4, 1},
                               {40001, 4},
                               {40002, 4},
                               {40003, 2},
                               {40004, 2},
                               {40005, 1},
                               {40000, 20}})
        .end_set();
    p.begin_set(265).addr(ip4(10, 4, 0, 1)).addr(ip4(10, 4, 0, 2)).u16(999).u16(25).u8(6);
    p.addr(ip4(203, 0, 113, 9)).addr(ip4(10, 4, 0, 2)).u16(41000).u16(25).u8(3).zeros(20);
    p.end_set(2);
    c.packet = p.bytes();
    FlowRecord a = base(9, 0, 502);
    a.present = kSrcAddr | kDstAddr | kSrcPort | kDstPort | kProto | kNatSrcAddr | kNatDstAddr |
                kNatSrcPort | kNatDstPort | kFwEvent | kEtype;
    a.src_addr = ip4(10, 4, 0, 1);
    a.dst_addr = ip4(10, 4, 0, 2);
    a.src_port = 999;
    a.dst_port = 25;
    a.proto = 6;
    a.nat_src_addr = ip4(203, 0, 113, 9);
    a.nat_dst_addr = ip4(10, 4, 0, 2);
    a.nat_src_port = 41000;
    a.nat_dst_port = 25;
    a.fw_event = 3;
    a.etype = 0x0800;
    c.flows = {a};
    return c;
}

// RFC 6759 4.1: applicationId is a classification engine id (1 byte) then a selector id;
// Cisco AVC sends 4 bytes (engine 3 "port", 13 "NBAR") or a variable-length one. IPFIX
// observationTimeNanoseconds (325) and userName (371, a variable-length string) ride along.
Case application_ids() {
    Case c{"IPFIX applicationId fixed and variable, observation time in ns, userName"};
    PacketBuilder p;
    p.ipfix_header(60, 8, kExportSecs);
    p.begin_set(2).template_record(402, {{8, 4}, {95, 4}, {325, 8}, {371, 65535}}).end_set();
    p.begin_set(2).template_record(403, {{8, 4}, {95, 65535}}).end_set();
    // NTP seconds of 2023-11-14T22:13:20Z (1'700'000'000 + 2'208'988'800) and half a second.
    p.begin_set(402).addr(ip4(10, 5, 0, 1)).u8(3).uint(80, 3);
    p.u32(1'700'000'000ull + 2'208'988'800ull).u32(0x80000000u).varlen("bob").end_set();
    p.begin_set(403).addr(ip4(10, 5, 0, 2)).varlen(std::string("\x0d\x00\x00\x01\xc5", 5));
    p.addr(ip4(10, 5, 0, 3)).varlen(std::string("\x0d", 1)).end_set();
    c.packet = p.end_message();
    FlowRecord a = base(10, 8, 60);
    a.present = kSrcAddr | kApplicationId | kObservationTime | kEtype;
    a.src_addr = ip4(10, 5, 0, 1);
    a.application_engine = 3;
    a.application_selector = 80;
    a.observation_time_ns = 1'700'000'000 * kSecond + 500'000'000;
    a.etype = 0x0800;
    set_username(a, "bob");
    FlowRecord b = base(10, 8, 60);
    b.present = kSrcAddr | kApplicationId | kEtype;
    b.src_addr = ip4(10, 5, 0, 2);
    b.application_engine = 13;
    b.application_selector = 0x1c5;
    b.etype = 0x0800;
    FlowRecord d = base(10, 8, 60);
    d.present = kSrcAddr | kEtype;
    d.src_addr = ip4(10, 5, 0, 3);
    d.etype = 0x0800;
    d.extra = {{0, 95, std::string("\x0d", 1)}};  // no selector: kept as sent
    c.flows = {a, b, d};
    return c;
}

// RFC 6759 5.1 and Cisco AVC: the exporter sends its application table as options data
// (applicationId as the scope in IPFIX; in v9 scoped by System, 95 and 96 as option fields);
// flows then carry the id only, and are named from that table.
Case application_names_ipfix() {
    Case c{"IPFIX options data names applicationIds; a flow of an unnamed id has no name"};
    PacketBuilder p;
    p.ipfix_header(70, 9, kExportSecs);
    p.begin_set(3).ipfix_options_template(500, {{95, 4}}, {{96, 65535}}).end_set();
    p.begin_set(500).u8(3).uint(80, 3).varlen("http").u8(13).uint(453, 3);
    p.varlen(std::string("ms-teams\0\0", 10)).end_set();
    p.begin_set(2).template_record(404, {{8, 4}, {95, 4}}).end_set();
    p.begin_set(404).addr(ip4(10, 6, 0, 1)).u8(13).uint(453, 3).addr(ip4(10, 6, 0, 2)).u8(3);
    p.uint(443, 3).end_set();
    c.packet = p.end_message();
    FlowRecord a = base(10, 9, 70);
    a.present = kSrcAddr | kApplicationId | kEtype;
    a.src_addr = ip4(10, 6, 0, 1);
    a.application_engine = 13;
    a.application_selector = 453;
    a.application_name = std::make_shared<const std::string>("ms-teams");
    a.etype = 0x0800;
    FlowRecord b = a;
    b.src_addr = ip4(10, 6, 0, 2);
    b.application_engine = 3;
    b.application_selector = 443;
    b.application_name = nullptr;
    c.flows = {a, b};
    return c;
}

Case application_names_v9() {
    Case c{"v9 options data (System scope, 95 and 96 fixed-size) names applicationIds"};
    PacketBuilder p;
    p.v9_header(12, 1, 50'000, kExportSecs);
    p.begin_set(1).v9_options_template(266, {{1, 4}}, {{95, 4}, {96, 24}}).end_set(2);
    p.begin_set(266).u32(0).u8(13).uint(7, 3).padded("ssh", 24).end_set();
    p.begin_set(0).template_record(267, {{8, 4}, {95, 4}}).end_set();
    p.begin_set(267).addr(ip4(10, 7, 0, 1)).u8(13).uint(7, 3).end_set();
    c.packet = p.bytes();
    FlowRecord a = base(9, 1, 12);
    a.present = kSrcAddr | kApplicationId | kEtype;
    a.src_addr = ip4(10, 7, 0, 1);
    a.application_engine = 13;
    a.application_selector = 7;
    a.application_name = std::make_shared<const std::string>("ssh");
    a.etype = 0x0800;
    c.flows = {a};
    return c;
}

TEST(NetflowEdgeClasses, EveryCaseDecodesToItsFlows) {
    const std::vector<Case> cases = {dual_stack_v9(),
                                     dual_stack_ipfix_v6_first(),
                                     zero_length_fields(),
                                     biflow_ipfix(),
                                     asa_flow_create(),
                                     asa_flow_teardown_v6(),
                                     asa_legacy_ids(),
                                     application_ids(),
                                     application_names_ipfix(),
                                     application_names_v9(),
                                     yaf_biflow()};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        FlowDecoder decoder;
        std::vector<FlowRecord> out;
        const DecodeResult r = decoder.decode(c.packet, kExporter, kReceived, out);
        EXPECT_TRUE(r.ok);
        ASSERT_EQ(out.size(), c.flows.size());
        for (std::size_t i = 0; i < out.size(); ++i) {
            expect_same_flow(out[i], c.flows[i], c.name + ", flow " + std::to_string(i));
        }
        for (std::size_t e = 0; e < static_cast<std::size_t>(DecodeError::kCount); ++e) {
            EXPECT_EQ(decoder.counters().errors[e], 0u) << to_string(static_cast<DecodeError>(e));
        }
    }
}

TEST(NetflowEdgeClasses, ATemplateOfOnlyZeroLengthFieldsIsRefused) {
    PacketBuilder p;
    p.v9_header(1, 1, 50'000, kExportSecs);
    p.begin_set(0).template_record(300, {{8, 0}, {12, 0}}).end_set();
    p.begin_set(300).zeros(8).end_set();
    FlowDecoder decoder;
    std::vector<FlowRecord> out;
    decoder.decode(p.bytes(), kExporter, kReceived, out);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(decoder.counters().error(DecodeError::bad_template), 1u);
    EXPECT_EQ(decoder.template_count(), 0u);
}

TEST(NetflowEdgeClasses, ANonZeroAddressIsNeverReplacedByTheOtherFamilysZeros) {
    // Both orders, and both families zero: the first stays (an all-zero IPv4 address).
    PacketBuilder p;
    p.ipfix_header(1, 1, kExportSecs);
    p.begin_set(2).template_record(410, {{8, 4}, {27, 16}}).end_set();
    p.begin_set(410).addr(ip4(10, 0, 0, 1)).zeros(16).zeros(20).end_set();
    FlowDecoder decoder;
    std::vector<FlowRecord> out;
    decoder.decode(p.end_message(), kExporter, kReceived, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].src_addr, ip4(10, 0, 0, 1));
    EXPECT_EQ(out[1].src_addr, ip4(0, 0, 0, 0));
}

const Value* field(const Record& r, std::string_view name) {
    return r.find(FieldName::intern(name));
}

TEST(NetflowEdgeClasses, RecordsNameTheNewFields) {
    const Case c = asa_flow_create();
    FlowDecoder decoder;
    std::vector<FlowRecord> out;
    decoder.decode(c.packet, kExporter, kReceived, out);
    ASSERT_EQ(out.size(), 1u);
    out[0].present |= kApplicationId | kReverseBytes;
    out[0].application_engine = 13;
    out[0].application_selector = 453;
    out[0].reverse_bytes = 7;
    const Record r = make_flow_record(out[0], "asa1", FlowKey::device, Timestamp{});
    ASSERT_NE(field(r, "nat_src_addr"), nullptr);
    EXPECT_EQ(value_to_text(*field(r, "nat_src_addr")), "203.0.113.5");
    EXPECT_EQ(value_to_text(*field(r, "nat_dst_addr")), "198.51.100.7");
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "nat_src_port")), 30001u);
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "nat_dst_port")), 443u);
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "fw_event")), 1u);
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "fw_ext_event")), 0u);
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "flow_id")), 0xa1b2c3u);
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "observation_time_ns")),
              static_cast<std::uint64_t>(kExportMs - 250) * kMs);
    EXPECT_EQ(std::get<std::string>(*field(r, "ingress_acl_id")), "1c9d2e3f-00000001-00000000");
    EXPECT_EQ(field(r, "egress_acl_id"), nullptr);
    EXPECT_EQ(std::get<std::string>(*field(r, "username")), "alice");
    EXPECT_EQ(std::get<std::string>(*field(r, "application_id")), "13:453");
    EXPECT_EQ(std::get<std::uint64_t>(*field(r, "reverse_bytes")), 7u);
    EXPECT_EQ(field(r, "reverse_packets"), nullptr);
    EXPECT_EQ(field(r, "extra"), nullptr);  // nothing of the ASA template is left as hex
    // No flow end in a flow-create event: the record's time is the event's.
    EXPECT_EQ(r.time.time_since_epoch(),
              std::chrono::nanoseconds(static_cast<std::uint64_t>(kExportMs - 250) * kMs));
}

}  // namespace
}  // namespace netfeed::netflow
