// What the Kafka sink keeps per topic: the librdkafka topic handle and the state our partitioner
// callback needs (strategy, sticky partition, last partition count) and its counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "agent/config.hpp"
#include "agent/metrics.hpp"
#include "sinks/kafka/partitioner.hpp"

struct rd_kafka_topic_s;

namespace spdlog {
class logger;
}

namespace netfeed {

struct TopicState {
    TopicState(std::string topic, Partitioner partitioner, std::size_t sticky_batch_records,
               MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger);

    /// librdkafka's partitioner callback (rd_kafka_topic_conf_set_partitioner_cb); may run on
    /// any thread. `rkt_opaque` is the TopicState.
    static std::int32_t choose_partition(const rd_kafka_topic_s* rkt, const void* key,
                                         std::size_t key_length, std::int32_t partition_count,
                                         void* rkt_opaque, void* msg_opaque);

    std::string name;
    Partitioner partitioner;
    rd_kafka_topic_s* handle = nullptr;
    kafka::StickyPartitioner sticky;
    std::atomic<std::int32_t> partition_count{0};
    Counter& keyed_choices;
    Counter& sticky_choices;
    Counter& delivered;
    std::shared_ptr<spdlog::logger> log;
};

}  // namespace netfeed
