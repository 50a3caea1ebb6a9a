// Turns a decoded flow into the agent's Record, with the field names of docs/flows.md, and
// picks the flow's Kafka key.
#pragma once

#include "agent/record.hpp"
#include "collectors/netflow/flow_record.hpp"

namespace netfeed::netflow {

/// What the key of a flow record is (route key templates can still override it).
enum class FlowKey { device, five_tuple, src_addr, dst_addr };

IpAddress to_ip(const FlowAddress& address);

/// Builds the record of one flow exported by `device`.
Record make_flow_record(const FlowRecord& flow, const std::string& device, FlowKey key,
                        Timestamp received);

}  // namespace netfeed::netflow
