// TABLE/ROW normalisation, explosion into rows with natural keys, and number conversion, on
// NX-OS output shapes (one row as an object, several as an array, arrays of tables).
#include "collectors/nxapi/table_shape.hpp"

#include <gtest/gtest.h>

namespace netfeed::nxapi {
namespace {

TEST(NxapiTables, SingleRowBecomesAnArray) {
    Json body =
        Json::parse(R"({"TABLE_inv":{"ROW_inv":{"name":"\"Chassis\"","productid":"N9K"}}})");
    normalize_tables(body);
    ASSERT_TRUE(body["TABLE_inv"]["ROW_inv"].is_array());
    EXPECT_EQ(body["TABLE_inv"]["ROW_inv"].size(), 1u);
    EXPECT_EQ(body["TABLE_inv"]["ROW_inv"][0]["productid"], "N9K");
}

TEST(NxapiTables, ManyRowsStayAndNestedTablesToo) {
    Json body = Json::parse(R"({"TABLE_vrf":{"ROW_vrf":[
        {"vrf-name-out":"default","TABLE_addrf":{"ROW_addrf":{"addrf":"ipv4"}}},
        {"vrf-name-out":"mgmt","TABLE_addrf":{"ROW_addrf":[{"addrf":"ipv4"},{"addrf":"ipv6"}]}}]}})");
    normalize_tables(body);
    const Json& rows = body["TABLE_vrf"]["ROW_vrf"];
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0]["TABLE_addrf"]["ROW_addrf"].is_array());
    EXPECT_EQ(rows[0]["TABLE_addrf"]["ROW_addrf"].size(), 1u);
    EXPECT_EQ(rows[1]["TABLE_addrf"]["ROW_addrf"].size(), 2u);
}

TEST(NxapiTables, ArrayOfTablesIsMerged) {
    Json body = Json::parse(R"({"TABLE_intf":[{"ROW_intf":{"intf-name":"Eth1/1"}},
                                              {"ROW_intf":[{"intf-name":"Eth1/2"},{"intf-name":"Eth1/3"}]}]})");
    normalize_tables(body);
    ASSERT_TRUE(body["TABLE_intf"].is_object());
    ASSERT_EQ(body["TABLE_intf"]["ROW_intf"].size(), 3u);
    EXPECT_EQ(body["TABLE_intf"]["ROW_intf"][2]["intf-name"], "Eth1/3");
}

TEST(NxapiTables, ExplodeInterfacesByName) {
    Json body = Json::parse(R"({"TABLE_interface":{"ROW_interface":[
        {"interface":"mgmt0","state":"up","eth_mtu":"1500"},
        {"interface":"Ethernet1/1","state":"down","state_rsn_desc":"Link not connected",
         "eth_inbytes":"0"}]}})");
    normalize_tables(body);
    const auto rows = explode_rows(body, "", default_row_key("show interface"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].key, "mgmt0");
    EXPECT_EQ(rows[1].key, "Ethernet1/1");
    EXPECT_EQ(rows[1].fields["state_rsn_desc"], "Link not connected");
}

TEST(NxapiTables, ExplodeInventoryStripsNxosQuotes) {
    Json body = Json::parse(R"({"TABLE_inv":{"ROW_inv":{"name":"\"Chassis\"","desc":"x",
        "productid":"N9K-C93180YC-EX","vendorid":"V01","serialnum":"FDO21120U8N"}}})");
    normalize_tables(body);
    const auto rows = explode_rows(body, "inv", default_row_key("show inventory"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].key, "Chassis");
}

TEST(NxapiTables, ExplodeLldpByChassisAndPort) {
    Json body = Json::parse(R"({"neigh_hdr":"neigh_hdr","TABLE_nbor":{"ROW_nbor":[
        {"chassis_id":"00be.75f1.2a00","l_port_id":"Eth1/49","hold_time":"120",
         "capability":"BR","port_id":"Ethernet1/1"},
        {"chassis_id":"00be.75f1.2b00","l_port_id":"Eth1/50","hold_time":"120",
         "capability":"BR","port_id":"Ethernet1/1"}]},"neigh_count":"2"})");
    normalize_tables(body);
    const auto rows = explode_rows(body, "", default_row_key("show  lldp neighbors"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].key, "00be.75f1.2a00|Ethernet1/1");
    EXPECT_EQ(rows[1].key, "00be.75f1.2b00|Ethernet1/1");
}

TEST(NxapiTables, ExplodeFindsNestedTablesAndFallsBackToPositions) {
    // show environment keeps its tables one level down.
    Json body = Json::parse(R"nx({"powersup":{"voltage_level":12,"TABLE_psinfo":{"ROW_psinfo":[
        {"psnum":1,"psmodel":"NXA-PAC-650W-PE","ps_status":"ok"},
        {"psnum":2,"psmodel":"NXA-PAC-650W-PE","ps_status":"ok"}]}},
        "fandetails":{"TABLE_faninfo":{"ROW_faninfo":{"fanname":"Fan1(sys_fan1)"}}}})nx");
    normalize_tables(body);
    const std::vector<std::string> by_psnum = {"psnum"};
    const auto ps = explode_rows(body, "TABLE_psinfo", by_psnum);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[1].key, "2");
    const auto fans = explode_rows(body, "faninfo", {});
    ASSERT_EQ(fans.size(), 1u);
    EXPECT_EQ(fans[0].key, "#0");
    const std::vector<std::string> missing = {"nope"};
    EXPECT_EQ(explode_rows(body, "psinfo", missing)[1].key, "#1");
}

TEST(NxapiTables, NoTableMeansNoRows) {
    // show lldp neighbors with no neighbour at all.
    Json body = Json::parse(R"({"neigh_count":"0"})");
    EXPECT_TRUE(explode_rows(body, "", default_row_key("show lldp neighbors")).empty());
    EXPECT_TRUE(explode_rows(Json(), "", {}).empty());
    EXPECT_TRUE(explode_rows(Json("text output"), "", {}).empty());
}

TEST(NxapiNumbers, PlainDecimalsOnly) {
    Json body = Json::parse(R"nx({"eth_inbytes":"18446744073709551615","delta":"-7","load":"0.25",
        "zero":"0","serial":"007","version":"9.3(8)","huge":"18446744073709551616","exp":"1e5",
        "plus":"+4","dot":"1.","empty":"","rows":[{"hold_time":"120"}],"n":5,"b":true})nx");
    convert_numbers(body);
    EXPECT_EQ(body["eth_inbytes"], 18446744073709551615ull);
    EXPECT_TRUE(body["eth_inbytes"].is_number_unsigned());
    EXPECT_EQ(body["delta"], -7);
    EXPECT_DOUBLE_EQ(body["load"].get<double>(), 0.25);
    EXPECT_EQ(body["zero"], 0);
    EXPECT_EQ(body["rows"][0]["hold_time"], 120);
    for (const char* kept : {"serial", "version", "huge", "exp", "plus", "dot", "empty"})
        EXPECT_TRUE(body[kept].is_string()) << kept;
    EXPECT_EQ(body["n"], 5);
    EXPECT_EQ(body["b"], true);
}

TEST(NxapiNames, TopicsAndCommands) {
    EXPECT_EQ(default_topic("show version"), "nxapi.show_version");
    EXPECT_EQ(default_topic("  show  ip   route vrf all "), "nxapi.show_ip_route_vrf_all");
    EXPECT_EQ(default_topic("show interface Ethernet1/1"), "nxapi.show_interface_ethernet1_1");
    EXPECT_EQ(canonical_command("  show \t inventory "), "show inventory");
    EXPECT_EQ(default_row_key("SHOW INTERFACE"), std::vector<std::string>{"interface"});
    EXPECT_TRUE(default_row_key("show version").empty());
}

}  // namespace
}  // namespace netfeed::nxapi
