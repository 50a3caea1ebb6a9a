// The pcap input's registration line; see plugin.hpp.
#include "collectors/pcap/plugin.hpp"

#include "collectors/pcap/pcap_collector.hpp"

namespace netfeed::pcap {

void register_pcap_collector(PluginRegistry& registry) {
    registry.add_collector<PcapOptions>(
        "pcap",
        "Feeds the UDP payloads of a capture file, or of a live capture on an interface, to the "
        "collectors that listen on their destination ports.",
        [](const PcapOptions& options, const BuildContext&) {
            return std::make_unique<PcapCollector>(options);
        });
}

}  // namespace netfeed::pcap
