// Spool record framing; see spool_frame.hpp.
#include "sinks/kafka/spool_frame.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace netfeed::kafka {

namespace {

// Slicing-by-8 tables for CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the sink
// checksums every record it spools, so the byte-at-a-time loop would show in profiles.
struct Crc32cTables {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    Crc32cTables() {
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[0][i] = c;
        }
        for (std::uint32_t i = 0; i < 256; ++i) {
            for (std::size_t s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
        }
    }
};

const Crc32cTables& tables() {
    static const Crc32cTables instance;
    return instance;
}

template <class T>
void put(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

template <class T>
T get(const char* p) {
    T value;
    std::memcpy(&value, p, sizeof(T));
    return value;
}

}  // namespace

std::uint32_t crc32c_portable(const void* data, std::size_t size, std::uint32_t crc) noexcept {
    const auto& t = tables().t;
    const auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    while (size >= 8) {
        std::uint32_t lo;
        std::uint32_t hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= crc;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size-- > 0)
        crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
namespace {

// SSE4.2 has an instruction for exactly this polynomial: about three times the table loop's
// speed, and the sink checksums every record twice in its life (write and replay).
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(const void* data, std::size_t size,
                                                             std::uint32_t crc) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t c = ~crc;
    while (size >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        size -= 8;
    }
    auto c32 = static_cast<std::uint32_t>(c);
    while (size-- > 0)
        c32 = _mm_crc32_u8(c32, *p++);
    return ~c32;
}

const bool kHasSse42 = __builtin_cpu_supports("sse4.2");

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc) noexcept {
    return kHasSse42 ? crc32c_sse42(data, size, crc) : crc32c_portable(data, size, crc);
}
#else
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc) noexcept {
    return crc32c_portable(data, size, crc);
}
#endif

void encode_frame(const SpoolRecord& r, std::string& out) {
    const std::size_t start = out.size();
    out.append(kFrameHeader, '\0');  // length and CRC, filled in below
    put<std::uint64_t>(out, r.seq);
    put<std::int64_t>(out, r.appended_ms);
    put<std::uint8_t>(out, static_cast<std::uint8_t>((r.has_key ? 1 : 0) | (r.tombstone ? 2 : 0)));
    put<std::uint8_t>(out, r.partitioner);
    // Topic, kind and device are short by construction (names); key and value are not.
    put<std::uint16_t>(out, static_cast<std::uint16_t>(r.topic.size()));
    put<std::uint16_t>(out, static_cast<std::uint16_t>(r.kind.size()));
    put<std::uint16_t>(out, static_cast<std::uint16_t>(r.device.size()));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(r.key.size()));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(r.value.size()));
    out.append(r.topic.substr(0, 0xffff));
    out.append(r.kind.substr(0, 0xffff));
    out.append(r.device.substr(0, 0xffff));
    out.append(r.key);
    out.append(r.value);
    const auto length = static_cast<std::uint32_t>(out.size() - start - kFrameHeader);
    const std::uint32_t crc = crc32c(out.data() + start + kFrameHeader, length);
    std::memcpy(out.data() + start, &length, 4);
    std::memcpy(out.data() + start + 4, &crc, 4);
}

FrameCheck decode_frame(std::string_view bytes, std::uint32_t max_length, SpoolRecord& r,
                        std::size_t& frame_size, CrcCheck check) noexcept {
    if (bytes.size() < kFrameHeader) return FrameCheck::need_more;
    const auto length = get<std::uint32_t>(bytes.data());
    if (length < kMinFrameLength || length > max_length) return FrameCheck::bad;
    if (bytes.size() < kFrameHeader + length) return FrameCheck::need_more;
    const char* p = bytes.data() + kFrameHeader;
    if (check == CrcCheck::verify && crc32c(p, length) != get<std::uint32_t>(bytes.data() + 4)) {
        return FrameCheck::bad;
    }
    r.seq = get<std::uint64_t>(p);
    r.appended_ms = get<std::int64_t>(p + 8);
    const auto flags = get<std::uint8_t>(p + 16);
    r.has_key = (flags & 1) != 0;
    r.tombstone = (flags & 2) != 0;
    r.partitioner = get<std::uint8_t>(p + 17);
    const std::size_t topic = get<std::uint16_t>(p + 18);
    const std::size_t kind = get<std::uint16_t>(p + 20);
    const std::size_t device = get<std::uint16_t>(p + 22);
    const std::size_t key = get<std::uint32_t>(p + 24);
    const std::size_t value = get<std::uint32_t>(p + 28);
    if (kMinFrameLength + topic + kind + device + key + value != length) return FrameCheck::bad;
    const char* q = p + kMinFrameLength;
    r.topic = {q, topic};
    q += topic;
    r.kind = {q, kind};
    q += kind;
    r.device = {q, device};
    q += device;
    r.key = {q, key};
    q += key;
    r.value = {q, value};
    frame_size = kFrameHeader + length;
    return FrameCheck::ok;
}

}  // namespace netfeed::kafka
