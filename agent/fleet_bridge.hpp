// Hands a fleet's rebalances from the membership's thread to the agent's control loop, which
// applies each as a reload with the new device share, and lets the membership wait until it is
// applied: a revoked agent must have stopped polling before the next owner starts.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "agent/fleet.hpp"

namespace netfeed {

class FleetBridge {
  public:
    struct Change {
        std::optional<FleetAssignment> assignment;  // nullopt: every partition was revoked
        std::uint64_t ticket = 0;
    };

    /// From the membership's thread: queues a change; returns its ticket for wait().
    std::uint64_t post(std::optional<FleetAssignment> assignment) {
        std::lock_guard lock(mutex_);
        changes_.push_back({std::move(assignment), ++posted_});
        return posted_;
    }
    /// Blocks until the control loop applied the change, or the bridge closed.
    void wait(std::uint64_t ticket) {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return applied_ >= ticket || closed_; });
    }
    /// From the control loop: the oldest change not applied yet.
    std::optional<Change> take() {
        std::lock_guard lock(mutex_);
        if (changes_.empty()) return std::nullopt;
        Change change = std::move(changes_.front());
        changes_.pop_front();
        return change;
    }
    void applied(std::uint64_t ticket) {
        {
            std::lock_guard lock(mutex_);
            applied_ = std::max(applied_, ticket);
        }
        cv_.notify_all();
    }
    /// The agent is stopping: nobody applies changes any more, waiters return.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Change> changes_;
    std::uint64_t posted_ = 0;
    std::uint64_t applied_ = 0;
    bool closed_ = false;
};

}  // namespace netfeed
