// The poll schedule of a fleet member: each device is polled at fixed wall-clock slots,
// phase(device) + k * interval, the same on every agent. When a device moves to another agent
// the new owner continues the same slots after the last one the poll ledger says was polled, so
// a rebalance neither repeats nor skips a slot (docs/FLEET.md). Pure functions of their inputs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace netfeed::poll_slots {

/// The device's offset inside each interval: murmur2 of its name, so devices spread evenly.
std::int64_t phase_ms(std::string_view device, std::int64_t interval_ms) noexcept;

/// The start of the device's slot that contains `now_ms` (the latest slot start <= now).
std::int64_t current_slot(std::string_view device, std::int64_t interval_ms,
                          std::int64_t now_ms) noexcept;

/// The slot a new owner polls first: the current slot when nobody polled it yet (due now),
/// else the next one. Slots before the current one that nobody polled are not caught up: a
/// poll is a sample of the present.
std::int64_t first_slot(std::string_view device, std::int64_t interval_ms, std::int64_t now_ms,
                        std::optional<std::int64_t> last_polled) noexcept;

/// The slot after `slot`; when that one has passed too (a poll longer than the interval), the
/// current slot, and `skipped` counts the slots passed over.
std::int64_t next_slot(std::string_view device, std::int64_t interval_ms, std::int64_t slot,
                       std::int64_t now_ms, std::uint64_t* skipped = nullptr) noexcept;

/// A device's place in the fleet's slots, kept by a poller for each device it polls.
struct DeviceSlots {
    std::int64_t next_ms = 0;   // the slot due next
    std::int64_t round_ms = 0;  // the slot the round in progress polls (for PollLedger::polled)

    /// At the poller's start: continues where the ledger says the device was last polled;
    /// returns when the first round is due.
    std::chrono::steady_clock::time_point begin(std::string_view device,
                                                std::chrono::milliseconds interval,
                                                std::optional<std::int64_t> last_polled,
                                                std::chrono::steady_clock::time_point now);
    /// When a round starts: returns when the next one is due.
    std::chrono::steady_clock::time_point advance(std::string_view device,
                                                  std::chrono::milliseconds interval,
                                                  std::chrono::steady_clock::time_point now);
};

inline std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace netfeed::poll_slots
