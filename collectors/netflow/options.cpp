// The NetFlow collector's option table; see options.hpp.
#include "collectors/netflow/options.hpp"

namespace netfeed {

const OptionTable<NetflowOptions>& NetflowOptions::options() {
    static const auto table =
        OptionTable<NetflowOptions>()
            .add("listen", &NetflowOptions::listen,
                 "UDP addresses and ports to receive exports on (the version comes from each "
                 "packet: v5, v9 and IPFIX on any port); [::]:PORT for IPv6.")
            .add("bind", &NetflowOptions::bind,
                 "Open these sockets. false: take only what a pcap input captures for these "
                 "ports (the agent on a mirror port, not the export destination).")
            .add("receive_buffer_bytes", &NetflowOptions::receive_buffer_bytes,
                 "Socket receive buffer: room for export bursts (capped by net.core.rmem_max "
                 "unless the agent may raise it; the granted size is logged).",
                 range(65536, 1 << 30))
            .add("workers", &NetflowOptions::workers,
                 "Receive threads per listen address, each with its own SO_REUSEPORT socket "
                 "(the kernel keeps each exporter on one of them, so its packets stay in "
                 "order); they decode and build records in parallel. 0: one per two cores, "
                 "at most 8.",
                 range(0, 64))
            .add("key", &NetflowOptions::key,
                 "Kafka key of a flow: the exporter's device name, the 5-tuple "
                 "(src|sport|dst|dport|proto), src_addr or dst_addr.")
            .add("max_templates_per_exporter", &NetflowOptions::max_templates_per_exporter,
                 "Templates kept per exporter; more are refused and counted (a template flood "
                 "cannot exhaust memory).",
                 range(1, 65536))
            .add("max_held_bytes_per_exporter", &NetflowOptions::max_held_bytes_per_exporter,
                 "Data that arrived before its template, held per exporter until the template "
                 "comes.",
                 range(0, 1 << 30))
            .add("held_timeout", &NetflowOptions::held_timeout,
                 "How long such data waits for its template before it is counted as lost.")
            .add("template_timeout", &NetflowOptions::template_timeout,
                 "Templates not refreshed for this long are forgotten (exporters resend them "
                 "periodically).")
            .add("template_state_max_age", &NetflowOptions::template_state_max_age,
                 "With agent.state_dir, templates and sampling rates are saved and loaded at "
                 "start; a saved template its exporter last sent longer ago than this is not "
                 "loaded (0s: no limit). A template the exporter sends again always replaces "
                 "the loaded one.");
    return table;
}

}  // namespace netfeed
