// Static sharding (agent.shard, agent.poll_tags): N agents with shards 1/N..N/N poll every
// device exactly once, tag filters narrow the share, and a bad shard is a config error that
// names the file, line and key.
#include "agent/device_share.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "agent/built_config.hpp"
#include "agent/config_error.hpp"
#include "agent/device_directory.hpp"
#include "agent/plugin_registry.hpp"
#include "sinks/kafka/partitioner.hpp"

namespace netfeed {
namespace {

using ::testing::HasSubstr;

TEST(DeviceShard, ParsesIOfN) {
    std::string error;
    const auto shard = DeviceShard::parse("2/3", error);
    ASSERT_TRUE(shard.has_value()) << error;
    EXPECT_EQ(shard->index, 2);
    EXPECT_EQ(shard->count, 3);
    EXPECT_TRUE(DeviceShard::parse("1/1", error).has_value());
}

TEST(DeviceShard, RefusesWhatIsNotIOfN) {
    for (const char* text :
         {"", "3", "0/3", "4/3", "-1/3", "1/0", "a/b", "1/3x", "1 /3", "/3", "2/", "1/20000"}) {
        std::string error;
        EXPECT_FALSE(DeviceShard::parse(text, error).has_value()) << text;
        EXPECT_FALSE(error.empty()) << text;
    }
}

TEST(DeviceShard, IsTheMurmur2PartitionOfTheNamePlusOne) {
    for (const std::string name : {"leaf1", "spine-02.par1", "", "core-rtr-9"}) {
        for (int n : {1, 2, 3, 7, 16}) {
            EXPECT_EQ(DeviceShard::of(name, n),
                      kafka::murmur2_partition(name.data(), name.size(), n) + 1)
                << name << " of " << n;
        }
    }
}

Device device(const std::string& name, std::map<std::string, std::string> tags = {}) {
    Device d;
    d.name = name;
    d.tags = std::move(tags);
    return d;
}

TEST(DeviceShare, ShardsOneToNSplitTheDevicesWithoutOverlapOrGap) {
    std::vector<Device> devices;
    for (int i = 0; i < 300; ++i)
        devices.push_back(device("sw" + std::to_string(i)));
    for (int n : {1, 2, 3, 5}) {
        std::multiset<std::string> polled;
        for (int i = 1; i <= n; ++i) {
            const DeviceShare share(DeviceShard{i, n}, {});
            std::size_t mine = 0;
            for (const auto& d : devices) {
                if (!share.includes(d)) continue;
                polled.insert(d.name);
                ++mine;
            }
            EXPECT_GT(mine, 300u / n / 2) << "shard " << i << "/" << n << " is far too small";
        }
        EXPECT_EQ(polled.size(), devices.size()) << n << " shards";
        for (const auto& d : devices)
            EXPECT_EQ(polled.count(d.name), 1u) << d.name << " with " << n << " shards";
    }
}

TEST(DeviceShare, TagFiltersMustAllMatch) {
    const DeviceShare share(std::nullopt, {{"site", "par1, par2"}, {"role", "leaf"}});
    EXPECT_TRUE(share.includes(device("a", {{"site", "par1"}, {"role", "leaf"}})));
    EXPECT_TRUE(share.includes(device("b", {{"site", "par2"}, {"role", "leaf"}})));
    EXPECT_FALSE(share.includes(device("c", {{"site", "par3"}, {"role", "leaf"}})));
    EXPECT_FALSE(share.includes(device("d", {{"site", "par1"}, {"role", "spine"}})));
    EXPECT_FALSE(share.includes(device("e", {{"site", "par1"}})));
    EXPECT_FALSE(share.includes(device("f", {{"site", "par"}, {"role", "leaf"}})))
        << "a prefix of an accepted value is not that value";
    EXPECT_EQ(share.describe(), "role in {leaf}, site in {par1, par2}");
    EXPECT_TRUE(DeviceShare().includes(device("g")));
    EXPECT_FALSE(DeviceShare().filters());
}

TEST(DeviceShare, PolledByKeepsTheShareConfiguredForKeepsAll) {
    const std::string yaml =
        "agent: {shard: 1/2, poll_tags: {role: leaf}}\n"
        "devices:\n"
        "  - {name: leaf1, address: 192.0.2.1, role: leaf, collectors: [snmp]}\n"
        "  - {name: leaf2, address: 192.0.2.2, role: leaf, collectors: [snmp]}\n"
        "  - {name: leaf3, address: 192.0.2.3, role: leaf, collectors: [snmp]}\n"
        "  - {name: leaf4, address: 192.0.2.4, role: leaf, collectors: [snmp]}\n"
        "  - {name: spine1, address: 192.0.2.5, role: spine, collectors: [snmp]}\n"
        "collectors:\n"
        "  - {type: snmp}\n";
    const DeviceSnapshot snapshot(parse_config_text(yaml, "test.yaml"));
    EXPECT_EQ(snapshot.configured_for("snmp").size(), 5u);
    std::set<std::string> expected;
    for (const char* name : {"leaf1", "leaf2", "leaf3", "leaf4"}) {
        if (DeviceShard::of(name, 2) == 1) expected.insert(name);
    }
    std::set<std::string> polled;
    for (const Device* d : snapshot.polled_by("snmp"))
        polled.insert(d->name);
    EXPECT_EQ(polled, expected);
}

TEST(DeviceShare, ABadShardNamesFileLineAndKey) {
    try {
        ParseState state("fleet.yaml");
        build_config(parse_config_text("agent:\n  shard: 4/3\n", state), builtin_plugins(), state);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("fleet.yaml:"));
        EXPECT_THAT(std::string(e.what()), HasSubstr("shard"));
        EXPECT_THAT(std::string(e.what()), HasSubstr("1 <= i <= N"));
    }
}

}  // namespace
}  // namespace netfeed
