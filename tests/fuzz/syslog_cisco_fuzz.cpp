// Fuzz target: the Cisco IOS / IOS-XR / ASA / NX-OS parser on its own.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/syslog/parse_cisco.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netfeed::syslog;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    ParseOptions options;
    options.received = std::chrono::sys_days{std::chrono::year{2021} / 3 / 1};

    SyslogMessage m;
    if (!parse_cisco(line, options, m)) {
        check(m.format == SyslogFormat::unknown && m.message.empty() && !m.severity);
        return 0;
    }
    check(m.format == SyslogFormat::cisco_ios || m.format == SyslogFormat::nxos);
    check(m.parse_error.empty());
    check(m.node.size() <= size);
    if (m.cisco_facility.empty()) {
        // Only IOS-XR output may lack the triplet, and then it has a node and a process.
        check(m.cisco_mnemonic.empty() && !m.cisco_severity && !m.node.empty());
        check(!m.severity || (*m.severity >= 0 && *m.severity <= 7));
    } else {
        // Every other Cisco line has its triplet, and a severity from it or from the PRI.
        check(!m.cisco_mnemonic.empty() && m.cisco_severity);
        check(*m.cisco_severity >= 0 && *m.cisco_severity <= 7);
        check(m.severity && *m.severity >= 0 && *m.severity <= 7);
    }
    check(!m.facility || (*m.facility >= 0 && *m.facility <= 23));
    check(!m.app_name.empty());
    check(m.time_sync.empty() || m.time_sync == "unsynchronized" || m.time_sync == "sync_lost");
    check(m.message.size() + m.cisco_facility.size() + m.cisco_mnemonic.size() <= size);
    return 0;
}
