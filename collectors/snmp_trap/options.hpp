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
    static const OptionTable<SnmpTrapOptions>& options();
};

}  // namespace netfeed
