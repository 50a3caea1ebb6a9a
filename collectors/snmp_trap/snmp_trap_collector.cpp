// The SNMP trap receiver; see snmp_trap_collector.hpp.
#include "collectors/snmp_trap/snmp_trap_collector.hpp"

#include <spdlog/spdlog.h>

#include "collectors/common/emit_decoded.hpp"
#include "collectors/snmp_trap/trap_record.hpp"

namespace netfeed::snmp_trap {

namespace {

// An IPv4 sender seen on a dual-stack socket is still that IPv4 sender.
IpAddress unmapped(const IpAddress& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
    }
    return a;
}

}  // namespace

SnmpTrapCollector::SnmpTrapCollector(SnmpTrapOptions options, std::vector<Credentials> v3_users)
    : options_(std::move(options)), v3_credentials_(std::move(v3_users)) {
    for (const Secret& community : options_.communities) {
        settings_.communities.push_back(community.reveal());
    }
}

SnmpTrapCollector::~SnmpTrapCollector() {
    stop();
}

void SnmpTrapCollector::start(CollectorContext& context) {
    context_ = &context;
    auto& m = context.metrics;
    for (std::size_t i = 1; i < drop_counters_.size(); ++i) {
        drop_counters_[i] = &m.dropped(to_string(static_cast<TrapError>(i)));
    }
    truncated_datagrams_ = &m.dropped("datagram_truncated");
    ack_failed_ = &m.errors("ack_send_failed");
    ack_encode_failed_ = &m.errors("ack_encode_failed");
    acknowledged_ = &m.registry().counter("netfeed_snmp_trap_informs_acknowledged_total",
                                          "Informs answered with a Response-PDU", m.labels());
    reports_ = &m.registry().counter(
        "netfeed_snmp_trap_v3_reports_total",
        "SNMPv3 Reports sent (engine-ID discovery and USM failures of informs)", m.labels());
    if (!v3_credentials_.empty()) {
        EngineId local;
        if (parse_engine_id(options_.engine_id, local)) UsmUsers::set_local_engine_id(local);
        local = UsmUsers::local_engine_id();
        std::vector<EngineId> engines{local};
        for (const std::string& text : options_.v3_engine_ids) {
            EngineId id;
            if (parse_engine_id(text, id) && id != local) engines.push_back(id);
        }
        usm_users_ = std::make_unique<UsmUsers>();
        for (const Credentials& c : v3_credentials_) {
            std::string error;
            if (!usm_users_->add(c, engines, error))
                throw std::runtime_error("snmp_trap: v3_users: " + error);
        }
        settings_.v3 = true;
        context.log->info(
            "snmp_trap: SNMPv3 with {} users; engine ID {} (informs), traps from {} engine IDs",
            v3_credentials_.size(), engine_id_hex(local), engines.size() - 1);
    }
    start_listeners(context);
}

void SnmpTrapCollector::start_listeners(CollectorContext& context) {
    DatagramListenSpec spec;
    spec.collector = "snmp_trap";
    spec.what = "SNMP traps and informs";
    spec.unbound_note = " (informs are not acknowledged)";
    spec.bind = options_.bind;
    spec.receive_buffer_bytes = options_.receive_buffer_bytes;
    spec.batch = 32;
    spec.truncated = truncated_datagrams_;
    // Informs are acknowledged through the receiver they came from (none for a capture).
    listeners_.open(context, options_.listen, spec, [this](const Datagram& d) {
        on_datagram(d.payload, d.from, d.received, d.can_wait, d.socket);
    });
}

std::string SnmpTrapCollector::device_name(const IpAddress& source, const Trap& trap) const {
    const auto snapshot = context_->devices.snapshot();
    if (const Device* device = snapshot->by_address(source)) return device->name;
    // A v1 trap names its agent; a relay or NAT in between makes that the better key.
    if (trap.agent_address) {
        if (const Device* device = snapshot->by_address(agent_address_of(trap))) {
            return device->name;
        }
    }
    return source.to_string();
}

void SnmpTrapCollector::on_datagram(std::span<const std::uint8_t> payload,
                                    const boost::asio::ip::udp::endpoint& source_endpoint,
                                    Timestamp received, bool can_wait, UdpBatchReceiver* socket) {
    CollectorContext& context = *context_;
    context.metrics.received().inc();
    const IpAddress source = unmapped(source_endpoint.address());
    DecodeResult result = decode_trap(payload, settings_);
    if (result.error != TrapError::none) {
        drop_counters_[static_cast<std::size_t>(result.error)]->inc();
        // A v3 Report (discovery, or why an inform failed) goes back at once: there is no
        // record to wait for.
        if (socket != nullptr && !result.response.empty() &&
            socket->reply(result.response, source_endpoint)) {
            reports_->inc();
        }
        if (result.error == TrapError::v3_discovery) return;  // routine, not worth a log line
        std::uint64_t held = 0;
        if (drop_log_.allow(held)) {
            if (result.error == TrapError::bad_community) {
                // Never the community itself: it is a password.
                context.log->warn(
                    "snmp_trap: dropped a trap with an unknown community from {} "
                    "({} more dropped datagrams since)",
                    source.to_string(), held);
            } else {
                context.log->warn(
                    "snmp_trap: dropped a {}-byte datagram from {}: {} ({} more "
                    "dropped datagrams since)",
                    payload.size(), source.to_string(), to_string(result.error), held);
            }
        }
        return;
    }
    if (result.response_failed) ack_encode_failed_->inc();
    Record record =
        make_trap_record(result.trap, device_name(source, result.trap), source, received);
    const bool accepted =
        can_wait ? context.emitter.emit(record) : context.emitter.try_emit(record);
    if (!accepted) {
        if (!can_wait) {
            warn_pipeline_full(context, queue_full_log_, "trap records",
                               "informs are not acknowledged, so their senders retry");
        }
        return;
    }
    // Acknowledged only once the record is the agent's responsibility: a refused inform is
    // retried by its sender.
    if (socket == nullptr || result.response.empty()) return;
    if (socket->reply(result.response, source_endpoint)) {
        acknowledged_->inc();
        return;
    }
    ack_failed_->inc();
    std::uint64_t held = 0;
    if (ack_log_.allow(held)) {
        context.log->warn(
            "snmp_trap: could not send the acknowledgement of an inform to {} ({} "
            "more since)",
            source.to_string(), held);
    }
}

void SnmpTrapCollector::stop() {
    listeners_.close();
}

}  // namespace netfeed::snmp_trap
