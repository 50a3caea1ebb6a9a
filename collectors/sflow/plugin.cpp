// The sFlow v5 collector's registration.
#include "collectors/sflow/plugin.hpp"

#include "collectors/sflow/record_schema.hpp"
#include "collectors/sflow/sflow_collector.hpp"

namespace netfeed::sflow {

void register_sflow_collector(PluginRegistry& registry) {
    registry.add_record_fields("flow", sflow_flow_declaration());
    registry.add_record_fields("snmp", sflow_counter_declaration());
    registry.add_collector<SflowOptions>(
        "sflow",
        "sFlow v5 over UDP (or from a pcap input): flow samples as flow records, interface "
        "counter samples as snmp interfaces rows.",
        [](const SflowOptions& options, const BuildContext&) {
            return std::make_unique<SflowCollector>(options);
        });
}

}  // namespace netfeed::sflow
