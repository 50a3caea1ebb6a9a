// The list of built-in plugins: adding a plugin is its own folder plus one line here.
#include "agent/plugin_registry.hpp"
#include "collectors/generator/plugin.hpp"
#include "collectors/netflow/plugin.hpp"
#include "collectors/nxapi/plugin.hpp"
#include "collectors/pcap/plugin.hpp"
#include "collectors/sflow/plugin.hpp"
#include "collectors/snmp/plugin.hpp"
#include "collectors/snmp_trap/plugin.hpp"
#include "collectors/syslog/plugin.hpp"
#include "enrichers/geoip/plugin.hpp"
#include "enrichers/interfaces/plugin.hpp"
#include "enrichers/inventory/plugin.hpp"
#include "enrichers/protocol/plugin.hpp"
#include "sinks/file/plugin.hpp"
#include "sinks/kafka/plugin.hpp"
#include "sinks/stdout/plugin.hpp"

namespace netfeed {

const PluginRegistry& builtin_plugins() {
    static const PluginRegistry registry = [] {
        PluginRegistry r;
        register_generator_collector(r);
        syslog::register_syslog_collector(r);
        netflow::register_netflow_collector(r);
        pcap::register_pcap_collector(r);
        snmp::register_snmp_collector(r);
        snmp_trap::register_snmp_trap_collector(r);
        nxapi::register_nxapi_collector(r);
        sflow::register_sflow_collector(r);
        inventory::register_inventory_enricher(r);
        interfaces::register_interfaces_enricher(r);
        protocol::register_protocol_enricher(r);
        geoip::register_geoip_enricher(r);
        register_kafka_sink(r);
        register_stdout_sink(r);
        register_file_sink(r);
        return r;
    }();
    return registry;
}

}  // namespace netfeed
