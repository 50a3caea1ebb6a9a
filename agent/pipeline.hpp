// The running pipeline: collectors -> [input queue] -> enrichers -> router -> [queue per sink]
// -> sinks, with bounded queues, backpressure, counted drops, reload and a bounded drain on stop.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "agent/bounded_queue.hpp"
#include "agent/built_config.hpp"
#include "agent/logging.hpp"
#include "agent/metrics.hpp"
#include "agent/router.hpp"
#include "agent/state_keys.hpp"

namespace netfeed {

/// Final record counts, logged and written to agent.stats_file when the agent stops.
struct PipelineReport {
    std::uint64_t accepted = 0;
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    nlohmann::json details;
};

class Pipeline {
  public:
    Pipeline(boost::asio::io_context& io, MetricsRegistry& metrics);

    /// Called (from any thread) with the collector's name when its input ended by itself.
    void on_input_finished(std::function<void(const std::string&)> callback) {
        input_finished_ = std::move(callback);
    }
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// Starts everything. Throws std::runtime_error when a sink or collector cannot start.
    void start(BuiltConfig built);
    /// Replaces the running configuration with `next`, keeping every collector and sink whose
    /// configuration did not change and every record already queued. Throws (and keeps running
    /// as before) when a new sink cannot start.
    void reload(BuiltConfig next);
    /// Stops inputs, drains the queues into the sinks and waits for delivery, all within the
    /// agent.shutdown_timeout; what is left then is counted as dropped (shutdown_timeout).
    PipelineReport stop();

    /// Empty while the worker and every sink thread keep turning (each turn takes at most a poll
    /// interval, or a bounded write); otherwise which of them went quiet for longer than
    /// `max_silence`: a stuck thread, which the systemd watchdog should restart.
    std::string stalled(std::chrono::steady_clock::duration max_silence) const;
    /// Empty when healthy; otherwise every problem, one per line.
    std::string health() const;
    /// Empty when nothing is degraded; otherwise the reasons, one per line (still working).
    std::string degraded() const;
    /// Releases sinks that a reload removed once nothing can route to them any more.
    void collect_retired();
    const DeviceDirectory& devices() const noexcept { return devices_; }
    /// The fleet's poll ledger, handed to collectors started from now on (before start()).
    void set_poll_ledger(PollLedger* ledger) noexcept { poll_ledger_ = ledger; }
    /// Queues a record the agent makes itself (a fleet status record), counted as accepted;
    /// false when the pipeline stayed full for `wait`.
    bool inject(Record record, std::chrono::milliseconds wait);
    SharedTables& tables() noexcept { return tables_; }
    PipelineReport report() const;

  private:
    class CollectorEmitter;
    class SinkSlot;
    struct RunningCollector;
    struct Chain;
    struct ChainStep;

    void run_worker();
    void start_collector(RunningCollector& running);
    /// Starts the config's enrichers (fresh instances) as the steps of a chain.
    std::vector<ChainStep> start_enrichers(BuiltConfig& built);
    std::shared_ptr<Chain> make_chain(BuiltConfig& built, std::vector<ChainStep> steps,
                                      const std::vector<std::string>& names,
                                      const std::vector<std::shared_ptr<SinkSlot>>& slots);
    void plan_topics(const BuiltConfig& built, Router& router,
                     const std::vector<std::shared_ptr<SinkSlot>>& slots, bool at_start);
    void deliver_to_sinks(Chain& chain, std::vector<std::vector<RoutedRecord>>& per_sink);
    /// Queues a forget-device marker for every device with state-topic keys that `devices`
    /// no longer lists; the worker turns each into tombstones behind the device's last records.
    void forget_departed_devices(const DeviceSnapshot& devices);
    /// One log line saying which share of the device list this agent polls (agent.shard).
    static void log_device_share(const DeviceSnapshot& devices);
    void save_state_keys(std::chrono::steady_clock::duration min_interval);
    bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }
    SteadyTime drain_deadline() const;

    boost::asio::io_context& io_;
    MetricsRegistry& metrics_;
    DeviceDirectory devices_;
    SharedTables tables_;
    AgentSettings settings_;

    std::unique_ptr<BoundedQueue<Record>> input_;
    std::vector<std::unique_ptr<RunningCollector>> collectors_;
    std::vector<std::shared_ptr<SinkSlot>> slots_;
    std::vector<std::shared_ptr<SinkSlot>> retired_;

    std::unique_ptr<StateKeys> state_keys_ = std::make_unique<StateKeys>("");
    LogRateLimiter state_save_log_;

    mutable std::mutex chain_mutex_;
    std::shared_ptr<Chain> chain_;

    std::thread worker_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> deadline_ns_{0};
    std::atomic<std::int64_t> worker_beat_ns_{0};
    std::function<void(const std::string&)> input_finished_;
    Counter& accepted_total_;
    PollLedger* poll_ledger_ = nullptr;
    Counter& worker_shutdown_drops_;
    GaugeRegistration input_depth_;
};

}  // namespace netfeed
