// The interfaces enricher's registration.
#include "enrichers/interfaces/plugin.hpp"

#include "enrichers/interfaces/interfaces_enricher.hpp"
#include "enrichers/interfaces/record_schema.hpp"

namespace netfeed::interfaces {

void register_interfaces_enricher(PluginRegistry& registry) {
    registry.add_enricher_fields("interfaces", interfaces_fields());
    registry.add_enricher<InterfacesOptions>(
        "interfaces",
        "Names, aliases and speeds of a flow's in_if / out_if from the exporter's interface "
        "table, as the SNMP collector polled it.",
        [](const InterfacesOptions& options, const BuildContext&) {
            return std::make_unique<InterfacesEnricher>(options);
        });
}

}  // namespace netfeed::interfaces
