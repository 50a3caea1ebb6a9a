// Batched UDP receive; see udp_batch_receiver.hpp.
#include "collectors/common/udp_batch_receiver.hpp"

#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <algorithm>
#include <cerrno>
#include <array>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace netfeed {

using udp = boost::asio::ip::udp;

udp::endpoint udp_listen_endpoint(const Endpoint& listen, std::string_view collector) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(listen.host, ec);
    if (ec) {
        throw std::runtime_error(std::string(collector) + " listen address '" + listen.host +
                                 "' is not an IP address (use 0.0.0.0 or [::] for any)");
    }
    return {address, listen.port};
}

UdpBatchReceiver::UdpBatchReceiver(boost::asio::io_context& io, UdpReceiverOptions options,
                                   Handler handler)
    : io_(io),
      strand_(boost::asio::make_strand(io)),
      options_(std::move(options)),
      handler_(std::move(handler)),
      socket_(strand_),
      alive_(std::make_shared<std::atomic<bool>>(false)) {}

UdpBatchReceiver::~UdpBatchReceiver() { stop(); }

void UdpBatchReceiver::start() {
    boost::system::error_code ec;
    socket_.open(options_.listen.protocol(), ec);
    if (!ec && options_.listen.address().is_v6()) {
        // Let an IPv4 socket bind the same port: each family gets its own socket.
        socket_.set_option(boost::asio::ip::v6_only(true), ec);
    }
    if (!ec) socket_.set_option(udp::socket::reuse_address(true), ec);
    if (!ec && options_.reuse_port) {
        const int on = 1;
        if (::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
            ec = boost::system::error_code(errno, boost::system::system_category());
        }
    }
    if (!ec) socket_.bind(options_.listen, ec);
    if (ec) {
        boost::system::error_code ignored;
        socket_.close(ignored);
        throw std::runtime_error("cannot listen on udp " + options_.listen.address().to_string() +
                                 ":" + std::to_string(options_.listen.port()) + ": " +
                                 ec.message() +
                                 (options_.listen.port() < 1024
                                      ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
                                      : ""));
    }
    const int fd = socket_.native_handle();
    int requested = static_cast<int>(options_.receive_buffer_bytes);
    // SO_RCVBUFFORCE passes net.core.rmem_max when the agent may (CAP_NET_ADMIN); else the
    // kernel caps SO_RCVBUF at rmem_max and the granted size is logged by the caller.
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &requested, sizeof requested) != 0) {
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &requested, sizeof requested);
    }
    int granted = 0;
    socklen_t length = sizeof granted;
    ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &length);
    granted_buffer_ = static_cast<std::size_t>(granted) / 2;  // Linux reports twice the payload room
    if (granted_buffer_ < options_.receive_buffer_bytes) {
        // Once per socket: a short buffer drops bursts in the kernel (netfeed_udp_kernel_drops).
        spdlog::warn(
            "udp {}:{}: asked for a {} byte receive buffer, the kernel granted {} (capped by "
            "net.core.rmem_max): the package's /usr/lib/sysctl.d/60-netfeed.conf raises it, "
            "applied by `sysctl --system`",
            options_.listen.address().to_string(), socket_.local_endpoint(ec).port(),
            options_.receive_buffer_bytes, granted_buffer_);
    }
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
    buffers_.assign(options_.batch * options_.max_datagram_bytes, 0);
    fd_.store(fd);
    alive_->store(true);
    arm();
}

void UdpBatchReceiver::stop() {
    if (!alive_->exchange(false)) return;
    fd_.store(-1);
    auto closed = std::make_shared<std::atomic<bool>>(false);
    boost::asio::post(strand_, [this, closed] {
        boost::system::error_code ignored;
        socket_.close(ignored);
        closed->store(true);
    });
    // Once the close ran on the strand, no receive handler is running or can run. Without
    // running io threads (tests, shutdown) nothing else touches the socket: close it here.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!closed->load() && !io_.stopped() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!closed->load()) {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }
}

std::uint64_t UdpBatchReceiver::kernel_drops() const noexcept {
    const std::uint64_t seen = kernel_drops_.load();
    const int fd = fd_.load();
    if (fd < 0) return seen;
    std::uint32_t info[SK_MEMINFO_VARS] = {};
    socklen_t length = sizeof info;
    if (::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &length) != 0 ||
        length < sizeof(std::uint32_t) * (SK_MEMINFO_DROPS + 1)) {
        return seen;
    }
    // The same kernel counter SO_RXQ_OVFL reports, read now rather than with the next datagram.
    return std::max<std::uint64_t>(seen, info[SK_MEMINFO_DROPS]);
}

udp::endpoint UdpBatchReceiver::local_endpoint() const {
    boost::system::error_code ec;
    return socket_.local_endpoint(ec);
}

bool UdpBatchReceiver::reply(std::span<const std::uint8_t> payload,
                             const udp::endpoint& to) noexcept {
    const ssize_t sent = ::sendto(socket_.native_handle(), payload.data(), payload.size(),
                                  MSG_DONTWAIT, to.data(), static_cast<socklen_t>(to.size()));
    return sent == static_cast<ssize_t>(payload.size());
}

void UdpBatchReceiver::arm() {
    socket_.async_wait(udp::socket::wait_read,
                       [this, alive = alive_](boost::system::error_code ec) {
                           if (ec || !alive->load()) return;
                           drain();
                           if (alive->load()) arm();
                       });
}

void UdpBatchReceiver::drain() {
    const int fd = socket_.native_handle();
    const std::size_t batch = options_.batch;
    const std::size_t size = options_.max_datagram_bytes;
    std::vector<mmsghdr> messages(batch);
    std::vector<iovec> iovecs(batch);
    std::vector<sockaddr_storage> sources(batch);
    constexpr std::size_t kControl = CMSG_SPACE(sizeof(std::uint32_t));
    std::vector<std::array<char, kControl>> controls(batch);
    // Read until the socket is empty (bounded so that other sockets get their turn).
    for (int round = 0; round < 16 && alive_->load(); ++round) {
        for (std::size_t i = 0; i < batch; ++i) {
            iovecs[i] = {buffers_.data() + i * size, size};
            messages[i] = {};
            messages[i].msg_hdr.msg_iov = &iovecs[i];
            messages[i].msg_hdr.msg_iovlen = 1;
            messages[i].msg_hdr.msg_name = &sources[i];
            messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
            messages[i].msg_hdr.msg_control = controls[i].data();
            messages[i].msg_hdr.msg_controllen = kControl;
        }
        const int n = ::recvmmsg(fd, messages.data(), static_cast<unsigned>(batch), MSG_DONTWAIT,
                                 nullptr);
        if (n <= 0) break;
        for (int i = 0; i < n; ++i) {
            const msghdr& header = messages[i].msg_hdr;
            for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr;
                 c = CMSG_NXTHDR(const_cast<msghdr*>(&header), c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
                    std::uint32_t overflow = 0;
                    std::memcpy(&overflow, CMSG_DATA(c), sizeof overflow);
                    // The kernel reports a running total; count what is new since last time.
                    if (overflow != last_overflow_) {
                        kernel_drops_.fetch_add(overflow - last_overflow_);
                        last_overflow_ = overflow;
                    }
                }
            }
            udp::endpoint source;
            const auto* storage = reinterpret_cast<const sockaddr*>(&sources[i]);
            if (storage->sa_family == AF_INET) {
                const auto* v4 = reinterpret_cast<const sockaddr_in*>(storage);
                source = udp::endpoint(
                    boost::asio::ip::address_v4(ntohl(v4->sin_addr.s_addr)), ntohs(v4->sin_port));
            } else if (storage->sa_family == AF_INET6) {
                const auto* v6 = reinterpret_cast<const sockaddr_in6*>(storage);
                boost::asio::ip::address_v6::bytes_type bytes;
                std::memcpy(bytes.data(), v6->sin6_addr.s6_addr, bytes.size());
                source = udp::endpoint(boost::asio::ip::address_v6(bytes, v6->sin6_scope_id),
                                       ntohs(v6->sin6_port));
            }
            const bool truncated = (header.msg_flags & MSG_TRUNC) != 0;
            const std::size_t length = std::min<std::size_t>(messages[i].msg_len, size);
            handler_(std::span<const std::uint8_t>(buffers_.data() + static_cast<std::size_t>(i) * size,
                                                   length),
                     source, truncated);
        }
        if (options_.after_batch) options_.after_batch();
        if (static_cast<std::size_t>(n) < batch) break;
    }
}

}  // namespace netfeed
