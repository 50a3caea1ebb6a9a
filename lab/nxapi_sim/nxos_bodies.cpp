#include "lab/nxapi_sim/nxos_bodies.hpp"

#include <charconv>
#include <string>

#include "lab/nxapi_sim/switch_facts.hpp"

namespace nxapi_sim {
namespace {

// What a hole in a body stands for; arg is a port (0 = mgmt0) or a neighbor number.
enum Slot : uint16_t {
    kHostname,
    kChassisSerial,
    kSlotSerial,
    kPsuSerial,
    kMgmtAddress,
    kMac,
    kUptimeDays,
    kUptimeHours,
    kUptimeMinutes,
    kUptimeSeconds,
    kInBytes,
    kOutBytes,
    kInPackets,
    kOutPackets,
    kInUnicast,
    kInMulticast,
    kInBroadcast,
    kOutUnicast,
    kOutMulticast,
    kOutBroadcast,
    kInBitsRate,
    kOutBitsRate,
    kInPacketsRate,
    kOutPacketsRate,
    kNeighborName,
    kNeighborMgmt,
    kFrontTemperature,
    kBackTemperature,
    kPs2Status,
    kPs1Out,
    kPs2Out,
    kPs1In,
    kPs2In,
    kTotalDraw,
};

constexpr std::string_view kVersion = "9.3(10)";

void append_number(std::string& out, uint64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    (void)ec;
    out.append(buffer, static_cast<size_t>(end - buffer));
}

void append_watts(std::string& out, uint64_t watts) {
    append_number(out, watts);
    out += " W";
}

uint64_t ps_out_watts(int index, int ps) {
    if (ps == 2 && psu2_shutdown(index)) return 0;
    return 150 + static_cast<uint64_t>(index % 50) + static_cast<uint64_t>(ps);
}

struct HoleWriter {
    const SwitchView& view;
    int64_t elapsed_ms;

    void operator()(std::string& out, Hole hole) const {
        const int i = view.index;
        switch (hole.slot) {
            case kHostname:
                return append_hostname(out, i);
            case kChassisSerial:
                out += chassis_serial(i);
                return;
            case kSlotSerial:
                out += slot_serial(i);
                return;
            case kPsuSerial:
                out += psu_serial(i);
                return;
            case kMgmtAddress:
                out += mgmt_address(i);
                return;
            case kMac:
                return append_mac(out, mac_address(i, hole.arg));
            case kUptimeDays:
                return append_number(out, uptime_seconds(i, elapsed_ms) / 86400);
            case kUptimeHours:
                return append_number(out, uptime_seconds(i, elapsed_ms) / 3600 % 24);
            case kUptimeMinutes:
                return append_number(out, uptime_seconds(i, elapsed_ms) / 60 % 60);
            case kUptimeSeconds:
                return append_number(out, uptime_seconds(i, elapsed_ms) % 60);
            case kNeighborName:
                return append_hostname(out, lldp_neighbor(i, hole.arg, view.switches));
            case kNeighborMgmt:
                out += mgmt_address(lldp_neighbor(i, hole.arg, view.switches));
                return;
            case kFrontTemperature:
                return append_number(out, front_temperature(i));
            case kBackTemperature:
                return append_number(out, front_temperature(i) - 4);
            case kPs2Status:
                out += psu2_shutdown(i) ? "Shutdown" : "Ok";
                return;
            case kPs1Out:
                return append_watts(out, ps_out_watts(i, 1));
            case kPs2Out:
                return append_watts(out, ps_out_watts(i, 2));
            case kPs1In:
                return append_watts(out, ps_out_watts(i, 1) + 12);
            case kPs2In:
                return append_watts(out, psu2_shutdown(i) ? 0 : ps_out_watts(i, 2) + 12);
            case kTotalDraw:
                return append_watts(out, ps_out_watts(i, 1) + ps_out_watts(i, 2));
            default:
                break;
        }
        PortCounters c = port_counters(i, hole.arg, elapsed_ms);
        switch (hole.slot) {
            case kInBytes:
                return append_number(out, c.in_bytes);
            case kOutBytes:
                return append_number(out, c.out_bytes);
            case kInPackets:
                return append_number(out, c.in_packets);
            case kOutPackets:
                return append_number(out, c.out_packets);
            case kInUnicast:
                return append_number(out, c.in_unicast);
            case kInMulticast:
                return append_number(out, c.in_multicast);
            case kInBroadcast:
                return append_number(out, c.in_broadcast);
            case kOutUnicast:
                return append_number(out, c.out_unicast);
            case kOutMulticast:
                return append_number(out, c.out_multicast);
            case kOutBroadcast:
                return append_number(out, c.out_broadcast);
            case kInBitsRate:
                return append_number(out, c.in_bits_rate);
            case kOutBitsRate:
                return append_number(out, c.out_bits_rate);
            case kInPacketsRate:
                return append_number(out, c.in_packets_rate);
            case kOutPacketsRate:
                return append_number(out, c.out_packets_rate);
            default:
                return;
        }
    }

    void append_hostname(std::string& out, int index) const {
        append_json_escaped(out, view.hostname_prefix);
        char buffer[16];
        int n = index + 1;
        // At least 3 digits, as hostname() writes it.
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
        (void)ec;
        for (auto digits = end - buffer; digits < 3; ++digits)
            out.push_back('0');
        out.append(buffer, static_cast<size_t>(end - buffer));
    }
};

// TABLE_<name>: {ROW_<name>: row or [rows]}; one row is an object unless arrays are asked for.
template <class WriteRow>
void table(JsonTemplateWriter& w, std::string_view name, int rows, bool arrays,
           WriteRow&& write_row) {
    std::string table_key = "TABLE_";
    table_key += name;
    std::string row_key = "ROW_";
    row_key += name;
    w.key(table_key).begin_object().key(row_key);
    if (rows == 1 && !arrays) {
        write_row(0);
    } else {
        w.begin_array();
        for (int k = 0; k < rows; ++k)
            write_row(k);
        w.end_array();
    }
    w.end_object();
}

BodyTemplate build_version() {
    JsonTemplateWriter w;
    w.begin_object()
        .field("header_str",
               "Cisco Nexus Operating System (NX-OS) Software\nTAC support: "
               "http://www.cisco.com/tac\nThis is nxapi-sim, a simulated switch.\n")
        .field("bios_ver_str", "05.47")
        .field("kickstart_ver_str", kVersion)
        .field("nxos_ver_str", kVersion)
        .field("bios_cmpl_time", "04/08/2022")
        .field("kick_file_name", "bootflash:///nxos.9.3.10.bin")
        .field("nxos_file_name", "bootflash:///nxos.9.3.10.bin")
        .field("kick_cmpl_time", "12/22/2022 2:00:00")
        .field("nxos_cmpl_time", "12/22/2022 2:00:00")
        .field("kick_tmstmp", "12/22/2022 13:00:57")
        .field("nxos_tmstmp", "12/22/2022 13:00:57")
        .field("chassis_id", "Nexus9000 C93180YC-FX Chassis")
        .field("cpu_name", "Intel(R) Xeon(R) CPU D-1528 @ 1.90GHz")
        .field_number("memory", 24632072)
        .field("mem_type", "kB")
        .field_string_hole("proc_board_id", kChassisSerial)
        .field_string_hole("host_name", kHostname)
        .field_number("bootflash_size", 115805708)
        .field_number_hole("kern_uptm_days", kUptimeDays)
        .field_number_hole("kern_uptm_hrs", kUptimeHours)
        .field_number_hole("kern_uptm_mins", kUptimeMinutes)
        .field_number_hole("kern_uptm_secs", kUptimeSeconds)
        .field_number("rr_usecs", 134703)
        .field("rr_ctime", "Sun Nov  1 07:28:44 2026")
        .field("rr_reason", "Reset Requested by CLI command reload")
        .field("rr_sys_ver", kVersion)
        .field("rr_service", "")
        .field("plugins", "Core Plugin, Ethernet Plugin")
        .field("manufacturer", "Cisco Systems, Inc.")
        .end_object();
    return w.finish();
}

BodyTemplate build_inventory(bool odd, bool arrays) {
    JsonTemplateWriter w;
    w.begin_object();
    table(w, "inv", odd ? 3 : 1, arrays, [&](int k) {
        w.begin_object();
        if (k == 0) {
            w.field("name", "Chassis")
                .field("desc", "Nexus9000 C93180YC-FX Chassis")
                .field("productid", "N9K-C93180YC-FX")
                .field("vendorid", "V04")
                .field_string_hole("serialnum", kChassisSerial);
        } else if (k == 1) {
            w.field("name", "Slot 1")
                .field("desc", "48x10/25G + 6x40/100G Ethernet Module")
                .field("productid", "N9K-C93180YC-FX")
                .field("vendorid", "V04")
                .field_string_hole("serialnum", kSlotSerial);
        } else {
            w.field("name", "Power Supply 1")
                .field("desc", "Nexus9000 C93180YC-FX Chassis Power Supply")
                .field("productid", "NXA-PAC-650W-PE")
                .field("vendorid", "V01")
                .field_string_hole("serialnum", kPsuSerial);
        }
        w.end_object();
    });
    w.end_object();
    return w.finish();
}

BodyTemplate build_lldp(int neighbors, bool arrays) {
    JsonTemplateWriter w;
    w.begin_object().field("neigh_hdr", "neigh_hdr");
    if (neighbors > 0) {
        table(w, "nbor", neighbors, arrays, [&](int k) {
            std::string local = "Eth1/" + std::to_string(lldp_local_port(k));
            std::string remote = "Ethernet1/" + std::to_string(lldp_local_port(k));
            w.begin_object()
                .field("chassis_type", "Locally Assigned")
                .field_string_hole("chassis_id", kNeighborName, k)
                .field("l_port_id", local)
                .field("hold_time", "120")
                .field("system_capability", "BR")
                .field("enabled_capability", "BR")
                .field("port_type", "Interface Name")
                .field("port_id", remote)
                .field("mgmt_addr_type", "IPV4")
                .field_string_hole("mgmt_addr", kNeighborMgmt, k)
                .field("mgmt_addr_ipv6_type", "Address not advertised")
                .field("mgmt_addr_ipv6", "not advertised")
                .end_object();
        });
    }
    w.field("neigh_count", std::to_string(neighbors)).end_object();
    return w.finish();
}

void write_mgmt0(JsonTemplateWriter& w) {
    w.begin_object()
        .field("interface", "mgmt0")
        .field("state", "up")
        .field("admin_state", "up")
        .field("eth_hw_desc", "GigabitEthernet")
        .field_string_hole("eth_hw_addr", kMac, 0)
        .field_string_hole("eth_bia_addr", kMac, 0)
        .field_string_hole("eth_ip_addr", kMgmtAddress)
        .field_number("eth_ip_mask", 24)
        .field("eth_mtu", "1500")
        .field_number("eth_bw", 1000000)
        .field_number("eth_dly", 10)
        .field("eth_reliability", "255")
        .field("eth_txload", "1")
        .field("eth_rxload", "1")
        .field("medium", "broadcast")
        .field("eth_duplex", "full")
        .field("eth_speed", "1000 Mb/s")
        .field("eth_autoneg", "on")
        .field("eth_mdix", "off")
        .field("eth_ethertype", "0x0000")
        .field_number_hole("vdc_lvl_in_avg_bits", kInBitsRate, 0)
        .field_number_hole("vdc_lvl_in_avg_pkts", kInPacketsRate, 0)
        .field_number_hole("vdc_lvl_out_avg_bits", kOutBitsRate, 0)
        .field_number_hole("vdc_lvl_out_avg_pkts", kOutPacketsRate, 0)
        .field_number_hole("vdc_lvl_in_pkts", kInPackets, 0)
        .field_number_hole("vdc_lvl_in_ucast", kInUnicast, 0)
        .field_number_hole("vdc_lvl_in_mcast", kInMulticast, 0)
        .field_number_hole("vdc_lvl_in_bcast", kInBroadcast, 0)
        .field_number_hole("vdc_lvl_in_bytes", kInBytes, 0)
        .field_number_hole("vdc_lvl_out_pkts", kOutPackets, 0)
        .field_number_hole("vdc_lvl_out_ucast", kOutUnicast, 0)
        .field_number_hole("vdc_lvl_out_mcast", kOutMulticast, 0)
        .field_number_hole("vdc_lvl_out_bcast", kOutBroadcast, 0)
        .field_number_hole("vdc_lvl_out_bytes", kOutBytes, 0)
        .end_object();
}

void write_ethernet(JsonTemplateWriter& w, int port) {
    bool up = port_up(port);
    w.begin_object().field("interface", "Ethernet1/" + std::to_string(port));
    w.field("state", up ? "up" : "down");
    if (!up) w.field("state_rsn_desc", "Link not connected");
    w.field("admin_state", "up")
        .field("share_state", "Dedicated")
        .field("eth_hw_desc", "100/1000/10000/25000 Ethernet")
        .field_string_hole("eth_hw_addr", kMac, port)
        .field_string_hole("eth_bia_addr", kMac, port);
    if (port <= 4) w.field("desc", "uplink " + std::to_string(port));
    w.field("eth_mtu", "9216")
        .field_number("eth_bw", 25000000)
        .field_number("eth_dly", 10)
        .field("eth_reliability", "255")
        .field("eth_txload", "1")
        .field("eth_rxload", "1")
        .field("medium", "broadcast")
        .field("eth_mode", "access")
        .field("eth_duplex", "full")
        .field("eth_speed", up ? "25 Gb/s" : "auto-speed")
        .field("eth_beacon", "off")
        .field("eth_autoneg", "off")
        .field("eth_in_flowctrl", "off")
        .field("eth_out_flowctrl", "off")
        .field("eth_mdix", "off")
        .field("eth_swt_monitor", "off")
        .field("eth_ethertype", "0x8100")
        .field("eth_eee_state", "n/a")
        .field("eth_link_flapped", up ? "1week(s) 2day(s)" : "never")
        .field("eth_clear_counters", "never")
        .field_number("eth_reset_cntr", up ? 2 : 0)
        .field_number("eth_load_interval1_rx", 30)
        .field_string_hole("eth_inrate1_bits", kInBitsRate, port)
        .field_string_hole("eth_inrate1_pkts", kInPacketsRate, port)
        .field_number("eth_load_interval1_tx", 30)
        .field_string_hole("eth_outrate1_bits", kOutBitsRate, port)
        .field_string_hole("eth_outrate1_pkts", kOutPacketsRate, port)
        .field_number_hole("eth_inucast", kInUnicast, port)
        .field_number_hole("eth_inmcast", kInMulticast, port)
        .field_number_hole("eth_inbcast", kInBroadcast, port)
        .field_number_hole("eth_inpkts", kInPackets, port)
        .field_number_hole("eth_inbytes", kInBytes, port)
        .field("eth_jumbo_inpkts", "0")
        .field("eth_storm_supp", "0")
        .field_number("eth_runts", 0)
        .field_number("eth_giants", 0)
        .field("eth_crc", "0")
        .field_number("eth_nobuf", 0)
        .field("eth_inerr", "0")
        .field("eth_frame", "0")
        .field("eth_overrun", "0")
        .field("eth_underrun", "0")
        .field("eth_ignored", "0")
        .field("eth_watchdog", "0")
        .field("eth_bad_eth", "0")
        .field("eth_bad_proto", "0")
        .field("eth_in_ifdown_drops", "0")
        .field("eth_dribble", "0")
        .field("eth_indiscard", "0")
        .field("eth_inpause", "0")
        .field_number_hole("eth_outucast", kOutUnicast, port)
        .field_number_hole("eth_outmcast", kOutMulticast, port)
        .field_number_hole("eth_outbcast", kOutBroadcast, port)
        .field_number_hole("eth_outpkts", kOutPackets, port)
        .field_number_hole("eth_outbytes", kOutBytes, port)
        .field("eth_jumbo_outpkts", "0")
        .field("eth_outerr", "0")
        .field("eth_coll", "0")
        .field("eth_deferred", "0")
        .field("eth_latecoll", "0")
        .field("eth_lostcarrier", "0")
        .field("eth_nocarrier", "0")
        .field("eth_babbles", "0")
        .field("eth_outdiscard", "0")
        .field("eth_outpause", "0")
        .end_object();
}

BodyTemplate build_interface() {
    JsonTemplateWriter w;
    w.begin_object();
    table(w, "interface", kEthernetPorts + 1, false, [&](int k) {
        if (k == 0) {
            write_mgmt0(w);
        } else {
            write_ethernet(w, k);
        }
    });
    w.end_object();
    return w.finish();
}

BodyTemplate build_interface_brief() {
    JsonTemplateWriter w;
    w.begin_object();
    table(w, "interface", kEthernetPorts + 1, false, [&](int k) {
        w.begin_object();
        if (k == 0) {
            w.field("interface", "mgmt0")
                .field("state", "up")
                .field_string_hole("ip_addr", kMgmtAddress)
                .field("speed", "1000")
                .field("mtu", "1500");
        } else {
            bool up = port_up(k);
            w.field("interface", "Ethernet1/" + std::to_string(k))
                .field("vlan", "1")
                .field("type", "eth")
                .field("portmode", "access")
                .field("state", up ? "up" : "down")
                .field("state_rsn_desc", up ? "none" : "Link not connected")
                .field("speed", up ? "25G" : "auto")
                .field("ratemode", "D");
        }
        w.end_object();
    });
    w.end_object();
    return w.finish();
}

BodyTemplate build_environment(bool arrays) {
    JsonTemplateWriter w;
    w.begin_object().key("powersup").begin_object().field_number("voltage_level", 12);
    table(w, "psinfo", 2, arrays, [&](int k) {
        w.begin_object().field_number("psnum", k + 1).field("psmodel", "NXA-PAC-650W-PE");
        w.key("actual_out").string_hole(k == 0 ? kPs1Out : kPs2Out);
        w.key("actual_input").string_hole(k == 0 ? kPs1In : kPs2In);
        w.field("tot_capa", "650 W");
        if (k == 0) {
            w.field("ps_status", "Ok");
        } else {
            w.field_string_hole("ps_status", kPs2Status);
        }
        w.end_object();
    });
    w.key("power_summary")
        .begin_object()
        .field("ps_redun_mode", "PS-Redundant")
        .field("ps_oper_mode", "PS-Redundant")
        .field("tot_pow_capacity", "650.00 W")
        .field("reserve_sup", "650.00 W")
        .field_string_hole("tot_pow_out_actual_draw", kTotalDraw)
        .end_object()
        .end_object();
    w.key("fandetails").begin_object();
    table(w, "faninfo", 6, arrays, [&](int k) {
        w.begin_object();
        if (k < 4) {
            w.field("fanname",
                    "Fan" + std::to_string(k + 1) + "(sys_fan" + std::to_string(k + 1) + ")")
                .field("fanmodel", "NXA-FAN-30CFM-B")
                .field("fanhwver", "--")
                .field("fandir", "front-to-back")
                .field("fanstatus", "Ok");
        } else {
            w.field("fanname", "Fan_in_PS" + std::to_string(k - 3))
                .field("fanmodel", "--")
                .field("fanhwver", "--")
                .field("fandir", "front-to-back");
            if (k == 5) {
                w.field_string_hole("fanstatus", kPs2Status);
            } else {
                w.field("fanstatus", "Ok");
            }
        }
        w.end_object();
    });
    w.field("fan_filter_status", "NotSupported");
    table(w, "fan_zone_speed", 1, arrays, [&](int) {
        w.begin_object().field("zone", "1").field("zonespeed", "0x5f").end_object();
    });
    w.end_object();
    table(w, "tempinfo", 4, arrays, [&](int k) {
        static constexpr const char* kSensors[] = {"FRONT", "BACK", "CPU", "Homewood"};
        static constexpr const char* kMajor[] = {"80", "70", "90", "110"};
        static constexpr const char* kMinor[] = {"70", "42", "80", "90"};
        w.begin_object()
            .field("tempmod", "1")
            .field("sensor", kSensors[k])
            .field("majthres", kMajor[k])
            .field("minthres", kMinor[k]);
        if (k == 0) {
            w.field_string_hole("curtemp", kFrontTemperature);
        } else if (k == 1) {
            w.field_string_hole("curtemp", kBackTemperature);
        } else {
            w.field("curtemp", k == 2 ? "41" : "52");
        }
        w.field("alarmstatus", "Ok").end_object();
    });
    w.end_object();
    return w.finish();
}

}  // namespace

Command parse_command(std::string_view text) {
    std::string normal;
    normal.reserve(text.size());
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!normal.empty() && normal.back() != ' ') normal.push_back(' ');
        } else {
            normal.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        }
    }
    if (!normal.empty() && normal.back() == ' ') normal.pop_back();
    if (normal == "show version") return Command::show_version;
    if (normal == "show inventory") return Command::show_inventory;
    if (normal == "show interface") return Command::show_interface;
    if (normal == "show interface brief") return Command::show_interface_brief;
    if (normal == "show lldp neighbors") return Command::show_lldp_neighbors;
    if (normal == "show environment") return Command::show_environment;
    if (normal == "show running-config") return Command::show_running_config;
    return Command::unknown;
}

NxosBodies::NxosBodies()
    : version_(build_version()),
      interface_(build_interface()),
      interface_brief_(build_interface_brief()) {
    for (int arrays = 0; arrays < 2; ++arrays) {
        for (int odd = 0; odd < 2; ++odd)
            inventory_[odd][arrays] = build_inventory(odd, arrays);
        for (int n = 0; n < 3; ++n)
            lldp_[n][arrays] = build_lldp(n, arrays);
        environment_[arrays] = build_environment(arrays);
    }
}

void NxosBodies::render(Command command, const SwitchView& view, int64_t elapsed_ms,
                        bool rows_as_arrays, std::string& out) const {
    HoleWriter writer{view, elapsed_ms};
    const int arrays = rows_as_arrays ? 1 : 0;
    switch (command) {
        case Command::show_version:
            return version_.render(out, writer);
        case Command::show_inventory:
            return inventory_[view.index % 2][arrays].render(out, writer);
        case Command::show_interface:
            return interface_.render(out, writer);
        case Command::show_interface_brief:
            return interface_brief_.render(out, writer);
        case Command::show_lldp_neighbors:
            return lldp_[lldp_neighbor_count(view.index)][arrays].render(out, writer);
        case Command::show_environment:
            return environment_[arrays].render(out, writer);
        case Command::show_running_config:
        case Command::unknown:
            return;
    }
}

}  // namespace nxapi_sim
