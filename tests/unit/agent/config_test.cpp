// Config loading and validation: every mistake is one line naming file:line:column and the key.
#include "agent/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "agent/built_config.hpp"
#include "agent/plugin_registry.hpp"

namespace netfeed {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// Every issue that load + plugin build report for `yaml` in one run, as printed by
/// `netfeed validate`.
std::vector<std::string> issues_of(const std::string& yaml, const std::string& file = "test.yaml") {
    try {
        ParseState state(file);
        build_config(parse_config_text(yaml, state), builtin_plugins(), state);
    } catch (const ConfigError& e) {
        std::vector<std::string> out;
        for (const auto& issue : e.issues())
            out.push_back(issue.to_string());
        return out;
    }
    return {};
}

TEST(Config, EmptyFileMeansEmbeddedDefaults) {
    const Config c = parse_config_text("", "test.yaml");
    EXPECT_EQ(c.agent.log_level, LogLevel::info);
    ASSERT_EQ(c.sinks.size(), 1u);
    EXPECT_EQ(c.sinks[0].name, "kafka");
    ASSERT_EQ(c.routes.size(), 1u);
    EXPECT_EQ(c.routes[0].topic, "") << "the record's own topic, else netfeed.{kind}";
    EXPECT_EQ(c.routes[0].partitioner, Partitioner::murmur2);
    EXPECT_TRUE(issues_of("").empty());
}

TEST(Config, TypoedKeyWrongTypeMissingFileBadPortOneLineEach) {
    const std::string yaml =
        "agent:\n"
        "  log_levl: debug\n"
        "  io_threads: many\n"
        "  http:\n"
        "    listen: 127.0.0.1:99999\n"
        "inventory:\n"
        "  path: /nonexistent/inventory.csv\n";
    EXPECT_THAT(
        issues_of(yaml),
        ElementsAre(
            "test.yaml:2:3: agent.log_levl: unknown key; did you mean 'log_level'?",
            "test.yaml:3:15: agent.io_threads: expected a whole number, got 'many'",
            "test.yaml:5:13: agent.http.listen: bad port '99999' in '127.0.0.1:99999': a port "
            "is a number from 1 to 65535 (0 picks a free one)",
            "test.yaml:7:9: inventory.path: file /nonexistent/inventory.csv does not exist or "
            "is not a regular file"));
}

// The new user's first config: eight mistakes of every stage (section parse, cross-checks,
// plugin options) come out of one run, in file order, each with line:column and key.
TEST(Config, EightMistakesOfEveryStageInOneRun) {
    const auto dir = std::filesystem::temp_directory_path() / "netfeed_config_eight";
    std::filesystem::create_directories(dir);
    const std::string file = (dir / "netfeed.yaml").string();
    const std::string yaml =
        "agent:\n"
        "  queue_capacty: 1000\n"
        "  log_level: verbose\n"
        "inventory:\n"
        "  path: missing.csv\n"
        "credentials:\n"
        "  ro: {community: public}\n"
        "devices:\n"
        "  - {name: r1, address: 10.0.0.1, credentials: ro, collectors: [snmp]}\n"
        "  - {name: r1, address: 10.0.0.2}\n"
        "  - {name: r3, address: 10.0.0.300}\n"
        "  - {name: r4, address: 10.0.0.4, collectors: [snpm]}\n"
        "collectors:\n"
        "  - type: syslog\n"
        "    udp: {listen: ['0.0.0.0:70000']}\n"
        "  - type: snmp\n"
        "    interval: -30s\n";
    const std::string csv = (dir / "missing.csv").string();
    EXPECT_THAT(
        issues_of(yaml, file),
        ElementsAre(
            file + ":2:3: agent.queue_capacty: unknown key; did you mean 'queue_capacity'?",
            file + ":3:14: agent.log_level: 'verbose' is not one of: trace, debug, info, warn, "
                   "error, off",
            file + ":5:9: inventory.path: file " + csv + " does not exist or is not a regular file",
            file + ":10:12: devices[1].name: device name 'r1' is already used by devices[0]",
            file + ":11:25: devices[2].address: '10.0.0.300' is not an IPv4 or IPv6 address",
            file + ":12:48: devices[3].collectors[0]: no collector named 'snpm' under "
                   "collectors:; did you mean 'snmp'?",
            file + ":15:20: collectors[0].udp.listen[0]: bad port '70000' in '0.0.0.0:70000': a "
                   "port is a number from 1 to 65535 (0 picks a free one)",
            file + ":17:15: collectors[1].interval: a duration cannot be negative, got '-30s'"));
}

// A section that failed leaves no trace in the checks that depend on it: an unparsed
// credentials entry is not reported again as unknown, an unparsed sink not as missing.
TEST(Config, ChecksSkipWhatDependsOnAFailedSection) {
    EXPECT_THAT(issues_of("credentials:\n"
                          "  ro: {comunity: public}\n"
                          "devices:\n"
                          "  - {name: r1, address: 10.0.0.1, credentials: ro}\n"),
                ElementsAre("test.yaml:2:8: credentials.ro.comunity: unknown key; did you mean "
                            "'community'?"));
    EXPECT_THAT(issues_of("sinks:\n"
                          "  - {name: debug}\n"
                          "routes:\n"
                          "  - {sink: debug}\n"),
                ElementsAre("test.yaml:2:5: sinks[0]: missing required key 'type'"));
}

struct BadCase {
    const char* name;
    std::string yaml;
    std::string expected;  // the one issue, exactly
};

void PrintTo(const BadCase& c, std::ostream* out) {
    *out << c.name;
}

class ConfigBadCases : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigBadCases, ReportsExactlyOneClearLine) {
    const auto issues = issues_of(GetParam().yaml);
    ASSERT_EQ(issues.size(), 1u) << ::testing::PrintToString(issues);
    EXPECT_EQ(issues[0], GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigBadCases,
    ::testing::Values(
        BadCase{"unknown_section", "agnet:\n  log_level: info\n",
                "test.yaml:1:1: agnet: unknown section; did you mean 'agent'?"},
        BadCase{"unknown_key_without_near_match", "agent:\n  colour: blue\n",
                "test.yaml:2:3: agent.colour: unknown key; valid keys: log_level, io_threads, "
                "queue_capacity, sink_queue_capacity, batch_size, shutdown_timeout, "
                "summary_interval, http, stats_file, state_dir, shard, poll_tags, fleet"},
        BadCase{"out_of_range", "agent:\n  io_threads: 500\n",
                "test.yaml:2:15: agent.io_threads: 500 is out of range (1 to 64)"},
        BadCase{"negative_unsigned", "agent:\n  queue_capacity: -5\n",
                "test.yaml:2:19: agent.queue_capacity: -5 is out of range (0 to "
                "18446744073709551615)"},
        BadCase{"bad_duration", "agent:\n  shutdown_timeout: soon\n",
                "test.yaml:2:21: agent.shutdown_timeout: expected a duration such as 500ms, 10s, "
                "5m or 1h, got 'soon'"},
        BadCase{"bad_enum", "agent:\n  log_level: loud\n",
                "test.yaml:2:14: agent.log_level: 'loud' is not one of: trace, debug, info, warn, "
                "error, off"},
        BadCase{"map_for_scalar", "agent:\n  log_level: {a: 1}\n",
                "test.yaml:2:14: agent.log_level: expected a single value, got a map"},
        BadCase{"port_without_colon", "agent:\n  http:\n    listen: localhost\n",
                "test.yaml:3:13: agent.http.listen: expected host:port, got 'localhost' (no "
                "port)"},
        BadCase{"duplicate_key", "agent:\n  io_threads: 1\n  io_threads: 2\n",
                "test.yaml:3:3: agent.io_threads: key given twice"},
        BadCase{"yaml_syntax", "agent:\n  io_threads: [1, 2\n",
                "test.yaml:3:1: YAML syntax error: end of sequence flow not found"},
        BadCase{"bad_device_address", "devices:\n  - name: r1\n    address: 10.0.0.300\n",
                "test.yaml:3:14: devices[0].address: '10.0.0.300' is not an IPv4 or IPv6 "
                "address"},
        BadCase{"device_missing_name", "devices:\n  - address: 10.0.0.1\n",
                "test.yaml:2:5: devices[0]: missing required key 'name'"},
        BadCase{"duplicate_device",
                "devices:\n  - {name: r1, address: 10.0.0.1}\n  - {name: r1, address: "
                "10.0.0.2}\n",
                "test.yaml:3:12: devices[1].name: device name 'r1' is already used by "
                "devices[0]"},
        BadCase{"unknown_credentials",
                "devices:\n  - name: r1\n    address: 10.0.0.1\n    credentials: nope\n",
                "test.yaml:4:18: devices[0].credentials: no credentials named 'nope' under "
                "credentials:"},
        BadCase{"unknown_collector_for_device",
                "devices:\n  - {name: r1, address: 10.0.0.1, collectors: [snmp]}\n",
                "test.yaml:2:48: devices[0].collectors[0]: no collector named 'snmp' under "
                "collectors:"},
        BadCase{"unknown_plugin_type", "collectors:\n  - type: generater\n",
                "test.yaml:2:11: collectors[0].type: unknown collector type 'generater'; did "
                "you mean 'generator'?"},
        BadCase{"plugin_option_typo", "collectors:\n  - type: generator\n    cuont: 5\n",
                "test.yaml:3:5: collectors[0].cuont: unknown key; did you mean 'count'?"},
        BadCase{"plugin_option_range", "collectors:\n  - type: generator\n    count: 0\n",
                "test.yaml:3:12: collectors[0].count: 0 is out of range (1 to 1e+09)"},
        BadCase{"two_sections_same_name", "collectors:\n  - type: generator\n  - type: generator\n",
                "test.yaml:3:5: collectors[1]: a second section named 'generator': give each "
                "section of the same type its own name:"},
        BadCase{"route_to_unknown_sink", "routes:\n  - topic: t\n    sink: kafak\n",
                "test.yaml:3:11: routes[0].sink: no sink named 'kafak' (kafka, or a name under "
                "sinks:)"},
        BadCase{"route_bad_template", "routes:\n  - topic: netfeed.{kind\n",
                "test.yaml:2:12: routes[0].topic: '{' at position 9 is never closed"},
        BadCase{"inventory_dotted_prefix", "enrichers:\n  - {type: inventory, prefix: inv.}\n",
                "test.yaml:2:5: enrichers[0]: prefix 'inv.' has a '.': enriched fields are flat "
                "names, write 'inv_' instead"},
        BadCase{"route_bad_kind", "routes:\n  - kinds: [syslogs]\n",
                "test.yaml:2:13: routes[0].kinds[0]: 'syslogs' is not a record kind; did you "
                "mean 'syslog'?"},
        BadCase{"kafka_bad_port", "kafka:\n  embedded_listen: 127.0.0.1:70000\n",
                "test.yaml:2:20: kafka.embedded_listen: bad port '70000' in '127.0.0.1:70000': "
                "a port is a number from 1 to 65535 (0 picks a free one)"},
        BadCase{"kafka_embedded_and_brokers", "kafka:\n  embedded: true\n  brokers: k1:9092\n",
                "test.yaml:2:3: kafka: embedded: true and brokers: both given; remove one"},
        BadCase{"kafka_unknown_property", "kafka:\n  properties:\n    no.such.thing: 1\n",
                "test.yaml:2:3: kafka: kafka.properties.no.such.thing: librdkafka refuses this "
                "property or its value (see librdkafka's CONFIGURATION.md)"},
        BadCase{"unset_env_var", "credentials:\n  core:\n    password: ${NETFEED_TEST_UNSET}\n",
                "test.yaml:3:15: credentials.core.password: environment variable "
                "NETFEED_TEST_UNSET is not set (export it, or write "
                "${NETFEED_TEST_UNSET:-default})"},
        BadCase{"missing_secret_file",
                "credentials:\n  core:\n    password_file: /nonexistent/pw\n",
                "test.yaml:3:20: credentials.core.password_file: file /nonexistent/pw does not "
                "exist or is not a regular file"},
        BadCase{"kinds_on_collector", "collectors:\n  - type: generator\n    kinds: [flow]\n",
                "test.yaml:3:12: collectors[0].kinds: kinds: applies to enrichers only (routes "
                "choose kinds for sinks)"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Config, SecretsComeFromEnvAndFilesAndNeverShowInMessages) {
    ::setenv("NETFEED_TEST_PW", "s3cr3t-env", 1);
    const auto dir = std::filesystem::temp_directory_path() / "netfeed_config_test";
    std::filesystem::create_directories(dir);
    { std::ofstream(dir / "community") << "s3cr3t-file\n"; }
    const std::string yaml =
        "credentials:\n"
        "  core:\n"
        "    username: admin\n"
        "    password: ${NETFEED_TEST_PW}\n"
        "    community_file: community\n";
    const Config c = parse_config_text(yaml, (dir / "netfeed.yaml").string());
    const Credentials& creds = c.credentials.at("core");
    EXPECT_EQ(creds.password.reveal(), "s3cr3t-env");
    EXPECT_EQ(creds.community.reveal(), "s3cr3t-file");  // relative to the config, newline cut
    EXPECT_EQ(fmt::format("{}", creds.password), "<redacted>");

    // A wrong value next to a secret: the message names the key, never the secret.
    const auto issues =
        issues_of("credentials:\n  core:\n    password: ${NETFEED_TEST_PW}\n    community: [a]\n");
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_THAT(issues[0], Not(HasSubstr("s3cr3t")));
    ::unsetenv("NETFEED_TEST_PW");
}

TEST(Config, EnvDefaultsAndDollarEscapes) {
    std::string out;
    EXPECT_FALSE(expand_env("${NETFEED_TEST_UNSET:-fallback}", out));
    EXPECT_EQ(out, "fallback");
    EXPECT_FALSE(expand_env("cost $$5 and $HOME", out));
    EXPECT_EQ(out, "cost $5 and $HOME");
    EXPECT_TRUE(expand_env("${NOPE", out).has_value());
}

TEST(Config, DurationsParse) {
    EXPECT_EQ(parse_duration("250ms"), Duration(250));
    EXPECT_EQ(parse_duration("10s"), Duration(10'000));
    EXPECT_EQ(parse_duration("1.5"), Duration(1'500));
    EXPECT_EQ(parse_duration("5m"), Duration(300'000));
    EXPECT_EQ(parse_duration("1h"), Duration(3'600'000));
    EXPECT_FALSE(parse_duration("-1s").has_value());
    EXPECT_FALSE(parse_duration("10 s").has_value());
    EXPECT_EQ(format_duration(Duration(15'000)), "15s");
    EXPECT_EQ(format_duration(Duration(250)), "250ms");
}

TEST(Config, FullExampleParses) {
    const std::string yaml =
        "agent:\n"
        "  log_level: debug\n"
        "  http: {listen: '[::1]:0'}\n"
        "kafka:\n"
        "  brokers: kafka1:9092, kafka2:9092\n"
        "  compression: zstd\n"
        "  properties: {security.protocol: SASL_SSL}\n"
        "credentials:\n"
        "  ro: {community: public}\n"
        "devices:\n"
        "  - name: lax-cor-r1\n"
        "    address: 2001:db8::1\n"
        "    site: lax\n"
        "    tags: {rack: r12}\n"
        "    collectors: [gen]\n"
        "    credentials: ro\n"
        "collectors:\n"
        "  - type: generator\n"
        "    name: gen\n"
        "    count: 10\n"
        "sinks:\n"
        "  - {type: stdout, name: debug}\n"
        "routes:\n"
        "  - {name: all, topic: 'netfeed.{site}.{kind}', key: '{device}', partitioner: crc32}\n"
        "  - {name: dbg, kinds: [test], sink: debug}\n";
    EXPECT_TRUE(issues_of(yaml).empty()) << ::testing::PrintToString(issues_of(yaml));
    const Config c = parse_config_text(yaml, "test.yaml");
    EXPECT_EQ(c.agent.http.listen.host, "::1");
    EXPECT_EQ(c.devices[0].address, boost::asio::ip::make_address("2001:db8::1"));
    EXPECT_EQ(c.devices[0].tags.at("rack"), "r12");
    ASSERT_EQ(c.sinks.size(), 2u);
    EXPECT_EQ(c.sinks[1].name, "debug");
    EXPECT_EQ(c.routes[0].partitioner, Partitioner::crc32);
    EXPECT_EQ(c.routes[1].kinds, std::vector<RecordKind>{RecordKind::test});
}

TEST(Config, MissingConfigFileIsOneClearLine) {
    try {
        load_config("/nonexistent/netfeed.yaml");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/netfeed.yaml: cannot read config file: No such file or "
                  "directory (give the path with -c FILE)");
    }
}

TEST(Config, OptionsDescribeThemselves) {
    const auto schema = builtin_plugins().describe();
    const auto& kafka = schema["sinks"]["kafka"]["options"];
    bool found = false;
    for (const auto& option : kafka) {
        if (option["name"] == "compression") {
            found = true;
            EXPECT_EQ(option["default"], "none");
            EXPECT_EQ(option["values"].size(), 5u);
        }
    }
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace netfeed
