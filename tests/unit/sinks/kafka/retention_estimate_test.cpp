// The embedded broker's retention window from watermarks: discarded records, records held,
// and seconds of records held at the recent write rate.
#include "sinks/kafka/retention_estimate.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace netfeed {
namespace {

TEST(RetentionEstimate, FirstSampleMeasuresButCannotEstimateARate) {
    RetentionEstimator estimator;
    const auto e = estimator.update({{100, 1100}, {0, 500}}, 10.0);
    EXPECT_EQ(e.discarded, 100u);
    EXPECT_EQ(e.held, 1500u);
    EXPECT_TRUE(std::isinf(e.window_seconds));
    EXPECT_FALSE(e.discarding);
}

TEST(RetentionEstimate, ShortestPartitionWindowAtTheRecentRate) {
    RetentionEstimator estimator;
    estimator.update({{0, 1000}, {0, 1000}}, 0.0);
    // Partition 0: 2000 written in 2 s (1000/s), holds 3000 -> 3 s.
    // Partition 1: 200 written (100/s), holds 1200 -> 12 s.
    const auto e = estimator.update({{0, 3000}, {0, 1200}}, 2.0);
    EXPECT_DOUBLE_EQ(e.window_seconds, 3.0);
    EXPECT_EQ(e.held, 4200u);
    EXPECT_EQ(e.discarded, 0u);
    EXPECT_FALSE(e.discarding);
}

TEST(RetentionEstimate, RisingLowWatermarkIsDiscarding) {
    RetentionEstimator estimator;
    estimator.update({{0, 100000}}, 0.0);
    const auto e = estimator.update({{40000, 150000}}, 1.0);
    EXPECT_TRUE(e.discarding);
    EXPECT_EQ(e.discarded, 40000u);
    EXPECT_EQ(e.held, 110000u);
    EXPECT_DOUBLE_EQ(e.window_seconds, 110000.0 / 50000.0);
}

TEST(RetentionEstimate, IdleTopicHoldsForever) {
    RetentionEstimator estimator;
    estimator.update({{10, 90}}, 0.0);
    const auto e = estimator.update({{10, 90}}, 2.0);
    EXPECT_TRUE(std::isinf(e.window_seconds));
    EXPECT_FALSE(e.discarding);
    EXPECT_EQ(e.discarded, 10u);
}

TEST(RetentionEstimate, PartitionCountChangeStartsOver) {
    RetentionEstimator estimator;
    estimator.update({{0, 10}}, 0.0);
    const auto e = estimator.update({{5, 20}, {0, 30}}, 1.0);
    EXPECT_TRUE(std::isinf(e.window_seconds));
    EXPECT_FALSE(e.discarding);
    EXPECT_EQ(e.held, 45u);
}

TEST(RetentionEstimate, UnknownOffsetsCountAsEmpty) {
    // librdkafka reports -1 for offsets it could not learn.
    RetentionEstimator estimator;
    const auto e = estimator.update({{-1, -1}}, 0.0);
    EXPECT_EQ(e.discarded, 0u);
    EXPECT_EQ(e.held, 0u);
}

}  // namespace
}  // namespace netfeed
