// JSON text output with UTF-8 repair; see json_writer.hpp.
#include "agent/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace netfeed {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid (overlong
// forms, surrogates and code points above U+10FFFF are invalid, as RFC 3629 says).
std::size_t valid_utf8_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    const std::size_t left = s.size() - i;
    const auto cont = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) return left >= 2 && cont(i + 1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (left < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
        const unsigned char b1 = byte(i + 1);
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (left < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
        const unsigned char b1 = byte(i + 1);
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

namespace {

// True when any of the 8 bytes needs attention: a control character, '"', '\\' or a byte of a
// multi-byte UTF-8 sequence. Checking a word at a time keeps plain ASCII text (most of what
// devices send) at a few instructions per 8 bytes.
inline bool word_needs_attention(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t control = (w - ones * 0x20) & ~w & highs;  // bytes below 0x20
    return ((w & highs) | control | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) != 0;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
    std::size_t run_start = 0;
    std::size_t i = 0;
    const auto flush_run = [&](std::size_t end) {
        if (end > run_start) out.append(text.data() + run_start, end - run_start);
    };
    while (i < text.size()) {
        while (i + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, sizeof word);
            if (word_needs_attention(word)) break;
            i += 8;
        }
        if (i >= text.size()) break;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const std::size_t len = valid_utf8_length(text, i);
            if (len != 0) {
                i += len;
                continue;
            }
            flush_run(i);
            out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
            run_start = ++i;
            continue;
        }
        flush_run(i);
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            default: {
                const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                out.append(escaped, sizeof escaped);
            }
        }
        run_start = ++i;
    }
    flush_run(i);
}

void JsonWriter::key(std::string_view name) {
    separate();
    out_.push_back('"');
    append_json_escaped(out_, name);
    out_.append("\":");
    after_key_ = true;
}

void JsonWriter::string(std::string_view text) {
    separate();
    out_.push_back('"');
    append_json_escaped(out_, text);
    out_.push_back('"');
}

namespace {
template <class Number>
void append_number(std::string& out, Number n) {
    std::array<char, 32> buffer;
    auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
    out.append(buffer.data(), result.ptr);
}
}  // namespace

void JsonWriter::number(std::int64_t n) {
    separate();
    append_number(out_, n);
}
void JsonWriter::number(std::uint64_t n) {
    separate();
    append_number(out_, n);
}

void JsonWriter::number(double d) {
    separate();
    if (!std::isfinite(d)) {
        out_.append("null");
        return;
    }
    append_number(out_, d);
}

void JsonWriter::boolean(bool b) {
    separate();
    out_.append(b ? "true" : "false");
}
void JsonWriter::null() {
    separate();
    out_.append("null");
}
void JsonWriter::raw(std::string_view json) {
    separate();
    out_.append(json);
}

namespace {
void append_padded(std::string& out, unsigned value, int width) {
    char digits[12];
    for (int k = width - 1; k >= 0; --k) {
        digits[k] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(digits, static_cast<std::size_t>(width));
}

void append_rfc3339(std::string& out, std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto us = time_point_cast<microseconds>(t);
    const auto second = floor<seconds>(us);
    // Records come in bursts within the same second: format the date and time once per second
    // per thread, then only the microseconds.
    thread_local seconds::rep cached_second = std::numeric_limits<seconds::rep>::min();
    thread_local char cached[20];  // "YYYY-MM-DDTHH:MM:SS"
    if (second.time_since_epoch().count() != cached_second) {
        std::string text;
        const auto day = floor<days>(second);
        const year_month_day ymd{day};
        const hh_mm_ss hms{second - day};
        append_padded(text, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
        text.push_back('-');
        append_padded(text, static_cast<unsigned>(ymd.month()), 2);
        text.push_back('-');
        append_padded(text, static_cast<unsigned>(ymd.day()), 2);
        text.push_back('T');
        append_padded(text, static_cast<unsigned>(hms.hours().count()), 2);
        text.push_back(':');
        append_padded(text, static_cast<unsigned>(hms.minutes().count()), 2);
        text.push_back(':');
        append_padded(text, static_cast<unsigned>(hms.seconds().count()), 2);
        std::memcpy(cached, text.data(), sizeof cached - 1);
        cached_second = second.time_since_epoch().count();
    }
    char tail[9] = {'.', 0, 0, 0, 0, 0, 0, 'Z', 0};
    auto micros = static_cast<unsigned>((us - second).count());
    for (int k = 6; k >= 1; --k) {
        tail[k] = static_cast<char>('0' + micros % 10);
        micros /= 10;
    }
    out.append(cached, sizeof cached - 1);
    out.append(tail, 8);
}
}  // namespace

void JsonWriter::timestamp(std::chrono::system_clock::time_point t) {
    separate();
    out_.push_back('"');
    append_rfc3339(out_, t);
    out_.push_back('"');
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
    std::string out;
    append_rfc3339(out, t);
    return out;
}

}  // namespace netfeed
