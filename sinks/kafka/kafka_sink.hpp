// The Kafka sink: produces each record as JSON with librdkafka, on the partition our own
// partitioner picks (Java-compatible murmur2 or librdkafka's crc32 for keys, sticky otherwise),
// and counts every record as delivered or failed with the reason.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/logging.hpp"
#include "agent/sink.hpp"
#include "sinks/kafka/embedded_broker.hpp"
#include "sinks/kafka/options.hpp"
#include "sinks/kafka/retention_monitor.hpp"
#include "sinks/kafka/topic_state.hpp"

struct rd_kafka_s;
struct rd_kafka_message_s;

namespace netfeed {

class KafkaSink final : public Sink {
  public:
    explicit KafkaSink(KafkaOptions options);
    ~KafkaSink() override;

    void start(SinkContext& context) override;
    void add_topics(const std::vector<TopicPlan>& topics) override;
    void write(std::vector<RoutedRecord>& batch, SteadyTime deadline) override;
    void poll() override;
    std::size_t flush(SteadyTime deadline) override;
    std::string health() const override;
    void stop() override;

    /// The embedded broker's bootstrap address, empty with a real cluster.
    std::string embedded_bootstrap() const;

  private:
    static void on_delivery(rd_kafka_s* rk, const rd_kafka_message_s* message, void* opaque);
    static void on_error(rd_kafka_s* rk, int err, const char* reason, void* opaque);
    static void on_log(const rd_kafka_s* rk, int level, const char* facility, const char* text);

    void delivered(const rd_kafka_message_s& message);
    void prepare_topics(const std::vector<TopicPlan>& topics, bool fail_on_missing);
    TopicState& topic(const std::string& name, const Delivery& delivery);
    void check_topic_exists(const std::string& name);
    Counter& drop_counter(const std::string& reason);

    KafkaOptions options_;
    SinkContext* context_ = nullptr;
    std::shared_ptr<EmbeddedBroker> embedded_;
    std::unique_ptr<RetentionMonitor> retention_;  // embedded broker only
    std::string bootstrap_;
    rd_kafka_s* producer_ = nullptr;

    std::mutex topics_mutex_;  // add_topics comes from the reload thread
    std::unordered_map<std::string, std::unique_ptr<TopicState>> topics_;
    std::unordered_map<std::string, int> planned_partitions_;

    std::string value_;  // reused serialization buffer
    std::string key_;
    std::atomic<std::int64_t> in_flight_{0};
    std::atomic<bool> brokers_down_{false};
    std::atomic<bool> purged_{false};
    std::string fatal_error_;
    mutable std::mutex error_mutex_;

    std::unordered_map<std::string, Counter*> drop_counters_;
    Histogram* latency_ = nullptr;
    LogRateLimiter too_large_log_;
    LogRateLimiter failure_log_;
    LogRateLimiter produce_error_log_;
    LogRateLimiter error_log_;
};

}  // namespace netfeed
