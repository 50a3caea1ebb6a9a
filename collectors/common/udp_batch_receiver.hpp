// Receives UDP datagrams in batches (recvmmsg) on the agent's io_context and hands each to a
// callback on the receiving thread; surfaces the kernel's drop counter (SO_RXQ_OVFL). Shared by
// the collectors that listen on UDP (syslog, NetFlow/IPFIX, SNMP traps).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agent/option_values.hpp"

namespace netfeed {

struct UdpReceiverOptions {
    boost::asio::ip::udp::endpoint listen;
    std::size_t receive_buffer_bytes = 8 << 20;
    std::size_t max_datagram_bytes = 65535;
    std::size_t batch = 64;  // datagrams per recvmmsg call
    /// Called after the handler calls of each recvmmsg batch (on the same strand): a collector
    /// hands what the batch decoded to the pipeline at once, one queue hand-over and wake-up per
    /// batch instead of one per datagram.
    std::function<void()> after_batch;
    /// SO_REUSEPORT: several receivers share the port and the kernel spreads the senders over
    /// them (each sender's address and port always to the same one).
    bool reuse_port = false;
    /// The owner's number for this receiver (which worker's scratch state it feeds).
    std::size_t tag = 0;
};

/// The socket address of a configured `listen:` entry; throws std::runtime_error naming the
/// collector when the host is not an IP address.
boost::asio::ip::udp::endpoint udp_listen_endpoint(const Endpoint& listen, std::string_view collector);

class UdpBatchReceiver {
public:
    /// Called once per datagram with its payload and source; the payload is only valid during
    /// the call. `truncated` is true when the datagram was longer than max_datagram_bytes.
    using Handler = std::function<void(std::span<const std::uint8_t> payload,
                                       const boost::asio::ip::udp::endpoint& source,
                                       bool truncated)>;

    UdpBatchReceiver(boost::asio::io_context& io, UdpReceiverOptions options, Handler handler);
    ~UdpBatchReceiver();

    /// Binds and starts receiving. Throws std::runtime_error naming the address when it cannot.
    void start();
    /// Closes the socket; after it returns no handler call is running or will run.
    void stop();

    /// Sends one datagram from the receiving socket, so that a reply (an SNMP inform's
    /// acknowledgement) comes from the port the peer sent to (and from its address when the
    /// socket is bound to one; on a wildcard bind the kernel picks it by route). Call it only
    /// from the handler (it runs on the socket's strand). Never blocks; false when the kernel
    /// refused it.
    bool reply(std::span<const std::uint8_t> payload,
               const boost::asio::ip::udp::endpoint& to) noexcept;

    boost::asio::ip::udp::endpoint local_endpoint() const;
    /// Datagrams the kernel dropped because the socket buffer was full (SO_RXQ_OVFL).
    /// Asks the socket itself (SO_MEMINFO) as well: SO_RXQ_OVFL only reports with the next
    /// datagram read, so drops after the last one read would otherwise stay unseen.
    std::uint64_t kernel_drops() const noexcept;
    /// The receive buffer the kernel actually granted (it may cap the request).
    std::size_t receive_buffer_bytes() const noexcept { return granted_buffer_; }
    std::size_t tag() const noexcept { return options_.tag; }

private:
    void arm();
    void drain();

    boost::asio::io_context& io_;
    // Socket operations and the close run on one strand, so stop() needs no locks even with
    // several io threads.
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    UdpReceiverOptions options_;
    Handler handler_;
    boost::asio::ip::udp::socket socket_;
    std::vector<std::uint8_t> buffers_;
    std::atomic<std::uint64_t> kernel_drops_{0};
    std::atomic<int> fd_{-1};  // for kernel_drops() from other threads; -1 once stopping
    std::uint32_t last_overflow_ = 0;
    std::size_t granted_buffer_ = 0;
    std::shared_ptr<std::atomic<bool>> alive_;
};

}  // namespace netfeed
