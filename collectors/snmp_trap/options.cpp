// The trap receiver's option table; see options.hpp.
#include "collectors/snmp_trap/options.hpp"

namespace netfeed {

const OptionTable<SnmpTrapOptions>& SnmpTrapOptions::options() {
    static const auto table =
        OptionTable<SnmpTrapOptions>()
            .add("listen", &SnmpTrapOptions::listen,
                 "UDP addresses and ports to receive traps and informs on; [::]:PORT for IPv6. "
                 "1162 needs no privilege; 162, the standard port, needs root or "
                 "CAP_NET_BIND_SERVICE.")
            .add("bind", &SnmpTrapOptions::bind,
                 "Open these sockets. false: take only what a pcap input captures for these "
                 "ports (informs are then not acknowledged: the agent is not their destination).")
            .add("receive_buffer_bytes", &SnmpTrapOptions::receive_buffer_bytes,
                 "Socket receive buffer: room for trap storms (capped by net.core.rmem_max "
                 "unless the agent may raise it).",
                 range(65536, 1 << 30))
            .add("communities", &SnmpTrapOptions::communities,
                 "v1/v2c communities accepted (secrets: ${ENV_VAR} keeps them out of this "
                 "file); others are dropped and counted (bad_community). Empty: any community.")
            .check([](const SnmpTrapOptions& o) -> std::optional<std::string> {
                if (o.listen.empty()) return "listen: give at least one address";
                for (const Secret& c : o.communities) {
                    if (c.empty()) return "communities: an empty community is not allowed";
                }
                return std::nullopt;
            });
    return table;
}

}  // namespace netfeed
