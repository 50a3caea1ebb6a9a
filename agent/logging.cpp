// Logging setup; see logging.hpp.
#include "agent/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "agent/journal_sink.hpp"

namespace netfeed {

namespace {
spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
        case LogLevel::off:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}
}  // namespace

void setup_logging(LogLevel level) {
    auto logger = spdlog::get("netfeed");
    if (!logger && stderr_is_journal()) {
        // Under systemd: the journal stamps time and priority itself, and gets the component
        // as a field.
        logger = std::make_shared<spdlog::logger>("netfeed", make_journal_sink());
        spdlog::register_logger(logger);
    }
    // stderr, so that the stdout sink's JSON lines stay clean.
    if (!logger) logger = spdlog::stderr_color_mt("netfeed");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ [%n] %v");
    spdlog::set_default_logger(logger);
    set_log_level(level);
}

void set_log_level(LogLevel level) {
    spdlog::set_level(to_spdlog(level));
    spdlog::apply_all(
        [&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(to_spdlog(level)); });
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& name) {
    if (auto existing = spdlog::get(name)) return existing;
    auto base = spdlog::default_logger();
    auto logger =
        std::make_shared<spdlog::logger>(name, base->sinks().begin(), base->sinks().end());
    logger->set_level(base->level());
    try {
        spdlog::register_logger(logger);
    } catch (const spdlog::spdlog_ex&) {
        // Registered by another thread meanwhile.
        if (auto existing = spdlog::get(name)) return existing;
    }
    return logger;
}

bool LogRateLimiter::allow(std::uint64_t& suppressed) noexcept {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
    std::int64_t next = next_ns_.load(std::memory_order_relaxed);
    if (now >= next &&
        next_ns_.compare_exchange_strong(next, now + interval_ns_, std::memory_order_relaxed)) {
        suppressed = held_.exchange(0, std::memory_order_relaxed);
        return true;
    }
    held_.fetch_add(1, std::memory_order_relaxed);
    return false;
}

}  // namespace netfeed
