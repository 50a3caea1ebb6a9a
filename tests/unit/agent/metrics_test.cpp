// Self-metrics: Prometheus text format and handle identity across reloads.
#include "agent/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace netfeed {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, RendersPrometheusText) {
    MetricsRegistry registry;
    registry.counter("netfeed_x_total", "Things", {{"component", "a\"b"}}).inc(3);
    registry.gauge("netfeed_depth", "Depth").set(2.5);
    auto& h =
        registry.histogram("netfeed_latency_seconds", "Latency", {{"sink", "kafka"}}, {0.01, 0.1});
    h.observe(0.005);
    h.observe(0.05);
    h.observe(5);
    const std::string text = registry.render_prometheus();
    EXPECT_THAT(text, HasSubstr("# HELP netfeed_x_total Things\n# TYPE netfeed_x_total counter\n"
                                "netfeed_x_total{component=\"a\\\"b\"} 3\n"));
    EXPECT_THAT(text, HasSubstr("netfeed_depth 2.5\n"));
    EXPECT_THAT(text, HasSubstr("netfeed_latency_seconds_bucket{sink=\"kafka\",le=\"0.01\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("netfeed_latency_seconds_bucket{sink=\"kafka\",le=\"0.1\"} 2\n"));
    EXPECT_THAT(text, HasSubstr("netfeed_latency_seconds_bucket{sink=\"kafka\",le=\"+Inf\"} 3\n"));
    EXPECT_THAT(text, HasSubstr("netfeed_latency_seconds_count{sink=\"kafka\"} 3\n"));
}

TEST(Metrics, SameNameAndLabelsIsTheSameCounter) {
    MetricsRegistry registry;
    auto& a = registry.counter("c_total", "c", {{"x", "1"}});
    auto& b = registry.counter("c_total", "c", {{"x", "1"}});
    auto& other = registry.counter("c_total", "c", {{"x", "2"}});
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &other);
    a.inc();
    other.inc(2);
    EXPECT_EQ(registry.counter_total("c_total"), 3u);
}

TEST(Metrics, CallbackGaugesGoAwayWithTheirOwner) {
    MetricsRegistry registry;
    {
        auto registration =
            registry.gauge_callback("q_depth", "depth", {{"q", "in"}}, [] { return 7.0; });
        EXPECT_THAT(registry.render_prometheus(), HasSubstr("q_depth{q=\"in\"} 7\n"));
    }
    EXPECT_THAT(registry.render_prometheus(), ::testing::Not(HasSubstr("q_depth")));
}

TEST(Metrics, ComponentMetricsFollowTheSpec) {
    MetricsRegistry registry;
    ComponentMetrics m(registry, "collector", "syslog-udp", "syslog");
    m.received().inc(10);
    m.sent().inc(9);
    m.dropped("parse_error").inc();
    m.errors("decode").inc();
    const std::string text = registry.render_prometheus();
    EXPECT_THAT(text, HasSubstr("netfeed_component_received_total{stage=\"collector\","
                                "component=\"syslog-udp\",type=\"syslog\"} 10"));
    EXPECT_THAT(text, HasSubstr("netfeed_component_dropped_total{stage=\"collector\","
                                "component=\"syslog-udp\",type=\"syslog\",reason=\"parse_error\"} "
                                "1"));
    EXPECT_THAT(text, HasSubstr("error_type=\"decode\"} 1"));
}

}  // namespace
}  // namespace netfeed
