// Finds the UDP datagram in one captured frame: link layer (Ethernet with VLAN tags, Linux cooked,
// raw IP, BSD loopback), IPv4 or IPv6 with extension headers, then UDP. A pure function of bytes
// that never throws and never reads outside the frame, for the pcap input, its tests and fuzzer.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace netfeed::pcap {

/// Link types (libpcap DLT numbers as pcap_datalink() reports them) the parser understands.
namespace link {
inline constexpr int null_loopback = 0;  // BSD loopback: 4-byte address family, host byte order
inline constexpr int ethernet = 1;
inline constexpr int raw_ip = 12;            // DLT_RAW on most systems
inline constexpr int raw_ip_openbsd = 14;    // DLT_RAW on OpenBSD
inline constexpr int raw_ip_linktype = 101;  // LINKTYPE_RAW, as files store it
inline constexpr int openbsd_loop = 108;     // like null_loopback, family in network byte order
inline constexpr int linux_sll = 113;
inline constexpr int ipv4 = 228;  // LINKTYPE_IPV4: raw IPv4 only
inline constexpr int ipv6 = 229;  // LINKTYPE_IPV6: raw IPv6 only
inline constexpr int linux_sll2 = 276;
}  // namespace link

/// True when parse_packet knows how to read frames of this link type.
bool link_type_supported(int link_type) noexcept;

/// Why a frame carried no deliverable UDP datagram.
enum class SkipReason : std::uint8_t {
    not_ip,            // ARP, LLDP, MPLS, an unknown address family...
    not_udp,           // IP, but TCP, ICMP, ESP...
    fragment,          // a UDP datagram in fragments: reassembly is not done
    truncated,         // the capture holds fewer bytes than the headers say (snaplen)
    bad_header,        // lengths or versions that contradict each other
    unsupported_link,  // a link type link_type_supported() refuses
};
inline constexpr std::size_t skip_reason_count = 6;

/// The metric label of a reason ("not_udp").
std::string_view skip_reason_name(SkipReason reason) noexcept;

/// An IPv4 address in the first 4 bytes, or an IPv6 address.
struct PacketAddress {
    bool is_v6 = false;
    std::array<std::uint8_t, 16> bytes{};
};

struct UdpDatagram {
    PacketAddress source;
    PacketAddress destination;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::span<const std::uint8_t> payload;  // points into the frame given to parse_packet
};

using PacketResult = std::variant<UdpDatagram, SkipReason>;

/// Parses one frame of `link_type` as captured (`frame` holds the captured bytes only). The
/// UDP length is honoured (Ethernet padding is not payload); a datagram that was cut by the
/// snaplen is reported as truncated, never delivered short.
PacketResult parse_packet(int link_type, std::span<const std::uint8_t> frame) noexcept;

}  // namespace netfeed::pcap
