// The pcap input: replays a capture file, or captures live on an interface (a mirror port), and
// hands the UDP payloads it finds to whichever collector registered their destination port in
// the agent's DatagramInputs table, exactly as that collector's socket would.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/pcap/capture_handle.hpp"
#include "collectors/pcap/options.hpp"
#include "collectors/pcap/parse_packet.hpp"

namespace netfeed::pcap {

class PcapCollector final : public Collector {
  public:
    explicit PcapCollector(PcapOptions options);
    ~PcapCollector() override;

    /// It makes no records itself: the collectors it feeds do.
    std::vector<RecordKind> kinds() const override { return {}; }
    void start(CollectorContext& context) override;
    void stop() override;

    /// One captured frame (the capture thread only).
    void on_packet(const pcap_pkthdr& header, const std::uint8_t* data);

  private:
    /// What this input did, for the metrics and the closing log line.
    struct Counts {
        std::uint64_t packets = 0;
        std::uint64_t delivered = 0;
        std::uint64_t skipped[skip_reason_count] = {};
        std::uint64_t no_collector = 0;
        std::unordered_map<std::uint16_t, std::uint64_t> no_collector_ports;
    };

    void run_replay();
    void run_live();
    /// Waits until the packet stamped `at` is due at the capture's pace; false when stopping.
    bool wait_for_capture_pace(Timestamp at);
    void read_drop_stats();
    void log_skip(SkipReason reason);
    std::string summary() const;
    std::string describe_ports() const;
    bool live() const noexcept { return !options_.interface.empty(); }

    PcapOptions options_;
    CollectorContext* context_ = nullptr;
    std::optional<CaptureHandle> handle_;
    std::thread thread_;
    std::atomic<bool> stop_{false};

    // Looked up once at start; the capture thread only increments them.
    Counter* skipped_[skip_reason_count] = {};
    Counter* no_collector_ = nullptr;
    Counter* read_errors_ = nullptr;
    Counts counts_;
    std::optional<Timestamp> first_stamp_;
    std::chrono::steady_clock::time_point replay_began_{};

    std::atomic<std::uint64_t> kernel_drops_{0};
    std::atomic<std::uint64_t> interface_drops_{0};
    std::vector<GaugeRegistration> gauges_;

    LogRateLimiter malformed_log_;
    LogRateLimiter fragment_log_;
    LogRateLimiter no_collector_log_;
    LogRateLimiter read_error_log_;
};

}  // namespace netfeed::pcap
