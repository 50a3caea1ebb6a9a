// Java-compatible murmur2, librdkafka-compatible CRC-32 and the sticky partitioner; see
// partitioner.hpp.
#include "sinks/kafka/partitioner.hpp"

#include <time.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <string_view>
#include <thread>
#include <utility>

namespace netfeed::kafka {
namespace {

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "mixed-endian targets are not supported");

// Both hashes read the key as little-endian words whatever the host order.
inline std::uint32_t load_le32(const unsigned char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) {
        v = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24);
    }
    return v;
}

// Slicing-by-8: table[k][b] is the CRC contribution of byte b followed by k zero bytes, so
// eight input bytes fold into the CRC with eight independent lookups instead of a serial chain.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr CrcTables make_crc_tables() {
    CrcTables t{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t c = b;
        for (int bit = 0; bit < 8; ++bit) {
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        t[0][b] = c;
    }
    for (std::size_t k = 1; k < t.size(); ++k) {
        for (std::size_t b = 0; b < 256; ++b) {
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
        }
    }
    return t;
}

constexpr CrcTables kCrcTables = make_crc_tables();
// The check value every CRC-32 catalogue lists for this variant.
static_assert([] {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : std::string_view("123456789")) {
        c = kCrcTables[0][(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}() == 0xCBF43926u);

// Per-thread generator for the random choices, so next() never contends on it. splitmix64:
// small state, good enough spread for picking partitions, and nothing to lock.
std::uint64_t random_u64() noexcept {
    thread_local std::uint64_t state = [] {
        const auto t = static_cast<std::uint64_t>(
            std::chrono::high_resolution_clock::now().time_since_epoch().count());
        const auto id =
            static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
        return t ^ (id * 0x9E3779B97F4A7C15ull);
    }();
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform in [0, bound) for bound >= 1 by multiply-shift rather than %, which costs a division;
// the bias, at most bound / 2^32, is far below anything a partition count could notice.
std::int32_t random_below(std::int32_t bound) noexcept {
    const std::uint64_t r = random_u64() >> 32;
    return static_cast<std::int32_t>((r * static_cast<std::uint64_t>(bound)) >> 32);
}

constexpr std::uint32_t kNoPartition = 0xFFFFFFFFu;

constexpr std::uint64_t pack(std::uint32_t partition, std::uint32_t count) noexcept {
    return (static_cast<std::uint64_t>(partition) << 32) | count;
}

}  // namespace

std::int32_t murmur2(const void* data, std::size_t len) noexcept {
    constexpr std::uint32_t m = 0x5bd1e995;
    constexpr int r = 24;
    const auto* p = static_cast<const unsigned char*>(data);
    // Java's length is an int; unsigned arithmetic gives its wrap-around without UB.
    std::uint32_t h = 0x9747b28cu ^ static_cast<std::uint32_t>(len);
    const std::size_t blocks = len / 4;
    for (std::size_t i = 0; i < blocks; ++i, p += 4) {
        std::uint32_t k = load_le32(p);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len & 3) {
        case 3:
            h ^= static_cast<std::uint32_t>(p[2]) << 16;
            [[fallthrough]];
        case 2:
            h ^= static_cast<std::uint32_t>(p[1]) << 8;
            [[fallthrough]];
        case 1:
            h ^= p[0];
            h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<std::int32_t>(h);
}

std::int32_t murmur2_partition(const void* key, std::size_t len,
                               std::int32_t partition_count) noexcept {
    if (partition_count <= 0) return -1;
    return (murmur2(key, len) & 0x7fffffff) % partition_count;
}

std::uint32_t crc32(const void* data, std::size_t len) noexcept {
    const auto& t = kCrcTables;
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t c = 0xFFFFFFFFu;
    for (; len >= 8; len -= 8, p += 8) {
        const std::uint32_t lo = load_le32(p) ^ c;
        const std::uint32_t hi = load_le32(p + 4);
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
            t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    for (; len > 0; --len, ++p) {
        c = t[0][(c ^ *p) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

std::int32_t crc32_partition(const void* key, std::size_t len,
                             std::int32_t partition_count) noexcept {
    if (partition_count <= 0) return -1;
    if (len == 0) return random_below(partition_count);
    return static_cast<std::int32_t>(crc32(key, len) % static_cast<std::uint32_t>(partition_count));
}

std::int32_t partition_for(PartitionStrategy strategy, const void* key, std::size_t len,
                           std::int32_t partition_count) noexcept {
    if (partition_count <= 0) return -1;
    if (!is_keyed(strategy, key, len)) return random_below(partition_count);
    switch (strategy) {
        case PartitionStrategy::murmur2:
            return murmur2_partition(key, len, partition_count);
        case PartitionStrategy::crc32:
            return crc32_partition(key, len, partition_count);
    }
    return murmur2_partition(key, len, partition_count);
}

StickyPartitioner::StickyPartitioner(std::size_t records_per_batch,
                                     std::chrono::milliseconds linger, TimeSource now)
    // The count lives in 32 bits; a batch of more than 4 billion records is no batch at all.
    : records_per_batch_(static_cast<std::uint32_t>(std::clamp<std::size_t>(
          records_per_batch, 1, std::numeric_limits<std::uint32_t>::max()))),
      linger_(std::max(linger, std::chrono::milliseconds(0))),
      linger_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(linger_).count()),
      now_(std::move(now)),
      state_(pack(kNoPartition, 0)) {}

std::int64_t StickyPartitioner::now_ns() const noexcept {
    if (now_) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(now_().time_since_epoch())
            .count();
    }
#if defined(__linux__) && defined(CLOCK_MONOTONIC_COARSE)
    // libstdc++'s steady_clock is CLOCK_MONOTONIC; the coarse variant shares its epoch.
    timespec ts{};
    if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0) {
        return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }
#endif
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

std::int32_t StickyPartitioner::next(std::int32_t partition_count) noexcept {
    if (partition_count <= 0) return -1;
    if (partition_count == 1) return 0;
    const auto count_limit = static_cast<std::uint32_t>(partition_count);
    const std::int64_t now = now_ns();
    std::uint64_t state = state_.load(std::memory_order_acquire);
    for (;;) {
        const auto partition = static_cast<std::uint32_t>(state >> 32);
        const auto sent = static_cast<std::uint32_t>(state);
        const bool expired = partition >= count_limit || sent >= records_per_batch_ ||
                             now - switched_at_ns_.load(std::memory_order_relaxed) >= linger_ns_;
        if (!expired) {
            if (state_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel,
                                             std::memory_order_acquire)) {
                return static_cast<std::int32_t>(partition);
            }
            continue;
        }
        std::int32_t chosen;
        if (partition >= count_limit) {
            chosen = random_below(partition_count);
        } else {
            // Uniform over the other partitions: skip over the current one.
            chosen = random_below(partition_count - 1);
            if (chosen >= static_cast<std::int32_t>(partition)) ++chosen;
        }
        if (state_.compare_exchange_weak(state, pack(static_cast<std::uint32_t>(chosen), 1),
                                         std::memory_order_acq_rel, std::memory_order_acquire)) {
            switched_at_ns_.store(now, std::memory_order_relaxed);
            return chosen;
        }
    }
}

}  // namespace netfeed::kafka
