// Our partitioner against librdkafka's built-in ones on the same keys, plus the UTF-16 key
// encoding and the sticky partitioner's cost per unkeyed record (alone and with two threads).
#include <benchmark/benchmark.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "sinks/kafka/key_encoding.hpp"
#include "sinks/kafka/partitioner.hpp"

namespace {

using namespace netfeed::kafka;

constexpr std::int32_t kPartitions = 12;

std::string random_key(std::size_t size) {
    std::mt19937 rng(static_cast<unsigned>(size));
    std::string key(size, '\0');
    for (auto& c : key)
        c = static_cast<char>(rng());
    return key;
}

// librdkafka's partitioner functions take a topic handle; a producer without brokers provides
// one. Keyed calls never look at it.
const rd_kafka_topic_t* librdkafka_topic() {
    static const struct Handles {
        Handles() {
            char errstr[512];
            rd_kafka_conf_t* conf = rd_kafka_conf_new();
            rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
            rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
            if (rk == nullptr) std::abort();
            rkt = rd_kafka_topic_new(rk, "netfeed-partitioner-bench", nullptr);
            if (rkt == nullptr) std::abort();
        }
        ~Handles() {
            rd_kafka_topic_destroy(rkt);
            rd_kafka_destroy(rk);
        }
        rd_kafka_t* rk = nullptr;
        rd_kafka_topic_t* rkt = nullptr;
    } handles;
    return handles.rkt;
}

template <typename Partition>
void run_keyed(benchmark::State& state, Partition partition) {
    const std::string key = random_key(static_cast<std::size_t>(state.range(0)));
    const char* data = key.data();
    for (auto _ : state) {
        benchmark::DoNotOptimize(data);
        benchmark::DoNotOptimize(partition(data, key.size()));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_Murmur2Partition(benchmark::State& state) {
    run_keyed(state,
              [](const char* k, std::size_t n) { return murmur2_partition(k, n, kPartitions); });
}

void BM_LibrdkafkaMurmur2Random(benchmark::State& state) {
    const rd_kafka_topic_t* rkt = librdkafka_topic();
    run_keyed(state, [rkt](const char* k, std::size_t n) {
        return rd_kafka_msg_partitioner_murmur2_random(rkt, k, n, kPartitions, nullptr, nullptr);
    });
}

void BM_Crc32Partition(benchmark::State& state) {
    run_keyed(state,
              [](const char* k, std::size_t n) { return crc32_partition(k, n, kPartitions); });
}

void BM_LibrdkafkaConsistentRandom(benchmark::State& state) {
    const rd_kafka_topic_t* rkt = librdkafka_topic();
    run_keyed(state, [rkt](const char* k, std::size_t n) {
        return rd_kafka_msg_partitioner_consistent_random(rkt, k, n, kPartitions, nullptr, nullptr);
    });
}

#define KEY_SIZES Arg(8)->Arg(16)->Arg(32)->Arg(64)->Arg(256)
BENCHMARK(BM_Murmur2Partition)->KEY_SIZES;
BENCHMARK(BM_LibrdkafkaMurmur2Random)->KEY_SIZES;
BENCHMARK(BM_Crc32Partition)->KEY_SIZES;
BENCHMARK(BM_LibrdkafkaConsistentRandom)->KEY_SIZES;

void BM_EncodeKeyUtf16DeviceName(benchmark::State& state) {
    const std::string device = "lax-core-r01";  // 12 characters
    for (auto _ : state)
        benchmark::DoNotOptimize(encode_key(device, KeyEncoding::utf16));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(device.size()));
}
BENCHMARK(BM_EncodeKeyUtf16DeviceName);

// Shared by the threads of a multi-threaded run, as one topic's partitioner is.
StickyPartitioner& shared_sticky() {
    static StickyPartitioner sticky(1000, std::chrono::milliseconds(100));
    return sticky;
}

void BM_StickyNext(benchmark::State& state) {
    StickyPartitioner& sticky = shared_sticky();
    for (auto _ : state)
        benchmark::DoNotOptimize(sticky.next(kPartitions));
}
BENCHMARK(BM_StickyNext)->Threads(1)->Threads(2)->UseRealTime();

// The same with steady_clock::now() injected, to show what the default coarse clock saves.
void BM_StickyNextSteadyClock(benchmark::State& state) {
    static StickyPartitioner sticky(1000, std::chrono::milliseconds(100),
                                    [] { return std::chrono::steady_clock::now(); });
    for (auto _ : state)
        benchmark::DoNotOptimize(sticky.next(kPartitions));
}
BENCHMARK(BM_StickyNextSteadyClock)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
