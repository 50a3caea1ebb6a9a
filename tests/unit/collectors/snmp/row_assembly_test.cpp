// Row assembly: ifTable and ifXTable joined by ifIndex, missing columns, multi-part indexes.
#include "collectors/snmp/row_assembly.hpp"

#include <gtest/gtest.h>

#include "agent/shared_tables.hpp"

namespace netfeed::snmp {
namespace {

Oid O(std::string_view text) {
    Oid out;
    EXPECT_TRUE(parse_oid(text, out)) << text;
    return out;
}

VarBind octets(std::string_view oid, std::string bytes) {
    VarBind vb{O(oid), {}};
    vb.value.type = SnmpType::octets;
    vb.value.bytes = std::move(bytes);
    return vb;
}
VarBind integer(std::string_view oid, std::int64_t v) {
    VarBind vb{O(oid), {}};
    vb.value.type = SnmpType::integer;
    vb.value.integer = v;
    return vb;
}
VarBind counter(std::string_view oid, std::uint64_t v, SnmpType type = SnmpType::counter64) {
    VarBind vb{O(oid), {}};
    vb.value.type = type;
    vb.value.unsigned_ = v;
    return vb;
}

const TableSpec& table(const char* profile) {
    const Profile* p = find_builtin_profile(profile);
    EXPECT_NE(p, nullptr);
    return p->tables.at(0);
}

TEST(SnmpRowAssembly, JoinsIfTableAndIfXTableByIndex) {
    const TableSpec& spec = table("interfaces");
    TableAssembler t(spec);
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.2.2.1.2.3", "GigabitEthernet0/3")));
    EXPECT_TRUE(t.add(integer("1.3.6.1.2.1.2.2.1.8.3", 1)));
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.2.2.1.6.3", std::string("\x00\x1b\x21\x3a\x4f\x5e", 6))));
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.31.1.1.1.1.3", "Gi0/3")));
    EXPECT_TRUE(t.add(counter("1.3.6.1.2.1.31.1.1.1.6.3", 123456789012ULL)));
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.31.1.1.1.18.3", "uplink to core")));
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.31.1.1.1.1.1", "Vl1")));  // only in ifXTable
    // Not a column of the profile, and outside the table: refused.
    EXPECT_FALSE(t.add(integer("1.3.6.1.2.1.2.2.1.21.3", 0)));
    EXPECT_FALSE(t.add(integer("1.3.6.1.2.1.1.3.0", 5)));
    // An exception carries no value.
    VarBind missing = octets("1.3.6.1.2.1.31.1.1.1.18.1", "");
    missing.value.type = SnmpType::no_such_instance;
    EXPECT_FALSE(t.add(missing));

    const auto rows = t.rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].index, Oid{1});
    EXPECT_EQ(rows[1].index, Oid{3});

    Record r;
    add_row_fields(t, rows[1], spec.index, r);
    ASSERT_NE(r.find("if_index"), nullptr);
    EXPECT_EQ(value_to_text(*r.find("if_index")), "3");
    EXPECT_EQ(value_to_text(*r.find("if_descr")), "GigabitEthernet0/3");
    EXPECT_EQ(value_to_text(*r.find("if_name")), "Gi0/3");
    EXPECT_EQ(value_to_text(*r.find("if_alias")), "uplink to core");
    EXPECT_EQ(value_to_text(*r.find("if_phys_address")), "00:1b:21:3a:4f:5e");
    EXPECT_EQ(std::get<std::uint64_t>(*r.find("if_hc_in_octets")), 123456789012ULL);
    EXPECT_EQ(std::get<std::int64_t>(*r.find("if_oper_status")), 1);

    // Row 1 has only ifName: the missing columns are absent, not null.
    Record r1;
    add_row_fields(t, rows[0], spec.index, r1);
    EXPECT_EQ(r1.fields.size(), 2u);
    EXPECT_EQ(r1.find("if_descr"), nullptr);
    EXPECT_EQ(row_key("lax-cor-r1", "interfaces", spec.index, rows[1].index),
              "lax-cor-r1|interfaces|if_index=3");
}

TEST(SnmpRowAssembly, LldpMultiPartIndexAndSubtypeAwareIds) {
    const TableSpec& spec = table("lldp");
    TableAssembler t(spec);
    // lldpRemEntry.<column>.<timeMark>.<localPortNum>.<index>
    EXPECT_TRUE(t.add(integer("1.0.8802.1.1.2.1.4.1.1.4.0.12.1", 4)));  // macAddress
    EXPECT_TRUE(t.add(
        octets("1.0.8802.1.1.2.1.4.1.1.5.0.12.1", std::string("\x00\x1c\x73\x01\x02\x03", 6))));
    EXPECT_TRUE(t.add(integer("1.0.8802.1.1.2.1.4.1.1.6.0.12.1", 5)));  // interfaceName
    EXPECT_TRUE(t.add(octets("1.0.8802.1.1.2.1.4.1.1.7.0.12.1", "Ethernet1")));
    EXPECT_TRUE(t.add(octets("1.0.8802.1.1.2.1.4.1.1.9.0.12.1", "lax-agg-s2")));
    // A second neighbour with a network-address chassis id (IPv4) and a MAC port id.
    EXPECT_TRUE(t.add(integer("1.0.8802.1.1.2.1.4.1.1.4.300.7.2", 5)));
    EXPECT_TRUE(
        t.add(octets("1.0.8802.1.1.2.1.4.1.1.5.300.7.2", std::string("\x01\xc0\x00\x02\x07", 5))));
    EXPECT_TRUE(t.add(integer("1.0.8802.1.1.2.1.4.1.1.6.300.7.2", 3)));
    EXPECT_TRUE(t.add(octets("1.0.8802.1.1.2.1.4.1.1.7.300.7.2", "ABCDEF")));

    const auto rows = t.rows();
    ASSERT_EQ(rows.size(), 2u);
    Record a;
    add_row_fields(t, rows[0], spec.index, a);
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_time_mark")), "0");
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_local_port_num")), "12");
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_index")), "1");
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_chassis_id")), "00:1c:73:01:02:03");
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_port_id")), "Ethernet1");
    EXPECT_EQ(value_to_text(*a.find("lldp_rem_sys_name")), "lax-agg-s2");
    EXPECT_EQ(row_key("r1", "lldp", spec.index, rows[0].index),
              "r1|lldp|lldp_rem_time_mark=0,lldp_rem_local_port_num=12,lldp_rem_index=1");

    Record b;
    add_row_fields(t, rows[1], spec.index, b);
    ASSERT_TRUE(std::holds_alternative<IpAddress>(*b.find("lldp_rem_chassis_id")));
    EXPECT_EQ(value_to_text(*b.find("lldp_rem_chassis_id")), "192.0.2.7");
    EXPECT_EQ(value_to_text(*b.find("lldp_rem_port_id")), "41:42:43:44:45:46");
}

TEST(SnmpRowAssembly, IndexEncodings) {
    std::vector<IndexPart> index = {{"addr", IndexEncoding::ipv4},
                                    {"name", IndexEncoding::string},
                                    {"rest", IndexEncoding::implied}};
    std::vector<IndexValue> out;
    ASSERT_TRUE(parse_index(index, {10, 0, 0, 1, 2, 'a', 'b', 'x', 'y', 'z'}, out));
    EXPECT_EQ(value_to_text(out[0].value), "10.0.0.1");
    EXPECT_EQ(value_to_text(out[1].value), "ab");
    EXPECT_EQ(value_to_text(out[2].value), "xyz");
    // Too short, a length past the end, a byte over 255, leftovers: no match.
    EXPECT_FALSE(parse_index(index, {10, 0, 0}, out));
    EXPECT_FALSE(parse_index(index, {10, 0, 0, 1, 9, 'a'}, out));
    EXPECT_FALSE(parse_index({{"addr", IndexEncoding::ipv4}}, {10, 0, 0, 300}, out));
    EXPECT_FALSE(parse_index({{"i", IndexEncoding::integer}}, {1, 2}, out));
}

TEST(SnmpRowAssembly, UnparsableIndexIsKeptAsText) {
    const TableSpec& spec = table("interfaces");
    TableAssembler t(spec);
    EXPECT_TRUE(t.add(octets("1.3.6.1.2.1.2.2.1.2.7.8", "odd agent")));
    const auto rows = t.rows();
    ASSERT_EQ(rows.size(), 1u);
    Record r;
    add_row_fields(t, rows[0], spec.index, r);
    EXPECT_EQ(value_to_text(*r.find("index")), "7.8");
    EXPECT_EQ(row_key("r", "interfaces", spec.index, rows[0].index), "r|interfaces|index=7.8");
}

}  // namespace
}  // namespace netfeed::snmp

namespace netfeed::snmp {
namespace {

TEST(SnmpRowAssembly, InterfaceFactsPublishedForTheFlowEnricher) {
    const TableSpec& spec = find_builtin_profile("interfaces")->tables.at(0);
    TableAssembler t(spec);
    VarBind name{{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 7}, {}};
    name.value.type = SnmpType::octets;
    name.value.bytes = "Ethernet7";
    VarBind alias{{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18, 7}, {}};
    alias.value.type = SnmpType::octets;
    alias.value.bytes = "to lax-agg-s2";
    VarBind speed{{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15, 7}, {}};
    speed.value.type = SnmpType::unsigned32;
    speed.value.unsigned_ = 100000;
    ASSERT_TRUE(t.add(name) && t.add(alias) && t.add(speed));
    InterfaceTable::DeviceInterfaces facts;
    for (const auto& row : t.rows()) {
        Record r;
        add_row_fields(t, row, spec.index, r);
        collect_interface(r, row.index, facts);
    }
    SharedTables tables;
    tables.interfaces.publish("lax-cor-r1", std::move(facts));
    const auto info = tables.interfaces.lookup("lax-cor-r1", 7);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->name, "Ethernet7");
    EXPECT_EQ(info->alias, "to lax-agg-s2");
    EXPECT_EQ(info->speed_mbps, 100000u);
    EXPECT_FALSE(tables.interfaces.lookup("lax-cor-r1", 8).has_value());
}

}  // namespace
}  // namespace netfeed::snmp
