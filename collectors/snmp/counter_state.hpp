// SNMP counter baselines kept across agent restarts (`<state_dir>/<collector>/
// counter-baselines.json`): each device's last counters per row and its sysUpTime, with wall
// times, so that the first round after a restart already gives rates. Pure code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/snmp/counter_rate.hpp"

namespace netfeed::snmp {

inline constexpr int kBaselineFormatVersion = 1;

/// One device's baselines; every time is in wall-clock seconds since the Unix epoch.
struct DeviceBaseline {
    std::string device;
    /// What the row columns meant (profiles, tables and columns polled): baselines of another
    /// profile set could pair a counter with another column's old value.
    std::string profile_fingerprint;
    std::optional<UptimeTracker::Saved> uptime;
    std::vector<CounterRates::Baseline> rows;
};

/// Takes a device's baselines, turning the poller's steady-clock times into wall times.
DeviceBaseline capture_baseline(std::string device, std::string fingerprint,
                                const CounterRates& rates, const UptimeTracker& uptime,
                                double wall_now, double steady_now);

enum class BaselineRestore : std::uint8_t {
    restored,
    profile_changed,  // the device is polled with other profiles now
    too_old,          // older than the age limit, or from the future (the clock went back)
};

/// Puts a saved baseline back, wall times turned into the steady clock, when its profiles are
/// the same and its sysUpTime (or, without one, every row) is at most `max_age` seconds old.
/// Whether the device restarted meanwhile is not judged here: the next round's sysUpTime,
/// compared with the restored one, decides as it does between two ordinary rounds.
BaselineRestore restore_baseline(const DeviceBaseline& saved, std::string_view fingerprint,
                                 double max_age, double wall_now, double steady_now,
                                 CounterRates& rates, UptimeTracker& uptime);

std::string baselines_to_json(const std::vector<DeviceBaseline>& devices, double saved_at);
/// The devices in `text`, or nothing with `error` saying what is wrong. Never throws.
std::optional<std::vector<DeviceBaseline>> baselines_from_json(std::string_view text,
                                                               std::string& error);

}  // namespace netfeed::snmp
