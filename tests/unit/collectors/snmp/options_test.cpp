// The SNMP poller's options: defaults, strict validation, user tables and device overrides.
#include "collectors/snmp/options.hpp"

#include <gtest/gtest.h>
#include <map>
#include <yaml-cpp/yaml.h>

#include "agent/config.hpp"
#include "agent/config_error.hpp"
#include "agent/secret.hpp"

namespace netfeed {
namespace {

struct Parsed {
    bool ok = false;
    SnmpOptions options;
    std::string errors;
};

Parsed parse(const std::string& text) {
    Parsed out;
    ParseState state("test.yaml");
    out.ok = SnmpOptions::options().parse(YAML::Load(text), out.options, state, "collectors[0]",
                                          {"type", "name"});
    for (const auto& issue : state.issues())
        out.errors += issue.to_string() + "\n";
    return out;
}

TEST(SnmpOptions, Defaults) {
    const auto p = parse("{type: snmp}");
    ASSERT_TRUE(p.ok) << p.errors;
    EXPECT_EQ(p.options.version, SnmpVersion::v2c);
    EXPECT_EQ(p.options.port, 161);
    EXPECT_EQ(p.options.interval, std::chrono::seconds(60));
    EXPECT_EQ(p.options.profiles, (std::vector<std::string>{"system", "interfaces"}));
}

TEST(SnmpOptions, RejectsUnknownKeysBadValuesAndRanges) {
    EXPECT_NE(parse("{intervall: 10s}").errors.find("unknown key"), std::string::npos);
    EXPECT_FALSE(parse("{version: v4}").ok);
    EXPECT_FALSE(parse("{retries: 11}").ok);
    EXPECT_FALSE(parse("{max_repetitions: 0}").ok);
    EXPECT_FALSE(parse("{jitter: 0.9}").ok);
    EXPECT_FALSE(parse("{interval: 100ms}").ok);
    EXPECT_FALSE(parse("{timeout: 5m}").ok);
    const auto unknown = parse("{profiles: [system, bogus]}");
    EXPECT_FALSE(unknown.ok);
    EXPECT_NE(unknown.errors.find("unknown profile 'bogus'"), std::string::npos) << unknown.errors;
    EXPECT_NE(unknown.errors.find("test.yaml:1:"), std::string::npos) << unknown.errors;
}

TEST(SnmpOptions, UserTablesAndScalarsBecomeProfiles) {
    const auto p = parse(R"({
        profiles: [system, ip_addresses, cisco_cpu],
        scalars: [{name: cisco_cpu, objects: {cpu_busy_5min: 1.3.6.1.4.1.9.2.1.58.0}}],
        tables: [{name: ip_addresses, oid: 1.3.6.1.2.1.4.20.1, index: ['ip_ad_ent_addr:ipv4'],
                  columns: {ip_ad_ent_if_index: 2, ip_ad_ent_net_mask: 1.3.6.1.2.1.4.20.1.3}}]})");
    ASSERT_TRUE(p.ok) << p.errors;
    std::vector<std::string> errors;
    const auto profiles = snmp::defined_profiles(p.options, errors);
    EXPECT_TRUE(errors.empty());
    const snmp::Profile* table = nullptr;
    for (const auto& prof : profiles) {
        if (prof.name == "ip_addresses") table = &prof;
    }
    ASSERT_NE(table, nullptr);
    ASSERT_EQ(table->tables.size(), 1u);
    const auto& spec = table->tables[0];
    EXPECT_EQ(snmp::oid_to_string(spec.subtrees[0].entry), "1.3.6.1.2.1.4.20.1");
    ASSERT_EQ(spec.index.size(), 1u);
    EXPECT_EQ(spec.index[0].encoding, snmp::IndexEncoding::ipv4);
    ASSERT_EQ(spec.subtrees[0].columns.size(), 2u);
    EXPECT_EQ(spec.subtrees[0].columns[0].number, 2u);  // ip_ad_ent_if_index
    EXPECT_EQ(spec.subtrees[0].columns[1].number, 3u);  // the full OID form
}

TEST(SnmpOptions, UserDefinitionMistakesAreReported) {
    EXPECT_FALSE(
        parse("{tables: [{name: t, oid: not.an.oid, columns: {a: 1}}], profiles: [t]}").ok);
    EXPECT_FALSE(
        parse("{tables: [{name: t, oid: 1.3.6.1.2.1.4.20.1, columns: {a: 1.3.6.1.9.9}}]}").ok);
    EXPECT_FALSE(
        parse("{tables: [{name: Bad-Name, oid: 1.3.6.1.2.1.4.20.1, columns: {a: 1}}]}").ok);
    EXPECT_FALSE(
        parse("{tables: [{name: interfaces, oid: 1.3.6.1.2.1.4.20.1, columns: {a: 1}}]}").ok);
    EXPECT_FALSE(parse("{scalars: [{name: s, objects: {device: 1.3.6.1.2.1.1.5.0}}]}").ok);
    EXPECT_FALSE(parse("{tables: [{name: t, oid: 1.3.6.1.2.1.4.20.1, index: ['a:float'], "
                       "columns: {b: 1}}]}")
                     .ok);
    EXPECT_FALSE(parse("{tables: [{name: t, oid: 1.3.6.1.2.1.4.20.1, columns: {}}]}").ok);
}

// MIB names are looked up in mib_dirs: tests/data/mibs holds a module written for the tests.
TEST(SnmpOptions, MibNamesFromMibDirsWorkLikeTheirNumbers) {
    const std::string dirs = std::string("[") + NETFEED_SOURCE_DIR + "/tests/data/mibs]";
    const auto p = parse("{mib_dirs: " + dirs + R"(, profiles: [named_ifs, named_system],
        scalars: [{name: named_system, objects: {descr: NETFEED-TEST-MIB::nfTestSysDescr.0,
                                                 name: nfTestSysName.0}}],
        tables: [{name: named_ifs, oid: nfTestIfEntry,
                  columns: {descr: nfTestIfDescr, mtu: NETFEED-TEST-MIB::nfTestIfMtu,
                            index_again: 1}}]})");
    ASSERT_TRUE(p.ok) << p.errors;
    std::vector<std::string> errors;
    const auto profiles = snmp::defined_profiles(p.options, errors);
    EXPECT_TRUE(errors.empty());
    const snmp::Profile* table = nullptr;
    const snmp::Profile* scalars = nullptr;
    for (const auto& prof : profiles) {
        if (prof.name == "named_ifs") table = &prof;
        if (prof.name == "named_system") scalars = &prof;
    }
    ASSERT_NE(table, nullptr);
    ASSERT_NE(scalars, nullptr);
    const auto& spec = table->tables.at(0);
    EXPECT_EQ(snmp::oid_to_string(spec.subtrees[0].entry), "1.3.6.1.2.1.2.2.1");
    std::map<std::string, std::uint32_t> numbers;
    for (const auto& c : spec.subtrees[0].columns)
        numbers[std::string(c.name.view())] = c.number;
    EXPECT_EQ(numbers, (std::map<std::string, std::uint32_t>{
                           {"descr", 2}, {"mtu", 4}, {"index_again", 1}}));
    std::map<std::string, std::string> objects;
    for (const auto& o : scalars->groups.at(0).scalars)
        objects[std::string(o.name.view())] = snmp::oid_to_string(o.oid);
    EXPECT_EQ(objects, (std::map<std::string, std::string>{{"descr", "1.3.6.1.2.1.1.1.0"},
                                                            {"name", "1.3.6.1.2.1.1.5.0"}}));
}

TEST(SnmpOptions, UnknownMibNamesSayWhereTheyWereLookedFor) {
    const std::string dir = std::string(NETFEED_SOURCE_DIR) + "/tests/data/mibs";
    const auto p = parse("{mib_dirs: [" + dir +
                         "], scalars: [{name: s, objects: {a: IF-MIB::ifNumber.0}}]}");
    EXPECT_FALSE(p.ok);
    EXPECT_NE(p.errors.find("'IF-MIB::ifNumber.0' is not a numeric OID and no MIB module in " +
                            dir + " defines it"),
              std::string::npos)
        << p.errors;
    // A MIB column that is not under the table's entry is refused like a wrong number.
    const auto q = parse("{mib_dirs: [" + dir +
                         "], tables: [{name: t, oid: nfTestIfEntry, columns: {a: nfTestCounter}}]}");
    EXPECT_FALSE(q.ok);
    EXPECT_NE(q.errors.find("is not a column of nfTestIfEntry"), std::string::npos) << q.errors;
}

TEST(SnmpOptions, DeviceOverrides) {
    const auto p = parse(R"({interval: 60s, device_overrides: [
        {device: core-1, version: v3, interval: 10s, max_repetitions: 50, profiles: [system]}]})");
    ASSERT_TRUE(p.ok) << p.errors;
    const auto core = snmp::settings_for(p.options, "core-1");
    EXPECT_EQ(core.version, SnmpVersion::v3);
    EXPECT_EQ(core.interval, std::chrono::seconds(10));
    EXPECT_EQ(core.max_repetitions, 50);
    EXPECT_EQ(core.profiles, std::vector<std::string>{"system"});
    const auto other = snmp::settings_for(p.options, "edge-2");
    EXPECT_EQ(other.version, SnmpVersion::v2c);
    EXPECT_EQ(other.interval, std::chrono::seconds(60));

    EXPECT_FALSE(parse("{device_overrides: [{device: a, retries: 99}]}").ok);
    EXPECT_FALSE(parse("{device_overrides: [{device: a}, {device: a}]}").ok);
    EXPECT_FALSE(parse("{device_overrides: [{device: a, profiles: [nope]}]}").ok);
    EXPECT_FALSE(parse("{device_overrides: [{retries: 1}]}").ok);
}

}  // namespace
}  // namespace netfeed

namespace netfeed {
namespace {

TEST(SnmpOptions, V3CredentialsAreCheckedAndSecret) {
    const auto config = parse_config_text(R"(
credentials:
  core: {username: netfeed, auth_protocol: sha256, auth_passphrase: s3cret-auth,
         priv_protocol: aes256, priv_passphrase: s3cret-priv}
)",
                                          "test.yaml");
    const Credentials& c = config.credentials.at("core");
    EXPECT_EQ(c.auth_protocol, SnmpAuthProtocol::sha256);
    EXPECT_EQ(c.priv_protocol, SnmpPrivProtocol::aes256);
    EXPECT_EQ(c.priv_passphrase.reveal(), "s3cret-priv");
    EXPECT_EQ(fmt::format("{}", c.auth_passphrase), "<redacted>");

    const auto fails = [](const std::string& text) {
        try {
            parse_config_text(text, "test.yaml");
        } catch (const ConfigError& e) {
            EXPECT_EQ(std::string(e.what()).find("short"), std::string::npos);  // never the value
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(fails("credentials: {a: {username: u, auth_protocol: sha, auth_passphrase: short}}")
                  .find("at least 8"),
              std::string::npos);
    EXPECT_NE(fails("credentials: {a: {username: u, priv_protocol: aes, priv_passphrase: "
                    "longenough}}")
                  .find("needs an auth_protocol"),
              std::string::npos);
    EXPECT_NE(fails("credentials: {a: {auth_protocol: sha1}}").find("auth_protocol"),
              std::string::npos);
}

}  // namespace
}  // namespace netfeed
