// The trap receiver's registration.
#include "collectors/snmp_trap/plugin.hpp"

#include "collectors/snmp_trap/snmp_trap_collector.hpp"

namespace netfeed::snmp_trap {

void register_snmp_trap_collector(PluginRegistry& registry) {
    registry.add_collector<SnmpTrapOptions>(
        "snmp_trap",
        "SNMP v1/v2c traps and informs over UDP (or from a pcap input), one record per trap; "
        "informs are acknowledged.",
        [](const SnmpTrapOptions& options, const BuildContext&) {
            return std::make_unique<SnmpTrapCollector>(options);
        });
}

}  // namespace netfeed::snmp_trap
