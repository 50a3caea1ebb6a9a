// UTF-8 to Python-compatible UTF-16 key bytes; see key_encoding.hpp.
#include "sinks/kafka/key_encoding.hpp"

#include <cstddef>
#include <cstdint>

namespace netfeed::kafka {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

inline char* put_unit(char* out, std::uint32_t unit) noexcept {
    out[0] = static_cast<char>(unit & 0xff);
    out[1] = static_cast<char>(unit >> 8);
    return out + 2;
}

inline char* put_code_point(char* out, char32_t cp) noexcept {
    if (cp < 0x10000) return put_unit(out, cp);
    const std::uint32_t v = cp - 0x10000;
    out = put_unit(out, 0xD800 + (v >> 10));
    return put_unit(out, 0xDC00 + (v & 0x3FF));
}

std::string to_utf16(std::string_view in) {
    // Every input byte yields at most two output bytes (a 4-byte sequence is a surrogate pair,
    // a bad byte one U+FFFD), so one allocation is enough.
    std::string out(2 + 2 * in.size(), '\0');
    char* w = out.data();
    w = put_unit(w, 0xFEFF);
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char lead = s[i];
        if (lead < 0x80) {
            w = put_unit(w, lead);
            ++i;
            continue;
        }
        // Length and the allowed range of the second byte come from Unicode's table of
        // well-formed sequences; the narrow second-byte ranges are what rule out overlong
        // forms, surrogates and values above U+10FFFF.
        std::size_t extra;
        unsigned char second_lo = 0x80, second_hi = 0xBF;
        char32_t cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            cp = lead & 0x0F;
            if (lead == 0xE0) second_lo = 0xA0;
            if (lead == 0xED) second_hi = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            cp = lead & 0x07;
            if (lead == 0xF0) second_lo = 0x90;
            if (lead == 0xF4) second_hi = 0x8F;
        } else {
            w = put_code_point(w, kReplacement);
            ++i;
            continue;
        }
        std::size_t taken = 1;
        for (; taken <= extra; ++taken) {
            if (i + taken >= n) break;
            const unsigned char c = s[i + taken];
            const unsigned char lo = taken == 1 ? second_lo : 0x80;
            const unsigned char hi = taken == 1 ? second_hi : 0xBF;
            if (c < lo || c > hi) break;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (taken <= extra) {
            // The lead byte and the continuation bytes that fitted are one maximal subpart:
            // one U+FFFD, and decoding resumes at the byte that did not fit.
            w = put_code_point(w, kReplacement);
        } else {
            w = put_code_point(w, cp);
        }
        i += taken;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return out;
}

}  // namespace

std::string encode_key(std::string_view utf8, KeyEncoding encoding) {
    switch (encoding) {
        case KeyEncoding::utf8:
            return std::string(utf8);
        case KeyEncoding::utf16:
            return to_utf16(utf8);
    }
    return std::string(utf8);
}

}  // namespace netfeed::kafka
