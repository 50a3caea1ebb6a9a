// Options of the pcap input: a capture file to replay, or an interface to capture on live.
#pragma once

#include <optional>
#include <string>

#include "agent/option_table.hpp"

namespace netfeed {

namespace pcap {
/// How fast a capture file is replayed.
enum class ReplayPace {
    fast,     // as fast as the pipeline takes it; the collectors wait for room, nothing drops
    capture,  // the capture's own inter-packet timing, divided by `speed`
};
}  // namespace pcap

template <>
struct EnumNames<pcap::ReplayPace> {
    static constexpr std::pair<std::string_view, pcap::ReplayPace> values[] = {
        {"fast", pcap::ReplayPace::fast}, {"capture", pcap::ReplayPace::capture}};
};

namespace pcap {

struct PcapOptions {
    // Exactly one of file and interface (checked by the table).
    FilePath file;
    std::string interface;
    ReplayPace pace = ReplayPace::fast;
    double speed = 1.0;
    std::optional<std::string> filter;  // unset: "udp" live, every packet of a file
    int snaplen = 65535;
    bool promiscuous = true;
    bool immediate = false;
    Duration buffer_timeout{100};
    std::size_t buffer_bytes = 16 << 20;
    static const OptionTable<PcapOptions>& options();
};

}  // namespace pcap
}  // namespace netfeed
