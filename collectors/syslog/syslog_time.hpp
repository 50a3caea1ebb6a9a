// Timestamp pieces shared by the syslog parsers: month names, clock and RFC 3339 readers, zone
// abbreviations, and the conversion to UTC that infers a missing year from the receive time.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

using TimePoint = std::chrono::system_clock::time_point;

/// A wall-clock reading as a line spells it; the year and the zone are often missing.
struct CivilTime {
    std::optional<int> year;
    int month = 1;  // 1..12
    int day = 1;    // 1..31, checked against the month only by to_utc
    int hour = 0;
    int minute = 0;
    int second = 0;
    int microsecond = 0;
    /// Absent when the line names no zone, or one we do not know.
    std::optional<std::chrono::minutes> utc_offset;
};

/// "Jan".."Dec" in any letter case -> 1..12.
std::optional<int> month_from_name(std::string_view name) noexcept;

/// A zone as devices print it: an abbreviation (UTC, GMT, Z, CET, EST, ...) or a numeric
/// offset (+01:00, -0800, +02). Unknown names give nullopt.
std::optional<std::chrono::minutes> zone_offset(std::string_view zone) noexcept;

/// Each reader consumes what it understood from the front of `in` and returns true, or leaves
/// `in` untouched and returns false.
///
/// "hh:mm:ss" with an optional fraction (".483", ",123456"; up to 9 digits, kept to the
/// microsecond).
bool read_clock(std::string_view& in, CivilTime& out) noexcept;
/// "Mmm dd hh:mm:ss[.frac]" or, as Cisco prints it with `service timestamps ... year`,
/// "Mmm dd yyyy hh:mm:ss[.frac]". The day may be space-padded ("Nov  6").
bool read_month_day_time(std::string_view& in, CivilTime& out) noexcept;
/// NX-OS order: "yyyy Mmm dd hh:mm:ss[.frac]".
bool read_year_month_day_time(std::string_view& in, CivilTime& out) noexcept;
/// RFC 3339 "yyyy-mm-ddThh:mm:ss[.frac](Z|+hh:mm|-hh:mm)"; the zone may be missing (utc_offset
/// stays empty) so that callers decide whether they require it.
bool read_rfc3339(std::string_view& in, CivilTime& out) noexcept;

/// The UTC instant of a reading. A missing year is the latest one that puts the instant no
/// more than a week after options.received; a missing zone is options.default_utc_offset. nullopt for impossible dates
/// (Feb 30) and years outside 1900..2200, which the clock type cannot hold safely either way.
std::optional<TimePoint> to_utc(const CivilTime& time, const ParseOptions& options) noexcept;

}  // namespace netfeed::syslog
