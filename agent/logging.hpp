// Logging setup (spdlog) and a rate limiter so that a flood of bad input costs one line per
// interval, not one per packet.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "agent/config.hpp"

namespace spdlog {
class logger;
}

namespace netfeed {

/// Sends logs to stderr with timestamps; every component logger shares the level.
void setup_logging(LogLevel level);
void set_log_level(LogLevel level);
/// A logger named after a component ("collector.syslog"), writing where the default one does.
std::shared_ptr<spdlog::logger> make_logger(const std::string& name);

/// Lets one message through per interval and counts what it held back, so the next line can
/// say "(and 1234 more like it)". Thread-safe.
class LogRateLimiter {
  public:
    explicit LogRateLimiter(std::chrono::milliseconds interval = std::chrono::seconds(10))
        : interval_ns_(std::chrono::nanoseconds(interval).count()) {}

    /// True when this call may log; `suppressed` is then how many calls were held back since.
    bool allow(std::uint64_t& suppressed) noexcept;

  private:
    std::int64_t interval_ns_;
    std::atomic<std::int64_t> next_ns_{0};
    std::atomic<std::uint64_t> held_{0};
};

}  // namespace netfeed
