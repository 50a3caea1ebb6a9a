// Fuzz target: parse_syslog (format detection and every parser behind it) on any bytes, with
// cheap checks of what every result must satisfy.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/syslog/parse_syslog.hpp"

namespace {

using namespace netfeed::syslog;

void check(bool ok) {
    if (!ok) std::abort();
}

std::string_view without_line_end(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == '\0')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    ParseOptions options;
    options.received = std::chrono::sys_days{std::chrono::year{2021} / 11 / 23};
    // The first byte picks a default zone, so offsets are exercised without a second input.
    options.default_utc_offset = std::chrono::minutes(size > 0 ? (data[0] % 49 - 24) * 30 : 0);

    const SyslogMessage m = parse_syslog(line, options);
    const std::string_view text = without_line_end(line);

    check(!m.facility || (*m.facility >= 0 && *m.facility <= 23));
    check(!m.severity || (*m.severity >= 0 && *m.severity <= 7));
    check(!m.cisco_severity || (*m.cisco_severity >= 0 && *m.cisco_severity <= 7));
    check(m.message.size() <= text.size());
    check(m.hostname.size() + m.app_name.size() + m.proc_id.size() + m.msg_id.size() <=
          text.size());
    check(m.time_sync.empty() || m.time_sync == "unsynchronized" || m.time_sync == "sync_lost");
    check(m.structured_data.is_null() || m.structured_data.is_object());
    check(m.structured_data.is_null() || m.format == SyslogFormat::rfc5424);
    check(!m.version || m.format == SyslogFormat::rfc5424);
    check(m.node.empty() || m.format == SyslogFormat::cisco_ios);
    check(m.parse_error.rfind("parser failed", 0) != 0);
    if (m.format == SyslogFormat::unknown) {
        check(!m.parse_error.empty());
        check(m.message == text);
        check(!m.timestamp);
    }
    if (m.timestamp) {
        // Every reader refuses years outside 1900..2200; a zone moves it by less than a day.
        const auto days = std::chrono::floor<std::chrono::days>(*m.timestamp);
        const int year = static_cast<int>(std::chrono::year_month_day{days}.year());
        check(year >= 1899 && year <= 2201);
    }
    // The JSON must serialise whatever bytes it holds (the record writer replaces bad UTF-8).
    (void)m.structured_data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
