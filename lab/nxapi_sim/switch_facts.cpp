#include "lab/nxapi_sim/switch_facts.hpp"

#include <cstdio>

namespace nxapi_sim {
namespace {

std::string numbered(std::string_view prefix, int number, int digits) {
    char buffer[24];
    int length = std::snprintf(buffer, sizeof buffer, "%0*d", digits, number);
    std::string out(prefix);
    out.append(buffer, static_cast<size_t>(length));
    return out;
}

}  // namespace

std::string hostname(std::string_view prefix, int index) {
    return numbered(prefix, index + 1, 3);
}
std::string chassis_serial(int index) {
    return numbered("SIM", index + 1, 8);
}
std::string slot_serial(int index) {
    return numbered("SLT", index + 1, 8);
}
std::string psu_serial(int index) {
    return numbered("PSU", index + 1, 8);
}

std::string mgmt_address(int index) {
    unsigned n = static_cast<unsigned>(index) + 1;
    char buffer[20];
    std::snprintf(buffer, sizeof buffer, "10.%u.%u.%u", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    return buffer;
}

uint64_t mac_address(int index, int port) {
    return 0x525400000000ULL + ((static_cast<uint64_t>(index) + 1) << 8) +
           static_cast<uint64_t>(port);
}

void append_mac(std::string& out, uint64_t mac) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int group = 2; group >= 0; --group) {
        auto part = static_cast<unsigned>((mac >> (16 * group)) & 0xffff);
        for (int shift = 12; shift >= 0; shift -= 4)
            out.push_back(kHex[(part >> shift) & 15]);
        if (group != 0) out.push_back('.');
    }
}

uint64_t uptime_seconds(int index, int64_t elapsed_ms) {
    // Booted (index % 30 + 1) days and index % 24 hours before the simulator started.
    uint64_t at_start = 86400ULL * static_cast<uint64_t>(index % 30 + 1) +
                        3600ULL * static_cast<uint64_t>(index % 24);
    return at_start + static_cast<uint64_t>(elapsed_ms / 1000);
}

PortCounters port_counters(int index, int port, int64_t elapsed_ms) {
    auto i = static_cast<uint64_t>(index);
    auto p = static_cast<uint64_t>(port);
    bool up = port_up(port);
    uint64_t in_rate = up ? 1000 * (p + 1) + 10 * i : 0;  // bytes per second
    uint64_t out_rate = up ? 500 * (p + 1) + 10 * i : 0;
    auto ms = static_cast<uint64_t>(elapsed_ms);
    PortCounters c;
    c.in_bytes = 1000000 * (i + 1) + 100000000 * p + in_rate * ms / 1000;
    c.out_bytes = 500000 * (i + 1) + 50000000 * p + out_rate * ms / 1000;
    c.in_packets = c.in_bytes / 500;
    c.out_packets = c.out_bytes / 500;
    c.in_multicast = c.in_packets / 64;
    c.in_broadcast = c.in_packets / 256;
    c.in_unicast = c.in_packets - c.in_multicast - c.in_broadcast;
    c.out_multicast = c.out_packets / 64;
    c.out_broadcast = c.out_packets / 256;
    c.out_unicast = c.out_packets - c.out_multicast - c.out_broadcast;
    c.in_bits_rate = in_rate * 8;
    c.out_bits_rate = out_rate * 8;
    c.in_packets_rate = in_rate / 500;
    c.out_packets_rate = out_rate / 500;
    return c;
}

}  // namespace nxapi_sim
