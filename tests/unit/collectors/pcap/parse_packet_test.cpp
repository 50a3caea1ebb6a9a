// The capture frame parser: one table of frames built here for every link type (Ethernet with
// stacked VLAN tags, Linux cooked SLL and SLL2, raw IP, BSD and OpenBSD loopback), IPv4 with
// options and padding, IPv6 extension headers, fragments, truncation, other protocols and
// garbage, each checked on the whole result.
#include "collectors/pcap/parse_packet.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace netfeed::pcap {
namespace {

using Frame = std::vector<std::uint8_t>;

Frame operator+(Frame a, const Frame& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Frame text(const std::string& s) {
    return Frame(s.begin(), s.end());
}

void put16(Frame& f, std::uint16_t v) {
    f.push_back(static_cast<std::uint8_t>(v >> 8));
    f.push_back(static_cast<std::uint8_t>(v));
}

Frame be16(std::uint16_t v) {
    Frame f;
    put16(f, v);
    return f;
}

Frame address_bytes(const std::string& a) {
    std::uint8_t buffer[16] = {};
    if (inet_pton(AF_INET, a.c_str(), buffer) == 1) return Frame(buffer, buffer + 4);
    EXPECT_EQ(inet_pton(AF_INET6, a.c_str(), buffer), 1) << a;
    return Frame(buffer, buffer + 16);
}

std::string address_text(const PacketAddress& a) {
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(a.is_v6 ? AF_INET6 : AF_INET, a.bytes.data(), out, sizeof out);
    return out;
}

// UDP header and payload; `length` overrides the UDP length field.
Frame udp(std::uint16_t sport, std::uint16_t dport, const Frame& payload,
          std::optional<std::uint16_t> length = {}) {
    Frame f;
    put16(f, sport);
    put16(f, dport);
    put16(f, length.value_or(static_cast<std::uint16_t>(8 + payload.size())));
    put16(f, 0);  // no checksum: the parser does not check it
    return f + payload;
}

struct V4 {
    std::string src = "192.0.2.1";
    std::string dst = "198.51.100.2";
    std::uint8_t proto = 17;
    Frame options;                          // a multiple of 4 bytes
    std::uint16_t flags_fragment = 0x4000;  // DF
    std::optional<std::uint16_t> total_length;
    std::uint8_t version_ihl = 0;  // 0: computed
};

Frame ipv4(const Frame& l4, const V4& v = {}) {
    Frame f;
    const std::size_t header = 20 + v.options.size();
    f.push_back(v.version_ihl != 0 ? v.version_ihl : static_cast<std::uint8_t>(0x40 | header / 4));
    f.push_back(0);
    put16(f, v.total_length.value_or(static_cast<std::uint16_t>(header + l4.size())));
    put16(f, 0x1234);
    put16(f, v.flags_fragment);
    f.push_back(64);
    f.push_back(v.proto);
    put16(f, 0);
    return f + address_bytes(v.src) + address_bytes(v.dst) + v.options + l4;
}

// `body` is everything after the fixed header (extension headers and the upper layer).
Frame ipv6(std::uint8_t next_header, const Frame& body, const std::string& src = "2001:db8::1",
           const std::string& dst = "2001:db8::2", std::optional<std::uint16_t> length = {}) {
    Frame f = {0x60, 0, 0, 0};
    put16(f, length.value_or(static_cast<std::uint16_t>(body.size())));
    f.push_back(next_header);
    f.push_back(64);
    return f + address_bytes(src) + address_bytes(dst) + body;
}

// Hop-by-hop, routing or destination options: `units` 8-byte units after the first.
Frame extension(std::uint8_t next_header, std::uint8_t units) {
    Frame f = {next_header, units};
    f.resize(8 * (units + 1u), 0);
    if (f.size() > 2) f[2] = 1;  // a PadN option, as real stacks write
    return f;
}

Frame fragment_header(std::uint8_t next_header, std::uint16_t offset_units, bool more) {
    Frame f = {next_header, 0};
    put16(f, static_cast<std::uint16_t>(offset_units << 3 | (more ? 1 : 0)));
    return f + Frame{0, 0, 0x12, 0x34};
}

Frame authentication_header(std::uint8_t next_header) {
    Frame f = {next_header, 4};  // (4 + 2) * 4 = 24 bytes: SPI, sequence, 12-byte ICV
    f.resize(24, 0xAB);
    return f;
}

const Frame kMacs = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};

Frame ethernet(std::uint16_t type, const Frame& payload) {
    return kMacs + be16(type) + payload;
}

Frame tag(std::uint16_t tpid, std::uint16_t vlan) {
    return be16(tpid) + be16(vlan);
}

Frame sll(std::uint16_t protocol, const Frame& payload) {
    Frame f = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};  // to us, ARPHRD_ETHER, 6-byte address
    return f + be16(protocol) + payload;
}

Frame sll2(std::uint16_t protocol, const Frame& payload) {
    Frame f = be16(protocol);
    f = f + Frame{0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
    return f + payload;
}

Frame family_le(std::uint32_t family) {
    return {static_cast<std::uint8_t>(family), 0, 0, 0};
}
Frame family_be(std::uint32_t family) {
    return {0, 0, 0, static_cast<std::uint8_t>(family)};
}

const Frame kHello = text("<14>1 2026-01-01T00:00:00Z r1 app - - - hello");

struct Expected {
    std::string src;
    std::uint16_t sport = 0;
    std::string dst;
    std::uint16_t dport = 0;
    Frame payload;
};

struct Case {
    std::string name;
    int link = link::ethernet;
    Frame frame;
    std::optional<Expected> datagram;  // empty: skipped for `reason`
    SkipReason reason = SkipReason::not_ip;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

Expected v4_hello(std::uint16_t dport = 5514) {
    return {"192.0.2.1", 40000, "198.51.100.2", dport, kHello};
}
Expected v6_hello(std::uint16_t dport = 2055) {
    return {"2001:db8::1", 40001, "2001:db8::2", dport, kHello};
}

Case ok(std::string name, int link, Frame frame, Expected expected) {
    return {std::move(name), link, std::move(frame), std::move(expected), SkipReason::not_ip};
}
Case skip(std::string name, int link, Frame frame, SkipReason reason) {
    return {std::move(name), link, std::move(frame), std::nullopt, reason};
}

Frame v4_udp(const V4& v = {}, std::uint16_t dport = 5514) {
    return ipv4(udp(40000, dport, kHello), v);
}
Frame v6_udp(std::uint16_t dport = 2055) {
    return ipv6(17, udp(40001, dport, kHello));
}

std::vector<Case> cases() {
    using R = SkipReason;
    std::vector<Case> c;
    // Ethernet, IPv4
    c.push_back(ok("ethernet_ipv4", link::ethernet, ethernet(0x0800, v4_udp()), v4_hello()));
    {
        // A short datagram padded to Ethernet's 60-byte minimum with junk, not zeros.
        Frame frame = ethernet(0x0800, ipv4(udp(40000, 514, text("hi"))));
        frame.resize(60, 0xEE);
        c.push_back(ok("ethernet_padding_is_not_payload", link::ethernet, frame,
                       {"192.0.2.1", 40000, "198.51.100.2", 514, text("hi")}));
    }
    {
        V4 v;
        v.options = {0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00};  // router alert, NOPs, end
        c.push_back(
            ok("ipv4_options_skipped", link::ethernet, ethernet(0x0800, v4_udp(v)), v4_hello()));
    }
    {
        V4 v;
        v.options = Frame(40, 0x01);  // the largest header: IHL 15
        c.push_back(
            ok("ipv4_largest_header", link::ethernet, ethernet(0x0800, v4_udp(v)), v4_hello()));
    }
    {
        V4 v;
        v.flags_fragment = 0;
        c.push_back(ok("ipv4_without_df", link::ethernet, ethernet(0x0800, v4_udp(v)), v4_hello()));
    }
    {
        // UDP says less than IP carries: the UDP length wins.
        Frame l4 = udp(40000, 5514, kHello) + text("trailing");
        c.push_back(ok("udp_length_shorter_than_ip_payload", link::ethernet,
                       ethernet(0x0800, ipv4(l4)), v4_hello()));
    }
    c.push_back(ok("empty_udp_payload", link::ethernet, ethernet(0x0800, ipv4(udp(1, 2, {}))),
                   {"192.0.2.1", 1, "198.51.100.2", 2, {}}));
    // VLAN tags
    c.push_back(ok("vlan_8021q", link::ethernet, kMacs + tag(0x8100, 100) + be16(0x0800) + v4_udp(),
                   v4_hello()));
    c.push_back(ok("vlan_qinq_88a8_8100", link::ethernet,
                   kMacs + tag(0x88A8, 200) + tag(0x8100, 100) + be16(0x86DD) + v6_udp(),
                   v6_hello()));
    c.push_back(
        ok("vlan_three_tags_9100", link::ethernet,
           kMacs + tag(0x9100, 1) + tag(0x8100, 2) + tag(0x8100, 3) + be16(0x0800) + v4_udp(),
           v4_hello()));
    c.push_back(
        skip("vlan_tag_cut", link::ethernet, kMacs + be16(0x8100) + Frame{0, 100}, R::truncated));
    c.push_back(skip("vlan_around_arp", link::ethernet,
                     kMacs + tag(0x8100, 7) + be16(0x0806) + Frame(28, 0), R::not_ip));
    // Ethernet, other payloads
    c.push_back(skip("arp", link::ethernet, ethernet(0x0806, Frame(28, 0)), R::not_ip));
    c.push_back(skip("lldp", link::ethernet, ethernet(0x88CC, Frame(40, 0)), R::not_ip));
    c.push_back(skip("mpls", link::ethernet, ethernet(0x8847, Frame{0, 0, 0x11, 64} + v4_udp()),
                     R::not_ip));
    c.push_back(skip("ieee8023_length_field", link::ethernet,
                     ethernet(46, Frame{0xAA, 0xAA, 3, 0, 0, 0, 8, 0} + Frame(38, 0)), R::not_ip));
    c.push_back(skip("ethernet_header_cut", link::ethernet, Frame(13, 0), R::truncated));
    c.push_back(skip("ethernet_empty", link::ethernet, {}, R::truncated));
    // IPv4 that is not UDP, or UDP in fragments
    {
        V4 v;
        v.proto = 6;
        c.push_back(
            skip("ipv4_tcp", link::ethernet, ethernet(0x0800, ipv4(Frame(20, 0), v)), R::not_udp));
        v.proto = 1;
        c.push_back(
            skip("ipv4_icmp", link::ethernet, ethernet(0x0800, ipv4(Frame(16, 0), v)), R::not_udp));
        v.proto = 6;
        v.flags_fragment = 0x2000;
        c.push_back(skip("ipv4_tcp_fragment_is_not_udp", link::ethernet,
                         ethernet(0x0800, ipv4(Frame(20, 0), v)), R::not_udp));
    }
    {
        V4 v;
        v.flags_fragment = 0x2000;  // MF, offset 0: the first piece
        c.push_back(
            skip("ipv4_first_fragment", link::ethernet, ethernet(0x0800, v4_udp(v)), R::fragment));
        v.flags_fragment = 0x00B9;  // offset 185 * 8, the last piece
        c.push_back(skip("ipv4_last_fragment", link::ethernet,
                         ethernet(0x0800, ipv4(text("rest of it"), v)), R::fragment));
        v.flags_fragment = 0x6001;  // DF and MF and an offset: nonsense, still a fragment
        c.push_back(skip("ipv4_middle_fragment", link::ethernet,
                         ethernet(0x0800, ipv4(text("middle"), v)), R::fragment));
    }
    // IPv4 truncated or malformed
    {
        const Frame full = ethernet(0x0800, v4_udp());
        c.push_back(skip("ipv4_cut_by_snaplen", link::ethernet, Frame(full.begin(), full.end() - 5),
                         R::truncated));
        c.push_back(skip("ipv4_header_cut", link::ethernet, Frame(full.begin(), full.begin() + 24),
                         R::truncated));
    }
    {
        V4 v;
        v.version_ihl = 0x44;  // IHL 4: 16 bytes, less than the minimum
        c.push_back(
            skip("ipv4_ihl_too_small", link::ethernet, ethernet(0x0800, v4_udp(v)), R::bad_header));
    }
    {
        V4 v;
        v.version_ihl = 0x4F;  // IHL 15 (60 bytes) but the packet is shorter
        v.total_length = 40;
        c.push_back(skip("ipv4_total_length_below_header", link::ethernet,
                         ethernet(0x0800, v4_udp(v)), R::bad_header));
    }
    {
        V4 v;
        v.version_ihl = 0x65;
        c.push_back(skip("ipv4_ethertype_with_version_6", link::ethernet,
                         ethernet(0x0800, v4_udp(v)), R::bad_header));
    }
    {
        V4 v;
        v.total_length = 24;  // room for half a UDP header
        c.push_back(skip("ipv4_too_short_for_udp", link::ethernet, ethernet(0x0800, v4_udp(v)),
                         R::bad_header));
    }
    c.push_back(skip("udp_length_beyond_ip", link::ethernet,
                     ethernet(0x0800, ipv4(udp(40000, 5514, kHello, 200))), R::bad_header));
    c.push_back(skip("udp_length_below_header", link::ethernet,
                     ethernet(0x0800, ipv4(udp(40000, 5514, kHello, 7))), R::bad_header));
    // IPv6
    c.push_back(ok("ethernet_ipv6", link::ethernet, ethernet(0x86DD, v6_udp()), v6_hello()));
    c.push_back(ok("ipv6_trailing_fcs_ignored", link::ethernet,
                   ethernet(0x86DD, v6_udp()) + Frame{0xDE, 0xAD, 0xBE, 0xEF}, v6_hello()));
    c.push_back(ok("ipv6_hop_routing_destination", link::ethernet,
                   ethernet(0x86DD, ipv6(0, extension(43, 0) + extension(60, 2) + extension(17, 0) +
                                                udp(40001, 2055, kHello))),
                   v6_hello()));
    c.push_back(
        ok("ipv6_atomic_fragment", link::ethernet,
           ethernet(0x86DD, ipv6(44, fragment_header(17, 0, false) + udp(40001, 2055, kHello))),
           v6_hello()));
    c.push_back(ok("ipv6_authentication_header", link::ethernet,
                   ethernet(0x86DD, ipv6(51, authentication_header(17) + udp(40001, 2055, kHello))),
                   v6_hello()));
    c.push_back(
        skip("ipv6_first_fragment", link::ethernet,
             ethernet(0x86DD, ipv6(44, fragment_header(17, 0, true) + udp(40001, 2055, kHello))),
             R::fragment));
    c.push_back(skip("ipv6_later_fragment", link::ethernet,
                     ethernet(0x86DD, ipv6(0, extension(44, 0) + fragment_header(17, 150, false) +
                                                  text("tail of a datagram"))),
                     R::fragment));
    c.push_back(skip("ipv6_tcp_fragment_is_not_udp", link::ethernet,
                     ethernet(0x86DD, ipv6(44, fragment_header(6, 0, true) + Frame(20, 0))),
                     R::not_udp));
    c.push_back(
        skip("ipv6_tcp", link::ethernet, ethernet(0x86DD, ipv6(6, Frame(20, 0))), R::not_udp));
    c.push_back(skip("ipv6_icmpv6_after_hop_by_hop", link::ethernet,
                     ethernet(0x86DD, ipv6(0, extension(58, 0) + Frame(8, 0))), R::not_udp));
    c.push_back(
        skip("ipv6_esp", link::ethernet, ethernet(0x86DD, ipv6(50, Frame(32, 7))), R::not_udp));
    c.push_back(skip("ipv6_no_next_header", link::ethernet,
                     ethernet(0x86DD, ipv6(60, extension(59, 0))), R::not_udp));
    c.push_back(skip(
        "ipv6_cut_by_snaplen", link::ethernet,
        ethernet(0x86DD, ipv6(17, udp(40001, 2055, kHello), "2001:db8::1", "2001:db8::2", 200)),
        R::truncated));
    c.push_back(skip("ipv6_extension_past_payload_length", link::ethernet,
                     ethernet(0x86DD, ipv6(0, extension(17, 3) + udp(1, 2, {}), "2001:db8::1",
                                           "2001:db8::2", 16)),
                     R::bad_header));
    c.push_back(skip("ipv6_jumbogram", link::ethernet,
                     ethernet(0x86DD, ipv6(17, udp(1, 2, kHello), "2001:db8::1", "2001:db8::2", 0)),
                     R::bad_header));
    {
        const Frame packet = v6_udp();
        c.push_back(skip("ipv6_header_cut", link::ethernet,
                         ethernet(0x86DD, Frame(packet.begin(), packet.begin() + 39)),
                         R::truncated));
    }
    c.push_back(skip("ipv6_ethertype_with_version_4", link::ethernet,
                     ethernet(0x86DD, v4_udp() + Frame(40, 0)), R::bad_header));
    // Linux cooked captures ("any")
    c.push_back(ok("sll_ipv4", link::linux_sll, sll(0x0800, v4_udp()), v4_hello()));
    c.push_back(ok("sll_vlan_ipv6", link::linux_sll, sll(0x8100, be16(5) + be16(0x86DD) + v6_udp()),
                   v6_hello()));
    c.push_back(skip("sll_netlink", link::linux_sll, sll(0x0010, Frame(20, 0)), R::not_ip));
    c.push_back(skip("sll_header_cut", link::linux_sll, Frame(15, 0), R::truncated));
    c.push_back(ok("sll2_ipv6", link::linux_sll2, sll2(0x86DD, v6_udp()), v6_hello()));
    c.push_back(ok("sll2_ipv4", link::linux_sll2, sll2(0x0800, v4_udp()), v4_hello()));
    c.push_back(skip("sll2_header_cut", link::linux_sll2, Frame(19, 0), R::truncated));
    // Raw IP
    c.push_back(ok("raw_101_ipv4", link::raw_ip_linktype, v4_udp(), v4_hello()));
    c.push_back(ok("raw_101_ipv6", link::raw_ip_linktype, v6_udp(), v6_hello()));
    c.push_back(ok("raw_12_ipv4", link::raw_ip, v4_udp(), v4_hello()));
    c.push_back(ok("raw_14_ipv6", link::raw_ip_openbsd, v6_udp(), v6_hello()));
    c.push_back(ok("ipv4_228", link::ipv4, v4_udp(), v4_hello()));
    c.push_back(ok("ipv6_229", link::ipv6, v6_udp(), v6_hello()));
    c.push_back(skip("ipv4_228_holding_ipv6", link::ipv4, v6_udp(), R::bad_header));
    c.push_back(
        skip("raw_version_5", link::raw_ip_linktype, Frame{0x50} + Frame(30, 0), R::bad_header));
    c.push_back(skip("raw_empty", link::raw_ip_linktype, {}, R::truncated));
    // BSD loopback: host byte order, either way round; OpenBSD loop: network order
    c.push_back(
        ok("null_little_endian_inet", link::null_loopback, family_le(2) + v4_udp(), v4_hello()));
    c.push_back(
        ok("null_big_endian_inet", link::null_loopback, family_be(2) + v4_udp(), v4_hello()));
    for (std::uint32_t family : {10u, 24u, 28u, 30u}) {
        c.push_back(ok("null_inet6_" + std::to_string(family), link::null_loopback,
                       family_le(family) + v6_udp(), v6_hello()));
    }
    c.push_back(ok("null_big_endian_inet6_darwin", link::null_loopback, family_be(30) + v6_udp(),
                   v6_hello()));
    c.push_back(
        skip("null_unknown_family", link::null_loopback, family_le(7) + v4_udp(), R::not_ip));
    c.push_back(skip("null_header_cut", link::null_loopback, Frame{2, 0, 0}, R::truncated));
    c.push_back(ok("loop_inet", link::openbsd_loop, family_be(2) + v4_udp(), v4_hello()));
    c.push_back(ok("loop_inet6", link::openbsd_loop, family_be(24) + v6_udp(), v6_hello()));
    c.push_back(skip("loop_little_endian_is_not_ip", link::openbsd_loop, family_le(2) + v4_udp(),
                     R::not_ip));
    // Link types it does not read
    c.push_back(skip("ppp", 9, Frame{0xFF, 0x03, 0, 0x21} + v4_udp(), R::unsupported_link));
    c.push_back(skip("radiotap", 127, Frame(40, 0), R::unsupported_link));
    c.push_back(skip("negative_link_type", -1, v4_udp(), R::unsupported_link));
    return c;
}

class ParsePacket : public ::testing::TestWithParam<Case> {};

TEST_P(ParsePacket, Frame) {
    const Case& c = GetParam();
    const PacketResult result = parse_packet(c.link, c.frame);
    if (!c.datagram) {
        const auto* reason = std::get_if<SkipReason>(&result);
        ASSERT_NE(reason, nullptr)
            << "delivered a datagram; expected " << skip_reason_name(c.reason);
        EXPECT_EQ(skip_reason_name(*reason), skip_reason_name(c.reason));
        return;
    }
    const auto* d = std::get_if<UdpDatagram>(&result);
    ASSERT_NE(d, nullptr) << "skipped: " << skip_reason_name(std::get<SkipReason>(result));
    EXPECT_EQ(address_text(d->source), c.datagram->src);
    EXPECT_EQ(d->source_port, c.datagram->sport);
    EXPECT_EQ(address_text(d->destination), c.datagram->dst);
    EXPECT_EQ(d->destination_port, c.datagram->dport);
    EXPECT_EQ(Frame(d->payload.begin(), d->payload.end()), c.datagram->payload);
    // The payload is a view into the frame, not a copy.
    if (!d->payload.empty()) {
        EXPECT_GE(d->payload.data(), c.frame.data());
        EXPECT_LE(d->payload.data() + d->payload.size(), c.frame.data() + c.frame.size());
    }
}

INSTANTIATE_TEST_SUITE_P(PcapParse, ParsePacket, ::testing::ValuesIn(cases()),
                         [](const auto& param) { return param.param.name; });

// Any prefix of a good frame is the snaplen cutting it: truncated, never a short datagram.
TEST(PcapParse, EveryPrefixOfAGoodFrameIsTruncated) {
    const std::vector<std::pair<int, Frame>> frames = {
        {link::ethernet, ethernet(0x0800, v4_udp())},
        {link::ethernet, kMacs + tag(0x88A8, 1) + tag(0x8100, 2) + be16(0x0800) + v4_udp()},
        {link::ethernet, ethernet(0x86DD, ipv6(0, extension(43, 1) + extension(44, 0) +
                                                      fragment_header(60, 0, false) +
                                                      extension(17, 0) + udp(1, 2, kHello)))},
        {link::linux_sll2, sll2(0x86DD, v6_udp())},
        {link::null_loopback, family_le(2) + v4_udp()},
    };
    for (const auto& [link_type, frame] : frames) {
        ASSERT_TRUE(std::holds_alternative<UdpDatagram>(parse_packet(link_type, frame)));
        for (std::size_t n = 0; n < frame.size(); ++n) {
            const PacketResult r = parse_packet(link_type, std::span(frame).first(n));
            const auto* reason = std::get_if<SkipReason>(&r);
            ASSERT_NE(reason, nullptr) << "link " << link_type << " cut at " << n;
            EXPECT_EQ(*reason, SkipReason::truncated) << "link " << link_type << " cut at " << n;
        }
    }
}

// Random bytes on every link type: no crash (ASan/UBSan builds and the fuzzer check more), and
// a datagram, when one is found, lies inside the frame.
TEST(PcapParse, GarbageNeverEscapesTheFrame) {
    std::mt19937 random(20261201);
    const int links[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 9};
    std::size_t found = 0;
    for (int round = 0; round < 20000; ++round) {
        Frame frame(random() % 160);
        for (auto& b : frame)
            b = static_cast<std::uint8_t>(random());
        // Often a plausible raw IP header with consistent lengths, so the deeper code (and a
        // successful parse) is reached too; the other link types read it as garbage.
        const auto put = [&frame](std::size_t at, std::size_t value) {
            frame[at] = static_cast<std::uint8_t>(value >> 8);
            frame[at + 1] = static_cast<std::uint8_t>(value);
        };
        if (frame.size() > 48 && round % 4 == 0) {
            frame[0] = 0x45;
            frame[9] = 17;
            put(2, frame.size());
            put(6, 0);
            put(24, frame.size() - 20);
        } else if (frame.size() > 48 && round % 4 == 1) {
            frame[0] = 0x60;
            frame[6] = 17;
            put(4, frame.size() - 40);
            put(44, frame.size() - 40);
        }
        for (int link_type : links) {
            const PacketResult r = parse_packet(link_type, frame);
            if (const auto* d = std::get_if<UdpDatagram>(&r)) {
                ++found;
                EXPECT_GE(d->payload.data(), frame.data());
                EXPECT_LE(d->payload.data() + d->payload.size(), frame.data() + frame.size());
            }
        }
    }
    EXPECT_GT(found, 0u) << "the plausible headers should sometimes parse";
}

TEST(PcapParse, SupportedLinkTypesAndReasonNames) {
    for (int t : {0, 1, 12, 14, 101, 108, 113, 228, 229, 276})
        EXPECT_TRUE(link_type_supported(t)) << t;
    for (int t : {-1, 9, 105, 127, 147, 65535})
        EXPECT_FALSE(link_type_supported(t)) << t;
    EXPECT_EQ(skip_reason_name(SkipReason::not_ip), "not_ip");
    EXPECT_EQ(skip_reason_name(SkipReason::not_udp), "not_udp");
    EXPECT_EQ(skip_reason_name(SkipReason::fragment), "fragment");
    EXPECT_EQ(skip_reason_name(SkipReason::truncated), "truncated");
    EXPECT_EQ(skip_reason_name(SkipReason::bad_header), "bad_header");
    EXPECT_EQ(skip_reason_name(SkipReason::unsupported_link), "unsupported_link");
}

}  // namespace
}  // namespace netfeed::pcap
