// The NX-API poller's options: defaults, commands as strings or maps, strict validation, and
// per-device settings with overrides; vendor default logins.
#include "collectors/nxapi/options.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "agent/config_error.hpp"

namespace netfeed {
namespace {

struct Parsed {
    bool ok = false;
    NxapiOptions options;
    std::string errors;
};

Parsed parse(const std::string& text) {
    Parsed out;
    ParseState state("test.yaml");
    out.ok = NxapiOptions::options().parse(YAML::Load(text), out.options, state, "collectors[0]",
                                           {"type", "name"});
    for (const auto& issue : state.issues())
        out.errors += issue.to_string() + "\n";
    return out;
}

TEST(NxapiOptions, DefaultsPollVersionAndInventoryOverVerifiedHttps) {
    const auto p = parse("{type: nxapi}");
    ASSERT_TRUE(p.ok) << p.errors;
    const auto s = nxapi::settings_for(p.options, "sw1");
    EXPECT_EQ(s.format, nxapi::RequestFormat::jsonrpc);
    EXPECT_EQ(s.jsonrpc_version, nxapi::RpcVersion::v1_2);
    EXPECT_EQ(s.scheme, nxapi::Scheme::https);
    EXPECT_EQ(s.port, 443);
    EXPECT_TRUE(s.tls_verify);
    ASSERT_EQ(s.commands.size(), 2u);
    EXPECT_EQ(s.commands[0].command, "show version");
    EXPECT_EQ(s.commands[0].topic, "nxapi.show_version");
    EXPECT_EQ(s.commands[1].command, "show inventory");
    EXPECT_EQ(s.commands[1].topic, "nxapi.show_inventory");
    EXPECT_FALSE(s.commands[1].explode);
}

TEST(NxapiOptions, CommandsAsStringsOrMaps) {
    const auto p = parse(R"({scheme: http, jsonrpc_version: 1, numbers: true, commands: [
        show version,
        {command: show interface, explode: true, topic: nx.interfaces},
        {command: show environment, explode: true, table: psinfo, row_key: [psnum], numbers: false}]})");
    ASSERT_TRUE(p.ok) << p.errors;
    const auto s = nxapi::settings_for(p.options, "sw1");
    EXPECT_EQ(s.port, 80);
    EXPECT_EQ(s.jsonrpc_version, nxapi::RpcVersion::v1);
    ASSERT_EQ(s.commands.size(), 3u);
    EXPECT_TRUE(s.commands[0].numbers);
    EXPECT_EQ(s.commands[1].topic, "nx.interfaces");
    EXPECT_EQ(s.commands[1].row_key, std::vector<std::string>{"interface"});
    EXPECT_EQ(s.commands[2].table, "psinfo");
    EXPECT_EQ(s.commands[2].row_key, std::vector<std::string>{"psnum"});
    EXPECT_FALSE(s.commands[2].numbers);
}

TEST(NxapiOptions, DeviceOverrides) {
    const auto p =
        parse(R"({port: 8443, commands: [show version, {command: show inventory, explode: true}],
        device_overrides: [{device: lab, scheme: http, port: 8080, tls_verify: false,
                            format: ins_api, commands: [show inventory, show lldp neighbors]}]})");
    ASSERT_TRUE(p.ok) << p.errors;
    const auto other = nxapi::settings_for(p.options, "other");
    EXPECT_EQ(other.port, 8443);
    EXPECT_EQ(other.commands.size(), 2u);
    const auto lab = nxapi::settings_for(p.options, "lab");
    EXPECT_EQ(lab.scheme, nxapi::Scheme::http);
    EXPECT_EQ(lab.port, 8080);
    EXPECT_FALSE(lab.tls_verify);
    EXPECT_EQ(lab.format, nxapi::RequestFormat::ins_api);
    ASSERT_EQ(lab.commands.size(), 2u);
    EXPECT_TRUE(lab.commands[0].explode) << "settings of the collector's list";
    EXPECT_EQ(lab.commands[1].topic, "nxapi.show_lldp_neighbors");
    EXPECT_FALSE(lab.commands[1].explode);
}

TEST(NxapiOptions, RejectsMistakes) {
    EXPECT_NE(parse("{formats: jsonrpc}").errors.find("unknown key"), std::string::npos);
    EXPECT_FALSE(parse("{format: xml}").ok);
    EXPECT_FALSE(parse("{jsonrpc_version: 2}").ok);
    EXPECT_FALSE(parse("{interval: 100ms}").ok);
    EXPECT_FALSE(parse("{timeout: 10m}").ok);
    EXPECT_FALSE(parse("{max_connections: 0}").ok);
    EXPECT_FALSE(parse("{commands: []}").ok);
    EXPECT_FALSE(parse("{commands: [show version, 'show  version']}").ok);
    EXPECT_FALSE(parse("{commands: ['show version ; show clock']}").ok);
    EXPECT_FALSE(parse("{commands: [{command: show version, topic: 'bad topic'}]}").ok);
    EXPECT_FALSE(parse("{commands: [{topic: x}]}").ok);
    EXPECT_FALSE(parse("{error_topic: ''}").ok);
    EXPECT_FALSE(parse("{ca_file: /no/such/ca.pem}").ok);
    const auto twice = parse("{device_overrides: [{device: a}, {device: a}]}");
    EXPECT_NE(twice.errors.find("given twice"), std::string::npos) << twice.errors;
    EXPECT_NE(twice.errors.find("test.yaml:1:"), std::string::npos) << twice.errors;
}

TEST(NxapiOptions, VendorDefaultLogins) {
    EXPECT_TRUE(nxapi::is_vendor_default_login("admin", "admin"));
    EXPECT_TRUE(nxapi::is_vendor_default_login("cisco", "cisco"));
    EXPECT_FALSE(nxapi::is_vendor_default_login("netfeed", "admin"));
    EXPECT_FALSE(nxapi::is_vendor_default_login("admin", "s3cret-Long"));
}

}  // namespace
}  // namespace netfeed
