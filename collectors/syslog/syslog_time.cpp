// Timestamp readers and UTC conversion; see syslog_time.hpp.
#include "collectors/syslog/syslog_time.hpp"

#include <array>
#include <cstdint>

#include "collectors/syslog/parse_text.hpp"

namespace netfeed::syslog {

namespace {

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

struct Zone {
    std::string_view name;
    int minutes;
};

// Only names that mean one thing where network gear is run: IST (India, Ireland, Israel) and
// AST (Atlantic, Arabia) are left out on purpose, as is every name not here; a line with such
// a zone falls back to the configured default offset.
constexpr Zone kZones[] = {
    {"UTC", 0},    {"GMT", 0},    {"UT", 0},      {"Z", 0},       {"WET", 0},
    {"WEST", 60},  {"BST", 60},   {"CET", 60},    {"MET", 60},    {"CEST", 120},
    {"MEST", 120}, {"EET", 120},  {"EEST", 180},  {"MSK", 180},   {"EST", -300},
    {"EDT", -240}, {"CST", -360}, {"CDT", -300},  {"MST", -420},  {"MDT", -360},
    {"PST", -480}, {"PDT", -420}, {"AKST", -540}, {"AKDT", -480}, {"HST", -600},
};

// "+hh:mm", "+hhmm" or "+hh" (and '-'), the whole of `text`.
std::optional<std::chrono::minutes> numeric_offset(std::string_view text) noexcept {
    if (text.empty() || (text[0] != '+' && text[0] != '-')) return std::nullopt;
    const int sign = text[0] == '-' ? -1 : 1;
    std::string_view in = text.substr(1);
    int hours = 0;
    int minutes = 0;
    if (!read_int(in, 2, 2, hours)) return std::nullopt;
    if (!in.empty()) {
        consume(in, ':');
        if (!read_int(in, 2, 2, minutes)) return std::nullopt;
    }
    if (!in.empty() || hours > 23 || minutes > 59) return std::nullopt;
    return std::chrono::minutes(sign * (hours * 60 + minutes));
}

// "." or "," then 1..9 digits: the fraction of a second, kept to the microsecond.
bool read_fraction(std::string_view& in, int& microsecond) noexcept {
    if (in.size() < 2 || (in[0] != '.' && in[0] != ',') || !is_digit(in[1])) return true;
    std::string_view rest = in.substr(1);
    std::size_t n = 0;
    int micro = 0;
    while (n < rest.size() && is_digit(rest[n])) {
        if (n >= 9) return false;  // more digits than any clock has: not a time
        if (n < 6) micro = micro * 10 + (rest[n] - '0');
        ++n;
    }
    for (std::size_t i = n; i < 6; ++i)
        micro *= 10;
    microsecond = micro;
    in = rest.substr(n);
    return true;
}

std::optional<TimePoint> at_year(int year, const CivilTime& t,
                                 std::chrono::minutes offset) noexcept {
    using namespace std::chrono;
    if (year < 1900 || year > 2200) return std::nullopt;
    const year_month_day date{std::chrono::year{year},
                              std::chrono::month{static_cast<unsigned>(t.month)},
                              std::chrono::day{static_cast<unsigned>(t.day)}};
    if (!date.ok()) return std::nullopt;
    return TimePoint{sys_days{date}} + hours(t.hour) + minutes(t.minute) + seconds(t.second) +
           microseconds(t.microsecond) - offset;
}

std::int64_t epoch_seconds(TimePoint t) noexcept {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

std::optional<int> month_from_name(std::string_view name) noexcept {
    // Three letters folded to lower case in one integer: the parsers probe for a timestamp
    // several times per line, and twelve string comparisons were a fifth of a BSD line's cost.
    constexpr auto key = [](char a, char b, char c) {
        const auto fold = [](char x) {
            return static_cast<std::uint32_t>(static_cast<unsigned char>(x) | 0x20);
        };
        return fold(a) << 16 | fold(b) << 8 | fold(c);
    };
    static constexpr std::array<std::uint32_t, 12> kMonths = {
        key('j', 'a', 'n'), key('f', 'e', 'b'), key('m', 'a', 'r'), key('a', 'p', 'r'),
        key('m', 'a', 'y'), key('j', 'u', 'n'), key('j', 'u', 'l'), key('a', 'u', 'g'),
        key('s', 'e', 'p'), key('o', 'c', 't'), key('n', 'o', 'v'), key('d', 'e', 'c')};
    if (name.size() != 3 || !is_alpha(name[0]) || !is_alpha(name[1]) || !is_alpha(name[2])) {
        return std::nullopt;
    }
    const std::uint32_t k = key(name[0], name[1], name[2]);
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (kMonths[i] == k) return static_cast<int>(i) + 1;
    }
    return std::nullopt;
}

std::optional<std::chrono::minutes> zone_offset(std::string_view zone) noexcept {
    for (const Zone& z : kZones) {
        if (equals_ignoring_case(zone, z.name)) return std::chrono::minutes(z.minutes);
    }
    return numeric_offset(zone);
}

bool read_clock(std::string_view& in, CivilTime& out) noexcept {
    std::string_view rest = in;
    CivilTime t = out;
    if (!read_int(rest, 2, 2, t.hour) || !consume(rest, ':') || !read_int(rest, 2, 2, t.minute) ||
        !consume(rest, ':') || !read_int(rest, 2, 2, t.second)) {
        return false;
    }
    // 60 is a leap second; it lands on the next minute's first second, like POSIX time does.
    if (t.hour > 23 || t.minute > 59 || t.second > 60) return false;
    if (!read_fraction(rest, t.microsecond)) return false;
    out = t;
    in = rest;
    return true;
}

bool read_month_day_time(std::string_view& in, CivilTime& out) noexcept {
    if (in.size() < 3) return false;
    const auto month = month_from_name(in.substr(0, 3));
    if (!month) return false;
    std::string_view rest = in.substr(3);
    CivilTime t = out;
    t.month = *month;
    if (skip_spaces(rest) == 0 || !read_int(rest, 1, 2, t.day) || t.day < 1 || t.day > 31 ||
        skip_spaces(rest) == 0) {
        return false;
    }
    std::string_view with_year = rest;
    int year = 0;
    if (read_int(with_year, 4, 4, year) && skip_spaces(with_year) > 0) {
        t.year = year;
        rest = with_year;
    }
    if (!read_clock(rest, t)) return false;
    out = t;
    in = rest;
    return true;
}

bool read_year_month_day_time(std::string_view& in, CivilTime& out) noexcept {
    std::string_view rest = in;
    int year = 0;
    if (!read_int(rest, 4, 4, year) || skip_spaces(rest) == 0) return false;
    CivilTime t = out;
    // The year comes first here, so a second one after the day would be nonsense.
    if (!read_month_day_time(rest, t) || t.year) return false;
    t.year = year;
    out = t;
    in = rest;
    return true;
}

bool read_rfc3339(std::string_view& in, CivilTime& out) noexcept {
    std::string_view rest = in;
    CivilTime t = out;
    int year = 0;
    if (!read_int(rest, 4, 4, year) || !consume(rest, '-') || !read_int(rest, 2, 2, t.month) ||
        !consume(rest, '-') || !read_int(rest, 2, 2, t.day) || rest.empty() ||
        (rest[0] != 'T' && rest[0] != 't')) {
        return false;
    }
    rest.remove_prefix(1);
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || !read_clock(rest, t)) {
        return false;
    }
    t.year = year;
    t.utc_offset.reset();
    if (consume(rest, 'Z') || consume(rest, 'z')) {
        t.utc_offset = std::chrono::minutes(0);
    } else if (starts_with(rest, '+') || starts_with(rest, '-')) {
        // Exactly "+hh:mm": the zone is the end of the timestamp token.
        if (rest.size() < 6) return false;
        const auto offset = numeric_offset(rest.substr(0, 6));
        if (!offset || rest[3] != ':') return false;
        t.utc_offset = offset;
        rest.remove_prefix(6);
    }
    out = t;
    in = rest;
    return true;
}

std::optional<TimePoint> to_utc(const CivilTime& time, const ParseOptions& options) noexcept {
    const std::chrono::minutes offset = time.utc_offset.value_or(options.default_utc_offset);
    if (time.year) return at_year(*time.year, time, offset);

    // The sender left the year out. A log line describes the past, so take the latest year
    // that does not put it more than a week after the receive time (a week covers clocks that
    // run ahead): a December line read on January 1st is last year's, a January 1st line read
    // on December 31st by a fast clock is next year's, and an unsynchronized "*Mar 1" read in
    // November is this year's, not next year's. Looking four years back also places Feb 29.
    const std::chrono::year_month_day received{
        std::chrono::floor<std::chrono::days>(options.received)};
    const int received_year = static_cast<int>(received.year());
    const std::int64_t latest_allowed = epoch_seconds(options.received) + 7 * 86400;
    for (int year = received_year + 1; year >= received_year - 4; --year) {
        const auto candidate = at_year(year, time, offset);
        if (candidate && epoch_seconds(*candidate) <= latest_allowed) return candidate;
    }
    return std::nullopt;
}

}  // namespace netfeed::syslog
