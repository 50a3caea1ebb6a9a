// Routing: kinds to routes, topic and key templates, fan-out, unrouted records counted.
#include "agent/router.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace netfeed {
namespace {

Record record(RecordKind kind, std::string device) {
    Record r;
    r.kind = kind;
    r.device = std::move(device);
    r.device_address = boost::asio::ip::make_address("10.0.0.1");
    r.add("severity", std::uint64_t{5});
    return r;
}

class RouterTest : public ::testing::Test {
  protected:
    void load(const std::string& yaml) {
        config_ = parse_config_text(yaml, "test.yaml");
        devices_.replace(std::make_shared<DeviceSnapshot>(config_));
        std::vector<std::string> names;
        for (const auto& s : config_.sinks)
            names.push_back(s.name);
        router_ = std::make_unique<Router>(config_, names, devices_, metrics_);
        per_sink_.assign(names.size(), {});
    }
    Config config_;
    DeviceDirectory devices_;
    MetricsRegistry metrics_;
    std::unique_ptr<Router> router_;
    std::vector<std::vector<RoutedRecord>> per_sink_;
};

TEST_F(RouterTest, DefaultRouteUsesKindTopicAndDeviceKey) {
    load("");
    ASSERT_TRUE(router_->route(record(RecordKind::syslog, "lax-cor-r1"), per_sink_));
    ASSERT_EQ(per_sink_[0].size(), 1u);
    const Delivery& d = per_sink_[0][0].delivery;
    EXPECT_EQ(d.topic, "netfeed.syslog");
    EXPECT_EQ(d.key, "lax-cor-r1");
    EXPECT_TRUE(d.has_key);
    EXPECT_EQ(d.partitioner, Partitioner::murmur2);
}

TEST_F(RouterTest, TemplatesUseFieldsAndDeviceTags) {
    load(
        "devices:\n  - {name: r1, address: 10.0.0.1, site: lax, tags: {rack: 'a/1'}}\n"
        "routes:\n  - topic: 'nf.{site}.{kind}.{rack}.{nope}'\n    key: '{device}|{severity}'\n"
        "    key_encoding: utf-16\n");
    ASSERT_TRUE(router_->route(record(RecordKind::flow, "r1"), per_sink_));
    const Delivery& d = per_sink_[0][0].delivery;
    EXPECT_EQ(d.topic, "nf.lax.flow.a_1.unknown");  // '/' is not legal in a topic name
    EXPECT_EQ(d.key, "r1|5");
    EXPECT_EQ(d.key_encoding, KeyEncoding::utf16);
}

TEST_F(RouterTest, CollectorKeyWinsOverDeviceWhenRouteHasNoKey) {
    load("");
    Record r = record(RecordKind::nxapi, "n9k-1");
    r.key = "n9k-1|Ethernet1/1";
    router_->route(std::move(r), per_sink_);
    EXPECT_EQ(per_sink_[0][0].delivery.key, "n9k-1|Ethernet1/1");
}

TEST_F(RouterTest, NoDeviceNoKeyMeansUnkeyed) {
    load("");
    router_->route(record(RecordKind::test, ""), per_sink_);
    EXPECT_FALSE(per_sink_[0][0].delivery.has_key);
}

TEST_F(RouterTest, FanOutCopiesAndUnroutedKindsAreCounted) {
    load(
        "sinks:\n  - {type: stdout, name: debug}\n"
        "routes:\n  - {kinds: [syslog], topic: a}\n  - {kinds: [syslog, flow], topic: b, sink: "
        "debug}\n");
    ASSERT_TRUE(router_->route(record(RecordKind::syslog, "r1"), per_sink_));
    ASSERT_EQ(per_sink_[0].size(), 1u);
    ASSERT_EQ(per_sink_[1].size(), 1u);
    EXPECT_EQ(per_sink_[0][0].delivery.topic, "a");
    EXPECT_EQ(per_sink_[1][0].delivery.topic, "b");
    EXPECT_EQ(per_sink_[0][0].record.device, "r1");
    EXPECT_EQ(per_sink_[1][0].record.device, "r1");
    EXPECT_FALSE(router_->route(record(RecordKind::snmp, "r1"), per_sink_));
    EXPECT_EQ(metrics_.counter_total("netfeed_component_dropped_total"), 1u);
}

TEST_F(RouterTest, TopicPlanListsKindTopicsAndMarksProducedOnesRequired) {
    load("routes:\n  - {kinds: [syslog, flow], partitions: 6}\n  - {topic: 'x.{device}'}\n");
    const auto plan = router_->topic_plan(0, {RecordKind::flow});
    ASSERT_EQ(plan.size(), 2u);  // the {device} topic cannot be known before records come
    EXPECT_EQ(plan[0].name, "netfeed.syslog");
    EXPECT_FALSE(plan[0].required);
    EXPECT_EQ(plan[1].name, "netfeed.flow");
    EXPECT_TRUE(plan[1].required);
    EXPECT_EQ(plan[1].partitions, 6);
}

TEST_F(RouterTest, RecordTopicIsUsedWhenTheRouteNamesNone) {
    load("routes:\n  - {kinds: [nxapi]}\n  - {kinds: [nxapi], topic: 'all.{kind}', sink: kafka}\n");
    Record r = record(RecordKind::nxapi, "sw1");
    r.topic = "nxapi.show version";
    ASSERT_TRUE(router_->route(std::move(r), per_sink_));
    ASSERT_EQ(per_sink_[0].size(), 2u);
    EXPECT_EQ(per_sink_[0][0].delivery.topic, "nxapi.show_version");
    EXPECT_EQ(per_sink_[0][1].delivery.topic, "all.nxapi");
    Record plain = record(RecordKind::nxapi, "sw1");
    ASSERT_TRUE(router_->route(std::move(plain), per_sink_));
    EXPECT_EQ(per_sink_[0][2].delivery.topic, "netfeed.nxapi");
}

TEST_F(RouterTest, TopicPlanIncludesTopicsCollectorsNameAndMarksStateTopicsCompact) {
    // The syslog route names its topic, so a topic the syslog collector asks for is not planned.
    load("routes:\n  - {kinds: [nxapi], state: true}\n"
         "  - {kinds: [syslog], topic: 'netfeed.syslog'}\n");
    const auto plan = router_->topic_plan(0, {RecordKind::nxapi, RecordKind::syslog},
                                          {{RecordKind::nxapi, "nxapi.show_version"},
                                           {RecordKind::syslog, "ignored.by.kind"}});
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(plan[0].name, "nxapi.show_version");
    EXPECT_TRUE(plan[0].required);
    EXPECT_TRUE(plan[0].compact);
    EXPECT_EQ(plan[1].name, "netfeed.nxapi");
    EXPECT_FALSE(plan[1].required) << "every nxapi record names its topic";
    EXPECT_EQ(plan[2].name, "netfeed.syslog");
    EXPECT_FALSE(plan[2].compact);
}

TEST_F(RouterTest, StateRoutesRememberKeysAndTombstoneThemWhenTheDeviceIsForgotten) {
    config_ = parse_config_text(
        "routes:\n  - {kinds: [nxapi], state: true, partitioner: crc32}\n  - {kinds: [syslog]}\n",
        "test.yaml");
    StateKeys keys("");
    router_ = std::make_unique<Router>(config_, std::vector<std::string>{"kafka"}, devices_,
                                       metrics_, &keys);
    per_sink_.assign(1, {});
    for (const char* row : {"Ethernet1/1", "Ethernet1/2"}) {
        Record r = record(RecordKind::nxapi, "sw1");
        r.key = std::string("sw1:") + row;
        r.topic = "nxapi.show_interface";
        router_->route(std::move(r), per_sink_);
    }
    router_->route(record(RecordKind::nxapi, "sw2"), per_sink_);
    router_->route(record(RecordKind::syslog, "sw1"), per_sink_);  // not a state route
    EXPECT_EQ(keys.size(), 3u);

    per_sink_.assign(1, {});
    Record marker;
    marker.device = "sw1";
    marker.forget_device = true;
    ASSERT_TRUE(router_->route(std::move(marker), per_sink_));
    ASSERT_EQ(per_sink_[0].size(), 2u);
    for (const auto& routed : per_sink_[0]) {
        EXPECT_TRUE(routed.record.tombstone);
        EXPECT_EQ(routed.delivery.topic, "nxapi.show_interface");
        EXPECT_TRUE(routed.delivery.has_key);
        EXPECT_EQ(routed.delivery.partitioner, Partitioner::crc32);
    }
    EXPECT_EQ(per_sink_[0][0].delivery.key, "sw1:Ethernet1/1");
    EXPECT_EQ(per_sink_[0][1].delivery.key, "sw1:Ethernet1/2");
    EXPECT_EQ(keys.devices(), std::vector<std::string>{"sw2"});
    EXPECT_EQ(metrics_.counter_total("netfeed_state_tombstones_total"), 2u);
}

TEST(StateKeys, SurviveARestartThroughTheirFile) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("netfeed_state_keys_" + std::to_string(::getpid()) + ".json");
    std::filesystem::remove(file);
    {
        StateKeys keys(file.string());
        keys.load();  // no file yet: empty
        keys.remember("sw1", {"kafka", "t", "sw1:a", RecordKind::nxapi, Partitioner::murmur2,
                              KeyEncoding::utf16});
        keys.remember("sw1", {"kafka", "t", "sw1:b", RecordKind::nxapi, Partitioner::murmur2,
                              KeyEncoding::utf8});
        keys.forget("sw1", "t", "sw1:b");
        EXPECT_EQ(keys.save_if_due(std::chrono::seconds(0)), "");
    }
    StateKeys again(file.string());
    again.load();
    auto taken = again.take("sw1");
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].key, "sw1:a");
    EXPECT_EQ(taken[0].key_encoding, KeyEncoding::utf16);
    EXPECT_EQ(taken[0].kind, RecordKind::nxapi);

    std::ofstream(file) << "{not json";
    StateKeys broken(file.string());
    EXPECT_THROW(broken.load(), std::runtime_error);
    std::filesystem::remove(file);
}

TEST(RecordTemplate, CompileErrors) {
    RecordTemplate t;
    EXPECT_EQ(RecordTemplate::compile("a}", t), "'}' without a matching '{' at position 2");
    EXPECT_EQ(RecordTemplate::compile("{}", t), "empty placeholder '{}'");
    EXPECT_EQ(RecordTemplate::compile("{a-b}", t),
              "placeholder '{a-b}' may use only letters, digits and '_'");
    EXPECT_FALSE(RecordTemplate::compile("netfeed.{kind}", t).has_value());
    EXPECT_TRUE(t.depends_only_on_kind());
    EXPECT_EQ(t.render_for_kind(RecordKind::trap), "netfeed.trap");
}

}  // namespace
}  // namespace netfeed
