// The simulated device's objects and how their values move; see device_mib.hpp.
#include "lab/snmp_sim/device_mib.hpp"

#include <algorithm>
#include <string_view>

#include "lab/snmp_sim/ber.hpp"

namespace netfeed::lab {

namespace {

using Oid = std::vector<std::uint32_t>;

const Oid kSystem{1, 3, 6, 1, 2, 1, 1};
const Oid kIfNumber{1, 3, 6, 1, 2, 1, 2, 1, 0};
const Oid kIfEntry{1, 3, 6, 1, 2, 1, 2, 2, 1};
const Oid kIfXEntry{1, 3, 6, 1, 2, 1, 31, 1, 1, 1};
const Oid kEntPhysicalEntry{1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1};
constexpr std::uint32_t kPortEntityBase = 1000;

std::uint64_t mix(std::uint64_t x) {  // splitmix64: a fixed pseudo-random start per counter
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

bool port_up(std::uint32_t ifindex) {
    return ifindex % 12 != 0;
}

bool less(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

void put_string(std::string& out, std::string_view s) {
    put_tlv(out, tag::octets, s);
}

// Traffic of one direction of one port: octets since the counter's (pseudo-random) origin.
struct Traffic {
    std::uint64_t octets, ucast, mcast, bcast, discards, errors;
};

Traffic traffic(std::uint32_t device, std::uint32_t ifindex, bool out, std::uint64_t ms,
                double scale) {
    const std::uint64_t mbit =
        port_up(ifindex) ? 1 + (device * (out ? 17 : 31) + ifindex * (out ? 31 : 17)) % 97 : 0;
    const auto per_second = static_cast<std::uint64_t>(static_cast<double>(mbit) * 125000 * scale);
    const std::uint64_t origin =
        mix((std::uint64_t{device} << 32) | (ifindex << 1) | (out ? 1 : 0)) % (1ULL << 40);
    const std::uint64_t octets = origin + per_second * ms / 1000;
    return {octets,         octets / 700,       octets / 60000,
            octets / 90000, octets / 100000000, ifindex % 5 == 0 ? octets / 300000000 : 0};
}

}  // namespace

DeviceMib::DeviceMib(const MibSettings& settings) : settings_(settings) {
    const auto add = [&](Oid oid, MibGroup group, std::uint8_t column, std::uint32_t row,
                         bool counter64 = false) {
        MibEntry e{std::move(oid), {}, group, column, row, counter64};
        put_oid(e.oid_tlv, e.oid);
        entries_.push_back(std::move(e));
    };
    for (std::uint8_t c = 1; c <= 7; ++c) {
        Oid o = kSystem;
        o.push_back(c);
        o.push_back(0);
        add(o, MibGroup::system, c, 0);
    }
    add(kIfNumber, MibGroup::if_number, 0, 0);
    const auto n = static_cast<std::uint32_t>(settings.interfaces);
    for (std::uint32_t i = 1; i <= n; ++i) {
        for (std::uint8_t c = 1; c <= 22; ++c) {
            Oid o = kIfEntry;
            o.push_back(c);
            o.push_back(i);
            add(o, MibGroup::if_table, c, i);
        }
        for (std::uint8_t c = 1; c <= 19; ++c) {
            Oid o = kIfXEntry;
            o.push_back(c);
            o.push_back(i);
            add(o, MibGroup::ifx_table, c, i, c >= 6 && c <= 13);
        }
    }
    if (settings.entity) {
        std::vector<std::uint32_t> rows{1, 2, 3, 4};
        for (std::uint32_t i = 1; i <= n; ++i)
            rows.push_back(kPortEntityBase + i);
        for (std::uint32_t row : rows) {
            for (std::uint8_t c = 2; c <= 16; ++c) {
                Oid o = kEntPhysicalEntry;
                o.push_back(c);
                o.push_back(row);
                add(o, MibGroup::entity, c, row);
            }
        }
    }
    // snmpSetSerialNo (SNMPv2-MIB): an object after the tables, as on real agents, so that a
    // walk of the last table ends at the next object rather than at endOfMibView.
    add({1, 3, 6, 1, 6, 3, 1, 1, 6, 1, 0}, MibGroup::snmp_set, 0, 0);
    std::sort(entries_.begin(), entries_.end(),
              [](const MibEntry& a, const MibEntry& b) { return less(a.oid, b.oid); });
}

std::size_t DeviceMib::lower_bound(std::span<const std::uint32_t> oid) const {
    return static_cast<std::size_t>(
        std::partition_point(entries_.begin(), entries_.end(),
                             [&](const MibEntry& e) { return less(e.oid, oid); }) -
        entries_.begin());
}

std::size_t DeviceMib::upper_bound(std::span<const std::uint32_t> oid) const {
    return static_cast<std::size_t>(
        std::partition_point(entries_.begin(), entries_.end(),
                             [&](const MibEntry& e) { return !less(oid, e.oid); }) -
        entries_.begin());
}

void DeviceMib::put_value(std::string& out, const MibEntry& e, std::uint32_t device,
                          std::uint64_t elapsed_ms) const {
    const std::uint64_t ms = settings_.frozen ? 0 : elapsed_ms;
    const std::uint32_t i = e.row;
    const std::string num = std::to_string(i);
    switch (e.group) {
        case MibGroup::system:
            switch (e.column) {
                case 1:
                    return put_string(out, "netfeed snmp-sim switch, " +
                                               std::to_string(settings_.interfaces) + " ports");
                case 2:
                    return put_oid(out, std::vector<std::uint32_t>{1, 3, 6, 1, 4, 1, 9, 1, 516});
                case 3:
                    return put_unsigned(
                        out, tag::timeticks,
                        (100000 + std::uint64_t{device} * 977 + ms / 10) & 0xffffffffULL);
                case 4:
                    return put_string(out, "noc@example.net");
                case 5:
                    return put_string(out, "sim-" + std::to_string(device));
                case 6:
                    return put_string(out, "lab rack " + std::to_string(device / 40 + 1));
                default:
                    return put_int(out, tag::integer, 6);
            }
        case MibGroup::snmp_set:
            return put_int(out, tag::integer, 1 + device % 1000);
        case MibGroup::if_number:
            return put_int(out, tag::integer, settings_.interfaces);
        case MibGroup::if_table: {
            if (e.column >= 10 && e.column <= 20) {
                const bool outward = e.column >= 16;
                const Traffic t = traffic(device, i, outward, ms, settings_.rate_scale);
                std::uint64_t v = 0;
                switch (outward ? e.column - 6 : e.column) {
                    case 10:
                        v = t.octets;
                        break;
                    case 11:
                        v = t.ucast;
                        break;
                    case 12:
                        v = t.mcast + t.bcast;
                        break;
                    case 13:
                        v = t.discards;
                        break;
                    case 14:
                        v = t.errors;
                        break;
                    default:
                        v = 0;  // ifInUnknownProtos
                        break;
                }
                return put_unsigned(out, tag::counter32, v & 0xffffffffULL);
            }
            switch (e.column) {
                case 1:
                    return put_int(out, tag::integer, i);
                case 2:
                    return put_string(out, "GigabitEthernet1/0/" + num);
                case 3:
                    return put_int(out, tag::integer, 6);
                case 4:
                    return put_int(out, tag::integer, 1500);
                case 5:
                    return put_unsigned(out, tag::gauge32, 1000000000);
                case 6: {
                    const char mac[6] = {0x00,
                                         0x16,
                                         static_cast<char>(0xc7),
                                         static_cast<char>(device >> 8),
                                         static_cast<char>(device),
                                         static_cast<char>(i)};
                    return put_string(out, std::string_view(mac, 6));
                }
                case 7:
                    return put_int(out, tag::integer, 1);
                case 8:
                    return put_int(out, tag::integer, port_up(i) ? 1 : 2);
                case 9:
                    return put_unsigned(out, tag::timeticks, 100 + i);
                case 21:
                    return put_unsigned(out, tag::gauge32, 0);
                default:
                    return put_oid(out, std::vector<std::uint32_t>{0, 0});  // ifSpecific
            }
        }
        case MibGroup::ifx_table: {
            if ((e.column >= 2 && e.column <= 5) || (e.column >= 6 && e.column <= 13)) {
                const bool hc = e.column >= 6;
                const int c = hc ? e.column - 6 : e.column - 2;  // hc: in o/u/m/b, out o/u/m/b
                const bool outward = hc ? c >= 4 : c >= 2;
                const Traffic t = traffic(device, i, outward, ms, settings_.rate_scale);
                if (!hc) {
                    const std::uint64_t v = (c % 2 == 0) ? t.mcast : t.bcast;
                    return put_unsigned(out, tag::counter32, v & 0xffffffffULL);
                }
                const std::uint64_t values[4] = {t.octets, t.ucast, t.mcast, t.bcast};
                return put_unsigned(out, tag::counter64, values[c % 4]);
            }
            switch (e.column) {
                case 1:
                    return put_string(out, "Gi1/0/" + num);
                case 14:
                    return put_int(out, tag::integer, 1);
                case 15:
                    return put_unsigned(out, tag::gauge32, 1000);
                case 16:
                    return put_int(out, tag::integer, 2);
                case 17:
                    return put_int(out, tag::integer, 1);
                case 18:
                    return put_string(out, i == 1       ? std::string("uplink to core-1")
                                           : port_up(i) ? "access port " + num
                                                        : std::string());
                default:
                    return put_unsigned(out, tag::timeticks, 0);
            }
        }
        case MibGroup::entity: {
            const bool port = i > kPortEntityBase;
            const std::uint32_t p = port ? i - kPortEntityBase : 0;
            const std::string dev = std::to_string(device);
            switch (e.column) {
                case 2:
                    return put_string(out, port     ? std::string("Gigabit Ethernet port")
                                           : i == 1 ? "netfeed snmp-sim " +
                                                          std::to_string(settings_.interfaces) +
                                                          "-port switch"
                                           : i == 4 ? std::string("Fan tray")
                                                    : std::string("350W AC power supply"));
                case 3:
                    return put_oid(out, std::vector<std::uint32_t>{1, 3, 6, 1, 4, 1, 9, 12, 3, 1,
                                                                   port     ? 10u
                                                                   : i == 1 ? 3u
                                                                            : 6u});
                case 4:
                    return put_int(out, tag::integer, i == 1 ? 0 : 1);
                case 5:
                    return put_int(out, tag::integer, port ? 10 : i == 1 ? 3 : i == 4 ? 7 : 6);
                case 6:
                    return put_int(out, tag::integer, i == 1 ? -1 : port ? p : i - 1);
                case 7:
                    return put_string(out, port     ? "Gi1/0/" + std::to_string(p)
                                           : i == 1 ? std::string("Chassis")
                                           : i == 4 ? std::string("Fan 1")
                                                    : "PSU " + std::to_string(i - 1));
                case 8:
                    return put_string(out, port ? "" : "V01");
                case 9:
                    return put_string(out, i == 1 ? "12.2(55r)SE" : "");
                case 10:
                    return put_string(out, i == 1 ? "15.2(7)E3" : "");
                case 11:
                    return put_string(out,
                                      port ? std::string() : "SIM" + dev + "-" + std::to_string(i));
                case 12:
                    return put_string(out, port ? "" : "netfeed lab");
                case 13:
                    return put_string(out, port     ? std::string()
                                           : i == 1 ? std::string("SIM-48G")
                                           : i == 4 ? std::string("FAN-T1")
                                                    : std::string("PWR-350W"));
                case 14:
                case 15:
                    return put_string(out, "");
                default:
                    return put_int(out, tag::integer, (i == 2 || i == 3) ? 1 : 2);  // isFRU
            }
        }
    }
}

}  // namespace netfeed::lab
