// Fuzz target: the BSD parser on its own (RFC 3164 headers, tags, Junos and Arista texts).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/syslog/parse_bsd.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::syslog;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    ParseOptions options;
    options.received = std::chrono::sys_days{std::chrono::year{2021} / 12 / 31};

    SyslogMessage m;
    if (!parse_bsd(line, options, m)) {
        // Refusing leaves the result as it was.
        check(m.format == SyslogFormat::unknown && m.message.empty() && !m.severity);
        return 0;
    }
    check(m.format == SyslogFormat::rfc3164 || m.format == SyslogFormat::juniper ||
          m.format == SyslogFormat::arista);
    check(m.parse_error.empty());
    check(!m.facility || (*m.facility >= 0 && *m.facility <= 23));
    check(!m.severity || (*m.severity >= 0 && *m.severity <= 7));
    check(!m.cisco_severity || (*m.cisco_severity >= 0 && *m.cisco_severity <= 7));
    check(m.format != SyslogFormat::arista || !m.cisco_facility.empty());
    check(m.format != SyslogFormat::juniper || !m.msg_id.empty());
    check(m.message.size() <= size);
    check(m.hostname.size() + m.app_name.size() + m.proc_id.size() + m.msg_id.size() +
              m.message.size() <=
          size);
    return 0;
}
