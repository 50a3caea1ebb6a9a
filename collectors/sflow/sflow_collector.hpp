// The sFlow v5 collector: receives datagrams on UDP (or from a capture), decodes them with the
// pure decoder, and emits one flow record per flow sample and one interfaces row per counter
// sample, named after the agent's device; counts sequence gaps per agent and sub-agent.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/common/datagram_listeners.hpp"
#include "collectors/sflow/options.hpp"
#include "collectors/sflow/sequence_tracker.hpp"
#include "collectors/sflow/sflow_datagram.hpp"

namespace netfeed::sflow {

class SflowCollector final : public Collector {
  public:
    explicit SflowCollector(SflowOptions options);
    ~SflowCollector() override;

    std::vector<RecordKind> kinds() const override;
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    /// One datagram, from a socket or a capture. `can_wait`: the caller may block until the
    /// pipeline has room (a replayed file) instead of dropping (a socket).
    void on_datagram(std::span<const std::uint8_t> payload, const IpAddress& source,
                     Timestamp received, bool can_wait);
    /// Opens every listen address, or none (and throws).
    void start_listeners(CollectorContext& context);
    /// The device a datagram is from: the agent address when the device list knows it (a
    /// relay or NAT may stand between), else the datagram's source.
    std::string device_of(const IpAddress& agent, const IpAddress& source) const;
    /// The gap counter of one agent/sub-agent (called with the mutex held).
    Counter& lost_counter(const IpAddress& agent, std::uint32_t sub_agent);

    SflowOptions options_;
    CollectorContext* context_ = nullptr;
    DatagramListeners listeners_;

    // Sockets and captures may deliver on different threads: datagrams take turns on the
    // decode buffers and the sequence table (uncontended with one socket).
    std::mutex mutex_;
    bool running_ = false;
    SflowDatagram datagram_;
    SequenceTracker sequences_;
    std::vector<Record> records_;
    std::map<std::string, Counter*> lost_;  // by "agent|sub_agent", bounded
    std::array<Counter*, static_cast<std::size_t>(DecodeError::kCount)> error_counters_{};
    Counter* truncated_datagrams_ = nullptr;
    Counter* skipped_samples_ = nullptr;
    Counter* skipped_records_ = nullptr;
    Counter* restarts_ = nullptr;
    LogRateLimiter queue_full_log_;
    LogRateLimiter decode_error_log_;
};

}  // namespace netfeed::sflow
