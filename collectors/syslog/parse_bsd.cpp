// RFC 3164, Junos and Arista EOS parser; see parse_bsd.hpp.
#include "collectors/syslog/parse_bsd.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "collectors/syslog/parse_cisco.hpp"
#include "collectors/syslog/parse_text.hpp"
#include "collectors/syslog/syslog_time.hpp"

namespace netfeed::syslog {

namespace {

constexpr std::size_t kMaxTagToken = 256;
constexpr std::size_t kMaxEventId = 64;

struct Tag {
    std::string_view name;
    std::string_view pid;
};

// A whole word shaped like a TAG: "name:", "name[pid]:" or "name[pid]". A word with a ':'
// inside ("2001:db8::1", "12:00:01") is not one.
bool parse_tag(std::string_view word, Tag& tag) noexcept {
    if (word.empty() || word.size() > kMaxTagToken) return false;
    const bool colon = word.back() == ':';
    const std::string_view body = colon ? word.substr(0, word.size() - 1) : word;
    if (body.empty() || body.find(':') != std::string_view::npos) return false;
    const std::size_t open = body.find('[');
    if (open == std::string_view::npos) {
        if (!colon || body.find(']') != std::string_view::npos) return false;
        tag = {body, {}};
        return true;
    }
    if (open == 0 || body.back() != ']') return false;
    const std::string_view name = body.substr(0, open);
    const std::string_view pid = body.substr(open + 1, body.size() - open - 2);
    if (name.find(']') != std::string_view::npos ||
        pid.find_first_of("[]") != std::string_view::npos) {
        return false;
    }
    tag = {name, pid};
    return true;
}

bool all_digits(std::string_view text) noexcept {
    for (char c : text) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// The header's timestamp, which must end at a space or the end of the line. Besides RFC 3164's
// own form: the year inside ("Jul 19 2023 07:01:02", Cisco-style), a ':' glued to the end
// ("07:01:02:"; both as rsyslog's ParseTIMESTAMP3164 accepts them), and the year first
// ("2022 Feb  3 04:05:06", NX-OS order, which some appliances use for plain program lines).
bool read_header_time(std::string_view& in, CivilTime& time) noexcept {
    std::string_view rest = in;
    if (read_year_month_day_time(rest, time)) {
        // nothing more: the year is already there
    } else if (read_month_day_time(rest, time)) {
        // Junos `time-format year` prints the year after the clock: "Aug 21 12:36:30.401 2006".
        std::string_view copy = rest;
        int year = 0;
        if (!time.year && consume(copy, ' ') && read_int(copy, 4, 4, year) &&
            (copy.empty() || copy[0] == ' ')) {
            time.year = year;
            rest = copy;
        }
    } else if (!read_rfc3339(rest, time)) {
        return false;
    }
    if (starts_with(rest, ':') && (rest.size() == 1 || rest[1] == ' ')) rest.remove_prefix(1);
    if (!rest.empty() && rest[0] != ' ') return false;
    in = rest;
    return true;
}

// A Junos event id ("UI_COMMIT", "RPD_BGP_NEIGHBOR_STATE_CHANGED"): upper case, digits and at
// least one underscore, then ':' and a space or the end.
bool read_junos_event(std::string_view& in, std::string_view& id) noexcept {
    std::size_t n = 0;
    bool underscore = false;
    while (n < in.size() && n <= kMaxEventId &&
           (is_upper(in[n]) || is_digit(in[n]) || in[n] == '_')) {
        underscore = underscore || in[n] == '_';
        ++n;
    }
    if (n == 0 || !is_upper(in[0]) || !underscore || in[n - 1] == '_' || n >= in.size() ||
        in[n] != ':' || (n + 1 < in.size() && in[n + 1] != ' ')) {
        return false;
    }
    id = in.substr(0, n);
    in.remove_prefix(n + 1);
    consume(in, ' ');
    return true;
}

// The facility names Junos `explicit-priority` prints ("%DAEMON-4-RPD_...", "%INTERACT-6-...").
bool is_junos_facility(std::string_view name) noexcept {
    static constexpr std::array<std::string_view, 16> kNames = {
        "AUTH",     "AUTHPRIV", "CHANGE",   "CONFLICT", "CRON", "DAEMON", "DFC",  "EXTERNAL",
        "FIREWALL", "FTP",      "INTERACT", "KERN",     "NTP",  "PFE",    "USER", "SECURITY"};
    for (std::string_view n : kNames) {
        if (n == name) return true;
    }
    return false;
}

// Junos and Arista put their own fields at the start of the text after the TAG.
void read_vendor_text(std::string_view& in, const Tag& tag, SyslogMessage& m) {
    std::string_view rest = in;
    std::string_view event;
    if (read_junos_event(rest, event)) {
        m.format = SyslogFormat::juniper;
        m.msg_id = std::string(event);
        in = rest;
        return;
    }

    rest = in;
    std::uint64_t sequence = 0;
    bool has_sequence = false;
    std::string_view copy = rest;
    if (read_number(copy, 1, 19, sequence) && consume(copy, ':') && skip_spaces(copy) > 0) {
        has_sequence = true;
        rest = copy;
    }
    CiscoTriplet triplet;
    if (!read_cisco_triplet(rest, triplet)) return;
    if (!has_sequence && !tag.pid.empty() && is_junos_facility(triplet.facility)) {
        m.format = SyslogFormat::juniper;
        m.msg_id = std::string(triplet.mnemonic);
    } else {
        m.format = SyslogFormat::arista;
        if (has_sequence) m.sequence = sequence;
        m.cisco_facility = std::string(triplet.facility);
        m.cisco_severity = triplet.severity;
        m.cisco_mnemonic = std::string(triplet.mnemonic);
    }
    if (!m.severity) m.severity = triplet.severity;
    in = rest;
}

}  // namespace

bool parse_bsd(std::string_view line, const ParseOptions& options, SyslogMessage& out) {
    std::string_view in = line;
    SyslogMessage m;
    int pri = 0;
    const PriStatus status = read_pri(in, pri);
    if (status == PriStatus::malformed || status == PriStatus::out_of_range) return false;
    const bool has_pri = status == PriStatus::valid;
    if (has_pri) set_priority(m, pri);
    m.format = SyslogFormat::rfc3164;

    const std::string_view after_pri = in;
    if (has_pri) skip_spaces(in);  // "<34> Oct 11 22:14:15 ..." exists in the wild
    CivilTime time;
    if (!read_header_time(in, time)) {
        if (!has_pri) return false;
        // No timestamp and no hostname: local daemons that write straight to the socket send
        // "<30>dhclient: text". rsyslog reads the first word as the TAG when it is shaped like
        // one; so do we, except a bare number ("<189>12: ..."), which is a Cisco counter left
        // by a line we could not read otherwise, kept whole in the message.
        Tag tag;
        const std::string_view word = peek_token(in);
        if (!word.empty() && word.back() == ':' && parse_tag(word, tag) && !all_digits(tag.name)) {
            in.remove_prefix(word.size());
            consume(in, ' ');
            m.app_name = std::string(tag.name);
            m.proc_id = std::string(tag.pid);
            read_vendor_text(in, tag, m);
            m.message = std::string(in);
        } else {
            m.message = std::string(after_pri);
        }
        out = std::move(m);
        return true;
    }
    m.timestamp = to_utc(time, options);
    skip_spaces(in);

    Tag tag;
    bool has_tag = false;
    std::string_view word = peek_token(in);
    if (parse_tag(word, tag)) {
        has_tag = true;
        in.remove_prefix(word.size());
    } else if (!word.empty()) {
        m.hostname = std::string(word);
        in.remove_prefix(word.size());
        skip_spaces(in);
        word = peek_token(in);
        if (parse_tag(word, tag)) {
            has_tag = true;
            in.remove_prefix(word.size());
        }
    }
    if (has_tag) {
        consume(in, ' ');
        m.app_name = std::string(tag.name);
        m.proc_id = std::string(tag.pid);
        read_vendor_text(in, tag, m);
    }
    m.message = std::string(in);
    out = std::move(m);
    return true;
}

}  // namespace netfeed::syslog
