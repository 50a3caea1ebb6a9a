// The sFlow v5 collector; see sflow_collector.hpp.
#include "collectors/sflow/sflow_collector.hpp"

#include <spdlog/spdlog.h>

#include "collectors/common/emit_decoded.hpp"
#include "collectors/sflow/sflow_record.hpp"

namespace netfeed::sflow {

namespace {

std::uint64_t to_ns(Timestamp t) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

IpAddress unmapped(const IpAddress& a) {
    // An IPv4 agent seen on a dual-stack socket is still that IPv4 agent.
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
    }
    return a;
}

// Distinct agent/sub-agent label sets on the gap metric; more share one "other" series, so a
// flood of spoofed agents cannot grow the metrics page without bound.
constexpr std::size_t kMaxLostSeries = 1024;

}  // namespace

SflowCollector::SflowCollector(SflowOptions options) : options_(std::move(options)) {}

SflowCollector::~SflowCollector() {
    stop();
}

std::vector<RecordKind> SflowCollector::kinds() const {
    if (options_.counters) return {RecordKind::flow, RecordKind::snmp};
    return {RecordKind::flow};
}

void SflowCollector::start(CollectorContext& context) {
    context_ = &context;
    auto& m = context.metrics;
    for (std::size_t i = 1; i < error_counters_.size(); ++i) {
        error_counters_[i] = &m.errors(to_string(static_cast<DecodeError>(i)));
    }
    truncated_datagrams_ = &m.errors("datagram_truncated");
    const auto counter = [&](const char* name, const char* help) -> Counter& {
        return m.registry().counter(name, help, m.labels());
    };
    skipped_samples_ = &counter("netfeed_sflow_skipped_samples_total",
                                "Samples of formats or enterprises not decoded (skipped by "
                                "length), and counter samples without interface counters");
    skipped_records_ = &counter("netfeed_sflow_skipped_records_total",
                                "Flow and counter records of formats not decoded (skipped by "
                                "length)");
    restarts_ = &counter("netfeed_sflow_agent_restarts_total",
                         "Datagram sequence numbers that jumped back: an agent restarted");
    {
        std::lock_guard lock(mutex_);
        running_ = true;
    }
    start_listeners(context);
}

void SflowCollector::start_listeners(CollectorContext& context) {
    DatagramListenSpec spec;
    spec.collector = "sflow";
    spec.what = "sFlow v5";
    spec.bind = options_.bind;
    spec.receive_buffer_bytes = options_.receive_buffer_bytes;
    spec.truncated = truncated_datagrams_;
    listeners_.open(context, options_.listen, spec, [this](const Datagram& d) {
        on_datagram(d.payload, d.from.address(), d.received, d.can_wait);
    });
}

std::string SflowCollector::device_of(const IpAddress& agent, const IpAddress& source) const {
    if (!agent.is_unspecified()) {
        std::string name = context_->devices.name_for(agent);
        if (name != agent.to_string() || agent == source) return name;
    }
    return context_->devices.name_for(source);
}

Counter& SflowCollector::lost_counter(const IpAddress& agent, std::uint32_t sub_agent) {
    std::string agent_text = agent.to_string();
    std::string sub_text = std::to_string(sub_agent);
    std::string id = agent_text + "|" + sub_text;
    auto it = lost_.find(id);
    if (it != lost_.end()) return *it->second;
    if (lost_.size() >= kMaxLostSeries) {
        id = "other|other";
        agent_text = sub_text = "other";
        if (auto other = lost_.find(id); other != lost_.end()) return *other->second;
    }
    auto& m = context_->metrics;
    Counter& c = m.registry().counter(
        "netfeed_sflow_sequence_lost_total",
        "Datagrams the sequence numbers say never arrived, per agent and sub-agent",
        m.labels_with({{"agent", agent_text}, {"sub_agent", sub_text}}));
    lost_.emplace(std::move(id), &c);
    return c;
}

void SflowCollector::on_datagram(std::span<const std::uint8_t> payload, const IpAddress& from,
                                 Timestamp received, bool can_wait) {
    CollectorContext& context = *context_;
    context.metrics.received().inc();
    const IpAddress source = unmapped(from);
    std::unique_lock lock(mutex_);
    if (!running_) return;
    const DecodeError error = decode_sflow(payload, to_ns(received), datagram_);
    if (error != DecodeError::none) {
        error_counters_[static_cast<std::size_t>(error)]->inc();
        std::uint64_t held = 0;
        if (decode_error_log_.allow(held)) {
            context.log->warn(
                "sflow: dropped a {}-byte datagram from {}: {} ({} more decode "
                "errors since)",
                payload.size(), source.to_string(), to_string(error), held);
        }
        return;
    }
    skipped_samples_->inc(datagram_.skipped_samples);
    skipped_records_->inc(datagram_.skipped_records);
    const SequenceStep step = sequences_.observe(datagram_.agent, datagram_.sub_agent_id,
                                                 datagram_.sequence, datagram_.uptime_ms);
    const IpAddress agent = netflow::to_ip(datagram_.agent);
    if (step.lost > 0) lost_counter(agent, datagram_.sub_agent_id).inc(step.lost);
    if (step.restarted) restarts_->inc();

    const std::string device = device_of(agent, source);
    records_.clear();
    records_.reserve(datagram_.flows.size() + datagram_.counters.size());
    for (const SflowFlow& flow : datagram_.flows) {
        records_.push_back(make_sflow_flow_record(flow, device, options_.key, received));
    }
    if (options_.counters) {
        for (const SflowCounters& counters : datagram_.counters) {
            records_.push_back(make_interface_record(counters, datagram_, device, received));
        }
    }
    if (records_.empty()) return;
    if (can_wait) {
        // A replayed capture: wait for room rather than drop; the lock keeps the replay in order.
        std::vector<Record> batch = std::move(records_);
        records_ = {};
        lock.unlock();
        emit_decoded(context, batch, true);
        return;
    }
    if (emit_decoded(context, records_, false) > 0) {
        warn_pipeline_full(context, queue_full_log_, "sFlow records");
    }
}

void SflowCollector::stop() {
    listeners_.close();
    std::lock_guard lock(mutex_);
    running_ = false;
}

}  // namespace netfeed::sflow
