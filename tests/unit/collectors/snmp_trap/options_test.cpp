// The trap receiver's options: defaults, strict validation, communities as secrets.
#include "collectors/snmp_trap/options.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "agent/config_error.hpp"

namespace netfeed {
namespace {

struct Parsed {
    bool ok = false;
    SnmpTrapOptions options;
    std::string errors;
};

Parsed parse(const std::string& text) {
    Parsed out;
    ParseState state("test.yaml");
    out.ok = SnmpTrapOptions::options().parse(YAML::Load(text), out.options, state, "collectors[0]",
                                              {"type", "name"});
    for (const auto& issue : state.issues())
        out.errors += issue.to_string() + "\n";
    return out;
}

TEST(SnmpTrapOptions, Defaults) {
    const auto p = parse("{type: snmp_trap}");
    ASSERT_TRUE(p.ok) << p.errors;
    ASSERT_EQ(p.options.listen.size(), 1u);
    EXPECT_EQ(p.options.listen[0].to_string(), "0.0.0.0:1162");
    EXPECT_TRUE(p.options.bind);
    EXPECT_TRUE(p.options.communities.empty());
}

TEST(SnmpTrapOptions, RejectsUnknownKeysAndBadValues) {
    EXPECT_NE(parse("{community: public}").errors.find("unknown key"), std::string::npos);
    EXPECT_FALSE(parse("{listen: ['0.0.0.0:70000']}").ok);
    EXPECT_FALSE(parse("{listen: []}").ok);
    EXPECT_FALSE(parse("{receive_buffer_bytes: 10}").ok);
    EXPECT_FALSE(parse("{communities: ['']}").ok);
    EXPECT_FALSE(parse("{bind: maybe}").ok);
}

TEST(SnmpTrapOptions, CommunitiesAreSecretsFromTheEnvironment) {
    ::setenv("NETFEED_TEST_TRAP_OPTION_COMMUNITY", "fr0m-env", 1);
    const auto p = parse("{communities: [public, '${NETFEED_TEST_TRAP_OPTION_COMMUNITY}']}");
    ASSERT_TRUE(p.ok) << p.errors;
    ASSERT_EQ(p.options.communities.size(), 2u);
    EXPECT_EQ(p.options.communities[1].reveal(), "fr0m-env");
    EXPECT_EQ(fmt::format("{}", p.options.communities[1]), "<redacted>");
}

TEST(SnmpTrapOptions, V3EngineIdsAreHex) {
    const auto p = parse(
        "{v3_users: [a], v3_engine_ids: ['0x8000000001020304', '80001f8804616263'], "
        "engine_id: '80001f880461626364'}");
    ASSERT_TRUE(p.ok) << p.errors;
    EXPECT_EQ(p.options.v3_users, std::vector<std::string>{"a"});
    EXPECT_FALSE(parse("{v3_users: [a], v3_engine_ids: ['80000000zz']}").ok);
    EXPECT_FALSE(parse("{v3_users: [a], v3_engine_ids: ['8000']}").ok) << "under 5 bytes";
    EXPECT_FALSE(parse("{v3_users: [a], v3_engine_ids: ['800000000']}").ok) << "odd digits";
    EXPECT_FALSE(parse("{engine_id: '" + std::string(66, 'a') + "'}").ok) << "over 32 bytes";
    EXPECT_NE(parse("{v3_engine_ids: ['8000000001020304']}").errors.find("v3_users"),
              std::string::npos);
}

}  // namespace
}  // namespace netfeed
