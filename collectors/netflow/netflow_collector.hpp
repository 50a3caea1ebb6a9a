// The NetFlow/IPFIX collector: receives export packets on UDP (or from a capture), decodes
// them with the pure decoders, and emits one flow record per flow, named after the exporter.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"
#include "collectors/common/udp_batch_receiver.hpp"
#include "collectors/netflow/decode_flows.hpp"
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
    /// One export packet, from a socket or a capture.
    void on_packet(std::span<const std::uint8_t> payload, const IpAddress& exporter,
                   Timestamp received);
    void schedule_housekeeping();
    void publish_stats();

    NetflowOptions options_;
    CollectorContext* context_ = nullptr;
    std::vector<std::unique_ptr<UdpBatchReceiver>> receivers_;
    std::vector<DatagramInputs::Registration> capture_ports_;
    std::vector<GaugeRegistration> gauges_;
    std::unique_ptr<boost::asio::steady_timer> housekeeping_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    // Sockets and captures may deliver on different threads; the decoder's template state is
    // one per collector, so packets take turns (uncontended in the common one-socket case).
    std::mutex decoder_mutex_;
    std::unique_ptr<FlowDecoder> decoder_;
    std::vector<FlowRecord> flows_;
    std::vector<Record> records_;
    LogRateLimiter queue_full_log_;
};

}  // namespace netfeed::netflow
