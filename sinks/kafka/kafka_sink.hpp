// The Kafka sink: produces each record as JSON with librdkafka, on the partition our own
// partitioner picks (Java-compatible murmur2 or librdkafka's crc32 for keys, sticky otherwise),
// and counts every record as delivered or failed with the reason. With the spool on, every
// record is appended to the write-ahead log (spool.hpp) first and released when Kafka
// acknowledges it; a backlog is fed to librdkafka from disk, in order.
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
#include "sinks/kafka/spool.hpp"
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
    std::string degraded() const override;
    void stop() override;

    /// The embedded broker's bootstrap address, empty with a real cluster.
    std::string embedded_bootstrap() const;

  private:
    static void on_delivery(rd_kafka_s* rk, const rd_kafka_message_s* message, void* opaque);
    static void on_error(rd_kafka_s* rk, int err, const char* reason, void* opaque);
    static void on_log(const rd_kafka_s* rk, int level, const char* facility, const char* text);

    void delivered(const rd_kafka_message_s& message);
    void spool_delivered(const rd_kafka_message_s& message);
    void create_producer();
    void open_handle(TopicState& state);
    void open_spool();
    void write_spooled(std::vector<RoutedRecord>& batch);
    /// Hands spooled records to librdkafka from disk until caught up, full or `until`.
    void feed(SteadyTime until);
    int produce(const kafka::SpoolRecord& record, TopicState& state);
    /// A record librdkafka refused for good: counted and released from the spool.
    void refuse(const kafka::SpoolRecord& record, int err);
    void recreate_producer();
    /// A fatal error asked for a new producer, and the last one is at least a second old: a
    /// broker that keeps failing every new producer must not make the sink spin.
    bool recreate_due() const;
    void prepare_topics(const std::vector<TopicPlan>& topics, bool fail_on_missing);
    TopicState& topic(const std::string& name, const Delivery& delivery);
    /// The topic's state, or null after counting the record as produce_failed.
    TopicState* topic_or_drop(const Delivery& delivery);
    /// The key's bytes as sent (key_ holds UTF-16 encodings); empty without a key.
    std::string_view encoded_key(const Delivery& delivery);
    /// False after counting a record of `size` bytes as too_large (logged, rate-limited).
    bool fits_or_drop(std::size_t size, std::string_view device, const std::string& topic);
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

    // The spool: wanted from the options, opened on the sink's thread at its first use (after
    // a replaced sink released the directory).
    bool spool_wanted_ = false;
    bool spool_opened_ = false;
    kafka::SpoolSettings spool_settings_;
    std::string agent_id_path_;
    std::unique_ptr<kafka::Spool> spool_;
    std::atomic<const kafka::Spool*> spool_view_{nullptr};  // for other threads' reads
    std::unique_ptr<kafka::Spool::Reader> reader_;          // set: feeding a backlog from disk
    std::atomic<bool> backlog_{false};
    std::string agent_id_;
    std::string id_;                   // reused netfeed_id header buffer
    std::uint64_t suspect_below_ = 0;  // seqs below may have reached Kafka already
    int generation_ = 0;               // of the producer; reports of a replaced one are stale
    std::atomic<bool> recreate_{false};
    SteadyTime next_recreate_{};
    std::atomic<bool> spool_refused_{false};
    struct Pending {
        std::size_t offset;
        TopicState* state;
    };
    std::vector<Pending> pending_;
    Counter* replayed_ = nullptr;
    Counter* duplicate_suspect_ = nullptr;
    Counter* producer_recreated_ = nullptr;
    Histogram* fsync_seconds_ = nullptr;
    std::vector<GaugeRegistration> spool_gauges_;
    LogRateLimiter spool_log_;
};

}  // namespace netfeed
