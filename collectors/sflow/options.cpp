// The sFlow collector's option table; see options.hpp.
#include "collectors/sflow/options.hpp"

namespace netfeed {

const OptionTable<SflowOptions>& SflowOptions::options() {
    static const auto table =
        OptionTable<SflowOptions>()
            .add("listen", &SflowOptions::listen,
                 "UDP addresses and ports to receive sFlow v5 datagrams on; [::]:PORT for IPv6.")
            .add("bind", &SflowOptions::bind,
                 "Open these sockets. false: take only what a pcap input captures for these "
                 "ports (netfeed replay, or the agent on a mirror port).")
            .add("receive_buffer_bytes", &SflowOptions::receive_buffer_bytes,
                 "Socket receive buffer: room for datagram bursts (capped by net.core.rmem_max "
                 "unless the agent may raise it; the granted size is logged).",
                 range(65536, 1 << 30))
            .add("key", &SflowOptions::key,
                 "Kafka key of a flow: the agent's device name, the 5-tuple "
                 "(src|sport|dst|dport|proto), src_addr or dst_addr.")
            .add("counters", &SflowOptions::counters,
                 "Turn counter samples (generic and Ethernet interface counters) into snmp "
                 "records of the interfaces table, keyed <device>|interfaces|if_index=N.");
    return table;
}

}  // namespace netfeed
