// Names of syslog formats, facilities and severities; see syslog_message.hpp.
#include "collectors/syslog/syslog_message.hpp"

#include <array>

namespace netfeed::syslog {

std::string_view to_string(SyslogFormat format) noexcept {
    switch (format) {
        case SyslogFormat::rfc5424: return "rfc5424";
        case SyslogFormat::rfc3164: return "rfc3164";
        case SyslogFormat::cisco_ios: return "cisco_ios";
        case SyslogFormat::nxos: return "nxos";
        case SyslogFormat::juniper: return "juniper";
        case SyslogFormat::arista: return "arista";
        case SyslogFormat::unknown: return "unknown";
    }
    return "unknown";
}

std::string_view facility_name(int facility) noexcept {
    // RFC 5424 section 6.2.1, with the names syslog daemons use.
    static constexpr std::array<std::string_view, 24> names = {
        "kern",   "user",   "mail",   "daemon", "auth",   "syslog", "lpr",    "news",
        "uucp",   "cron",   "authpriv", "ftp",  "ntp",    "audit",  "alert",  "clock",
        "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
    return facility >= 0 && facility < 24 ? names[static_cast<std::size_t>(facility)] : "";
}

std::string_view severity_name(int severity) noexcept {
    static constexpr std::array<std::string_view, 8> names = {
        "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"};
    return severity >= 0 && severity < 8 ? names[static_cast<std::size_t>(severity)] : "";
}

}  // namespace netfeed::syslog
