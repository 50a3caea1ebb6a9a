// The partitioner callback and per-topic counters; see topic_state.hpp.
#include "sinks/kafka/topic_state.hpp"

#include <spdlog/spdlog.h>

namespace netfeed {

TopicState::TopicState(std::string topic, Partitioner chosen, std::size_t sticky_batch_records,
                       MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger)
    : name(std::move(topic)),
      partitioner(chosen),
      sticky(sticky_batch_records),
      keyed_choices(
          metrics.counter("netfeed_kafka_partitioner_choices_total",
                          "Partitions chosen by our partitioner, by topic and strategy",
                          {{"topic", name}, {"strategy", std::string(enum_name(chosen))}})),
      sticky_choices(metrics.counter("netfeed_kafka_partitioner_choices_total",
                                     "Partitions chosen by our partitioner, by topic and strategy",
                                     {{"topic", name}, {"strategy", "sticky"}})),
      delivered(metrics.counter("netfeed_kafka_delivered_total",
                                "Records the brokers acknowledged, by topic", {{"topic", name}})),
      log(std::move(logger)) {}

std::int32_t TopicState::choose_partition(const rd_kafka_topic_s*, const void* key,
                                          std::size_t key_length, std::int32_t partition_count,
                                          void* rkt_opaque, void*) {
    auto& state = *static_cast<TopicState*>(rkt_opaque);
    const std::int32_t before = state.partition_count.exchange(partition_count);
    if (before != 0 && before != partition_count) {
        // Keys hash modulo the partition count, so the same key now lands elsewhere.
        state.log->warn(
            "topic {} now has {} partitions (it had {}): records keyed as before "
            "go to other partitions from now on, so per-key ordering is broken "
            "across this change",
            state.name, partition_count, before);
    }
    const auto strategy = state.partitioner == Partitioner::crc32
                              ? kafka::PartitionStrategy::crc32
                              : kafka::PartitionStrategy::murmur2;
    if (!kafka::is_keyed(strategy, key, key_length)) {
        state.sticky_choices.inc();
        return state.sticky.next(partition_count);
    }
    state.keyed_choices.inc();
    return kafka::partition_for(strategy, key, key_length, partition_count);
}

}  // namespace netfeed
