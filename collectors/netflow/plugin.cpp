// The NetFlow/IPFIX collector's registration.
#include "collectors/netflow/plugin.hpp"

#include "collectors/netflow/netflow_collector.hpp"
#include "collectors/netflow/record_schema.hpp"

namespace netfeed::netflow {

void register_netflow_collector(PluginRegistry& registry) {
    registry.add_record_fields("flow", flow_declaration());
    registry.add_collector<NetflowOptions>(
        "netflow", "NetFlow v5, v9 and IPFIX over UDP (or from a pcap input), one record per flow.",
        [](const NetflowOptions& options, const BuildContext&) {
            return std::make_unique<NetflowCollector>(options);
        });
}

}  // namespace netfeed::netflow
