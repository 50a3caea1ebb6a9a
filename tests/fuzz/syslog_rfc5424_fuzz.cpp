// Fuzz target: the RFC 5424 parser on its own, structured data and escapes above all.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/syslog/parse_rfc5424.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::syslog;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    ParseOptions options;
    options.received = std::chrono::sys_days{std::chrono::year{2021} / 11 / 23};

    SyslogMessage m;
    const bool parsed = parse_rfc5424(line, options, m);

    check(parsed == (m.format == SyslogFormat::rfc5424));
    check(parsed || !m.parse_error.empty());
    // VERSION is 1 to 3 digits and never 0; only a parsed header records it.
    check(parsed == m.version.has_value());
    check(!m.version || (*m.version >= 1 && *m.version <= 999));
    check(!m.facility || (*m.facility >= 0 && *m.facility <= 23));
    check(!m.severity || (*m.severity >= 0 && *m.severity <= 7));
    check(m.message.size() <= size);
    check(m.hostname.size() + m.app_name.size() + m.proc_id.size() + m.msg_id.size() <= size);
    check(m.hostname != "-" && m.app_name != "-" && m.proc_id != "-" && m.msg_id != "-");
    check(m.structured_data.is_null() ||
          (m.structured_data.is_object() && !m.structured_data.empty()));
    if (m.structured_data.is_object()) {
        for (const auto& element : m.structured_data) {
            check(element.is_object());
            for (const auto& value : element) {
                check(value.is_string() || (value.is_array() && value.size() >= 2));
            }
        }
        (void)m.structured_data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return 0;
}
