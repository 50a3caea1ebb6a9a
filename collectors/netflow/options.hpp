// Options of the NetFlow/IPFIX collector.
#pragma once

#include <string>
#include <vector>

#include "agent/option_table.hpp"
#include "collectors/netflow/netflow_record.hpp"

namespace netfeed {

template <>
struct EnumNames<netflow::FlowKey> {
    static constexpr std::pair<std::string_view, netflow::FlowKey> values[] = {
        {"device", netflow::FlowKey::device},
        {"five_tuple", netflow::FlowKey::five_tuple},
        {"src_addr", netflow::FlowKey::src_addr},
        {"dst_addr", netflow::FlowKey::dst_addr}};
};

struct NetflowOptions {
    std::vector<Endpoint> listen{{"0.0.0.0", 2055}, {"0.0.0.0", 4739}};
    bool bind = true;
    std::size_t receive_buffer_bytes = 32 << 20;
    /// Receive threads per listen address (SO_REUSEPORT sockets); 0: one per two cores, at most 8.
    int workers = 0;
    netflow::FlowKey key = netflow::FlowKey::device;
    std::size_t max_templates_per_exporter = 1024;
    std::size_t max_held_bytes_per_exporter = 1 << 20;
    Duration held_timeout = std::chrono::seconds(60);
    Duration template_timeout = std::chrono::minutes(30);
    Duration template_state_max_age = std::chrono::hours(24 * 7);
    static const OptionTable<NetflowOptions>& options();
};

}  // namespace netfeed
