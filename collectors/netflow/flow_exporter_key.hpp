// Who sent a flow: the exporter's address plus the NetFlow version and observation domain, the
// key of everything the decoder remembers between packets (templates, sequence, sampling).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>

#include "collectors/netflow/flow_record.hpp"

namespace netfeed::netflow {

struct ExporterKey {
    FlowAddress address;
    std::uint8_t version = 0;
    std::uint32_t domain = 0;  // v9 source id, IPFIX observation domain, v5 engine type/id

    bool operator==(const ExporterKey&) const = default;
};

inline std::uint64_t mix64(std::uint64_t x) noexcept {
    // splitmix64's finaliser: cheap, and every input bit reaches every output bit.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

struct FlowAddressHash {
    std::size_t operator()(const FlowAddress& a) const noexcept {
        std::uint64_t lo;
        std::uint64_t hi;
        std::memcpy(&lo, a.bytes.data(), 8);
        std::memcpy(&hi, a.bytes.data() + 8, 8);
        return static_cast<std::size_t>(mix64(lo ^ mix64(hi ^ a.family)));
    }
};

struct ExporterKeyHash {
    std::size_t operator()(const ExporterKey& k) const noexcept {
        const std::uint64_t tag = (std::uint64_t{k.version} << 32) | k.domain;
        return static_cast<std::size_t>(mix64(FlowAddressHash{}(k.address) ^ tag));
    }
};

}  // namespace netfeed::netflow
