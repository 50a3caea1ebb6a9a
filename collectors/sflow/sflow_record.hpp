// Turns decoded sFlow samples into the agent's records: flow samples into `flow` records built
// by the NetFlow collector's builder (same names, keys and scaling) plus the sFlow-only fields;
// counter samples into `snmp` rows of the `interfaces` table named as the SNMP poller names them.
#pragma once

#include <string>

#include "agent/record.hpp"
#include "collectors/netflow/netflow_record.hpp"
#include "collectors/sflow/sflow_datagram.hpp"

namespace netfeed::sflow {

Record make_sflow_flow_record(const SflowFlow& flow, const std::string& device,
                              netflow::FlowKey key, Timestamp received);

/// The interfaces row of one counter sample; `agent` is the datagram's agent address.
Record make_interface_record(const SflowCounters& counters, const SflowDatagram& datagram,
                             const std::string& device, Timestamp received);

}  // namespace netfeed::sflow
