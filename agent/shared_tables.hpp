// What plugins share through the agent instead of calling each other: the SNMP collector's
// interface names for the flow enricher, the UDP ports the pcap input feeds.
#pragma once

#include "agent/datagram_inputs.hpp"
#include "agent/interface_table.hpp"

namespace netfeed {

struct SharedTables {
    InterfaceTable interfaces;
    DatagramInputs datagrams;
};

}  // namespace netfeed
