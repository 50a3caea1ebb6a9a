// Per-second rates of SNMP counters from two consecutive polls, with the rules that keep a wrap
// from looking like a reset and a reset from looking like a spike. Pure code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace netfeed::snmp {

/// Intervals shorter than this give no rate (two polls in the same instant say nothing).
inline constexpr double kMinRateInterval = 0.1;

enum class RateOutcome : std::uint8_t {
    rate,
    interval_too_short,
    device_restarted,  // sysUpTime went backwards
    counter_reset,     // went backwards further than one plausible wrap explains
};

struct RateResult {
    RateOutcome outcome = RateOutcome::rate;
    double per_second = 0;
};

/// Rate of one counter. Counter32: one wrap is accepted when the wrapped delta is under half the
/// range (2^31); a larger one is a reset. Counter64: a wrap is accepted only when the wrapped
/// delta is under 2^62 (the counter was near its top), else it is a reset.
RateResult counter_rate(std::uint64_t previous, std::uint64_t current, bool counter64,
                        double seconds, bool device_restarted = false);

/// True when sysUpTime (TimeTicks, hundredths of a second) says the device restarted between
/// two polls `seconds` apart: it went backwards, except for its own 2^32 wrap (497 days).
bool uptime_restarted(std::uint32_t previous, std::uint32_t current, double seconds);

/// Remembers each row's counters between polls of one device and turns them into rates.
class CounterRates {
  public:
    struct Counter {
        std::size_t column;  // position in the row
        std::uint64_t value;
        bool counter64;
    };
    struct Rate {
        std::size_t column;
        double per_second;
    };
    /// One row's last counters, as a plain value (saved across agent restarts).
    struct Baseline {
        std::string row;
        double time = 0;  // the poll's time on the caller's clock
        std::vector<Counter> counters;
    };

    /// Rates for the counters present in this poll and the previous poll of the same row.
    /// `now` is in seconds on a monotonic clock.
    std::vector<Rate> update(const std::string& row, double now, bool device_restarted,
                             const std::vector<Counter>& counters);
    /// Forgets rows not updated since the last call (interfaces that went away).
    void sweep();
    std::size_t rows() const noexcept { return rows_.size(); }

    /// Every row's baseline, sorted by row key.
    std::vector<Baseline> baselines() const;
    /// Puts back a saved baseline: the row's next update() gives rates against it.
    void restore(Baseline baseline);

  private:
    struct RowState {
        double time = 0;
        std::vector<Counter> counters;
        bool seen = true;
    };
    std::unordered_map<std::string, RowState> rows_;
};

/// sysUpTime of one device between rounds.
class UptimeTracker {
  public:
    /// True when this round's sysUpTime shows a restart since the previous one.
    bool update(std::optional<std::uint32_t> uptime, double now);

    struct Saved {
        std::uint32_t uptime = 0;
        double time = 0;  // on the caller's clock, as passed to update()
    };
    std::optional<Saved> saved() const;
    void restore(const Saved& saved);

  private:
    std::optional<std::uint32_t> last_;
    double last_time_ = 0;
};

}  // namespace netfeed::snmp
