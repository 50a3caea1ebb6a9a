// Options of the sFlow v5 collector.
#pragma once

#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "collectors/netflow/options.hpp"  // the flow key names, shared with NetFlow

namespace netfeed {

struct SflowOptions {
    std::vector<Endpoint> listen{{"0.0.0.0", 6343}};
    bool bind = true;
    std::size_t receive_buffer_bytes = 32 << 20;
    netflow::FlowKey key = netflow::FlowKey::device;
    bool counters = true;
    static const OptionTable<SflowOptions>& options();
};

}  // namespace netfeed
