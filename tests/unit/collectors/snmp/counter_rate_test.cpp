// Counter rates: wraps, resets, restarts and short intervals never give a bogus rate.
#include "collectors/snmp/counter_rate.hpp"

#include <gtest/gtest.h>

namespace netfeed::snmp {
namespace {

TEST(SnmpCounterRate, PlainDelta) {
    const auto r = counter_rate(1000, 3000, false, 10.0);
    EXPECT_EQ(r.outcome, RateOutcome::rate);
    EXPECT_DOUBLE_EQ(r.per_second, 200.0);
}

TEST(SnmpCounterRate, Counter32WrapOnce) {
    // 0xFFFFFF00 -> 0x100: 0x100 + 0x100 = 512 counted across the wrap.
    const auto r = counter_rate(0xFFFFFF00u, 0x100u, false, 2.0);
    EXPECT_EQ(r.outcome, RateOutcome::rate);
    EXPECT_DOUBLE_EQ(r.per_second, 256.0);
}

TEST(SnmpCounterRate, Counter32BackwardsTooFarIsReset) {
    // 1000 -> 10 would need a wrap of almost 2^32 in one interval: a reset, not a spike.
    EXPECT_EQ(counter_rate(1000, 10, false, 60.0).outcome, RateOutcome::counter_reset);
}

TEST(SnmpCounterRate, Counter64WrapOnlyNearTheTop) {
    const std::uint64_t top = ~std::uint64_t{0};
    const auto wrapped = counter_rate(top - 99, 100, true, 1.0);
    EXPECT_EQ(wrapped.outcome, RateOutcome::rate);
    EXPECT_DOUBLE_EQ(wrapped.per_second, 200.0);
    // Far from the top, going backwards is a reset (clear counters), never a wrap.
    EXPECT_EQ(counter_rate(5'000'000'000ULL, 4'000'000'000ULL, true, 1.0).outcome,
              RateOutcome::counter_reset);
}

TEST(SnmpCounterRate, ZeroOrTinyIntervalGivesNoRate) {
    EXPECT_EQ(counter_rate(1, 2, false, 0.0).outcome, RateOutcome::interval_too_short);
    EXPECT_EQ(counter_rate(1, 2, false, 0.01).outcome, RateOutcome::interval_too_short);
    EXPECT_EQ(counter_rate(1, 2, false, -5).outcome, RateOutcome::interval_too_short);
}

TEST(SnmpCounterRate, RestartGivesNoRate) {
    EXPECT_EQ(counter_rate(100, 200, false, 10, true).outcome, RateOutcome::device_restarted);
}

TEST(SnmpCounterRate, UptimeBackwardsIsRestartButItsOwnWrapIsNot) {
    EXPECT_FALSE(uptime_restarted(1000, 2000, 10));
    EXPECT_TRUE(uptime_restarted(500000, 300, 60));
    // sysUpTime wraps after 2^32 ticks: 100 ticks before the top, 10 s later it reads 900.
    EXPECT_FALSE(uptime_restarted(0xFFFFFFFFu - 99, 900, 10));
    EXPECT_TRUE(uptime_restarted(0xFFFFFFFFu - 99, 3'000'000, 10));
}

TEST(SnmpCounterRate, TrackerRatesPerRowAndSkipsAfterRestart) {
    CounterRates rates;
    EXPECT_TRUE(rates.update("r1|interfaces|if_index=1", 100.0, false, {{3, 1000, true}}).empty());
    auto out = rates.update("r1|interfaces|if_index=1", 110.0, false, {{3, 6000, true}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].column, 3u);
    EXPECT_DOUBLE_EQ(out[0].per_second, 500.0);
    // Device restarted: counters start over, no rate this round.
    EXPECT_TRUE(rates.update("r1|interfaces|if_index=1", 120.0, true, {{3, 50, true}}).empty());
    // And the round after, rates resume from the new baseline.
    out = rates.update("r1|interfaces|if_index=1", 130.0, false, {{3, 1050, true}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_DOUBLE_EQ(out[0].per_second, 100.0);
    // A counter going backwards (cleared) gives no rate rather than a spike.
    EXPECT_TRUE(rates.update("r1|interfaces|if_index=1", 140.0, false, {{3, 10, true}}).empty());
    // Same interval twice (two polls in one instant): no rate.
    EXPECT_TRUE(rates.update("r1|interfaces|if_index=1", 140.0, false, {{3, 20, true}}).empty());
}

TEST(SnmpCounterRate, TrackerForgetsRowsThatWentAway) {
    CounterRates rates;
    rates.update("a", 1, false, {{0, 1, false}});
    rates.update("b", 1, false, {{0, 1, false}});
    rates.sweep();
    rates.update("a", 2, false, {{0, 2, false}});
    rates.sweep();
    EXPECT_EQ(rates.rows(), 1u);
}

TEST(SnmpCounterRate, UptimeTrackerFlagsRestartOnce) {
    UptimeTracker t;
    EXPECT_FALSE(t.update(1000, 0));
    EXPECT_FALSE(t.update(2000, 10));
    EXPECT_TRUE(t.update(100, 20));
    EXPECT_FALSE(t.update(1100, 30));
    EXPECT_FALSE(t.update(std::nullopt, 40));
}

}  // namespace
}  // namespace netfeed::snmp
