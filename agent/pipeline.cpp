// The pipeline runtime; see pipeline.hpp.
#include "agent/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "agent/logging.hpp"

namespace netfeed {

namespace {

using std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(100);
// How long a sink replaced by a reload may take to deliver what it already took.
constexpr auto kReplacedSinkFlush = std::chrono::seconds(10);

std::uint32_t kind_mask(const std::vector<RecordKind>& kinds) {
    if (kinds.empty()) return ~0u;
    std::uint32_t mask = 0;
    for (RecordKind kind : kinds)
        mask |= 1u << static_cast<unsigned>(kind);
    return mask;
}

std::int64_t steady_now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Collector side: the emitter counts what is accepted and what is refused.

class Pipeline::CollectorEmitter final : public Emitter {
  public:
    CollectorEmitter(BoundedQueue<Record>& queue, const std::atomic<bool>& stopping,
                     Counter& accepted_total, ComponentMetrics& metrics)
        : queue_(queue),
          stopping_(stopping),
          accepted_total_(accepted_total),
          accepted_(metrics.registry().counter("netfeed_pipeline_accepted_total",
                                               "Records the pipeline accepted from a collector",
                                               {{"component", metrics.component()}})),
          queue_full_(metrics.dropped("queue_full")),
          stopping_drops_(metrics.dropped("stopping")) {}

    bool try_emit(Record& record) override {
        if (queue_.try_push(record)) {
            accepted();
            return true;
        }
        (queue_.closed() ? stopping_drops_ : queue_full_).inc();
        return false;
    }

    bool offer(Record& record) override {
        if (!queue_.try_push(record)) return false;
        accepted();
        return true;
    }

    bool emit(Record& record) override {
        while (!stopping_.load(std::memory_order_acquire)) {
            if (queue_.push_until(record, steady_clock::now() + kPollInterval)) {
                accepted();
                return true;
            }
            if (queue_.closed()) break;
        }
        stopping_drops_.inc();
        return false;
    }

    std::size_t try_emit_batch(std::vector<Record>& records) override {
        const std::size_t taken = queue_.try_push_batch(records);
        accepted_total_.inc(taken);
        accepted_.inc(taken);
        if (!records.empty()) {
            (queue_.closed() ? stopping_drops_ : queue_full_).inc(records.size());
            records.clear();
        }
        return taken;
    }

  private:
    void accepted() {
        accepted_total_.inc();
        accepted_.inc();
    }
    BoundedQueue<Record>& queue_;
    const std::atomic<bool>& stopping_;
    Counter& accepted_total_;
    Counter& accepted_;
    Counter& queue_full_;
    Counter& stopping_drops_;
};

struct Pipeline::RunningCollector {
    BuiltPlugin<Collector> plugin;
    std::unique_ptr<ComponentMetrics> metrics;
    std::unique_ptr<CollectorEmitter> emitter;
    std::unique_ptr<CollectorContext> context;
    bool started = false;

    void stop() {
        if (!started) return;
        plugin.instance->stop();
        started = false;
    }
};

// ---------------------------------------------------------------------------------------------
// Sink side: one queue and one thread per sink; the sink instance can be swapped by a reload
// without losing what waits in the queue.

class Pipeline::SinkSlot {
  public:
    SinkSlot(BuiltPlugin<Sink> plugin, const AgentSettings& settings, MetricsRegistry& registry,
             const Pipeline& pipeline)
        : name_(plugin.section.name),
          fingerprint_(plugin.fingerprint),
          sink_(std::move(plugin.instance)),
          queue_(settings.sink_queue_capacity),
          batch_size_(settings.batch_size),
          state_dir_(settings.state_dir.path),
          pipeline_(pipeline),
          metrics_(registry, "sink", plugin.section.name, plugin.section.type),
          shutdown_drops_(metrics_.dropped("shutdown_timeout")),
          depth_(registry.gauge_callback("netfeed_queue_depth", "Records waiting in a queue",
                                         {{"queue", "sink"}, {"sink", name_}},
                                         [this] { return static_cast<double>(queue_.size()); })),
          capacity_(registry.gauge("netfeed_queue_capacity", "Capacity of a queue",
                                   {{"queue", "sink"}, {"sink", name_}})) {
        capacity_.set(static_cast<double>(queue_.capacity()));
    }

    ~SinkSlot() { close_and_join(); }

    const std::string& name() const noexcept { return name_; }
    const std::string& fingerprint() const noexcept { return fingerprint_; }
    BoundedQueue<RoutedRecord>& queue() noexcept { return queue_; }
    ComponentMetrics& metrics() noexcept { return metrics_; }

    /// Starts the sink on the calling thread (so errors reach the caller), then the slot thread.
    void start(boost::asio::io_context& io, std::vector<TopicPlan> topics) {
        context_ = std::make_unique<SinkContext>(
            SinkContext{io, metrics_, make_logger("sink." + name_), std::move(topics), state_dir_});
        sink_->start(*context_);
        beat();
        running_.store(true, std::memory_order_release);
        thread_ = std::thread([this] { run(); });
    }

    void add_topics(const std::vector<TopicPlan>& topics) {
        std::lock_guard lock(sink_mutex_);
        sink_->add_topics(topics);
    }

    /// Hands over a started replacement; the slot thread flushes the old sink, then swaps.
    void replace(std::unique_ptr<Sink> next, std::unique_ptr<SinkContext> next_context,
                 std::string fingerprint) {
        std::lock_guard lock(sink_mutex_);
        pending_ = std::move(next);
        pending_context_ = std::move(next_context);
        fingerprint_ = std::move(fingerprint);
    }

    std::string health() const {
        std::lock_guard lock(sink_mutex_);
        return sink_ ? sink_->health() : std::string();
    }

    std::string degraded() const {
        std::string reasons;
        {
            std::lock_guard lock(sink_mutex_);
            if (sink_) reasons = sink_->degraded();
        }
        if (queue_.size() >= queue_.capacity()) {
            reasons += std::string(reasons.empty() ? "" : "; ") + "queue full";
        }
        return reasons;
    }

    /// Nanoseconds (steady clock) of the slot thread's last turn; 0 when it is not running.
    std::int64_t last_beat_ns() const noexcept {
        return running_.load(std::memory_order_acquire) ? beat_ns_.load(std::memory_order_relaxed)
                                                        : 0;
    }

    void close_and_join() {
        queue_.close();
        if (thread_.joinable()) thread_.join();
    }

  private:
    void beat() noexcept { beat_ns_.store(steady_now_ns(), std::memory_order_relaxed); }

    void run() {
        std::vector<RoutedRecord> batch;
        while (true) {
            beat();
            batch.clear();
            const std::size_t n =
                queue_.pop_batch_until(batch, batch_size_, steady_clock::now() + kPollInterval);
            if (n > 0) write_all(batch);
            sink_->poll();
            swap_if_pending();
            if (n == 0 && queue_.drained()) break;
        }
        running_.store(false, std::memory_order_release);
        const SteadyTime deadline = pipeline_.stopping() ? pipeline_.drain_deadline()
                                                         : steady_clock::now() + kReplacedSinkFlush;
        if (const std::size_t left = sink_->flush(deadline)) {
            shutdown_drops_.inc(left);
            context_->log->error(
                "{} records were not confirmed by the sink before the shutdown "
                "deadline; counted as dropped (shutdown_timeout)",
                left);
        }
        sink_->stop();
    }

    void write_all(std::vector<RoutedRecord>& batch) {
        while (!batch.empty()) {
            const SteadyTime hard = pipeline_.drain_deadline();
            const SteadyTime now = steady_clock::now();
            if (now >= hard) {
                shutdown_drops_.inc(batch.size());
                batch.clear();
                return;
            }
            sink_->write(batch, std::min(hard, now + kPollInterval));
            if (!batch.empty()) sink_->poll();
            beat();  // a sink waiting for its peer is slow, not stuck
        }
    }

    void swap_if_pending() {
        std::unique_ptr<Sink> old;
        {
            std::lock_guard lock(sink_mutex_);
            if (!pending_) return;
            old = std::move(sink_);
        }
        // Deliver what the old sink took before it goes; it holds no queued records otherwise.
        if (const std::size_t left = old->flush(steady_clock::now() + kReplacedSinkFlush)) {
            shutdown_drops_.inc(left);
            context_->log->error("{} records were not confirmed by the replaced sink in time",
                                 left);
        }
        old->stop();
        std::lock_guard lock(sink_mutex_);
        sink_ = std::move(pending_);
        context_ = std::move(pending_context_);
    }

    std::string name_;
    std::string fingerprint_;
    mutable std::mutex sink_mutex_;
    std::unique_ptr<Sink> sink_;
    std::unique_ptr<SinkContext> context_;
    std::unique_ptr<Sink> pending_;
    std::unique_ptr<SinkContext> pending_context_;
    BoundedQueue<RoutedRecord> queue_;
    std::size_t batch_size_;
    std::string state_dir_;
    const Pipeline& pipeline_;
    ComponentMetrics metrics_;
    Counter& shutdown_drops_;
    GaugeRegistration depth_;
    Gauge& capacity_;
    std::atomic<std::int64_t> beat_ns_{0};
    std::atomic<bool> running_{false};
    std::thread thread_;

    friend class Pipeline;
};

// ---------------------------------------------------------------------------------------------
// The enrichment chain and router, replaced as a whole by a reload.

struct Pipeline::ChainStep {
    std::unique_ptr<ComponentMetrics> metrics;
    std::unique_ptr<EnricherContext> context;
    std::unique_ptr<Enricher> enricher;
    std::uint32_t mask = ~0u;
    Counter* seen = nullptr;
    Counter* filtered = nullptr;
};

struct Pipeline::Chain {
    using Step = ChainStep;
    std::vector<Step> steps;
    std::unique_ptr<Router> router;
    std::vector<std::shared_ptr<SinkSlot>> slots;

    Chain() = default;
    Chain(const Chain&) = delete;
    Chain& operator=(const Chain&) = delete;
    /// The last holder (the worker or a reload) retires the chain: its enrichers stop here.
    ~Chain() { stop_enrichers(steps); }

    static void stop_enrichers(std::vector<Step>& steps) {
        for (auto& step : steps) {
            if (step.enricher) step.enricher->stop();
        }
    }
};

// ---------------------------------------------------------------------------------------------

Pipeline::Pipeline(boost::asio::io_context& io, MetricsRegistry& metrics)
    : io_(io),
      metrics_(metrics),
      accepted_total_(metrics.counter("netfeed_records_accepted_total",
                                      "Records accepted into the pipeline from all collectors")),
      worker_shutdown_drops_(metrics.counter("netfeed_component_dropped_total",
                                             "Records a component dropped, by reason",
                                             {{"stage", "router"},
                                              {"component", "router"},
                                              {"type", "router"},
                                              {"reason", "shutdown_timeout"}})) {}

Pipeline::~Pipeline() {
    if (worker_.joinable()) stop();
}

SteadyTime Pipeline::drain_deadline() const {
    const std::int64_t ns = deadline_ns_.load(std::memory_order_acquire);
    if (ns == 0) return SteadyTime::max();
    return SteadyTime(std::chrono::nanoseconds(ns));
}

std::vector<Pipeline::ChainStep> Pipeline::start_enrichers(BuiltConfig& built) {
    std::vector<Chain::Step> steps;
    for (auto& enricher : built.enrichers) {
        Chain::Step step;
        step.metrics = std::make_unique<ComponentMetrics>(
            metrics_, "enricher", enricher.section.name, enricher.section.type);
        step.context = std::make_unique<EnricherContext>(EnricherContext{
            devices_, tables_, *step.metrics, make_logger("enricher." + enricher.section.name)});
        step.enricher = std::move(enricher.instance);
        step.mask = kind_mask(enricher.section.kinds);
        step.seen = &step.metrics->received();
        step.filtered = &step.metrics->dropped("filtered");
        try {
            step.enricher->start(*step.context);
        } catch (const std::exception& e) {
            Chain::stop_enrichers(steps);
            throw std::runtime_error("enricher " + enricher.section.name +
                                     " cannot start: " + e.what());
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

std::shared_ptr<Pipeline::Chain> Pipeline::make_chain(
    BuiltConfig& built, std::vector<Chain::Step> steps, const std::vector<std::string>& names,
    const std::vector<std::shared_ptr<SinkSlot>>& slots) {
    auto chain = std::make_shared<Chain>();
    chain->steps = std::move(steps);
    chain->router =
        std::make_unique<Router>(built.config, names, devices_, metrics_, state_keys_.get());
    for (const auto& name : names) {
        auto it = std::find_if(slots.begin(), slots.end(),
                               [&](const auto& slot) { return slot->name() == name; });
        chain->slots.push_back(*it);
    }
    return chain;
}

void Pipeline::start_collector(RunningCollector& running) {
    auto& section = running.plugin.section;
    running.metrics =
        std::make_unique<ComponentMetrics>(metrics_, "collector", section.name, section.type);
    running.emitter =
        std::make_unique<CollectorEmitter>(*input_, stopping_, accepted_total_, *running.metrics);
    running.context = std::make_unique<CollectorContext>(
        CollectorContext{io_, *running.emitter, devices_, tables_, *running.metrics,
                         make_logger("collector." + section.name), [this, name = section.name] {
                             if (input_finished_) input_finished_(name);
                         }});
    if (!settings_.state_dir.empty()) {
        running.context->state_dir =
            (std::filesystem::path(settings_.state_dir.path) / section.name).string();
    }
    running.context->poll_ledger = poll_ledger_;
    running.plugin.instance->start(*running.context);
    running.started = true;
}

void Pipeline::log_device_share(const DeviceSnapshot& devices) {
    const DeviceShare& share = devices.share();
    if (!share.filters()) return;
    std::size_t polled = 0;
    std::size_t total = 0;
    for (const Device& device : devices.all()) {
        if (device.collectors.empty()) continue;  // not polled by anyone
        ++total;
        polled += share.includes(device) ? 1 : 0;
    }
    spdlog::info(
        "this agent polls {} of the {} devices with polling collectors ({}); the others "
        "are left to the other agents of the fleet",
        polled, total, share.describe());
}

void Pipeline::start(BuiltConfig built) {
    settings_ = built.config.agent;
    devices_.replace(built.devices);
    log_device_share(*built.devices);
    input_ = std::make_unique<BoundedQueue<Record>>(settings_.queue_capacity);
    input_depth_ = metrics_.gauge_callback("netfeed_queue_depth", "Records waiting in a queue",
                                           {{"queue", "input"}, {"sink", ""}},
                                           [this] { return static_cast<double>(input_->size()); });
    metrics_
        .gauge("netfeed_queue_capacity", "Capacity of a queue", {{"queue", "input"}, {"sink", ""}})
        .set(static_cast<double>(input_->capacity()));

    // The keys of state topics come first: without them, tombstones owed would be forgotten.
    state_keys_ = std::make_unique<StateKeys>(
        settings_.state_dir.empty()
            ? std::string()
            : (std::filesystem::path(settings_.state_dir.path) / "state-topic-keys.json").string());
    if (!settings_.state_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(settings_.state_dir.path, ec);
        if (ec) {
            throw std::runtime_error("cannot create agent.state_dir " + settings_.state_dir.path +
                                     ": " + ec.message());
        }
    }
    state_keys_->load();

    // Sinks first: a collector must never produce into a pipeline that cannot deliver.
    const auto produced = built.produced_kinds();
    const auto requested = built.requested_topics();
    const auto names = built.sink_names();  // before the sinks move into their slots
    Router planner(built.config, names, devices_, metrics_);
    if (planner.has_state_routes() && settings_.state_dir.empty()) {
        spdlog::warn(
            "agent.state_dir is not set: the keys sent to state topics are kept in memory only, "
            "so devices removed while the agent is down will get no tombstones");
    }
    for (std::size_t i = 0; i < built.sinks.size(); ++i) {
        auto slot =
            std::make_shared<SinkSlot>(std::move(built.sinks[i]), settings_, metrics_, *this);
        slot->start(io_, planner.topic_plan(i, produced, requested));
        slots_.push_back(std::move(slot));
    }
    chain_ = make_chain(built, start_enrichers(built), names, slots_);
    worker_beat_ns_.store(steady_now_ns(), std::memory_order_relaxed);
    worker_ = std::thread([this] { run_worker(); });
    // Devices removed from the list while the agent was down.
    forget_departed_devices(*built.devices);

    // Inputs that only feed other collectors (a pcap input emits no records of its own) start
    // last, so that every port they deliver to is registered by then.
    std::stable_partition(
        built.collectors.begin(), built.collectors.end(),
        [](const BuiltPlugin<Collector>& c) { return !c.instance->kinds().empty(); });
    for (auto& collector : built.collectors) {
        auto running = std::make_unique<RunningCollector>();
        running->plugin = std::move(collector);
        start_collector(*running);
        collectors_.push_back(std::move(running));
    }
}

void Pipeline::reload(BuiltConfig next) {
    auto log = spdlog::default_logger();
    // 1. Everything that can fail comes first, so that a failure leaves the old setup running.
    const auto produced = next.produced_kinds();
    const auto requested = next.requested_topics();
    const auto names = next.sink_names();  // before the sinks move out of `next`
    Router planner(next.config, names, devices_, metrics_);
    // Fresh enricher instances start before anything changes; they stop again on a failure.
    std::vector<Chain::Step> steps = start_enrichers(next);
    struct SinkChange {
        std::shared_ptr<SinkSlot> existing;  // null: a new sink
        BuiltPlugin<Sink> built;
        std::unique_ptr<SinkContext> context;
        std::shared_ptr<SinkSlot> fresh;
        std::vector<TopicPlan> topics;
    };
    std::vector<SinkChange> changes;
    for (std::size_t i = 0; i < next.sinks.size(); ++i) {
        auto& built = next.sinks[i];
        auto it = std::find_if(slots_.begin(), slots_.end(), [&](const auto& slot) {
            return slot->name() == built.section.name;
        });
        SinkChange change;
        change.topics = planner.topic_plan(i, produced, requested);
        if (it != slots_.end() && (*it)->fingerprint() == built.fingerprint) {
            (*it)->add_topics(change.topics);
            continue;
        }
        change.existing = it != slots_.end() ? *it : nullptr;
        change.built = std::move(built);
        changes.push_back(std::move(change));
    }
    for (std::size_t i = 0; i < changes.size(); ++i) {
        auto& change = changes[i];
        try {
            if (change.existing) {
                auto& slot = *change.existing;
                change.context = std::make_unique<SinkContext>(
                    SinkContext{io_, slot.metrics(), make_logger("sink." + slot.name()),
                                change.topics, next.config.agent.state_dir.path});
                change.built.instance->start(*change.context);
            } else {
                change.fresh =
                    std::make_shared<SinkSlot>(std::move(change.built), settings_, metrics_, *this);
                change.fresh->start(io_, change.topics);
            }
        } catch (const std::exception& e) {
            for (std::size_t k = 0; k < i; ++k) {
                if (changes[k].built.instance) changes[k].built.instance->stop();
                if (changes[k].fresh) changes[k].fresh->close_and_join();
            }
            Chain::stop_enrichers(steps);
            throw std::runtime_error("reload abandoned, the running configuration stays: " +
                                     std::string(e.what()));
        }
    }

    // 2. Swap in devices, sinks and the chain.
    devices_.replace(next.devices);
    log_device_share(*next.devices);
    for (auto& change : changes) {
        if (change.existing) {
            log->info("sink {} changed: swapping it after it delivers what it holds",
                      change.existing->name());
            change.existing->replace(std::move(change.built.instance), std::move(change.context),
                                     change.built.fingerprint);
        } else {
            log->info("sink {} added", change.fresh->name());
            slots_.push_back(change.fresh);
        }
    }
    for (auto it = slots_.begin(); it != slots_.end();) {
        if (std::find(names.begin(), names.end(), (*it)->name()) == names.end()) {
            log->info("sink {} removed: it delivers what it holds, then closes", (*it)->name());
            retired_.push_back(*it);
            it = slots_.erase(it);
        } else {
            ++it;
        }
    }
    auto chain = make_chain(next, std::move(steps), names, slots_);
    {
        std::lock_guard lock(chain_mutex_);
        chain_ = std::move(chain);
    }

    // 3. Collectors: keep the unchanged ones running (no socket is closed, no packet lost).
    std::vector<std::unique_ptr<RunningCollector>> kept;
    for (auto& built : next.collectors) {
        auto it = std::find_if(collectors_.begin(), collectors_.end(), [&](const auto& running) {
            return running && running->plugin.section.name == built.section.name &&
                   running->plugin.fingerprint == built.fingerprint;
        });
        if (it != collectors_.end()) {
            kept.push_back(std::move(*it));
            continue;
        }
        auto running = std::make_unique<RunningCollector>();
        running->plugin = std::move(built);
        kept.push_back(std::move(running));
    }
    for (auto& old : collectors_) {
        if (old) {
            log->info("collector {} stopped (removed or changed)", old->plugin.section.name);
            old->stop();
        }
    }
    collectors_ = std::move(kept);
    // The removed devices' pollers have stopped: their tombstones queue behind their last records.
    forget_departed_devices(*next.devices);
    // As at start, inputs that only feed other collectors start after those that emit.
    std::vector<RunningCollector*> to_start;
    for (auto& running : collectors_) {
        if (!running->started) to_start.push_back(running.get());
    }
    std::stable_partition(to_start.begin(), to_start.end(), [](const RunningCollector* c) {
        return !c->plugin.instance->kinds().empty();
    });
    for (RunningCollector* running : to_start) {
        try {
            start_collector(*running);
            log->info("collector {} started", running->plugin.section.name);
        } catch (const std::exception& e) {
            running->metrics->errors("start").inc();
            log->error("collector {} could not start: {}", running->plugin.section.name, e.what());
        }
    }
    settings_.shutdown_timeout = next.config.agent.shutdown_timeout;
    collect_retired();
}

bool Pipeline::inject(Record record, std::chrono::milliseconds wait) {
    if (!input_ || !input_->push_until(record, steady_clock::now() + wait)) return false;
    accepted_total_.inc();
    return true;
}

void Pipeline::forget_departed_devices(const DeviceSnapshot& devices) {
    for (const std::string& name : state_keys_->devices()) {
        if (devices.by_name(name) != nullptr) continue;
        Record marker;
        marker.kind = RecordKind::status;
        marker.device = name;
        marker.forget_device = true;
        marker.time = marker.received = Clock::now();
        if (!input_->push_until(marker, steady_clock::now() + settings_.shutdown_timeout)) {
            // Its keys stay remembered: the next reload or start sends the tombstones.
            spdlog::error(
                "cannot queue the tombstones of removed device {} (pipeline full); "
                "they go out on the next reload or restart",
                name);
            continue;
        }
        spdlog::info("device {} left the device list: tombstones follow for its state-topic keys",
                     name);
    }
}

void Pipeline::collect_retired() {
    for (auto it = retired_.begin(); it != retired_.end();) {
        // Only the retired list holds it: no chain can route to it any more.
        if (it->use_count() == 1) {
            (*it)->close_and_join();
            it = retired_.erase(it);
        } else {
            ++it;
        }
    }
}

void Pipeline::run_worker() {
    std::vector<Record> batch;
    std::vector<std::vector<RoutedRecord>> per_sink;
    while (true) {
        worker_beat_ns_.store(steady_now_ns(), std::memory_order_relaxed);
        batch.clear();
        const std::size_t n = input_->pop_batch_until(batch, settings_.batch_size,
                                                      steady_clock::now() + kPollInterval);
        if (n == 0) {
            if (input_->drained()) break;
            save_state_keys(std::chrono::seconds(1));
            continue;
        }
        if (steady_clock::now() >= drain_deadline()) {
            worker_shutdown_drops_.inc(n);
            continue;
        }
        std::shared_ptr<Chain> chain;
        {
            std::lock_guard lock(chain_mutex_);
            chain = chain_;
        }
        per_sink.resize(chain->slots.size());
        for (auto& step : chain->steps)
            step.enricher->prefetch(batch);
        for (Record& record : batch) {
            bool keep = true;
            // Tombstones carry no value: nothing to enrich.
            const std::uint32_t bit = record.tombstone || record.forget_device
                                          ? 0u
                                          : 1u << static_cast<unsigned>(record.kind);
            for (auto& step : chain->steps) {
                if ((step.mask & bit) == 0) continue;
                step.seen->inc();
                if (!step.enricher->enrich(record)) {
                    step.filtered->inc();
                    keep = false;
                    break;
                }
            }
            if (keep) chain->router->route(std::move(record), per_sink);
        }
        deliver_to_sinks(*chain, per_sink);
        save_state_keys(std::chrono::seconds(1));
    }
    save_state_keys(std::chrono::seconds(0));
}

void Pipeline::save_state_keys(std::chrono::steady_clock::duration min_interval) {
    const std::string error = state_keys_->save_if_due(min_interval);
    std::uint64_t suppressed = 0;
    if (!error.empty() && state_save_log_.allow(suppressed)) {
        spdlog::error("state-topic keys not saved: {}; retrying (and {} more like it)", error,
                      suppressed);
    }
}

void Pipeline::deliver_to_sinks(Chain& chain, std::vector<std::vector<RoutedRecord>>& per_sink) {
    for (std::size_t i = 0; i < per_sink.size(); ++i) {
        auto& records = per_sink[i];
        while (!records.empty()) {
            const SteadyTime hard = drain_deadline();
            const SteadyTime now = steady_clock::now();
            if (now >= hard) {
                chain.slots[i]->shutdown_drops_.inc(records.size());
                records.clear();
                break;
            }
            // Waiting here is the backpressure: the input queue fills up behind us.
            chain.slots[i]->queue().push_batch_until(records, std::min(hard, now + kPollInterval));
            worker_beat_ns_.store(steady_now_ns(), std::memory_order_relaxed);
        }
    }
}

PipelineReport Pipeline::stop() {
    if (stopping_.exchange(true)) return report();
    const auto deadline = steady_clock::now() + settings_.shutdown_timeout;
    deadline_ns_.store(
        std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count(),
        std::memory_order_release);
    for (auto& running : collectors_)
        running->stop();
    if (input_) input_->close();
    if (worker_.joinable()) worker_.join();
    {
        std::lock_guard lock(chain_mutex_);
        chain_.reset();
    }
    for (auto& slot : slots_)
        slot->close_and_join();
    for (auto& slot : retired_)
        slot->close_and_join();
    // Collectors go last: their threads may still reference the emitter until stop() returned.
    collectors_.clear();
    return report();
}

std::string Pipeline::stalled(std::chrono::steady_clock::duration max_silence) const {
    if (stopping() || !worker_.joinable()) return {};
    const std::int64_t now = steady_now_ns();
    const std::int64_t limit =
        std::chrono::duration_cast<std::chrono::nanoseconds>(max_silence).count();
    std::string stuck;
    const auto check = [&](std::int64_t beat, const std::string& what) {
        if (beat == 0 || now - beat <= limit) return;
        stuck += (stuck.empty() ? "" : "; ") + what + " made no progress for " +
                 std::to_string((now - beat) / 1000000000) + "s";
    };
    check(worker_beat_ns_.load(std::memory_order_relaxed), "the enrichment worker");
    for (const auto& slot : slots_)
        check(slot->last_beat_ns(), "sink " + slot->name());
    return stuck;
}

std::string Pipeline::health() const {
    std::string problems;
    for (const auto& slot : slots_) {
        const std::string h = slot->health();
        if (!h.empty()) problems += (problems.empty() ? "" : "\n") + slot->name() + ": " + h;
    }
    if (stopping()) problems += std::string(problems.empty() ? "" : "\n") + "agent is stopping";
    return problems;
}

std::string Pipeline::degraded() const {
    std::string reasons;
    for (const auto& slot : slots_) {
        const std::string d = slot->degraded();
        if (!d.empty()) reasons += (reasons.empty() ? "" : "\n") + slot->name() + ": " + d;
    }
    if (input_ && input_->size() >= input_->capacity()) {
        reasons += std::string(reasons.empty() ? "" : "\n") + "input queue full";
    }
    return reasons;
}

PipelineReport Pipeline::report() const {
    PipelineReport report;
    report.accepted = accepted_total_.value();
    nlohmann::json sent = nlohmann::json::object();
    for (const auto& [labels, value] : metrics_.counter_values("netfeed_component_sent_total")) {
        if (labels.find("stage=\"sink\"") == std::string::npos) continue;
        report.sent += value;
        sent[labels] = value;
    }
    nlohmann::json dropped = nlohmann::json::object();
    for (const auto& [labels, value] : metrics_.counter_values("netfeed_component_dropped_total")) {
        if (value == 0) continue;
        // Records a collector could not hand over were never accepted: they are reported but
        // are not part of what the pipeline lost.
        if (labels.find("stage=\"collector\"") == std::string::npos) report.dropped += value;
        dropped[labels] = value;
    }
    report.details = {{"accepted", report.accepted},
                      {"sent", report.sent},
                      {"dropped", report.dropped},
                      {"sent_by_sink", sent},
                      {"dropped_by_reason", dropped}};
    return report;
}

}  // namespace netfeed
