// The fleet's poll slots (agent/poll_slots.hpp): every agent computes the same slots for a
// device, a new owner continues after the last polled slot (no slot twice, none skipped while
// the device moves), and a device's share follows the partitions its member holds.
#include "agent/poll_slots.hpp"

#include <gtest/gtest.h>

#include <set>

#include "agent/device_directory.hpp"
#include "agent/device_share.hpp"
#include "sinks/kafka/partitioner.hpp"

namespace netfeed {
namespace {

using namespace poll_slots;

constexpr std::int64_t kInterval = 60'000;
constexpr std::int64_t kNow = 1'796'000'000'000;  // a date in 2026, in ms

TEST(PollSlots, PhaseIsThePositiveMurmur2OfTheNameModuloTheInterval) {
    for (const std::string name : {"leaf01.fra1", "spine-2", "", "r"}) {
        const auto hash =
            static_cast<std::uint32_t>(kafka::murmur2(name.data(), name.size())) & 0x7fffffffu;
        EXPECT_EQ(phase_ms(name, kInterval), static_cast<std::int64_t>(hash % kInterval)) << name;
        EXPECT_GE(phase_ms(name, kInterval), 0);
        EXPECT_LT(phase_ms(name, kInterval), kInterval);
    }
}

TEST(PollSlots, CurrentSlotContainsNowAndSitsOnTheDevicesGrid) {
    for (std::int64_t now : {kNow, kNow + 1, kNow + 59'999, kNow + 123'456}) {
        const std::int64_t slot = current_slot("leaf01", kInterval, now);
        EXPECT_LE(slot, now);
        EXPECT_GT(slot + kInterval, now);
        EXPECT_EQ((slot - phase_ms("leaf01", kInterval)) % kInterval, 0);
    }
}

TEST(PollSlots, ANewOwnerPollsTheCurrentSlotOnlyWhenNobodyDid) {
    const std::int64_t current = current_slot("leaf01", kInterval, kNow);
    // Nobody polled it, or only an older slot: the current one is due now.
    EXPECT_EQ(first_slot("leaf01", kInterval, kNow, std::nullopt), current);
    EXPECT_EQ(first_slot("leaf01", kInterval, kNow, current - kInterval), current);
    EXPECT_EQ(first_slot("leaf01", kInterval, kNow, current - 5 * kInterval), current);
    // The previous owner polled the current slot: the next one.
    EXPECT_EQ(first_slot("leaf01", kInterval, kNow, current), current + kInterval);
}

TEST(PollSlots, NextSlotFollowsOrSkipsToTheCurrentWhenAPollOverran) {
    const std::int64_t slot = current_slot("leaf01", kInterval, kNow);
    std::uint64_t skipped = 0;
    EXPECT_EQ(next_slot("leaf01", kInterval, slot, kNow, &skipped), slot + kInterval);
    EXPECT_EQ(skipped, 0u);
    // Three intervals later: the slots in between are passed over and counted.
    EXPECT_EQ(next_slot("leaf01", kInterval, slot, slot + 3 * kInterval + 10, &skipped),
              slot + 3 * kInterval);
    EXPECT_EQ(skipped, 2u);
}

TEST(PollSlots, AHandOverNeitherRepeatsNorSkipsASlot) {
    // Agent A polls three slots, then the device moves to agent B, which knows only the ledger.
    DeviceSlots a;
    const auto t0 = std::chrono::steady_clock::now();
    a.begin("leaf07", std::chrono::milliseconds(kInterval), std::nullopt, t0);
    std::set<std::int64_t> polled;
    for (int i = 0; i < 3; ++i) {
        a.advance("leaf07", std::chrono::milliseconds(kInterval), t0);
        polled.insert(a.round_ms);
    }
    const std::int64_t last = *polled.rbegin();
    // B starts while A's last slot is still the current one: it must wait for the next.
    EXPECT_EQ(first_slot("leaf07", kInterval, last + 1, last), last + kInterval);
    // B starts after A's last slot ended without a poll of the new one: it polls it now.
    EXPECT_EQ(first_slot("leaf07", kInterval, last + kInterval + 1, last), last + kInterval);
}

TEST(DeviceShareFleet, MembersHoldingDisjointPartitionsSplitEveryDeviceOnce) {
    constexpr int kPartitions = 12;
    std::vector<std::set<int>> members = {{0, 3, 6, 9}, {1, 4, 7, 10}, {2, 5, 8, 11}};
    for (int i = 0; i < 200; ++i) {
        Device d;
        d.name = "sw" + std::to_string(i);
        int owners = 0;
        for (const auto& held : members)
            owners += DeviceShare::fleet("lab", held, kPartitions, {}).includes(d) ? 1 : 0;
        EXPECT_EQ(owners, 1) << d.name;
    }
    Device d;
    d.name = "sw1";
    EXPECT_FALSE(DeviceShare::fleet("lab", {}, kPartitions, {}).includes(d))
        << "no partition yet: no device";
    EXPECT_TRUE(DeviceShare::fleet("lab", {}, kPartitions, {}).filters());
}

}  // namespace
}  // namespace netfeed
