// Cisco IOS / IOS-XE / IOS-XR / ASA and NX-OS parser; see parse_cisco.hpp.
#include "collectors/syslog/parse_cisco.hpp"

#include <cstdint>
#include <string>

#include "collectors/syslog/parse_text.hpp"
#include "collectors/syslog/syslog_time.hpp"

namespace netfeed::syslog {

namespace {

constexpr std::size_t kMaxTripletLength = 128;
constexpr std::size_t kMaxPrefixToken = 255;  // a hostname at most (RFC 1035)
constexpr std::size_t kMaxZoneLength = 7;     // `clock timezone` names are short
constexpr std::size_t kMaxNodeLength = 64;    // "RP/0/RSP0/CPU0", "0/RP0/ADMIN0": short paths

bool is_triplet_char(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}

bool all_digits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// A zone word after an IOS clock ("UTC", "CEST", or a `clock timezone` name such as "MSC"). An
// unknown word counts only when it is short and upper case, so "Mmm dd hh:mm:ss host1: ..." is
// not read as a zone.
bool is_zone_word(std::string_view word) noexcept {
    if (word.empty() || word.size() > kMaxZoneLength) return false;
    if (zone_offset(word)) return true;
    for (char c : word) {
        if (!is_upper(c)) return false;
    }
    return true;
}

// Uptime instead of a date (`service timestamps log uptime`): "00:01:23[.fff]" or units such
// as "1d02h", "2w3d", "1y2w". Consumes it when it is followed by ':'.
bool read_uptime(std::string_view& in) noexcept {
    std::string_view rest = in;
    CivilTime ignored;
    if (!read_clock(rest, ignored)) {
        int units = 0;
        while (units < 4) {
            std::uint64_t n = 0;
            if (!read_number(rest, 1, 4, n)) break;
            if (rest.empty() || (rest[0] != 'y' && rest[0] != 'w' && rest[0] != 'd' &&
                                 rest[0] != 'h' && rest[0] != 'm')) {
                return false;
            }
            rest.remove_prefix(1);
            ++units;
        }
        if (units == 0) return false;
    }
    if (!starts_with(rest, ':')) return false;
    in = rest;
    return true;
}

// Whether a timestamp (or its time-sync marker) starts here.
bool timestamp_ahead(std::string_view in) noexcept {
    if (starts_with(in, '*') || starts_with(in, '.')) return true;
    CivilTime ignored;
    std::string_view copy = in;
    return read_month_day_time(copy, ignored) || read_year_month_day_time(copy, ignored) ||
           read_uptime(copy);
}

// Where the first ':' or ' ' is within `limit` characters, or npos. A plain loop: the
// two-character find_first_of costs a search of the set per character, on every line.
std::size_t find_colon_or_space(std::string_view in, std::size_t limit) noexcept {
    const std::size_t n = in.size() < limit ? in.size() : limit;
    for (std::size_t i = 0; i < n; ++i) {
        if (in[i] == ':' || in[i] == ' ') return i;
    }
    return std::string_view::npos;
}

// Whether `name` (the text before a ':') is an IOS-XR node glued to the clock it logged with,
// `after` being what follows that ':' ("RP/0/RP0/CPU0:Oct 12 09:14:02.118", line cards
// "LC/0/1/CPU0:", eXR's "0/RP0/CPU0:" and admin plane "0/RP0/ADMIN0:"). Only a timestamp right
// after the colon makes it one, so "host: Mmm dd ..." stays the IOS origin host.
bool is_node(std::string_view name, std::string_view after) noexcept {
    if (name.empty() || name.size() > kMaxNodeLength) return false;
    if (all_digits(name)) return false;  // "123:" is a sequence number
    CivilTime ignored;
    return read_month_day_time(after, ignored);
}

// "NODE:" at the start of `in`, consumed up to the clock when is_node holds.
bool read_node(std::string_view& in, std::string_view& node) noexcept {
    const std::size_t colon = find_colon_or_space(in, kMaxNodeLength + 1);
    if (colon == std::string_view::npos || in[colon] != ':') return false;
    const std::string_view rest = in.substr(colon + 1);
    if (!is_node(in.substr(0, colon), rest)) return false;
    node = in.substr(0, colon);
    in = rest;
    return true;
}

// The facilities of Cisco's firewalls, which alone put "HOST: " (colon glued to the name)
// straight before the triplet; a Linux or Arista TAG in that place stays a TAG.
bool is_firewall_facility(std::string_view facility) noexcept {
    return facility == "ASA" || facility == "PIX" || facility == "FWSM" || facility == "FTD";
}

bool firewall_triplet_ahead(std::string_view in) noexcept {
    CiscoTriplet triplet;
    return read_cisco_triplet(in, triplet) && is_firewall_facility(triplet.facility);
}

// "process[pid]: " before an IOS-XR triplet.
bool read_process(std::string_view& in, SyslogMessage& m) {
    const std::size_t open = in.find('[');
    if (open == 0 || open == std::string_view::npos || open > kMaxPrefixToken) return false;
    const std::size_t close = in.find(']', open);
    if (close == std::string_view::npos || close - open > kMaxPrefixToken ||
        close + 1 >= in.size() || in[close + 1] != ':') {
        return false;
    }
    const std::string_view name = in.substr(0, open);
    if (name.find(' ') != std::string_view::npos) return false;
    m.app_name = std::string(name);
    m.proc_id = std::string(in.substr(open + 1, close - open - 1));
    in.remove_prefix(close + 2);
    skip_spaces(in);
    return true;
}

// What follows an NX-OS clock: ": ", " TZ: ", " HOST " or " TZ HOST ", up to the '%'.
bool read_nxos_tail(std::string_view& in, CivilTime& time, SyslogMessage& m) {
    if (consume(in, ':')) {
        skip_spaces(in);
        return true;
    }
    if (skip_spaces(in) == 0) return false;
    const std::string_view first = peek_token(in);
    if (first.empty()) return false;
    in.remove_prefix(first.size());
    skip_spaces(in);
    std::string_view zone;
    if (first.back() == ':') {
        zone = first.substr(0, first.size() - 1);
    } else if (starts_with(in, '%')) {
        m.hostname = std::string(first);
    } else {
        zone = first;
        const std::string_view host = peek_token(in);
        if (host.empty() || host.back() == ':') return false;
        m.hostname = std::string(host);
        in.remove_prefix(host.size());
        skip_spaces(in);
    }
    if (!zone.empty()) time.utc_offset = zone_offset(zone);
    return true;
}

// What follows an IOS clock: ":", " TZ:" or, as IOS-XR prints a clock without a zone, " :";
// then spaces.
bool read_ios_tail(std::string_view& in, CivilTime& time) noexcept {
    std::string_view rest = in;
    if (!consume(rest, ':')) {
        if (skip_spaces(rest) == 0) return false;
        if (consume(rest, ':')) {
            skip_spaces(rest);
            in = rest;
            return true;
        }
        const std::size_t colon = rest.substr(0, kMaxZoneLength + 1).find(':');
        if (colon == std::string_view::npos) return false;
        const std::string_view zone = rest.substr(0, colon);
        if (!is_zone_word(zone)) return false;
        rest.remove_prefix(colon + 1);
        time.utc_offset = zone_offset(zone);
        // An upper-case ASA name ("EDGEFW: %ASA-...") looks like a `clock timezone` word, but
        // ASA clocks print no zone: before a firewall triplet an unknown word is the host.
        std::string_view after = rest;
        skip_spaces(after);
        if (!time.utc_offset && firewall_triplet_ahead(after)) return false;
    }
    skip_spaces(rest);
    in = rest;
    return true;
}

// Everything after the PRI (or after a relay's BSD header, when `relayed`): numbers, host and
// node prefixes, the timestamp, the triplet and the text. `m` already holds PRI and, when
// relayed, the header's host.
bool read_body(std::string_view in, bool relayed, const ParseOptions& options, SyslogMessage& m) {
    std::uint64_t numbers[2] = {0, 0};
    int count = 0;
    bool own_host = false;
    for (int round = 0; round < 6; ++round) {
        if (starts_with(in, '%') || timestamp_ahead(in)) break;
        const std::size_t end = find_colon_or_space(in, kMaxPrefixToken + 1);
        if (end == std::string_view::npos) return false;
        const std::string_view token = in.substr(0, end);
        std::string_view rest = in.substr(end + 1);
        std::string_view node;
        if (in[end] == ':' && is_node(token, rest)) {
            m.node = std::string(token);
            in = rest;
            break;
        }
        if (in[end] == ' ') {
            // IOS-XR's own name before its node: "SEQ: HOST NODE:TIMESTAMP" (`logging
            // hostnameprefix`, or the hostname XR adds); nothing else puts a bare word here.
            skip_spaces(rest);
            if (end == 0 || own_host || (relayed && round == 0) || !read_node(rest, node)) {
                return false;
            }
            m.hostname = std::string(token);
            m.node = std::string(node);
            in = rest;
            break;
        }
        if (all_digits(token) && token.size() <= 19) {
            if (count == 2) return false;
            std::string_view digits = token;
            read_number(digits, 1, 19, numbers[count++]);
        } else if (token.empty()) {
            // NX-OS puts ": " where the origin host would go; a relay's "HOST : " does too.
            if (round != 0) return false;
        } else {
            // A word first after a relay's header is a program name (Arista's "Ebra:"), not
            // Cisco; otherwise it is the host that `logging origin-id hostname` adds.
            if ((relayed && round == 0) || own_host) return false;
            m.hostname = std::string(token);
            own_host = true;
        }
        if (skip_spaces(rest) == 0) return false;
        in = rest;
    }
    if (count > 0) m.sequence = numbers[count - 1];

    CivilTime time;
    bool have_time = false;
    bool nxos = false;
    if (consume(in, '*')) {
        m.time_sync = "unsynchronized";
    } else if (consume(in, '.')) {
        m.time_sync = "sync_lost";
    }
    if (read_month_day_time(in, time)) {
        if (!read_ios_tail(in, time)) return false;
        have_time = true;
    } else if (read_year_month_day_time(in, time)) {
        if (!read_nxos_tail(in, time, m)) return false;
        have_time = true;
        nxos = true;
    } else if (read_uptime(in)) {
        in.remove_prefix(1);
        skip_spaces(in);
    } else if (!m.time_sync.empty()) {
        return false;
    }
    bool process = false;
    if (have_time && !starts_with(in, '%')) {
        if (!read_process(in, m)) return false;
        process = true;
    }

    CiscoTriplet triplet;
    if (!read_cisco_triplet(in, triplet)) {
        // IOS-XR debug and process output has no triplet ("PPP-MA[406]: debug_register ...");
        // node, clock and process together are still unmistakably IOS-XR.
        if (m.node.empty() || !process) return false;
        m.format = SyslogFormat::cisco_ios;
        m.timestamp = to_utc(time, options);
        m.message = std::string(in);
        return true;
    }
    m.format = nxos ? SyslogFormat::nxos : SyslogFormat::cisco_ios;
    if (have_time) m.timestamp = to_utc(time, options);
    m.cisco_facility = std::string(triplet.facility);
    m.cisco_severity = triplet.severity;
    m.cisco_mnemonic = std::string(triplet.mnemonic);
    if (m.app_name.empty()) m.app_name = m.cisco_facility;
    if (!m.severity) m.severity = triplet.severity;
    m.message = std::string(in);
    return true;
}

// "Mmm dd hh:mm:ss HOST " put in front by a relay (or rsyslog writing a file; RFC 3339 in its
// high-precision formats), then either an IOS body or, as older NX-OS writes its own log, the
// triplet straight away. ASA and PIX send the same header themselves, the host with or without
// a colon ("edge-fw: %ASA-..." or "asa1 : %ASA-...").
bool read_relayed(std::string_view in, const ParseOptions& options, SyslogMessage& m) {
    CivilTime header;
    if (!read_month_day_time(in, header) && !read_rfc3339(in, header)) return false;
    if (skip_spaces(in) == 0) return false;
    std::string_view host = peek_token(in);
    if (host.empty()) return false;
    in.remove_prefix(host.size());
    if (skip_spaces(in) == 0) return false;
    const bool firewall_host = host.back() == ':';
    if (firewall_host) {
        host.remove_suffix(1);
        if (host.empty() || !firewall_triplet_ahead(in)) return false;
    }
    m.hostname = std::string(host);
    if (starts_with(in, '%') && !firewall_host && !firewall_triplet_ahead(in)) {
        CiscoTriplet triplet;
        if (!read_cisco_triplet(in, triplet)) return false;
        m.format = SyslogFormat::nxos;
        m.cisco_facility = std::string(triplet.facility);
        m.cisco_severity = triplet.severity;
        m.cisco_mnemonic = std::string(triplet.mnemonic);
        m.app_name = m.cisco_facility;
        if (!m.severity) m.severity = triplet.severity;
        m.message = std::string(in);
    } else if (!read_body(in, true, options, m)) {
        return false;
    }
    // The device's own timestamp (milliseconds, zone, sync marker) beats the relay's.
    if (!m.timestamp) m.timestamp = to_utc(header, options);
    return true;
}

}  // namespace

bool read_cisco_triplet(std::string_view& in, CiscoTriplet& triplet) noexcept {
    if (!starts_with(in, '%')) return false;
    std::size_t n = 1;
    while (n < in.size() && n <= kMaxTripletLength && is_triplet_char(in[n]))
        ++n;
    const std::string_view token = in.substr(1, n - 1);
    std::string_view rest = in.substr(n);
    skip_spaces(rest);
    if (!rest.empty() && !consume(rest, ':')) return false;

    for (std::size_t i = 1; i + 3 < token.size(); ++i) {
        if (token[i] != '-' || token[i + 2] != '-') continue;
        const char level = token[i + 1];
        if (level < '0' || level > '7') continue;
        const std::string_view facility = token.substr(0, i);
        const std::string_view mnemonic = token.substr(i + 3);
        if (!is_alpha(facility.front()) || facility.back() == '-' ||
            facility.find("--") != std::string_view::npos || mnemonic.empty() ||
            mnemonic.front() == '-' || mnemonic.back() == '-') {
            return false;
        }
        triplet.facility = facility;
        triplet.severity = level - '0';
        triplet.mnemonic = mnemonic;
        skip_spaces(rest);
        in = rest;
        return true;
    }
    return false;
}

bool parse_cisco(std::string_view line, const ParseOptions& options, SyslogMessage& out) {
    std::string_view in = line;
    SyslogMessage base;
    int pri = 0;
    const PriStatus status = read_pri(in, pri);
    if (status == PriStatus::malformed || status == PriStatus::out_of_range) return false;
    if (status == PriStatus::valid) set_priority(base, pri);

    SyslogMessage m = base;
    if (read_body(in, false, options, m)) {
        out = std::move(m);
        return true;
    }
    m = base;
    if (read_relayed(in, options, m)) {
        out = std::move(m);
        return true;
    }
    return false;
}

}  // namespace netfeed::syslog
