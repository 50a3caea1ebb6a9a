// The rendered NX-OS bodies are valid JSON with the documented shapes and values per switch.
#include "lab/nxapi_sim/nxos_bodies.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lab/nxapi_sim/switch_facts.hpp"

namespace nxapi_sim {
namespace {

using nlohmann::json;

json render(const NxosBodies& bodies, Command command, int index, int switches = 10,
            int64_t elapsed_ms = 0, bool arrays = false, std::string_view prefix = "sim-sw") {
    std::string out;
    bodies.render(command, SwitchView{index, switches, prefix}, elapsed_ms, arrays, out);
    return json::parse(out);
}

TEST(NxosBodies, ParsesCommands) {
    EXPECT_EQ(parse_command("show version"), Command::show_version);
    EXPECT_EQ(parse_command("  SHOW   Interface\tbrief "), Command::show_interface_brief);
    EXPECT_EQ(parse_command("show interface"), Command::show_interface);
    EXPECT_EQ(parse_command("show lldp neighbors"), Command::show_lldp_neighbors);
    EXPECT_EQ(parse_command("show running-config"), Command::show_running_config);
    EXPECT_EQ(parse_command("sh ver"), Command::unknown);
    EXPECT_EQ(parse_command(""), Command::unknown);
}

TEST(NxosBodies, VersionNamesTheSwitch) {
    NxosBodies bodies;
    auto v = render(bodies, Command::show_version, 41, 100, 90 * 1000, false, "lab\"x");
    EXPECT_EQ(v["host_name"], "lab\"x042");
    EXPECT_EQ(v["proc_board_id"], "SIM00000042");
    EXPECT_EQ(v["nxos_ver_str"], "9.3(10)");
    // 41 % 30 + 1 = 12 days, 41 % 24 = 17 hours, then 90 s.
    EXPECT_EQ(v["kern_uptm_days"], 12);
    EXPECT_EQ(v["kern_uptm_hrs"], 17);
    EXPECT_EQ(v["kern_uptm_mins"], 1);
    EXPECT_EQ(v["kern_uptm_secs"], 30);
    EXPECT_EQ(hostname("sim-sw", 1234), "sim-sw1235");
}

TEST(NxosBodies, SingleRowIsAnObjectUnlessArraysAsked) {
    NxosBodies bodies;
    auto even = render(bodies, Command::show_inventory, 2);
    EXPECT_TRUE(even["TABLE_inv"]["ROW_inv"].is_object());
    EXPECT_EQ(even["TABLE_inv"]["ROW_inv"]["serialnum"], "SIM00000003");
    auto odd = render(bodies, Command::show_inventory, 3);
    ASSERT_TRUE(odd["TABLE_inv"]["ROW_inv"].is_array());
    EXPECT_EQ(odd["TABLE_inv"]["ROW_inv"].size(), 3u);
    EXPECT_EQ(odd["TABLE_inv"]["ROW_inv"][2]["serialnum"], "PSU00000004");
    auto forced = render(bodies, Command::show_inventory, 2, 10, 0, true);
    EXPECT_TRUE(forced["TABLE_inv"]["ROW_inv"].is_array());
}

TEST(NxosBodies, LldpNeighborsFollowTheIndex) {
    NxosBodies bodies;
    auto none = render(bodies, Command::show_lldp_neighbors, 3);
    EXPECT_FALSE(none.contains("TABLE_nbor"));
    EXPECT_EQ(none["neigh_count"], "0");
    auto one = render(bodies, Command::show_lldp_neighbors, 4, 5);
    EXPECT_EQ(one["TABLE_nbor"]["ROW_nbor"]["chassis_id"], "sim-sw001");  // (4+1) % 5 = 0
    EXPECT_EQ(one["TABLE_nbor"]["ROW_nbor"]["mgmt_addr"], "10.0.0.1");
    auto two = render(bodies, Command::show_lldp_neighbors, 5, 10);
    ASSERT_EQ(two["TABLE_nbor"]["ROW_nbor"].size(), 2u);
    EXPECT_EQ(two["TABLE_nbor"]["ROW_nbor"][1]["chassis_id"], "sim-sw008");
    EXPECT_EQ(two["TABLE_nbor"]["ROW_nbor"][1]["l_port_id"], "Eth1/46");
    EXPECT_EQ(two["neigh_count"], "2");
}

TEST(NxosBodies, InterfaceCountersFollowTheFormula) {
    NxosBodies bodies;
    auto at = [&](int64_t ms) {
        return render(bodies, Command::show_interface, 7, 10,
                      ms)["TABLE_interface"]["ROW_interface"];
    };
    auto rows = at(2000);
    ASSERT_EQ(rows.size(), 49u);
    EXPECT_EQ(rows[0]["interface"], "mgmt0");
    EXPECT_EQ(rows[0]["eth_ip_addr"], "10.0.0.8");
    auto& e3 = rows[3];
    EXPECT_EQ(e3["interface"], "Ethernet1/3");
    // R_in = 1000*4 + 70 = 4070 B/s; 1000000*8 + 100000000*3 + 4070*2.
    EXPECT_EQ(e3["eth_inbytes"], 8000000 + 300000000 + 8140);
    EXPECT_EQ(e3["eth_outbytes"], 4000000 + 150000000 + (2000 + 70) * 2);
    EXPECT_EQ(e3["eth_inpkts"], (8000000 + 300000000 + 8140) / 500);
    EXPECT_EQ(e3["eth_inrate1_bits"], "32560");
    EXPECT_EQ(e3["eth_hw_addr"], "5254.0000.0803");
    EXPECT_EQ(rows[48]["state"], "down");
    EXPECT_EQ(at(9000)[48]["eth_inbytes"], rows[48]["eth_inbytes"]);
    EXPECT_GT(at(2001)[3]["eth_inbytes"], e3["eth_inbytes"]);
    auto brief =
        render(bodies, Command::show_interface_brief, 7)["TABLE_interface"]["ROW_interface"];
    EXPECT_EQ(brief.size(), 49u);
    EXPECT_EQ(brief[47]["state"], "down");
}

TEST(NxosBodies, EnvironmentShowsAShutPowerSupplyOnEveryFifthSwitch) {
    NxosBodies bodies;
    auto ok = render(bodies, Command::show_environment, 3);
    auto shut = render(bodies, Command::show_environment, 9);
    EXPECT_EQ(ok["powersup"]["TABLE_psinfo"]["ROW_psinfo"][1]["ps_status"], "Ok");
    EXPECT_EQ(shut["powersup"]["TABLE_psinfo"]["ROW_psinfo"][1]["ps_status"], "Shutdown");
    EXPECT_EQ(shut["powersup"]["TABLE_psinfo"]["ROW_psinfo"][1]["actual_out"], "0 W");
    EXPECT_EQ(ok["TABLE_tempinfo"]["ROW_tempinfo"][0]["curtemp"], "31");
    EXPECT_TRUE(ok["fandetails"]["TABLE_fan_zone_speed"]["ROW_fan_zone_speed"].is_object());
    auto arrays = render(bodies, Command::show_environment, 3, 10, 0, true);
    EXPECT_TRUE(arrays["fandetails"]["TABLE_fan_zone_speed"]["ROW_fan_zone_speed"].is_array());
}

}  // namespace
}  // namespace nxapi_sim
