// Big-endian reads from export packets. They do not check bounds: the decoders check a header
// or a whole record once, then read its fields with these.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace netfeed::netflow {

inline std::uint16_t load_be16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);  // memcpy: packets are not aligned
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
    return v;
}

inline std::uint64_t load_be64(const std::uint8_t* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return v;
}

/// An unsigned integer of 1..8 bytes: IPFIX reduced-size encoding (RFC 7011 6.2) lets an
/// exporter send any integer in fewer bytes, and v9 exporters pick 2 or 4 for the same field.
inline std::uint64_t load_be_uint(const std::uint8_t* p, std::size_t n) noexcept {
    switch (n) {
        case 1:
            return p[0];
        case 2:
            return load_be16(p);
        case 4:
            return load_be32(p);
        case 8:
            return load_be64(p);
        default: {
            std::uint64_t v = 0;
            for (std::size_t i = 0; i < n; ++i)
                v = (v << 8) | p[i];
            return v;
        }
    }
}

}  // namespace netfeed::netflow
