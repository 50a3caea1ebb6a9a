// Tells systemd how the agent is doing (a Type=notify service): ready, reloading, stopping, a
// status line, and watchdog pings. Without NOTIFY_SOCKET (not started by systemd) it does nothing.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace netfeed {

class ServiceNotifier {
  public:
    /// Reads NOTIFY_SOCKET and WATCHDOG_USEC (and WATCHDOG_PID) from the environment.
    ServiceNotifier();

    bool active() const noexcept { return active_; }
    /// Zero when systemd does not watch the agent.
    std::chrono::microseconds watchdog_period() const noexcept { return watchdog_period_; }

    void ready(std::string_view status);
    void reloading(std::string_view status);
    void status(std::string_view status);
    void stopping(std::string_view status);

    /// Called often (every main-loop turn): sends WATCHDOG=1 when half the period has passed
    /// since the last ping and the pipeline is live. A stuck pipeline gets no pings, so that
    /// systemd restarts it after WatchdogSec.
    void watchdog_tick(bool live);
    /// How long the main loop may sleep and still ping on time.
    std::chrono::milliseconds tick_interval() const noexcept;

  private:
    void send(const std::string& message);

    bool active_ = false;
    std::chrono::microseconds watchdog_period_{0};
    std::chrono::steady_clock::time_point next_ping_{};
};

}  // namespace netfeed
