// The sampled-header parser; see parse_header.hpp. Each layer checks that its bytes are there
// before reading them and stops quietly when they are not: a sampled header is cut at a fixed
// length by design, so running out of bytes is normal, not an error.
#include "collectors/pcap/parse_header.hpp"

#include <algorithm>
#include <cstddef>

namespace netfeed::pcap {

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kProtoSctp = 132;

std::uint16_t be16(Bytes b, std::size_t at) noexcept {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

bool is_vlan_tag(std::uint16_t type) noexcept {
    // 802.1Q, 802.1ad and the pre-standard stacked tag still seen on older switches.
    return type == 0x8100 || type == 0x88A8 || type == 0x9100;
}

/// The transport header at the start of `l4`, for `proto` (never called for later fragments).
void parse_transport(std::uint8_t proto, std::uint8_t ip_version, Bytes l4,
                     PacketHeader& h) noexcept {
    switch (proto) {
        case kProtoTcp:
            if (l4.size() >= 4) {
                h.src_port = be16(l4, 0);
                h.dst_port = be16(l4, 2);
                h.present |= kHeaderPorts;
            }
            if (l4.size() >= 14) {
                // NS is the low bit of byte 12; CWR..FIN are byte 13.
                h.tcp_flags = static_cast<std::uint16_t>(((l4[12] & 0x01u) << 8) | l4[13]);
                h.present |= kHeaderTcpFlags;
            }
            return;
        case kProtoUdp:
        case kProtoSctp:
            if (l4.size() >= 4) {
                h.src_port = be16(l4, 0);
                h.dst_port = be16(l4, 2);
                h.present |= kHeaderPorts;
            }
            return;
        case kProtoIcmp:
        case kProtoIcmpv6:
            // ICMP inside IPv6 (or ICMPv6 inside IPv4) is not what either protocol means.
            if ((proto == kProtoIcmp) != (ip_version == 4)) return;
            if (l4.size() >= 2) {
                h.icmp_type = l4[0];
                h.icmp_code = l4[1];
                h.present |= kHeaderIcmp;
            }
            return;
        default:
            return;
    }
}

void parse_ipv4(Bytes p, PacketHeader& h) noexcept {
    if (p.size() < 20 || (p[0] >> 4) != 4) return;
    const std::size_t header_length = std::size_t{p[0] & 0x0Fu} * 4;
    if (header_length < 20) return;
    h.ip_version = 4;
    h.tos = p[1];
    h.ttl = p[8];
    h.proto = p[9];
    std::copy_n(p.begin() + 12, 4, h.src.begin());
    std::copy_n(p.begin() + 16, 4, h.dst.begin());
    h.present |= kHeaderIp;
    // A fragment offset means this piece starts inside the datagram: no transport header here.
    h.fragment = (be16(p, 6) & 0x1FFFu) != 0;
    if (h.fragment || header_length > p.size()) return;
    parse_transport(h.proto, 4, p.subspan(header_length), h);
}

bool is_ipv6_extension(std::uint8_t next) noexcept {
    return next == 0 || next == 43 || next == 44 || next == 51 || next == 60 || next == 135;
}

void parse_ipv6(Bytes p, PacketHeader& h) noexcept {
    if (p.size() < 40 || (p[0] >> 4) != 6) return;
    h.ip_version = 6;
    h.tos = static_cast<std::uint8_t>(((p[0] & 0x0Fu) << 4) | (p[1] >> 4));
    h.ttl = p[7];
    std::copy_n(p.begin() + 8, 16, h.src.begin());
    std::copy_n(p.begin() + 24, 16, h.dst.begin());
    h.present |= kHeaderIp;
    std::uint8_t next = p[6];
    std::size_t offset = 40;
    // Each extension header is at least 8 bytes, so the walk ends within the captured bytes.
    while (is_ipv6_extension(next)) {
        if (offset + 8 > p.size()) {
            h.proto = next;  // the chain runs past the sample: the last protocol we know
            return;
        }
        const std::uint8_t following = p[offset];
        std::size_t length = 0;
        if (next == 44) {
            if ((be16(p, offset + 2) & 0xFFF8u) != 0) h.fragment = true;
            length = 8;
        } else if (next == 51) {
            length = (std::size_t{p[offset + 1]} + 2) * 4;
        } else {
            length = (std::size_t{p[offset + 1]} + 1) * 8;
        }
        next = following;
        offset += length;
    }
    h.proto = next;
    if (h.fragment || offset > p.size()) return;
    parse_transport(next, 6, p.subspan(offset), h);
}

void parse_ethernet(Bytes p, PacketHeader& h) noexcept {
    if (p.size() < 14) return;
    std::copy_n(p.begin(), 6, h.dst_mac.begin());
    std::copy_n(p.begin() + 6, 6, h.src_mac.begin());
    h.present |= kHeaderMacs;
    std::uint16_t type = be16(p, 12);
    std::size_t offset = 14;
    while (is_vlan_tag(type)) {
        if (offset + 4 > p.size()) return;
        if (!h.has(kHeaderVlan)) {
            h.vlan_id = be16(p, offset) & 0x0FFFu;
            h.present |= kHeaderVlan;
        }
        type = be16(p, offset + 2);
        offset += 4;
    }
    if (type < 0x0600) return;  // an 802.3 length (LLC follows), not an EtherType
    h.etype = type;
    h.present |= kHeaderEtype;
    if (type == kEtherIpv4) parse_ipv4(p.subspan(offset), h);
    if (type == kEtherIpv6) parse_ipv6(p.subspan(offset), h);
}

}  // namespace

PacketHeader parse_header(HeaderStart start, std::span<const std::uint8_t> bytes) noexcept {
    PacketHeader h;
    switch (start) {
        case HeaderStart::ethernet:
            parse_ethernet(bytes, h);
            break;
        case HeaderStart::ipv4:
            parse_ipv4(bytes, h);
            if (h.has(kHeaderIp)) {
                h.etype = kEtherIpv4;
                h.present |= kHeaderEtype;
            }
            break;
        case HeaderStart::ipv6:
            parse_ipv6(bytes, h);
            if (h.has(kHeaderIp)) {
                h.etype = kEtherIpv6;
                h.present |= kHeaderEtype;
            }
            break;
    }
    return h;
}

}  // namespace netfeed::pcap
