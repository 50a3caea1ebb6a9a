// Reads what a flow needs from the first bytes of a packet (a sampled header, as sFlow agents
// send it): Ethernet and VLAN tags, IPv4 or IPv6, protocol, TOS/traffic class, TTL/hop limit,
// TCP/UDP ports, TCP flags, ICMP type and code. A pure function of bytes that never reads
// outside them; a header cut short yields what it holds, so a 64-byte sample still gives L3/L4.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace netfeed::pcap {

/// Which fields of a PacketHeader were read (bits of PacketHeader::present).
enum HeaderField : std::uint32_t {
    kHeaderMacs = 1u << 0,      // src_mac, dst_mac
    kHeaderEtype = 1u << 1,     // etype (after the VLAN tags)
    kHeaderVlan = 1u << 2,      // vlan_id (the outermost tag)
    kHeaderIp = 1u << 3,        // ip_version, src, dst, proto, tos, ttl
    kHeaderPorts = 1u << 4,     // src_port, dst_port (TCP, UDP, SCTP)
    kHeaderTcpFlags = 1u << 5,  // tcp_flags
    kHeaderIcmp = 1u << 6,      // icmp_type, icmp_code (ICMP or ICMPv6)
};

struct PacketHeader {
    std::uint32_t present = 0;  // HeaderField bits
    std::array<std::uint8_t, 6> src_mac{};
    std::array<std::uint8_t, 6> dst_mac{};
    std::uint16_t etype = 0;
    std::uint16_t vlan_id = 0;
    std::uint8_t ip_version = 0;         // 4 or 6
    std::array<std::uint8_t, 16> src{};  // IPv4 in the first 4 bytes
    std::array<std::uint8_t, 16> dst{};
    std::uint8_t proto = 0;  // IPv6: the upper-layer protocol after any extension headers
    std::uint8_t tos = 0;    // IPv4 TOS byte, IPv6 traffic class
    std::uint8_t ttl = 0;    // IPv4 TTL, IPv6 hop limit
    bool fragment = false;   // a non-first fragment: no ports, flags or ICMP in it
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint16_t tcp_flags = 0;  // the 9 flag bits (NS..FIN), as NetFlow's tcpControlBits
    std::uint8_t icmp_type = 0;
    std::uint8_t icmp_code = 0;

    bool has(HeaderField f) const noexcept { return (present & f) != 0; }
};

/// Where a header starts: at the Ethernet header, or directly at IPv4/IPv6 (sFlow's
/// header_protocol 1, 11 and 12).
enum class HeaderStart : std::uint8_t { ethernet, ipv4, ipv6 };

/// Parses as much of `bytes` as is there; fields not reached stay absent from `present`.
PacketHeader parse_header(HeaderStart start, std::span<const std::uint8_t> bytes) noexcept;

}  // namespace netfeed::pcap
