// The collector interface: a source of records (a UDP receiver, a poller, a file tailer).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/device_directory.hpp"
#include "agent/fleet.hpp"
#include "agent/metrics.hpp"
#include "agent/record.hpp"
#include "agent/shared_tables.hpp"

namespace spdlog {
class logger;
}

namespace netfeed {

/// Where a collector hands its records to the pipeline. Accepted records are the agent's
/// responsibility from then on: they reach a sink or are counted as dropped with a reason.
class Emitter {
  public:
    virtual ~Emitter() = default;
    /// For push inputs (UDP) that must not wait: false when the pipeline is full; the record is
    /// then counted as dropped (reason queue_full) and left in `record`.
    virtual bool try_emit(Record& record) = 0;
    /// Like try_emit, but a refusal is not a drop: the caller keeps the record and offers it
    /// again later (a TCP receiver that stops reading its connection meanwhile).
    virtual bool offer(Record& record) = 0;
    /// For pull inputs (pollers, file tailers) running on their own thread: waits for room as
    /// long as it takes (backpressure). False only when the agent is stopping; the record is
    /// then counted as dropped (reason stopping). Never call it from an io_context thread.
    virtual bool emit(Record& record) = 0;
    /// Batch form of try_emit; returns how many were accepted, the rest are counted as dropped.
    virtual std::size_t try_emit_batch(std::vector<Record>& records) = 0;
};

/// What a running collector may use. Everything outlives the collector.
struct CollectorContext {
    boost::asio::io_context& io;
    Emitter& emitter;
    const DeviceDirectory& devices;
    SharedTables& tables;
    ComponentMetrics& metrics;
    std::shared_ptr<spdlog::logger> log;
    /// Called by a collector whose input ends by itself (a replayed capture); `netfeed replay`
    /// stops the agent, draining every queue, once all such inputs ended.
    std::function<void()> input_finished;
    /// This collector's own directory for state kept across restarts:
    /// `<agent.state_dir>/<collector name>` (created on first save). Empty: keep nothing.
    std::string state_dir;
    /// Set when this agent is a fleet member (agent.fleet): polling collectors then poll at the
    /// fleet's wall-clock slots (agent/poll_slots.hpp) and record each finished poll here.
    PollLedger* poll_ledger = nullptr;
};

/// A topic a collector's records ask for by name (Record::topic).
struct TopicRequest {
    RecordKind kind;
    std::string topic;
};

class Collector {
  public:
    virtual ~Collector() = default;
    /// The kinds of records it emits: the agent checks their topics exist before starting.
    virtual std::vector<RecordKind> kinds() const = 0;
    /// The topics its records name (Record::topic), known from its options: planned (created
    /// on the embedded broker, checked on a cluster) like the routes' own topics.
    virtual std::vector<TopicRequest> topics() const { return {}; }
    /// Opens sockets, arms timers or starts threads, and returns at once. Errors that make the
    /// collector unusable (a port in use) throw std::runtime_error with one clear sentence.
    /// @param context lives until after stop() returns.
    virtual void start(CollectorContext& context) = 0;
    /// Stops every input. After it returns the collector emits nothing more.
    virtual void stop() = 0;
};

using CollectorPtr = std::unique_ptr<Collector>;

}  // namespace netfeed
