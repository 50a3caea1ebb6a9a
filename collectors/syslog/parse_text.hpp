// Small scanners shared by the syslog parsers: the <PRI> prefix, bounded numbers and
// space-separated tokens, each consuming what it read from the front of a string_view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/syslog/syslog_message.hpp"

namespace netfeed::syslog {

inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
inline bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
inline bool is_alpha(char c) noexcept {
    return is_upper(c) || (c >= 'a' && c <= 'z');
}

inline bool starts_with(std::string_view in, char c) noexcept {
    return !in.empty() && in.front() == c;
}

inline bool consume(std::string_view& in, char c) noexcept {
    if (!starts_with(in, c)) return false;
    in.remove_prefix(1);
    return true;
}

/// Skips ' ' only: tabs belong to the text in every format we read.
inline std::size_t skip_spaces(std::string_view& in) noexcept {
    std::size_t n = 0;
    while (n < in.size() && in[n] == ' ')
        ++n;
    in.remove_prefix(n);
    return n;
}

/// The text up to the next ' ' (not consumed).
inline std::string_view peek_token(std::string_view in) noexcept {
    return in.substr(0, in.find(' '));
}

/// Reads min_digits..max_digits decimal digits; fails (consuming nothing) when there are fewer,
/// or when a further digit follows, so "12345" is never read as "123". max_digits <= 19 keeps
/// the value inside 64 bits.
inline bool read_number(std::string_view& in, std::size_t min_digits, std::size_t max_digits,
                        std::uint64_t& value) noexcept {
    std::size_t n = 0;
    std::uint64_t v = 0;
    while (n < in.size() && n < max_digits && is_digit(in[n])) {
        v = v * 10 + static_cast<std::uint64_t>(in[n] - '0');
        ++n;
    }
    if (n < min_digits || (n < in.size() && is_digit(in[n]))) return false;
    in.remove_prefix(n);
    value = v;
    return true;
}

inline bool read_int(std::string_view& in, std::size_t min_digits, std::size_t max_digits,
                     int& value) noexcept {
    std::uint64_t v = 0;
    if (!read_number(in, min_digits, max_digits, v)) return false;
    value = static_cast<int>(v);
    return true;
}

enum class PriStatus { absent, valid, malformed, out_of_range };

/// "<PRIVAL>" at the start of `in`. Leading zeros are accepted ("<013>" is 13): RFC 5424
/// forbids them, but refusing the whole line for them would lose a message over nothing.
/// Only a valid PRI is consumed.
inline PriStatus read_pri(std::string_view& in, int& value) noexcept {
    if (!starts_with(in, '<')) return PriStatus::absent;
    std::string_view rest = in.substr(1);
    int v = 0;
    if (!read_int(rest, 1, 3, v) || !consume(rest, '>')) return PriStatus::malformed;
    if (v > 191) return PriStatus::out_of_range;
    value = v;
    in = rest;
    return PriStatus::valid;
}

inline void set_priority(SyslogMessage& out, int pri) noexcept {
    out.facility = pri / 8;
    out.severity = pri % 8;
}

/// Why a PRI that is there did not parse, for parse_error.
inline std::string_view pri_error(PriStatus status) noexcept {
    return status == PriStatus::out_of_range ? "<PRI> out of range (0..191)" : "malformed <PRI>";
}

}  // namespace netfeed::syslog
