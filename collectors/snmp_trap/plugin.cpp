// The trap receiver's registration.
#include "collectors/snmp_trap/plugin.hpp"

#include "collectors/snmp_trap/record_schema.hpp"
#include "collectors/snmp_trap/snmp_trap_collector.hpp"

namespace netfeed::snmp_trap {

void register_snmp_trap_collector(PluginRegistry& registry) {
    registry.add_record_fields("trap", trap_declaration());
    registry.add_collector<SnmpTrapOptions>(
        "snmp_trap",
        "SNMP v1/v2c/v3 traps and informs over UDP (or from a pcap input), one record per trap; "
        "informs are acknowledged.",
        [](const SnmpTrapOptions& options, const BuildContext& context) {
            std::vector<Credentials> users;
            std::string errors;
            for (const std::string& name : options.v3_users) {
                auto it = context.config.credentials.find(name);
                if (it == context.config.credentials.end()) {
                    errors += (errors.empty() ? "" : "; ") +
                              ("v3_users: '" + name + "' is not an entry under credentials:");
                } else if (it->second.username.empty()) {
                    errors += (errors.empty() ? "" : "; ") +
                              ("v3_users: credentials '" + name + "' have no username");
                } else {
                    users.push_back(it->second);
                }
            }
            if (!errors.empty()) throw std::runtime_error(errors);
            return std::make_unique<SnmpTrapCollector>(options, std::move(users));
        });
}

}  // namespace netfeed::snmp_trap
