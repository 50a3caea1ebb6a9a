// Options of the SNMP trap and inform receiver.
#pragma once

#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "agent/secret.hpp"

namespace netfeed {

struct SnmpTrapOptions {
    std::vector<Endpoint> listen{{"0.0.0.0", 1162}};
    bool bind = true;
    std::size_t receive_buffer_bytes = 8 << 20;
    /// Passwords in effect: Secret, so that they never print.
    std::vector<Secret> communities;
    /// Names of entries under credentials: whose SNMPv3 users are accepted.
    std::vector<std::string> v3_users;
    /// Engine IDs (hex) of the devices that send v3 traps; informs need none.
    std::vector<std::string> v3_engine_ids;
    /// The receiver's own engine ID (hex), which informs are secured for; empty: net-snmp's.
    std::string engine_id;
    static const OptionTable<SnmpTrapOptions>& options();
};

}  // namespace netfeed
