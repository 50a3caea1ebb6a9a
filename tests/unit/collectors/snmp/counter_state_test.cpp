// Counter baselines across restarts: the steady clock of one process becomes wall time in the
// file and the steady clock of the next, rates continue when sysUpTime shows no device restart,
// and stale, foreign or damaged baselines are never used.
#include "collectors/snmp/counter_state.hpp"

#include <gtest/gtest.h>

namespace netfeed::snmp {
namespace {

constexpr double kWall = 1'700'000'000.0;  // wall clock at the save
constexpr double kSteadyA = 5'000.0;       // the first process's steady clock at the save
constexpr double kSteadyB = 20.0;          // the restarted process's steady clock

// A device polled once at steady time 4990 (10 s before the save) with sysUpTime 100000.
DeviceBaseline polled_device() {
    CounterRates rates;
    UptimeTracker uptime;
    uptime.update(100'000, kSteadyA - 10);
    rates.update("r1|interfaces|1", kSteadyA - 10, false,
                 {{3, 1000, true}, {4, 4000000000u, false}});
    return capture_baseline("r1", "fp", rates, uptime, kWall, kSteadyA);
}

TEST(SnmpCounterState, CaptureTurnsSteadyTimesIntoWallTimes) {
    const DeviceBaseline b = polled_device();
    ASSERT_TRUE(b.uptime);
    EXPECT_DOUBLE_EQ(b.uptime->time, kWall - 10);
    ASSERT_EQ(b.rows.size(), 1u);
    EXPECT_DOUBLE_EQ(b.rows[0].time, kWall - 10);
    EXPECT_EQ(b.rows[0].counters[1].value, 4000000000u);
}

TEST(SnmpCounterState, RatesContinueInTheFirstRoundAfterARestart) {
    const DeviceBaseline saved = polled_device();
    CounterRates rates;
    UptimeTracker uptime;
    // Restarted 20 s after the save: the poll was 30 s ago.
    const double wall_now = kWall + 20;
    ASSERT_EQ(restore_baseline(saved, "fp", 120, wall_now, kSteadyB, rates, uptime),
              BaselineRestore::restored);
    // 30 s later on the device too: no restart; counters moved by 3000 and by one Counter32 wrap.
    const double now = kSteadyB + 0.0;
    EXPECT_FALSE(uptime.update(100'000 + 3000, now));
    const auto got =
        rates.update("r1|interfaces|1", now, false, {{3, 4000, true}, {4, 3000, false}});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_DOUBLE_EQ(got[0].per_second, 3000.0 / 30);
    EXPECT_DOUBLE_EQ(got[1].per_second, ((4294967296.0 - 4000000000.0) + 3000) / 30);
}

TEST(SnmpCounterState, ADeviceRestartMeanwhileGivesNoRate) {
    const DeviceBaseline saved = polled_device();
    CounterRates rates;
    UptimeTracker uptime;
    restore_baseline(saved, "fp", 120, kWall + 20, kSteadyB, rates, uptime);
    const bool restarted = uptime.update(500, kSteadyB);  // sysUpTime went back: it rebooted
    EXPECT_TRUE(restarted);
    EXPECT_TRUE(rates.update("r1|interfaces|1", kSteadyB, restarted, {{3, 5000, true}}).empty());
}

TEST(SnmpCounterState, OldOrFutureOrForeignBaselinesAreNotUsed) {
    const DeviceBaseline saved = polled_device();
    CounterRates rates;
    UptimeTracker uptime;
    EXPECT_EQ(restore_baseline(saved, "fp", 120, kWall + 200, kSteadyB, rates, uptime),
              BaselineRestore::too_old);
    EXPECT_EQ(restore_baseline(saved, "fp", 120, kWall - 3600, kSteadyB, rates, uptime),
              BaselineRestore::too_old);  // the wall clock went back an hour
    EXPECT_EQ(restore_baseline(saved, "other", 120, kWall, kSteadyB, rates, uptime),
              BaselineRestore::profile_changed);
    EXPECT_EQ(rates.rows(), 0u);
    EXPECT_FALSE(uptime.saved());
}

TEST(SnmpCounterState, JsonRoundTripsAndRefusesDamage) {
    DeviceBaseline no_uptime = polled_device();
    no_uptime.device = "r2";
    no_uptime.uptime.reset();
    const std::vector<DeviceBaseline> devices = {polled_device(), no_uptime};
    const std::string text = baselines_to_json(devices, kWall);
    std::string error;
    const auto back = baselines_from_json(text, error);
    ASSERT_TRUE(back) << error;
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].device, "r1");
    EXPECT_EQ((*back)[0].profile_fingerprint, "fp");
    ASSERT_TRUE((*back)[0].uptime);
    EXPECT_EQ((*back)[0].uptime->uptime, 100'000u);
    EXPECT_DOUBLE_EQ((*back)[0].uptime->time, kWall - 10);
    EXPECT_FALSE((*back)[1].uptime);
    ASSERT_EQ((*back)[0].rows.size(), 1u);
    EXPECT_EQ((*back)[0].rows[0].row, "r1|interfaces|1");
    EXPECT_EQ((*back)[0].rows[0].counters[1].value, 4000000000u);
    EXPECT_FALSE((*back)[0].rows[0].counters[1].counter64);
    EXPECT_TRUE((*back)[0].rows[0].counters[0].counter64);

    for (std::size_t cut : {std::size_t{0}, text.size() / 2, text.size() - 3}) {
        EXPECT_FALSE(baselines_from_json(text.substr(0, cut), error)) << cut;
    }
    std::string other = text;
    other.replace(other.find("\"version\": 1"), 12, "\"version\": 2");
    EXPECT_FALSE(baselines_from_json(other, error));
    EXPECT_FALSE(baselines_from_json("{\"format\": \"x\"}", error));
    std::string negative = text;
    negative.replace(negative.find("4000000000"), 10, "-4");
    EXPECT_FALSE(baselines_from_json(negative, error));
}

}  // namespace
}  // namespace netfeed::snmp
