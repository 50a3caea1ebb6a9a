// Fuzz target: parse_packet on any frame. The first input byte picks the link type (every one
// it reads, and one it does not); the rest is the captured frame. Checks what every result
// must satisfy: a datagram lies inside the frame and is no longer than UDP allows.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <span>
#include <variant>

#include "collectors/pcap/parse_packet.hpp"

namespace {

using namespace netfeed::pcap;

void check(bool ok) {
    if (!ok) std::abort();
}

constexpr int kLinkTypes[] = {link::ethernet,
                              link::linux_sll,
                              link::linux_sll2,
                              link::raw_ip,
                              link::raw_ip_openbsd,
                              link::raw_ip_linktype,
                              link::ipv4,
                              link::ipv6,
                              link::null_loopback,
                              link::openbsd_loop,
                              9 /* PPP: not read */};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const int link_type = kLinkTypes[data[0] % std::size(kLinkTypes)];
    const std::span<const std::uint8_t> frame(data + 1, size - 1);
    const PacketResult result = parse_packet(link_type, frame);
    check(link_type_supported(link_type) || std::get_if<SkipReason>(&result) != nullptr);
    if (const auto* reason = std::get_if<SkipReason>(&result)) {
        check(static_cast<std::size_t>(*reason) < skip_reason_count);
        check(skip_reason_name(*reason) != "unknown");
        check(*reason != SkipReason::unsupported_link || !link_type_supported(link_type));
        return 0;
    }
    const auto& d = std::get<UdpDatagram>(result);
    check(frame.size() >= 28);  // the smallest frame with a datagram: raw IPv4 + UDP
    check(d.payload.size() <= 65535 - 8);
    if (!d.payload.empty()) {
        check(d.payload.data() >= frame.data());
        check(d.payload.data() + d.payload.size() <= frame.data() + frame.size());
    }
    check(d.source.is_v6 == d.destination.is_v6);
    if (!d.source.is_v6) {
        for (std::size_t i = 4; i < 16; ++i)
            check(d.source.bytes[i] == 0 && d.destination.bytes[i] == 0);
    }
    return 0;
}
