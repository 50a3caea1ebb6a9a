// The frame parser; see parse_packet.hpp. Every read is bounds-checked against the captured
// bytes first; lengths from headers are checked against each other before they are trusted.
#include "collectors/pcap/parse_packet.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>

namespace netfeed::pcap {

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86DD;
constexpr std::uint16_t ethertype_vlan = 0x8100;      // 802.1Q
constexpr std::uint16_t ethertype_qinq = 0x88A8;      // 802.1ad service tag
constexpr std::uint16_t ethertype_qinq_old = 0x9100;  // pre-standard stacked tag, still seen

constexpr std::uint8_t proto_udp = 17;

std::uint16_t be16(Bytes b, std::size_t at) noexcept {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t be32(Bytes b, std::size_t at) noexcept {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
           (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}
std::uint32_t byte_swapped(std::uint32_t v) noexcept {
    return ((v & 0xFFu) << 24) | ((v & 0xFF00u) << 8) | ((v >> 8) & 0xFF00u) | (v >> 24);
}

PacketAddress address(Bytes b, std::size_t at, bool is_v6) noexcept {
    PacketAddress a;
    a.is_v6 = is_v6;
    std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), is_v6 ? 16 : 4, a.bytes.begin());
    return a;
}

/// `l4` is exactly the IP payload the IP header declared, all of it captured.
PacketResult parse_udp(Bytes l4, const PacketAddress& source,
                       const PacketAddress& destination) noexcept {
    if (l4.size() < 8) return SkipReason::bad_header;
    const std::uint16_t length = be16(l4, 4);
    // 0 is an IPv6 jumbogram's UDP length; jumbograms are not supported.
    if (length < 8 || length > l4.size()) return SkipReason::bad_header;
    UdpDatagram d;
    d.source = source;
    d.destination = destination;
    d.source_port = be16(l4, 0);
    d.destination_port = be16(l4, 2);
    d.payload = l4.subspan(8, length - 8u);
    return d;
}

PacketResult parse_ipv4(Bytes p) noexcept {
    if (p.size() < 20) return SkipReason::truncated;
    if ((p[0] >> 4) != 4) return SkipReason::bad_header;
    const std::size_t header_length = std::size_t{p[0] & 0x0Fu} * 4;
    const std::size_t total_length = be16(p, 2);
    if (header_length < 20 || total_length < header_length) return SkipReason::bad_header;
    if (header_length > p.size()) return SkipReason::truncated;
    if (p[9] != proto_udp) return SkipReason::not_udp;
    // More-fragments set, or a fragment offset: one piece of a datagram we do not reassemble.
    if ((be16(p, 6) & 0x3FFFu) != 0) return SkipReason::fragment;
    if (total_length > p.size()) return SkipReason::truncated;
    // Bytes past the total length are link padding (Ethernet's 60-byte minimum), not payload.
    const Bytes packet = p.first(total_length);
    return parse_udp(packet.subspan(header_length), address(packet, 12, false),
                     address(packet, 16, false));
}

bool is_ipv6_extension(std::uint8_t next_header) noexcept {
    return next_header == 0 || next_header == 43 || next_header == 44 || next_header == 51 ||
           next_header == 60;
}

PacketResult parse_ipv6(Bytes p) noexcept {
    if (p.size() < 40) return SkipReason::truncated;
    if ((p[0] >> 4) != 6) return SkipReason::bad_header;
    const std::size_t payload_length = be16(p, 4);
    if (payload_length == 0) return SkipReason::bad_header;  // a jumbogram (not supported)
    const std::size_t end = 40 + payload_length;             // what the header declares
    const PacketAddress source = address(p, 8, true);
    const PacketAddress destination = address(p, 24, true);
    std::uint8_t next_header = p[6];
    std::size_t offset = 40;
    // A header must fit what the IPv6 header declares (else the packet is malformed) and what
    // was captured (else the snaplen cut it).
    const auto missing = [&](std::size_t needed_end) -> std::optional<SkipReason> {
        if (needed_end > end) return SkipReason::bad_header;
        if (needed_end > p.size()) return SkipReason::truncated;
        return std::nullopt;
    };
    // Every extension header is at least 8 bytes, so this ends within 8192 rounds.
    while (true) {
        if (next_header == proto_udp) {
            if (end > p.size()) return SkipReason::truncated;
            return parse_udp(p.subspan(offset, end - offset), source, destination);
        }
        if (!is_ipv6_extension(next_header)) return SkipReason::not_udp;
        if (auto reason = missing(offset + 8)) return *reason;
        const std::uint8_t following = p[offset];
        std::size_t length = 0;
        if (next_header == 44) {
            // Fragment header: offset (13 bits) and the M flag; neither set is an atomic fragment.
            const std::uint16_t fragment = be16(p, offset + 2);
            if ((fragment & 0xFFF9u) != 0) {
                return following == proto_udp || is_ipv6_extension(following) ? SkipReason::fragment
                                                                              : SkipReason::not_udp;
            }
            length = 8;
        } else if (next_header == 51) {
            length = (std::size_t{p[offset + 1]} + 2) * 4;  // AH counts 4-byte words
        } else {
            length = (std::size_t{p[offset + 1]} + 1) * 8;
        }
        if (auto reason = missing(offset + length)) return *reason;
        next_header = following;
        offset += length;
    }
}

/// IPv4 or IPv6 as the version nibble says (raw IP links carry both).
PacketResult parse_ip(Bytes p) noexcept {
    if (p.empty()) return SkipReason::truncated;
    switch (p[0] >> 4) {
        case 4:
            return parse_ipv4(p);
        case 6:
            return parse_ipv6(p);
        default:
            return SkipReason::bad_header;
    }
}

/// What follows an EtherType (Ethernet, Linux cooked), through any stack of VLAN tags.
PacketResult parse_ethertype(std::uint16_t type, Bytes p) noexcept {
    std::size_t offset = 0;
    while (type == ethertype_vlan || type == ethertype_qinq || type == ethertype_qinq_old) {
        if (offset + 4 > p.size()) return SkipReason::truncated;
        type = be16(p, offset + 2);  // after the 2-byte tag control information
        offset += 4;
    }
    if (type == ethertype_ipv4) return parse_ipv4(p.subspan(offset));
    if (type == ethertype_ipv6) return parse_ipv6(p.subspan(offset));
    return SkipReason::not_ip;
}

/// BSD loopback families: AF_INET is 2 everywhere, AF_INET6 differs per system.
PacketResult parse_loopback_family(std::uint32_t family, Bytes p) noexcept {
    switch (family) {
        case 2:
            return parse_ipv4(p);
        case 10:  // Linux
        case 24:  // NetBSD, OpenBSD
        case 28:  // FreeBSD
        case 30:  // macOS
            return parse_ipv6(p);
        default:
            return SkipReason::not_ip;
    }
}

}  // namespace

bool link_type_supported(int link_type) noexcept {
    switch (link_type) {
        case link::null_loopback:
        case link::ethernet:
        case link::raw_ip:
        case link::raw_ip_openbsd:
        case link::raw_ip_linktype:
        case link::openbsd_loop:
        case link::linux_sll:
        case link::ipv4:
        case link::ipv6:
        case link::linux_sll2:
            return true;
        default:
            return false;
    }
}

std::string_view skip_reason_name(SkipReason reason) noexcept {
    switch (reason) {
        case SkipReason::not_ip:
            return "not_ip";
        case SkipReason::not_udp:
            return "not_udp";
        case SkipReason::fragment:
            return "fragment";
        case SkipReason::truncated:
            return "truncated";
        case SkipReason::bad_header:
            return "bad_header";
        case SkipReason::unsupported_link:
            return "unsupported_link";
    }
    return "unknown";
}

PacketResult parse_packet(int link_type, std::span<const std::uint8_t> frame) noexcept {
    switch (link_type) {
        case link::ethernet:
            if (frame.size() < 14) return SkipReason::truncated;
            return parse_ethertype(be16(frame, 12), frame.subspan(14));
        case link::linux_sll:
            // packet type, ARPHRD type, address length, 8 address bytes, protocol
            if (frame.size() < 16) return SkipReason::truncated;
            return parse_ethertype(be16(frame, 14), frame.subspan(16));
        case link::linux_sll2:
            // protocol, reserved, interface index, ARPHRD type, packet type, address length,
            // 8 address bytes
            if (frame.size() < 20) return SkipReason::truncated;
            return parse_ethertype(be16(frame, 0), frame.subspan(20));
        case link::raw_ip:
        case link::raw_ip_openbsd:
        case link::raw_ip_linktype:
            return parse_ip(frame);
        case link::ipv4:
            return parse_ipv4(frame);
        case link::ipv6:
            return parse_ipv6(frame);
        case link::null_loopback: {
            if (frame.size() < 4) return SkipReason::truncated;
            // The capturing host's byte order: a family is small, so a value with high bits
            // set was written by a host of the other byte order.
            std::uint32_t family = byte_swapped(be32(frame, 0));
            if (family > 0xFFFF) family = be32(frame, 0);
            return parse_loopback_family(family, frame.subspan(4));
        }
        case link::openbsd_loop:
            if (frame.size() < 4) return SkipReason::truncated;
            return parse_loopback_family(be32(frame, 0), frame.subspan(4));
        default:
            return SkipReason::unsupported_link;
    }
}

}  // namespace netfeed::pcap
