// Counter rates; see counter_rate.hpp.
#include "collectors/snmp/counter_rate.hpp"

#include <algorithm>

namespace netfeed::snmp {

RateResult counter_rate(std::uint64_t previous, std::uint64_t current, bool counter64,
                        double seconds, bool device_restarted) {
    if (device_restarted) return {RateOutcome::device_restarted, 0};
    if (!(seconds >= kMinRateInterval)) return {RateOutcome::interval_too_short, 0};
    std::uint64_t delta = 0;
    if (current >= previous) {
        delta = current - previous;
    } else if (counter64) {
        delta = current - previous;  // modulo 2^64
        if (delta >= (std::uint64_t{1} << 62)) return {RateOutcome::counter_reset, 0};
    } else {
        if (previous > 0xFFFFFFFFu) return {RateOutcome::counter_reset, 0};
        delta = (std::uint64_t{1} << 32) - previous + current;
        if (delta >= (std::uint64_t{1} << 31)) return {RateOutcome::counter_reset, 0};
    }
    return {RateOutcome::rate, static_cast<double>(delta) / seconds};
}

bool uptime_restarted(std::uint32_t previous, std::uint32_t current, double seconds) {
    if (current >= previous) return false;
    // Its own wrap: the previous value plus the elapsed time passes 2^32 and lands near current.
    const double expected = static_cast<double>(previous) + seconds * 100.0;
    constexpr double kWrap = 4294967296.0;
    if (expected >= kWrap) {
        const double landed = expected - kWrap;
        const double slack = 200.0 + seconds * 10.0;  // 2 s plus 10 % of the interval
        if (static_cast<double>(current) <= landed + slack) return false;
    }
    return true;
}

std::vector<CounterRates::Rate> CounterRates::update(const std::string& row, double now,
                                                     bool device_restarted,
                                                     const std::vector<Counter>& counters) {
    std::vector<Rate> out;
    auto [it, fresh] = rows_.try_emplace(row);
    RowState& state = it->second;
    if (!fresh) {
        const double seconds = now - state.time;
        for (const auto& c : counters) {
            for (const auto& p : state.counters) {
                if (p.column != c.column || p.counter64 != c.counter64) continue;
                const auto r =
                    counter_rate(p.value, c.value, c.counter64, seconds, device_restarted);
                if (r.outcome == RateOutcome::rate) out.push_back({c.column, r.per_second});
                break;
            }
        }
    }
    state.time = now;
    state.counters = counters;
    state.seen = true;
    return out;
}

void CounterRates::sweep() {
    for (auto it = rows_.begin(); it != rows_.end();) {
        if (!it->second.seen) {
            it = rows_.erase(it);
        } else {
            it->second.seen = false;
            ++it;
        }
    }
}

std::vector<CounterRates::Baseline> CounterRates::baselines() const {
    std::vector<Baseline> out;
    out.reserve(rows_.size());
    for (const auto& [row, state] : rows_) out.push_back({row, state.time, state.counters});
    std::sort(out.begin(), out.end(),
              [](const Baseline& a, const Baseline& b) { return a.row < b.row; });
    return out;
}

void CounterRates::restore(Baseline baseline) {
    RowState& state = rows_[baseline.row];
    state.time = baseline.time;
    state.counters = std::move(baseline.counters);
    state.seen = true;
}

std::optional<UptimeTracker::Saved> UptimeTracker::saved() const {
    if (!last_) return std::nullopt;
    return Saved{*last_, last_time_};
}

void UptimeTracker::restore(const Saved& saved) {
    last_ = saved.uptime;
    last_time_ = saved.time;
}

bool UptimeTracker::update(std::optional<std::uint32_t> uptime, double now) {
    if (!uptime) return false;  // unknown: counters alone decide
    const bool restarted = last_ && uptime_restarted(*last_, *uptime, now - last_time_);
    last_ = uptime;
    last_time_ = now;
    return restarted;
}

}  // namespace netfeed::snmp
