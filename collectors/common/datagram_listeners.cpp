// See datagram_listeners.hpp.
#include "collectors/common/datagram_listeners.hpp"

#include <spdlog/spdlog.h>

namespace netfeed {

void DatagramListeners::open(CollectorContext& context, const Endpoint& listen,
                             const DatagramListenSpec& spec, const DatagramHandler& handler) {
    std::uint16_t port = listen.port;
    if (spec.bind) {
        UdpReceiverOptions options;
        options.listen = udp_listen_endpoint(listen, spec.collector);
        options.receive_buffer_bytes = spec.receive_buffer_bytes;
        if (spec.batch > 0) options.batch = spec.batch;
        // The handler gets its own receiver (for replies), which exists only after it is made.
        auto self = std::make_shared<UdpBatchReceiver*>(nullptr);
        Counter* truncated = spec.truncated;
        auto receiver = std::make_unique<UdpBatchReceiver>(
            context.io, options,
            [handler, self, truncated](std::span<const std::uint8_t> payload,
                                       const boost::asio::ip::udp::endpoint& from,
                                       bool was_truncated) {
                if (was_truncated) {
                    // A datagram over 64 KiB cannot be a whole export, trap or sFlow datagram.
                    if (truncated != nullptr) truncated->inc();
                    return;
                }
                handler(payload, from, Clock::now(), false, *self);
            });
        *self = receiver.get();
        receiver->start();
        const auto bound = receiver->local_endpoint();
        port = bound.port();
        const std::string where = Endpoint{bound.address().to_string(), bound.port()}.to_string();
        context.log->info("{}: receiving {} on udp {} (socket buffer {} bytes)", spec.collector,
                          spec.what, where, receiver->receive_buffer_bytes());
        auto* raw = receiver.get();
        gauges_.push_back(context.metrics.registry().gauge_callback(
            "netfeed_udp_kernel_drops", "Datagrams the kernel dropped because the socket was full",
            {context.metrics.component_label(), {"listen", where}},
            [raw] { return static_cast<double>(raw->kernel_drops()); }));
        receivers_.push_back(std::move(receiver));
    } else {
        context.log->info("{}: not binding udp {}; taking what a pcap input captures for port {}{}",
                          spec.collector, listen.to_string(), listen.port, spec.unbound_note);
    }
    capture_ports_.push_back(context.tables.datagrams.add(
        port, spec.collector,
        [handler](std::span<const std::uint8_t> payload, const boost::asio::ip::udp::endpoint& from,
                  Timestamp received,
                  bool can_wait) { handler(payload, from, received, can_wait, nullptr); }));
}

void DatagramListeners::close() {
    for (auto& receiver : receivers_)
        receiver->stop();
    receivers_.clear();
    capture_ports_.clear();
    gauges_.clear();
}

}  // namespace netfeed
