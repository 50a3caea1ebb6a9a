// The trap receiver's option table; see options.hpp.
#include "collectors/snmp_trap/options.hpp"

#include "collectors/snmp_trap/usm_users.hpp"

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
            .add("v3_users", &SnmpTrapOptions::v3_users,
                 "SNMPv3: names of entries under credentials: (username, auth_protocol, "
                 "auth_passphrase, priv_protocol, priv_passphrase) whose traps and informs are "
                 "accepted. Empty: v3 messages are dropped (v3_not_supported).")
            .add("v3_engine_ids", &SnmpTrapOptions::v3_engine_ids,
                 "SNMPv3 traps: the engine IDs (hex) of the devices that send them (a trap is "
                 "secured with the sender's engine ID; each v3 user is accepted from each). "
                 "Informs need none: they are secured for the receiver's engine_id.")
            .add("engine_id", &SnmpTrapOptions::engine_id,
                 "The receiver's own SNMPv3 engine ID (hex, 5-32 bytes) that informs are sent "
                 "to; devices that do not discover it need it configured. Empty: the one "
                 "net-snmp makes at start (logged). One per process.")
            .check([](const SnmpTrapOptions& o) -> std::optional<std::string> {
                if (o.listen.empty()) return "listen: give at least one address";
                snmp_trap::EngineId id;
                for (const std::string& e : o.v3_engine_ids) {
                    if (!snmp_trap::parse_engine_id(e, id))
                        return "v3_engine_ids: '" + e + "' is not 5-32 bytes of hex";
                }
                if (!o.engine_id.empty() && !snmp_trap::parse_engine_id(o.engine_id, id))
                    return "engine_id: '" + o.engine_id + "' is not 5-32 bytes of hex";
                if (!o.v3_engine_ids.empty() && o.v3_users.empty())
                    return "v3_engine_ids: name the accepted users in v3_users too";
                for (const Secret& c : o.communities) {
                    if (c.empty()) return "communities: an empty community is not allowed";
                }
                return std::nullopt;
            });
    return table;
}

}  // namespace netfeed
