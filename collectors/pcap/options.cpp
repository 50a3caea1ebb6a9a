// The pcap input's option table; see options.hpp.
#include "collectors/pcap/options.hpp"

namespace netfeed::pcap {

const OptionTable<PcapOptions>& PcapOptions::options() {
    static const auto table =
        OptionTable<PcapOptions>()
            .add("file", &PcapOptions::file,
                 "Capture to replay (.pcap or .pcapng), relative to the config file; the input "
                 "ends once it is read (netfeed replay then stops the agent). Excludes interface.",
                 existing_file())
            .add("pace", &PcapOptions::pace,
                 "File replay: fast goes as fast as the pipeline takes it (collectors wait for "
                 "room, nothing is dropped); capture keeps the capture's own packet timing.")
            .add("speed", &PcapOptions::speed,
                 "File replay with pace capture: play this many times faster (2: twice as fast).",
                 range(0.001, 1e6))
            .add("interface", &PcapOptions::interface,
                 "Network interface to capture on live (eth1 on a mirror port, lo, any); needs "
                 "CAP_NET_RAW. Excludes file.")
            .add("filter", &PcapOptions::filter,
                 "BPF filter in tcpdump syntax. Unset: udp for a live capture, every packet of a "
                 "file. Narrow it to the collectors' ports, e.g. udp dst port 2055 or udp port "
                 "514.")
            .add("snaplen", &PcapOptions::snaplen,
                 "Live: bytes kept of each packet; a datagram cut by it is counted as truncated.",
                 range(96, 262144))
            .add("promiscuous", &PcapOptions::promiscuous,
                 "Live: take frames addressed to other hosts too, as a mirror port delivers them.")
            .add("immediate", &PcapOptions::immediate,
                 "Live: hand each packet over at once instead of in batches every "
                 "buffer_timeout (lower latency, more CPU).")
            .add("buffer_timeout", &PcapOptions::buffer_timeout,
                 "Live: longest time the kernel holds captured packets before handing over a "
                 "batch (1ms to 10s).")
            .add("buffer_bytes", &PcapOptions::buffer_bytes,
                 "Live: kernel capture buffer, room for bursts; what overflows it is counted in "
                 "netfeed_pcap_kernel_drops.",
                 range(65536, 1 << 30))
            .check([](const PcapOptions& o) -> std::optional<std::string> {
                if (!o.file.empty() && !o.interface.empty()) {
                    return "file and interface exclude each other: give file to replay a capture "
                           "or interface to capture live";
                }
                if (o.file.empty() && o.interface.empty()) {
                    return "missing file or interface: give file to replay a capture or "
                           "interface to capture live";
                }
                return std::nullopt;
            })
            .check([](const PcapOptions& o) -> std::optional<std::string> {
                if (o.interface.empty()) return std::nullopt;
                if (o.pace != ReplayPace::fast || o.speed != 1.0) {
                    return "pace and speed apply to a file replay only; a live capture on "
                           "interface '" +
                           o.interface + "' goes at the wire's pace";
                }
                return std::nullopt;
            })
            .check([](const PcapOptions& o) -> std::optional<std::string> {
                if (o.buffer_timeout < Duration(1) || o.buffer_timeout > std::chrono::seconds(10)) {
                    return "buffer_timeout must be between 1ms and 10s";
                }
                return std::nullopt;
            });
    return table;
}

}  // namespace netfeed::pcap
