// Format detection and dispatch; see parse_syslog.hpp.
#include "collectors/syslog/parse_syslog.hpp"

#include <cstdint>
#include <exception>
#include <string>

#include "collectors/syslog/parse_bsd.hpp"
#include "collectors/syslog/parse_cisco.hpp"
#include "collectors/syslog/parse_rfc5424.hpp"
#include "collectors/syslog/parse_text.hpp"

namespace netfeed::syslog {

namespace {

std::string_view strip_line_end(std::string_view line) noexcept {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == '\0')) {
        line.remove_suffix(1);
    }
    return line;
}

// After the PRI: "1 " always means RFC 5424; another 1..3 digit VERSION only when an RFC 5424
// TIMESTAMP ("2021-" or "- ") follows, so that "<13>12 apples" stays a BSD message and NX-OS's
// "<189>2021 Nov ..." (four digits) is never taken for a version.
bool looks_like_rfc5424(std::string_view rest) noexcept {
    std::uint64_t version = 0;
    if (!read_number(rest, 1, 3, version) || !consume(rest, ' ')) return false;
    if (version == 1) return true;
    if (rest.size() >= 2 && rest[0] == '-' && rest[1] == ' ') return true;
    std::uint64_t year = 0;
    return read_number(rest, 4, 4, year) && consume(rest, '-');
}

// NX-OS (`logging rfc-strict 5424`) and IOS-XE send RFC 5424 with the Cisco triplet opening
// MSG; it gets the same fields as in their native formats.
void take_cisco_triplet(SyslogMessage& m) {
    if (!m.parse_error.empty()) return;
    std::string_view text = m.message;
    CiscoTriplet triplet;
    if (!read_cisco_triplet(text, triplet)) return;
    m.cisco_facility = std::string(triplet.facility);
    m.cisco_severity = triplet.severity;
    m.cisco_mnemonic = std::string(triplet.mnemonic);
    if (m.app_name.empty()) m.app_name = m.cisco_facility;
    m.message = std::string(text);
}

SyslogMessage unknown(std::string_view line, std::string error, SyslogMessage m = {}) {
    m.format = SyslogFormat::unknown;
    m.timestamp.reset();
    m.message = std::string(line);
    m.parse_error = std::move(error);
    return m;
}

SyslogMessage dispatch(std::string_view line, const ParseOptions& options) {
    if (line.empty()) return unknown(line, "empty line");

    std::string_view rest = line;
    int pri = 0;
    const PriStatus status = read_pri(rest, pri);
    if (status == PriStatus::malformed || status == PriStatus::out_of_range) {
        return unknown(line, std::string(pri_error(status)));
    }
    if (status == PriStatus::valid) {
        if (rest.empty()) {
            SyslogMessage m;
            set_priority(m, pri);
            return unknown(line, "nothing after <PRI>", std::move(m));
        }
        if (looks_like_rfc5424(rest)) {
            SyslogMessage m;
            if (parse_rfc5424(line, options, m)) {
                take_cisco_triplet(m);
                return m;
            }
            // Only the PRI is worth keeping from a header that did not parse.
            SyslogMessage kept;
            kept.facility = m.facility;
            kept.severity = m.severity;
            return unknown(line, std::move(m.parse_error), std::move(kept));
        }
    }

    SyslogMessage m;
    if (parse_cisco(line, options, m)) return m;
    if (parse_bsd(line, options, m)) return m;
    return unknown(line, "no <PRI> and no known header");
}

}  // namespace

SyslogMessage parse_syslog(std::string_view line, const ParseOptions& options) noexcept {
    line = strip_line_end(line);
    try {
        return dispatch(line, options);
    } catch (const std::exception& e) {
        // Only allocation can throw here; deliver the line raw rather than lose it.
        try {
            return unknown(line, std::string("parser failed: ") + e.what());
        } catch (...) {
            return {};
        }
    }
}

}  // namespace netfeed::syslog
