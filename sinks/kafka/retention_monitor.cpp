// The embedded broker's retention monitor; see retention_monitor.hpp.
#include "sinks/kafka/retention_monitor.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sinks/kafka/embedded_broker.hpp"

namespace netfeed {

namespace {
// A query answered later than this is skipped: under overload the mock broker's single thread
// is busy, and a late sample is worth less than a responsive shutdown.
constexpr int kQueryTimeoutMs = 1000;
}  // namespace

RetentionMonitor::RetentionMonitor(std::shared_ptr<EmbeddedBroker> broker, MetricsRegistry& metrics,
                                   std::shared_ptr<spdlog::logger> log, Settings settings)
    : broker_(std::move(broker)), metrics_(metrics), log_(std::move(log)), settings_(settings) {
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", broker_->internal_bootstrap().c_str(), errstr,
                      sizeof errstr);
    rd_kafka_conf_set(conf, "client.id", "netfeed-retention-monitor", errstr, sizeof errstr);
    // Its connection errors during shutdown are of no interest; the sink reports the broker.
    rd_kafka_conf_set(conf, "log_level", "2", errstr, sizeof errstr);
    client_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (client_ == nullptr) {
        throw std::runtime_error(std::string("cannot watch the embedded broker: ") + errstr);
    }
    thread_ = std::thread([this] { run(); });
}

RetentionMonitor::~RetentionMonitor() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    rd_kafka_destroy(client_);
}

void RetentionMonitor::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, settings_.interval, [this] { return stopping_; })) {
        lock.unlock();
        for (const auto& [topic, partitions] : broker_->topics())
            sample(topic, partitions);
        lock.lock();
    }
}

void RetentionMonitor::sample(const std::string& topic, int partitions) {
    std::vector<PartitionWatermarks> marks(static_cast<std::size_t>(partitions));
    for (int p = 0; p < partitions; ++p) {
        auto& mark = marks[static_cast<std::size_t>(p)];
        if (rd_kafka_query_watermark_offsets(client_, topic.c_str(), p, &mark.low, &mark.high,
                                             kQueryTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            return;  // a partial sample would distort the rates; try again next round
        }
        std::lock_guard lock(mutex_);
        if (stopping_) return;
    }
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    auto [it, inserted] = watches_.try_emplace(topic);
    TopicWatch& watch = it->second;
    if (inserted) {
        const Labels labels{{"topic", topic}};
        watch.discarded = &metrics_.counter(
            "netfeed_embedded_broker_discarded_records_total",
            "Records the embedded broker dropped from a topic to stay within its in-memory "
            "retention (measured: the partitions' log start offsets)",
            labels);
        watch.held =
            &metrics_.gauge("netfeed_embedded_broker_records_held",
                            "Records the embedded broker holds for a topic (measured)", labels);
        watch.window = &metrics_.gauge(
            "netfeed_embedded_broker_retention_seconds",
            "Estimated seconds of records the embedded broker holds for a topic: records held "
            "over the recent produce rate, shortest partition; +Inf while nothing is written",
            labels);
    }
    const RetentionEstimate estimate = watch.estimator.update(marks, now);
    // A counter restarted with a reloaded sink catches up with what the broker reports.
    if (estimate.discarded > watch.discarded->value()) {
        watch.discarded->inc(estimate.discarded - watch.discarded->value());
    }
    watch.held->set(static_cast<double>(estimate.held));
    watch.window->set(estimate.window_seconds);
    if (!estimate.discarding || !(estimate.window_seconds < settings_.warn_below_seconds)) return;
    std::uint64_t suppressed = 0;
    if (!watch.warn_log.allow(suppressed)) return;
    log_->warn(
        "embedded broker: topic {} holds only about {:.1f} s of records at the current rate "
        "({} partitions of at most 5 MiB or 100,000 batches each; {} records discarded so "
        "far): a reader further behind than that silently skips records. Give the topic more "
        "partitions (kafka.default_partitions, or the route's partitions), or use a real "
        "cluster (kafka.brokers)",
        topic, estimate.window_seconds, partitions, estimate.discarded);
}

}  // namespace netfeed
