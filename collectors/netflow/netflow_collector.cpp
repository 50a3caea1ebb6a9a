// The NetFlow/IPFIX collector; see netflow_collector.hpp.
#include "collectors/netflow/netflow_collector.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "agent/state_file.hpp"
#include "collectors/common/emit_decoded.hpp"
#include "collectors/netflow/decode_snapshot.hpp"
#include "collectors/netflow/netflow_record.hpp"
#include "collectors/netflow/snapshot_json.hpp"

namespace netfeed::netflow {

namespace {

constexpr auto kHousekeepingInterval = std::chrono::seconds(5);
// Templates change rarely; when they do, a second's delay bounds both the fsyncs and what a
// crash can lose (the exporter resends its templates within minutes anyway).
constexpr auto kSaveInterval = std::chrono::seconds(1);
// Flow records a receive batch collects before they go to the pipeline even mid-batch: about
// one batch of full 1,400-byte exports (64 datagrams of up to ~30 flows).
constexpr std::size_t kMaxPending = 2048;

// The `workers` option: 0 is one per two cores, at most 8. Receiving, decoding and building
// the records is about a third of the agent's work per flow (docs/PERFORMANCE.md, "Flows at
// line rate"): the other cores go to the pipeline, the sink and librdkafka.
std::size_t worker_count(int configured) {
    if (configured > 0) return static_cast<std::size_t>(configured);
    return std::clamp<std::size_t>(std::thread::hardware_concurrency() / 2, 1, 8);
}

FlowAddress to_flow_address(const IpAddress& a) {
    if (a.is_v4()) {
        const auto b = a.to_v4().to_bytes();
        return FlowAddress::v4(b.data());
    }
    if (a.is_v6()) {
        const auto v6 = a.to_v6();
        // An IPv4 exporter seen on a dual-stack socket is still that IPv4 exporter.
        if (v6.is_v4_mapped()) {
            const auto b =
                boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_bytes();
            return FlowAddress::v4(b.data());
        }
        const auto b = v6.to_bytes();
        return FlowAddress::v6(b.data());
    }
    return {};
}

std::uint64_t to_ns(Timestamp t) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

DecoderLimits limits_of(const NetflowOptions& o) {
    DecoderLimits limits;
    limits.max_templates_per_exporter = o.max_templates_per_exporter;
    limits.max_held_bytes_per_exporter = o.max_held_bytes_per_exporter;
    limits.held_timeout_ns = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(o.held_timeout).count());
    limits.template_timeout_ns = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(o.template_timeout).count());
    return limits;
}

}  // namespace

NetflowCollector::NetflowCollector(NetflowOptions options) : options_(std::move(options)) {}

NetflowCollector::~NetflowCollector() {
    stop();
}

void NetflowCollector::start(CollectorContext& context) {
    context_ = &context;
    *alive_ = true;
    decoder_ = std::make_unique<FlowDecoder>(limits_of(options_));
    published_ = {};
    auto& m = context.metrics;
    for (std::size_t i = 0; i < error_counters_.size(); ++i) {
        error_counters_[i] = &m.errors(to_string(static_cast<DecodeError>(i)));
    }
    truncated_datagrams_ = &m.errors("datagram_truncated");
    const auto counter = [&](const char* name, const char* help) -> Counter& {
        return m.registry().counter(name, help, m.labels());
    };
    sequence_lost_ = &counter("netfeed_netflow_sequence_lost_total",
                              "Export packets (v9) or flows (v5, IPFIX) that sequence numbers "
                              "say never arrived");
    templates_ = &counter("netfeed_netflow_templates_received_total",
                          "Template records learnt or refreshed");
    held_decoded_ = &counter("netfeed_netflow_held_flows_decoded_total",
                             "Flows that arrived before their template and were decoded when it "
                             "came");
    gauges_.push_back(m.registry().gauge_callback(
        "netfeed_netflow_templates", "Templates currently known", {m.component_label()}, [this] {
            std::lock_guard lock(decoder_mutex_);
            return decoder_ ? static_cast<double>(decoder_->template_count()) : 0.0;
        }));
    gauges_.push_back(m.registry().gauge_callback(
        "netfeed_netflow_held_bytes", "Bytes of data held while waiting for their template",
        {m.component_label()}, [this] {
            std::lock_guard lock(decoder_mutex_);
            return decoder_ ? static_cast<double>(decoder_->held_bytes()) : 0.0;
        }));
    saved_changes_ = 0;  // a fresh decoder: nothing of it saved yet
    if (!context.state_dir.empty()) {
        state_path_ = (std::filesystem::path(context.state_dir) / "templates.json").string();
        state_saves_ = &state_saves_counter(m);
        state_save_errors_ = &m.errors("state_save_failed");
        load_state();
    }
    try {
        for (const Endpoint& listen : options_.listen)
            start_listener(context, listen);
    } catch (...) {
        stop();
        throw;
    }
    schedule_housekeeping();
    if (!state_path_.empty()) schedule_save();
    if (context.fleet != nullptr) start_fleet_sharing();
}

void NetflowCollector::start_fleet_sharing() {
    CollectorContext& context = *context_;
    auto& m = context.metrics;
    fleet_imported_ = &m.registry().counter(
        "netfeed_netflow_fleet_templates_imported_total",
        "Templates and sampling tables taken from other agents of the fleet", m.labels());
    fleet_published_ = &m.registry().counter(
        "netfeed_netflow_fleet_templates_published_total",
        "Templates and sampling tables this agent shared with the fleet", m.labels());
    fleet_templates_ = std::make_unique<FleetTemplates>(*context.fleet);
    {
        // Restored from state_dir: already shared by whoever received them.
        std::lock_guard lock(decoder_mutex_);
        fleet_published_changes_ = decoder_->state_changes();
    }
    fleet_subscription_ = context.fleet->subscribe(
        [this](std::string_view key, std::string_view value) { take_fleet_entry(key, value); });
    schedule_fleet_publish();
}

void NetflowCollector::take_fleet_entry(std::string_view key, std::string_view value) {
    std::optional<DecoderSnapshot> shared = fleet_templates_->take(key, value);
    if (!shared) return;
    const auto max_age = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(options_.template_state_max_age)
            .count());
    std::lock_guard lock(decoder_mutex_);
    if (!decoder_) return;
    const SnapshotImport result = decoder_->import_state(*shared, to_ns(Clock::now()), max_age);
    // What came from the fleet is not ours to publish again.
    fleet_published_changes_ = decoder_->state_changes();
    fleet_imported_->inc(result.templates + shared->sampling.size());
}

void NetflowCollector::schedule_fleet_publish() {
    if (!fleet_timer_) fleet_timer_ = std::make_unique<boost::asio::steady_timer>(context_->io);
    fleet_timer_->expires_after(kSaveInterval);
    std::weak_ptr<bool> alive = alive_;
    fleet_timer_->async_wait([this, alive](const boost::system::error_code& ec) {
        auto still = alive.lock();
        if (ec || !still || !*still) return;
        DecoderSnapshot snapshot;
        {
            std::lock_guard lock(decoder_mutex_);
            if (!decoder_) return;
            const std::uint64_t changes = decoder_->state_changes();
            if (changes != fleet_published_changes_) {
                fleet_published_changes_ = changes;
                snapshot = decoder_->export_state();
            }
        }
        fleet_published_->inc(fleet_templates_->publish(snapshot));
        schedule_fleet_publish();
    });
}

void NetflowCollector::load_state() {
    CollectorContext& context = *context_;
    std::string text;
    std::string error;
    const StateRead read = read_state_file(state_path_, text, error);
    if (read == StateRead::missing) {
        context.log->info("netflow: no saved templates in {} yet", state_path_);
        return;
    }
    std::optional<DecoderSnapshot> snapshot;
    if (read == StateRead::ok) snapshot = snapshot_from_json(text, error);
    if (!snapshot) {
        state_load_errors_counter(context.metrics).inc();
        // Kept aside for a look, and out of the way of the next save.
        std::error_code ec;
        std::filesystem::rename(state_path_, state_path_ + ".corrupt", ec);
        context.log->warn(
            "netflow: ignoring saved templates in {} ({}); moved to {}.corrupt, "
            "starting without them",
            state_path_, error, state_path_);
        return;
    }
    const auto max_age = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(options_.template_state_max_age)
            .count());
    std::lock_guard lock(decoder_mutex_);
    const SnapshotImport result = decoder_->import_state(*snapshot, to_ns(Clock::now()), max_age);
    saved_changes_ = decoder_->state_changes();
    context.log->info(
        "netflow: restored {} templates of {} exporters from {} ({} older than "
        "template_state_max_age left out, {} refused)",
        result.templates, result.exporters, state_path_, result.too_old, result.refused);
}

void NetflowCollector::schedule_save() {
    if (!save_timer_) save_timer_ = std::make_unique<boost::asio::steady_timer>(context_->io);
    save_timer_->expires_after(kSaveInterval);
    std::weak_ptr<bool> alive = alive_;
    save_timer_->async_wait([this, alive](const boost::system::error_code& ec) {
        auto still = alive.lock();
        if (ec || !still || !*still) return;
        save_state();
        schedule_save();
    });
}

void NetflowCollector::save_state() {
    std::lock_guard save_lock(save_mutex_);
    DecoderSnapshot snapshot;
    std::uint64_t changes = 0;
    {
        std::lock_guard lock(decoder_mutex_);
        if (!decoder_) return;
        changes = decoder_->state_changes();
        if (changes == saved_changes_) return;
        snapshot = decoder_->export_state();
    }
    // Written without the decoder's lock: packets keep decoding during the fsync.
    const std::string error =
        write_state_file(state_path_, snapshot_to_json(snapshot, to_ns(Clock::now())));
    if (!error.empty()) {
        state_save_errors_->inc();
        std::uint64_t held = 0;
        if (state_error_log_.allow(held)) {
            context_->log->warn("netflow: cannot save templates: {} ({} more since)", error, held);
        }
        return;
    }
    saved_changes_ = changes;
    state_saves_->inc();
}

void NetflowCollector::start_listener(CollectorContext& context, const Endpoint& listen) {
    DatagramListenSpec spec;
    spec.collector = "netflow";
    spec.what = "NetFlow v5/v9 and IPFIX";
    spec.bind = options_.bind;
    spec.receive_buffer_bytes = options_.receive_buffer_bytes;
    spec.truncated = truncated_datagrams_;
    spec.workers = worker_count(options_.workers);
    // Scratch for every socket this listen address opens, before the first datagram can come.
    for (std::size_t w = 0; w < spec.workers; ++w)
        scratch_.push_back(std::make_unique<Scratch>());
    spec.after_batch = [this](std::size_t tag) { emit_pending(*scratch_[tag]); };
    // A capture (netfeed replay, or a pcap input on a mirror port) feeds the same decoder.
    listeners_.open(context, listen, spec, [this](const Datagram& d) {
        on_packet(d.payload, d.from.address(), d.received, d.can_wait,
                  d.socket != nullptr ? scratch_[d.socket->tag()].get() : nullptr);
    });
}

void NetflowCollector::on_packet(std::span<const std::uint8_t> payload, const IpAddress& exporter,
                                 Timestamp received, bool can_wait, Scratch* scratch) {
    CollectorContext& context = *context_;
    context.metrics.received().inc();
    const std::string device = context.devices.name_for(exporter);
    std::unique_lock<std::mutex> capture_lock;
    if (scratch == nullptr) {
        // A capture's packet is built and emitted before the call returns.
        capture_lock = std::unique_lock(capture_mutex_);
        scratch = &capture_scratch_;
    }
    Scratch& s = *scratch;
    s.flows.clear();
    {
        std::lock_guard lock(decoder_mutex_);
        if (!decoder_) return;  // stopped meanwhile
        const DecodeResult result =
            decoder_->decode(payload, to_flow_address(exporter), to_ns(received), s.flows);
        if (!result.ok) {
            std::uint64_t held = 0;
            if (decode_error_log_.allow(held)) {
                context.log->warn(
                    "netflow: dropped a {}-byte export packet from {} ({}): {} ({} more "
                    "decode errors since)",
                    payload.size(), exporter.to_string(), device, to_string(result.error), held);
            }
        }
    }
    // The records are built outside the decoder's lock: the workers do this part in parallel.
    for (const FlowRecord& flow : s.flows)
        s.pending.push_back(make_flow_record(flow, device, options_.key, received));
    if (can_wait) {
        // A replayed capture: wait for room rather than drop, packet by packet.
        if (!s.pending.empty()) emit_decoded(context, s.pending, true);
        return;
    }
    // Else handed over when the socket's receive batch ends; a burst of large exports is not
    // kept waiting for the whole batch.
    if (capture_lock.owns_lock() || s.pending.size() >= kMaxPending) emit_pending(s);
}

void NetflowCollector::emit_pending(Scratch& scratch) {
    if (scratch.pending.empty()) return;
    if (emit_decoded(*context_, scratch.pending, false) > 0) {
        std::lock_guard lock(log_mutex_);
        warn_pipeline_full(*context_, queue_full_log_, "flow records");
    }
}

void NetflowCollector::schedule_housekeeping() {
    if (!housekeeping_) housekeeping_ = std::make_unique<boost::asio::steady_timer>(context_->io);
    housekeeping_->expires_after(kHousekeepingInterval);
    std::weak_ptr<bool> alive = alive_;
    housekeeping_->async_wait([this, alive](const boost::system::error_code& ec) {
        auto still = alive.lock();
        if (ec || !still || !*still) return;
        {
            std::lock_guard lock(decoder_mutex_);
            if (!decoder_) return;
            decoder_->expire(to_ns(Clock::now()));
            publish_stats();
        }
        schedule_housekeeping();
    });
}

void NetflowCollector::publish_stats() {
    const DecoderCounters& now = decoder_->counters();
    for (std::size_t i = 0; i < error_counters_.size(); ++i) {
        error_counters_[i]->inc(now.errors[i] - published_.errors[i]);
    }
    sequence_lost_->inc(now.sequence_lost - published_.sequence_lost);
    templates_->inc(now.templates - published_.templates);
    held_decoded_->inc(now.held_flows_decoded - published_.held_flows_decoded);
    published_ = now;
}

void NetflowCollector::stop() {
    *alive_ = false;
    if (housekeeping_) housekeeping_->cancel();
    if (save_timer_) save_timer_->cancel();
    if (fleet_timer_) fleet_timer_->cancel();
    fleet_subscription_.reset();  // no import runs once this returns
    listeners_.close();
    if (context_ != nullptr) {
        for (auto& scratch : scratch_)
            emit_pending(*scratch);  // a batch cut short by the close
    }
    scratch_.clear();
    gauges_.clear();
    if (!state_path_.empty()) save_state();  // what changed since the last timed save
    std::lock_guard lock(decoder_mutex_);
    if (decoder_) {
        publish_stats();
        const DecoderCounters& c = decoder_->counters();
        if (context_ != nullptr && c.packets > 0) {
            context_->log->info(
                "netflow: {} export packets, {} flows, {} templates, {} held flows "
                "decoded late, {} lost by sequence numbers",
                c.packets, c.flows, c.templates, c.held_flows_decoded, c.sequence_lost);
        }
    }
    decoder_.reset();
}

}  // namespace netfeed::netflow
