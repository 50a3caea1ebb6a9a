// Registration of the pcap input (capture replay and live capture for the UDP collectors).
#pragma once

#include "agent/plugin_registry.hpp"

namespace netfeed::pcap {

void register_pcap_collector(PluginRegistry& registry);

}  // namespace netfeed::pcap
