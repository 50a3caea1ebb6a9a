// Fleet poll slots; see poll_slots.hpp.
#include "agent/poll_slots.hpp"

#include <algorithm>

#include "sinks/kafka/partitioner.hpp"

namespace netfeed::poll_slots {

std::int64_t phase_ms(std::string_view device, std::int64_t interval_ms) noexcept {
    if (interval_ms <= 1) return 0;
    // toPositive(murmur2) as the partitioner does, so the phase is the same on every agent.
    const auto hash =
        static_cast<std::uint32_t>(kafka::murmur2(device.data(), device.size())) & 0x7fffffffu;
    return static_cast<std::int64_t>(hash % static_cast<std::uint64_t>(interval_ms));
}

std::int64_t current_slot(std::string_view device, std::int64_t interval_ms,
                          std::int64_t now_ms) noexcept {
    interval_ms = std::max<std::int64_t>(interval_ms, 1);
    const std::int64_t phase = phase_ms(device, interval_ms);
    const std::int64_t since = now_ms - phase;
    // Floor division: slots before the epoch's phase are not expected, but stay correct.
    std::int64_t k = since / interval_ms;
    if (since % interval_ms < 0) --k;
    return phase + k * interval_ms;
}

std::int64_t first_slot(std::string_view device, std::int64_t interval_ms, std::int64_t now_ms,
                        std::optional<std::int64_t> last_polled) noexcept {
    const std::int64_t current = current_slot(device, interval_ms, now_ms);
    if (last_polled && *last_polled >= current)
        return current + std::max<std::int64_t>(interval_ms, 1);
    return current;
}

std::int64_t next_slot(std::string_view device, std::int64_t interval_ms, std::int64_t slot,
                       std::int64_t now_ms, std::uint64_t* skipped) noexcept {
    interval_ms = std::max<std::int64_t>(interval_ms, 1);
    const std::int64_t next = slot + interval_ms;
    if (next + interval_ms > now_ms) return next;  // `next` has not ended yet
    const std::int64_t current = current_slot(device, interval_ms, now_ms);
    if (skipped != nullptr) *skipped += static_cast<std::uint64_t>((current - next) / interval_ms);
    return current;
}

namespace {

std::chrono::steady_clock::time_point steady_at(std::int64_t slot_ms,
                                                std::chrono::steady_clock::time_point now) {
    return now + std::chrono::milliseconds(std::max<std::int64_t>(0, slot_ms - wall_ms()));
}

}  // namespace

std::chrono::steady_clock::time_point DeviceSlots::begin(
    std::string_view device, std::chrono::milliseconds interval,
    std::optional<std::int64_t> last_polled, std::chrono::steady_clock::time_point now) {
    next_ms = first_slot(device, interval.count(), wall_ms(), last_polled);
    return steady_at(next_ms, now);
}

std::chrono::steady_clock::time_point DeviceSlots::advance(
    std::string_view device, std::chrono::milliseconds interval,
    std::chrono::steady_clock::time_point now) {
    round_ms = next_ms;
    next_ms = next_slot(device, interval.count(), next_ms, wall_ms());
    return steady_at(next_ms, now);
}

}  // namespace netfeed::poll_slots
