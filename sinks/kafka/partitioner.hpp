// Our own Kafka partitioner: Java-compatible murmur2 and librdkafka-compatible CRC-32 for keyed
// records, and a sticky partitioner for unkeyed ones. Pure code, no librdkafka dependency.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace netfeed::kafka {

// Null key versus empty key (checked against Kafka's Java producer, kafka-python 2.0.2 and the
// librdkafka 2.0.2 sources, rdkafka_msg.c / rdkafka_topic.c):
//
//  - Java (KafkaProducer.partition / BuiltInPartitioner.partitionForKey, DefaultPartitioner
//    before 3.3): only a null key is unkeyed and goes to the sticky partition. An empty byte
//    array is a key like any other: toPositive(murmur2(new byte[0])) % n. kafka-python does the
//    same (`if key is None` is its only unkeyed test).
//  - librdkafka murmur2_random: `if (!key)` -> random, so like Java an empty non-NULL key is
//    hashed. (librdkafka's producer sends NULL keys to its own sticky partition.)
//  - librdkafka consistent_random: `if (keylen == 0)` -> random, so NULL and empty keys are both
//    unkeyed; the producer also routes empty keys to its sticky partition for this partitioner.
//    Plain `consistent` would hash them: crc32 of nothing is 0, partition 0.
//
// Ours follows Java for murmur2 and librdkafka for crc32: `is_keyed` says which records the
// caller should hand to a StickyPartitioner instead of `partition_for`.

enum class PartitionStrategy { murmur2, crc32 };

/// Java's org.apache.kafka.common.utils.Utils.murmur2: the raw signed 32-bit hash.
std::int32_t murmur2(const void* data, std::size_t len) noexcept;

/// Java's BuiltInPartitioner.partitionForKey: toPositive(murmur2(key)) % partition_count.
/// Every key, empty ones included, is hashed. Returns -1 when partition_count <= 0.
std::int32_t murmur2_partition(const void* key, std::size_t len,
                               std::int32_t partition_count) noexcept;

/// The CRC-32 librdkafka's `consistent` partitioners use (rd_crc32: the zlib/IEEE 802.3 CRC,
/// reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF).
std::uint32_t crc32(const void* data, std::size_t len) noexcept;

/// rd_kafka_msg_partitioner_consistent_random: crc32(key) % partition_count for a non-empty
/// key; an empty key gets a uniformly random partition, as librdkafka does when called directly
/// (its producer would use the sticky partition instead: see `is_keyed`).
/// Returns -1 when partition_count <= 0.
std::int32_t crc32_partition(const void* key, std::size_t len,
                             std::int32_t partition_count) noexcept;

/// Whether a record with this key is partitioned by its key under `strategy`; when false the
/// caller should use a StickyPartitioner. nullptr is always unkeyed; an empty key is keyed for
/// murmur2 (Java) and unkeyed for crc32 (librdkafka).
constexpr bool is_keyed(PartitionStrategy strategy, const void* key, std::size_t len) noexcept {
    return key != nullptr && (len != 0 || strategy == PartitionStrategy::murmur2);
}

/// The partition of a keyed record. For a record that is not `is_keyed` it behaves like
/// librdkafka's murmur2_random / consistent_random called directly: a uniformly random
/// partition, which spreads records but batches them badly, hence `is_keyed`.
/// Returns -1 when partition_count <= 0.
std::int32_t partition_for(PartitionStrategy strategy, const void* key, std::size_t len,
                           std::int32_t partition_count) noexcept;

/// Partitions for unkeyed records: all records go to one partition until `records_per_batch`
/// of them have gone there or `linger` has passed since it was chosen, then a random other
/// partition is chosen. Filling one partition at a time makes fuller batches than a random
/// partition per record (the idea behind Java's and librdkafka's sticky partitioners).
///
/// next() may be called from any thread (librdkafka runs partitioner callbacks on the producing
/// thread and on its broker threads). It is lock-free: one compare-and-swap on a word holding
/// the partition and its record count, plus a clock read. When several threads see the batch
/// end at the same moment two switches can happen back to back; that only shortens one batch.
class StickyPartitioner {
  public:
    using Clock = std::chrono::steady_clock;
    /// Injected for tests; empty means the default clock, which on Linux is the coarse
    /// monotonic clock (a few ms resolution, far finer than any useful linger, several times
    /// cheaper to read than steady_clock::now()).
    using TimeSource = std::function<Clock::time_point()>;

    explicit StickyPartitioner(std::size_t records_per_batch = 1000,
                               std::chrono::milliseconds linger = std::chrono::milliseconds(100),
                               TimeSource now = {});

    StickyPartitioner(const StickyPartitioner&) = delete;
    StickyPartitioner& operator=(const StickyPartitioner&) = delete;

    /// A partition in [0, partition_count), or -1 when partition_count <= 0. A change in
    /// partition_count that leaves the current partition out of range forces a switch.
    std::int32_t next(std::int32_t partition_count) noexcept;

    std::size_t records_per_batch() const noexcept { return records_per_batch_; }
    std::chrono::milliseconds linger() const noexcept { return linger_; }

  private:
    std::int64_t now_ns() const noexcept;

    const std::uint32_t records_per_batch_;
    const std::chrono::milliseconds linger_;
    const std::int64_t linger_ns_;
    const TimeSource now_;
    // High 32 bits: the current partition (0xFFFFFFFF before the first record); low 32 bits:
    // records sent to it. One word so a switch and the count reset are a single atomic step.
    std::atomic<std::uint64_t> state_;
    // When the current partition was chosen (Clock ticks in ns). Written after the switch,
    // so a reader may briefly pair the new partition with the old time: at worst one extra
    // switch, never an out-of-range partition.
    std::atomic<std::int64_t> switched_at_ns_{0};
};

}  // namespace netfeed::kafka
