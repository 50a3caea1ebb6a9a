// The built-in profiles: the OIDs the README promises, unique field names, index specs.
#include "collectors/snmp/profile.hpp"

#include <gtest/gtest.h>

#include <set>

namespace netfeed::snmp {
namespace {

TEST(SnmpProfiles, BuiltinsAreThereWithTheirOids) {
    for (const char* name : {"system", "interfaces", "entity", "lldp"})
        EXPECT_NE(find_builtin_profile(name), nullptr) << name;
    EXPECT_EQ(find_builtin_profile("nope"), nullptr);

    const Profile& system = *find_builtin_profile("system");
    ASSERT_EQ(system.groups.size(), 1u);
    EXPECT_EQ(oid_to_string(system.groups[0].scalars[0].oid), "1.3.6.1.2.1.1.1.0");
    EXPECT_EQ(system.groups[0].scalars[0].name.view(), "sys_descr");
    EXPECT_EQ(oid_to_string(sys_up_time_oid()), "1.3.6.1.2.1.1.3.0");

    const Profile& interfaces = *find_builtin_profile("interfaces");
    ASSERT_EQ(interfaces.tables.size(), 1u);
    const TableSpec& t = interfaces.tables[0];
    ASSERT_EQ(t.subtrees.size(), 2u);
    EXPECT_EQ(oid_to_string(t.subtrees[0].entry), "1.3.6.1.2.1.2.2.1");
    EXPECT_EQ(oid_to_string(t.subtrees[1].entry), "1.3.6.1.2.1.31.1.1.1");
    EXPECT_EQ(t.index.size(), 1u);
    EXPECT_EQ(t.index[0].name.view(), "if_index");

    EXPECT_EQ(oid_to_string(find_builtin_profile("entity")->tables[0].subtrees[0].entry),
              "1.3.6.1.2.1.47.1.1.1.1");
    const TableSpec& lldp = find_builtin_profile("lldp")->tables[0];
    EXPECT_EQ(oid_to_string(lldp.subtrees[0].entry), "1.0.8802.1.1.2.1.4.1.1");
    EXPECT_EQ(lldp.index.size(), 3u);
}

TEST(SnmpProfiles, FieldNamesAreUniqueSnakeCaseAndColumnsDistinct) {
    for (const auto& profile : builtin_profiles()) {
        for (const auto& table : profile.tables) {
            std::set<std::string> names;
            for (const auto& i : table.index)
                EXPECT_TRUE(names.insert(std::string(i.name.view())).second);
            for (const auto& subtree : table.subtrees) {
                std::set<std::uint32_t> numbers;
                for (const auto& c : subtree.columns) {
                    EXPECT_TRUE(numbers.insert(c.number).second) << c.name.view();
                    EXPECT_TRUE(names.insert(std::string(c.name.view())).second) << c.name.view();
                    EXPECT_TRUE(c.name.plain());
                    for (char ch : c.name.view())
                        EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                                    ch == '_');
                }
            }
        }
    }
}

TEST(SnmpProfiles, InterfacesHasTheColumnsTheFlowEnricherNeeds) {
    const TableSpec& t = find_builtin_profile("interfaces")->tables[0];
    std::map<std::string, std::string> where;
    for (const auto& s : t.subtrees) {
        for (const auto& c : s.columns)
            where[std::string(c.name.view())] =
                oid_to_string(s.entry) + "." + std::to_string(c.number);
    }
    EXPECT_EQ(where["if_name"], "1.3.6.1.2.1.31.1.1.1.1");
    EXPECT_EQ(where["if_alias"], "1.3.6.1.2.1.31.1.1.1.18");
    EXPECT_EQ(where["if_high_speed"], "1.3.6.1.2.1.31.1.1.1.15");
    EXPECT_EQ(where["if_hc_in_octets"], "1.3.6.1.2.1.31.1.1.1.6");
    EXPECT_EQ(where["if_hc_out_octets"], "1.3.6.1.2.1.31.1.1.1.10");
    EXPECT_EQ(where["if_oper_status"], "1.3.6.1.2.1.2.2.1.8");
    EXPECT_EQ(where["if_in_errors"], "1.3.6.1.2.1.2.2.1.14");
}

}  // namespace
}  // namespace netfeed::snmp
