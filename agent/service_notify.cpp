// sd_notify for the agent; see service_notify.hpp.
#include "agent/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>

namespace netfeed {

namespace {
// A status line is one line of the notify message: a newline would start another assignment.
std::string one_line(std::string_view text) {
    std::string line(text);
    for (char& c : line)
        if (c == '\n' || c == '\r') c = ' ';
    return line;
}

std::string monotonic_usec() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::to_string(static_cast<long long>(ts.tv_sec) * 1000000LL + ts.tv_nsec / 1000);
}
}  // namespace

ServiceNotifier::ServiceNotifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket != nullptr && *socket != '\0';
    std::uint64_t usec = 0;
    // Honours WATCHDOG_PID: a child that inherited the variables is not the watched process.
    if (active_ && sd_watchdog_enabled(0, &usec) > 0) {
        watchdog_period_ = std::chrono::microseconds(usec);
    }
}

void ServiceNotifier::send(const std::string& message) {
    if (active_) sd_notify(0, message.c_str());
}

void ServiceNotifier::ready(std::string_view status) {
    send("READY=1\nSTATUS=" + one_line(status));
}

void ServiceNotifier::reloading(std::string_view status) {
    // MONOTONIC_USEC is what newer systemd (Type=notify-reload) expects with RELOADING=1;
    // older versions ignore it.
    send("RELOADING=1\nMONOTONIC_USEC=" + monotonic_usec() + "\nSTATUS=" + one_line(status));
}

void ServiceNotifier::status(std::string_view status) {
    send("STATUS=" + one_line(status));
}

void ServiceNotifier::stopping(std::string_view status) {
    send("STOPPING=1\nSTATUS=" + one_line(status));
}

void ServiceNotifier::watchdog_tick(bool live) {
    if (!active_ || watchdog_period_.count() == 0 || !live) return;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_ping_) return;
    send("WATCHDOG=1");
    next_ping_ = now + watchdog_period_ / 2;
}

std::chrono::milliseconds ServiceNotifier::tick_interval() const noexcept {
    constexpr std::chrono::milliseconds kDefault(500);
    if (watchdog_period_.count() == 0) return kDefault;
    // A quarter of the period: a ping is never later than three quarters of it.
    const auto quarter =
        std::chrono::duration_cast<std::chrono::milliseconds>(watchdog_period_ / 4);
    return std::max(std::chrono::milliseconds(10), std::min(kDefault, quarter));
}

}  // namespace netfeed
