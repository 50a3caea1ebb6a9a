// Routing: kinds to routes, topic and key templates, fan-out, unrouted records counted.
#include "agent/router.hpp"

#include <gtest/gtest.h>

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
