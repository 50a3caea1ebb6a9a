// The sink interface: the end of the pipeline (Kafka, stdout, a file).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/config_types.hpp"
#include "agent/metrics.hpp"
#include "agent/record.hpp"

namespace spdlog {
class logger;
}

namespace netfeed {

using SteadyTime = std::chrono::steady_clock::time_point;

/// Where the router sends one record.
struct Delivery {
    std::string topic;
    std::string key;
    bool has_key = false;  // false: no key at all (sticky partitioning), not an empty key
    Partitioner partitioner = Partitioner::murmur2;
    KeyEncoding key_encoding = KeyEncoding::utf8;
    ValueFormat format = ValueFormat::json;
};

struct RoutedRecord {
    Record record;
    Delivery delivery;
};

/// A topic the routes will certainly write to, known at start (no record-dependent placeholder).
struct TopicPlan {
    std::string name;
    int partitions = 0;  // 0: the sink's default
    Partitioner partitioner = Partitioner::murmur2;
    /// A configured collector emits records for it, so it must exist; the other planned
    /// topics are only created where the agent creates topics (the embedded broker).
    bool required = false;
    /// A current-state topic (route state: true): compacted where the agent creates topics.
    bool compact = false;
};

struct SinkContext {
    boost::asio::io_context& io;
    ComponentMetrics& metrics;
    std::shared_ptr<spdlog::logger> log;
    std::vector<TopicPlan> topics;
    /// agent.state_dir (empty when unset): where a sink keeps what must survive a restart.
    std::string state_dir;
};

class Sink {
  public:
    virtual ~Sink() = default;
    /// Connects and checks what must exist (topics). Throws std::runtime_error with one clear
    /// sentence when the sink cannot work (a topic missing on a cluster that will not create it).
    virtual void start(SinkContext& context) = 0;
    /// Takes records from the front of `batch`, erasing those it took. It may wait for room
    /// (backpressure) until `deadline`; records still in `batch` when it returns were not taken
    /// and will be offered again (or counted as dropped by the pipeline once the shutdown
    /// deadline passed). Every record taken is counted as sent once delivered, or as dropped
    /// with a reason.
    virtual void write(std::vector<RoutedRecord>& batch, SteadyTime deadline) = 0;
    /// Topics planned after a reload (new routes or collectors); same rules as at start.
    virtual void add_topics(const std::vector<TopicPlan>& topics) { (void)topics; }
    /// Housekeeping (delivery reports); the sink's thread calls it at least every 100 ms.
    virtual void poll() {}
    /// Waits until every record written so far is delivered or has failed, up to `deadline`.
    /// @return how many are still in flight (the caller counts them as dropped).
    virtual std::size_t flush(SteadyTime deadline) = 0;
    /// Empty when the sink works; otherwise why not (for example "all brokers are down").
    /// Called from the health endpoint's thread.
    virtual std::string health() const { return {}; }
    /// Empty when the sink works normally; otherwise why it works in a degraded way (for
    /// example "spooling: records wait for Kafka"). /healthz still answers 200 then.
    virtual std::string degraded() const { return {}; }
    /// Releases connections; called after the last flush.
    virtual void stop() {}
};

using SinkPtr = std::unique_ptr<Sink>;

}  // namespace netfeed
