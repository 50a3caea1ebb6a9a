// Addresses as the inventory indexes them: 16 bytes, IPv4 as IPv4-mapped IPv6, so both families
// share one index and one cache.
#pragma once

#include <cstddef>
#include <cstdint>

#include "agent/record.hpp"

namespace netfeed::inventory {

/// An address as 16 bytes (IPv4 as IPv4-mapped IPv6), so both families share one index.
struct AddressKey {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool operator==(const AddressKey&) const = default;
};
AddressKey address_key(const IpAddress& address) noexcept;

struct AddressKeyHash {
    std::size_t operator()(const AddressKey& k) const noexcept {
        // Addresses differ mostly in their low bits; a multiply mixes them into the high ones.
        return static_cast<std::size_t>(
            (k.low ^ (k.high * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull >> 17);
    }
};

}  // namespace netfeed::inventory
