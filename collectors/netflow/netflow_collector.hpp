// The NetFlow/IPFIX collector: receives export packets on UDP (or from a capture), decodes
// them with the pure decoders, and emits one flow record per flow, named after the exporter.
#pragma once

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/common/datagram_listeners.hpp"
#include "collectors/netflow/decode_flows.hpp"
#include "collectors/netflow/fleet_templates.hpp"
#include "collectors/netflow/options.hpp"

namespace netfeed::netflow {

class NetflowCollector final : public Collector {
  public:
    explicit NetflowCollector(NetflowOptions options);
    ~NetflowCollector() override;

    std::vector<RecordKind> kinds() const override { return {RecordKind::flow}; }
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    /// What one receive socket decodes into; each socket's worker has its own.
    struct Scratch {
        std::vector<FlowRecord> flows;
        std::vector<Record> pending;  // built, not yet handed to the pipeline
    };

    /// One export packet, from a socket (`scratch` its own) or a capture (`scratch` null).
    /// `can_wait`: the caller may block until the pipeline has room (a replayed file) instead
    /// of dropping (a socket).
    void on_packet(std::span<const std::uint8_t> payload, const IpAddress& exporter,
                   Timestamp received, bool can_wait, Scratch* scratch);
    /// Hands the records a socket's worker built to the pipeline: at the end of each receive
    /// batch, and mid-batch when many wait.
    void emit_pending(Scratch& scratch);
    void start_listener(CollectorContext& context, const Endpoint& listen);
    void schedule_housekeeping();
    /// Restart-safe state (templates.json under the collector's state_dir): loaded at start,
    /// saved about once a second when it changed, and at stop.
    void load_state();
    void schedule_save();
    void save_state();
    /// Turns the decoder's counters into the component's metrics (called with the mutex held).
    void publish_stats();
    /// A fleet member shares its templates (collectors/netflow/fleet_templates.hpp): what
    /// changed is published about once a second, what others publish is imported as it comes.
    void start_fleet_sharing();
    void schedule_fleet_publish();
    void take_fleet_entry(std::string_view key, std::string_view value);

    NetflowOptions options_;
    CollectorContext* context_ = nullptr;
    DatagramListeners listeners_;
    std::vector<GaugeRegistration> gauges_;  // templates known, bytes held
    std::unique_ptr<boost::asio::steady_timer> housekeeping_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    // Sockets and captures may deliver on different threads; the decoder's template state is
    // one per collector, so packets take turns to decode (a fraction of a microsecond a flow)
    // and build their records (most of the work) in parallel, each worker into its own scratch.
    std::mutex decoder_mutex_;
    std::unique_ptr<FlowDecoder> decoder_;
    std::vector<std::unique_ptr<Scratch>> scratch_;  // by socket tag
    // Captures (a pcap input, a replay) share one scratch, so a packet costs no allocation;
    // the mutex keeps two capture inputs of the same port apart.
    std::mutex capture_mutex_;
    Scratch capture_scratch_;
    std::mutex log_mutex_;                           // the log limiters, from several workers
    // What publish_stats() last saw of the decoder's counters, to add only the difference.
    DecoderCounters published_;
    std::array<Counter*, static_cast<std::size_t>(DecodeError::kCount)> error_counters_{};
    Counter* sequence_lost_ = nullptr;
    Counter* templates_ = nullptr;
    Counter* held_decoded_ = nullptr;
    Counter* truncated_datagrams_ = nullptr;
    std::unique_ptr<FleetTemplates> fleet_templates_;
    std::shared_ptr<void> fleet_subscription_;
    std::unique_ptr<boost::asio::steady_timer> fleet_timer_;
    std::uint64_t fleet_published_changes_ = 0;
    Counter* fleet_imported_ = nullptr;
    Counter* fleet_published_ = nullptr;
    std::string state_path_;  // empty: nothing is kept across restarts
    std::unique_ptr<boost::asio::steady_timer> save_timer_;
    std::mutex save_mutex_;            // one save at a time (the timer's and stop's)
    std::uint64_t saved_changes_ = 0;  // decoder state_changes() at the last save or load
    Counter* state_saves_ = nullptr;
    Counter* state_save_errors_ = nullptr;
    LogRateLimiter state_error_log_;
    LogRateLimiter queue_full_log_;
    LogRateLimiter decode_error_log_;
};

}  // namespace netfeed::netflow
