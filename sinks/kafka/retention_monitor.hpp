// Watches the embedded broker's retention: every few seconds it reads each topic's partition
// watermarks (ListOffsets through a client of its own), publishes how many records the broker
// discarded and how many seconds of records it still holds, and logs one line per topic and
// minute when that window is short while records are being discarded, naming the remedy.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/logging.hpp"
#include "agent/metrics.hpp"
#include "sinks/kafka/retention_estimate.hpp"

struct rd_kafka_s;

namespace spdlog {
class logger;
}

namespace netfeed {

class EmbeddedBroker;

class RetentionMonitor {
  public:
    struct Settings {
        std::chrono::milliseconds interval{2000};
        /// Warn when a topic holds fewer seconds of records than this while it discards.
        double warn_below_seconds = 30;
    };

    /// Starts the sampling thread. Throws std::runtime_error when the client cannot be made.
    RetentionMonitor(std::shared_ptr<EmbeddedBroker> broker, MetricsRegistry& metrics,
                     std::shared_ptr<spdlog::logger> log, Settings settings);
    ~RetentionMonitor();
    RetentionMonitor(const RetentionMonitor&) = delete;
    RetentionMonitor& operator=(const RetentionMonitor&) = delete;

  private:
    struct TopicWatch {
        RetentionEstimator estimator;
        Counter* discarded = nullptr;
        Gauge* held = nullptr;
        Gauge* window = nullptr;
        LogRateLimiter warn_log{std::chrono::seconds(60)};
    };

    void run();
    void sample(const std::string& topic, int partitions);

    std::shared_ptr<EmbeddedBroker> broker_;
    MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> log_;
    Settings settings_;
    rd_kafka_s* client_ = nullptr;
    std::map<std::string, TopicWatch> watches_;  // only the sampling thread touches it

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace netfeed
