// The deterministic identity and counters of simulated switch `index` (0-based): names, serials,
// addresses, which rows its tables have, and the counter model. README.md documents each rule;
// the collector's tests rely on them, so change them only together with the README.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nxapi_sim {

inline constexpr int kEthernetPorts = 48;  // Ethernet1/1 .. Ethernet1/48; port 0 is mgmt0

std::string hostname(std::string_view prefix, int index);  // prefix + (index+1) as 3 digits
std::string chassis_serial(int index);                     // SIM + (index+1) as 8 digits
std::string slot_serial(int index);                        // SLT + (index+1) as 8 digits
std::string psu_serial(int index);                         // PSU + (index+1) as 8 digits
std::string mgmt_address(int index);                       // 10.a.b.c, a.b.c = index+1
uint64_t mac_address(int index, int port);                 // 5254.00xx.xxyy
void append_mac(std::string& out, uint64_t mac);           // NX-OS dotted form

inline bool port_up(int port) {
    return port <= 46;
}  // Ethernet1/47 and 1/48 are down
inline int inventory_rows(int index) {
    return index % 2 == 0 ? 1 : 3;
}
inline int lldp_neighbor_count(int index) {
    return index % 3;
}
// Neighbor k of switch index is switch (index + k + 1) % switches, seen on Ethernet1/(45 + k).
inline int lldp_neighbor(int index, int k, int switches) {
    return (index + k + 1) % switches;
}
inline int lldp_local_port(int k) {
    return 45 + k;
}
inline bool psu2_shutdown(int index) {
    return index % 5 == 4;
}
inline int front_temperature(int index) {
    return 28 + index % 10;
}

uint64_t uptime_seconds(int index, int64_t elapsed_ms);

// Counters of one port at a time: bytes grow linearly with the time since the simulator started
// (frozen on down ports); packets are bytes / 500.
struct PortCounters {
    uint64_t in_bytes = 0, out_bytes = 0;
    uint64_t in_packets = 0, out_packets = 0;
    uint64_t in_unicast = 0, in_multicast = 0, in_broadcast = 0;
    uint64_t out_unicast = 0, out_multicast = 0, out_broadcast = 0;
    uint64_t in_bits_rate = 0, out_bits_rate = 0;        // bits per second
    uint64_t in_packets_rate = 0, out_packets_rate = 0;  // packets per second
};
PortCounters port_counters(int index, int port, int64_t elapsed_ms);

}  // namespace nxapi_sim
