// The sampled-header parser: a table of packet beginnings (Ethernet with and without VLAN tags,
// IPv4 with options and fragments, IPv6 with extension headers, TCP, UDP, SCTP, ICMP, ICMPv6,
// non-IP frames) and every cut of them, each checked on what it must and must not yield.
#include "collectors/pcap/parse_header.hpp"

#include <gtest/gtest.h>

#include "tests/unit/collectors/sflow/sflow_builder.hpp"

namespace netfeed::pcap {
namespace {

using namespace netfeed::sflow::test;

TEST(ParseHeader, EthernetIpv4TcpWithAllFlagBits) {
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(51000, 443, 0x1FF), 0x2e, 7));
    const PacketHeader h = parse_header(HeaderStart::ethernet, frame);
    EXPECT_TRUE(h.has(kHeaderMacs));
    EXPECT_EQ(h.src_mac, (std::array<std::uint8_t, 6>{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}));
    EXPECT_EQ(h.etype, 0x0800);
    EXPECT_FALSE(h.has(kHeaderVlan));
    EXPECT_EQ(h.ip_version, 4);
    EXPECT_EQ(h.src[0], 10);
    EXPECT_EQ(h.dst[3], 6);
    EXPECT_EQ(h.proto, 6);
    EXPECT_EQ(h.tos, 0x2e);
    EXPECT_EQ(h.ttl, 7);
    EXPECT_EQ(h.src_port, 51000);
    EXPECT_EQ(h.dst_port, 443);
    EXPECT_EQ(h.tcp_flags, 0x1FF);
    EXPECT_FALSE(h.has(kHeaderIcmp));
}

TEST(ParseHeader, StackedVlanTagsGiveTheOuterVlan) {
    const Bytes frame = ethernet(0x86DD, ipv6_packet(17, udp(1, 2)), {0x0123, 0x0456});
    const PacketHeader h = parse_header(HeaderStart::ethernet, frame);
    EXPECT_TRUE(h.has(kHeaderVlan));
    EXPECT_EQ(h.vlan_id, 0x123);
    EXPECT_EQ(h.etype, 0x86DD);
    EXPECT_EQ(h.ip_version, 6);
    EXPECT_EQ(h.proto, 17);
    EXPECT_EQ(h.tos, 0xb8);
    EXPECT_EQ(h.ttl, 63);
    EXPECT_EQ(h.dst_port, 2);
}

TEST(ParseHeader, Ipv6ExtensionHeadersAreWalked) {
    // Hop-by-hop (8 bytes) then a destination-options header (16 bytes), then TCP.
    Bytes rest = {60, 0, 0, 0, 0, 0, 0, 0, 6, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const Bytes segment = tcp(22, 60000, 0x18);
    rest.insert(rest.end(), segment.begin(), segment.end());
    const PacketHeader h = parse_header(HeaderStart::ipv6, ipv6_packet(0, rest));
    EXPECT_EQ(h.proto, 6);
    EXPECT_EQ(h.src_port, 22);
    EXPECT_EQ(h.tcp_flags, 0x18);
    EXPECT_EQ(h.etype, 0x86DD);
}

TEST(ParseHeader, LaterFragmentsHaveNoTransportHeader) {
    const PacketHeader v4 =
        parse_header(HeaderStart::ipv4, ipv4_packet(17, udp(1, 2), 0, 64, 0x00B9));
    EXPECT_TRUE(v4.fragment);
    EXPECT_EQ(v4.proto, 17);
    EXPECT_FALSE(v4.has(kHeaderPorts));
    // The first fragment (MF set, offset 0) still has its ports.
    const PacketHeader first =
        parse_header(HeaderStart::ipv4, ipv4_packet(17, udp(1, 2), 0, 64, 0x2000));
    EXPECT_FALSE(first.fragment);
    EXPECT_TRUE(first.has(kHeaderPorts));
    Bytes fragment = {17, 0, 0x05, 0x39, 0, 0, 0, 1};  // offset 167, more fragments
    const Bytes datagram = udp(5, 6);
    fragment.insert(fragment.end(), datagram.begin(), datagram.end());
    const PacketHeader v6 = parse_header(HeaderStart::ipv6, ipv6_packet(44, fragment));
    EXPECT_TRUE(v6.fragment);
    EXPECT_EQ(v6.proto, 17);
    EXPECT_FALSE(v6.has(kHeaderPorts));
}

TEST(ParseHeader, IcmpAndIcmpv6TypeAndCode) {
    const PacketHeader v4 = parse_header(HeaderStart::ipv4, ipv4_packet(1, {3, 13, 0, 0}));
    EXPECT_TRUE(v4.has(kHeaderIcmp));
    EXPECT_EQ(v4.icmp_type, 3);
    EXPECT_EQ(v4.icmp_code, 13);
    const PacketHeader v6 = parse_header(HeaderStart::ipv6, ipv6_packet(58, {135, 0, 0, 0}));
    EXPECT_EQ(v6.icmp_type, 135);
    // ICMP (1) inside IPv6 is not ICMPv6: no type/code claimed.
    const PacketHeader odd = parse_header(HeaderStart::ipv6, ipv6_packet(1, {8, 0, 0, 0}));
    EXPECT_FALSE(odd.has(kHeaderIcmp));
}

TEST(ParseHeader, SctpPortsAndIpv4Options) {
    Bytes packet = ipv4_packet(132, {0x0b, 0x59, 0x0b, 0x5a, 0, 0, 0, 0});
    // Make the header 24 bytes: one 4-byte option (NOPs) before the SCTP header.
    packet[0] = 0x46;
    packet.insert(packet.begin() + 20, {1, 1, 1, 1});
    const PacketHeader h = parse_header(HeaderStart::ipv4, packet);
    EXPECT_EQ(h.src_port, 2905);
    EXPECT_EQ(h.dst_port, 2906);
}

TEST(ParseHeader, NonIpFramesGiveOnlyTheLinkLayer) {
    const PacketHeader arp = parse_header(HeaderStart::ethernet, ethernet(0x0806, Bytes(28, 0)));
    EXPECT_TRUE(arp.has(kHeaderMacs));
    EXPECT_EQ(arp.etype, 0x0806);
    EXPECT_FALSE(arp.has(kHeaderIp));
    // 802.3 with a length field (LLC/STP): no EtherType at all.
    const PacketHeader llc = parse_header(HeaderStart::ethernet, ethernet(0x0026, Bytes(38, 0x42)));
    EXPECT_FALSE(llc.has(kHeaderEtype));
    const PacketHeader wrong_version = parse_header(HeaderStart::ipv4, ipv6_packet(17, udp(1, 2)));
    EXPECT_EQ(wrong_version.present, 0u);
}

TEST(ParseHeader, EveryCutYieldsOnlyWhatItHolds) {
    const Bytes frame = ethernet(0x0800, ipv4_packet(6, tcp(1, 2, 0x12)), {0x0005});
    for (std::size_t n = 0; n <= frame.size(); ++n) {
        const Bytes cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
        const PacketHeader h = parse_header(HeaderStart::ethernet, cut);
        EXPECT_EQ(h.has(kHeaderMacs), n >= 14) << n;
        EXPECT_EQ(h.has(kHeaderEtype), n >= 18) << n;
        EXPECT_EQ(h.has(kHeaderIp), n >= 38) << n;
        EXPECT_EQ(h.has(kHeaderPorts), n >= 42) << n;
        EXPECT_EQ(h.has(kHeaderTcpFlags), n >= 52) << n;
    }
    const Bytes v6 = ipv6_packet(0, {6, 0, 0, 0, 0, 0, 0, 0});  // hop-by-hop, TCP cut away
    for (std::size_t n = 0; n <= v6.size(); ++n) {
        const Bytes cut(v6.begin(), v6.begin() + static_cast<std::ptrdiff_t>(n));
        const PacketHeader h = parse_header(HeaderStart::ipv6, cut);
        EXPECT_EQ(h.has(kHeaderIp), n >= 40) << n;
        EXPECT_FALSE(h.has(kHeaderPorts)) << n;
    }
}

}  // namespace
}  // namespace netfeed::pcap
