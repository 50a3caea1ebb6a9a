// The SNMP trap and inform receiver: receives datagrams on UDP (or from a capture), decodes
// them with the pure decoder, emits one `trap` record per trap, and acknowledges informs from
// the socket they arrived on once the pipeline accepted their record.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/common/datagram_listeners.hpp"
#include "collectors/snmp_trap/options.hpp"
#include "collectors/snmp_trap/trap_decode.hpp"
#include "collectors/snmp_trap/usm_users.hpp"

namespace netfeed::snmp_trap {

class SnmpTrapCollector final : public Collector {
  public:
    /// `v3_users`: the credentials named by options.v3_users, resolved at load time.
    SnmpTrapCollector(SnmpTrapOptions options, std::vector<Credentials> v3_users = {});
    ~SnmpTrapCollector() override;

    std::vector<RecordKind> kinds() const override { return {RecordKind::trap}; }
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    /// One datagram. `socket` is the receiver it came from (null for a capture): informs are
    /// acknowledged through it. `can_wait`: the caller may block until the pipeline has room.
    void on_datagram(std::span<const std::uint8_t> payload,
                     const boost::asio::ip::udp::endpoint& source, Timestamp received,
                     bool can_wait, UdpBatchReceiver* socket);
    /// Opens every listen address, or none (and throws).
    void start_listeners(CollectorContext& context);
    std::string device_name(const IpAddress& source, const Trap& trap) const;

    SnmpTrapOptions options_;
    std::vector<Credentials> v3_credentials_;
    std::unique_ptr<UsmUsers> usm_users_;
    DecodeSettings settings_;
    CollectorContext* context_ = nullptr;
    DatagramListeners listeners_;
    std::array<Counter*, static_cast<std::size_t>(TrapError::kCount)> drop_counters_{};
    Counter* truncated_datagrams_ = nullptr;
    Counter* ack_failed_ = nullptr;
    Counter* ack_encode_failed_ = nullptr;
    Counter* acknowledged_ = nullptr;
    Counter* reports_ = nullptr;
    LogRateLimiter drop_log_;
    LogRateLimiter queue_full_log_;
    LogRateLimiter ack_log_;
};

}  // namespace netfeed::snmp_trap
