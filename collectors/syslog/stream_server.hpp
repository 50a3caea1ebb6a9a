// Accepts syslog over TCP or TLS (RFC 6587 framing, RFC 5425) on the agent's io_context:
// connection and message-size limits, idle timeouts, and TCP backpressure (a connection stops
// being read while the pipeline is full, so the sender slows down instead of losing records).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/metrics.hpp"
#include "agent/option_values.hpp"
#include "agent/record.hpp"

namespace spdlog {
class logger;
}

namespace netfeed::syslog {

class StreamServer {
public:
    struct Settings {
        std::vector<Endpoint> listen;
        std::size_t max_message_bytes = 65536;
        std::size_t max_connections = 1000;
        Duration idle_timeout = std::chrono::minutes(10);
        Duration handshake_timeout = std::chrono::seconds(10);
        /// Null for plain TCP.
        std::shared_ptr<boost::asio::ssl::context> tls;
    };
    /// One framed message from `source`. Returns false when the pipeline cannot take it now:
    /// the same message is offered again later and the connection is not read meanwhile.
    using OnMessage =
        std::function<bool(std::string_view message, const IpAddress& source, bool truncated)>;

    /// Counters the server reports into (owned by the collector).
    struct Counters {
        Counter& connections_accepted;
        Counter& connections_refused;  // over max_connections
        Counter& idle_timeouts;
        Counter& handshake_failures;
        Counter& truncated;
        Counter& framing_errors;
    };

    StreamServer(boost::asio::io_context& io, Settings settings, OnMessage on_message,
                 Counters counters, std::shared_ptr<spdlog::logger> log);
    ~StreamServer();

    /// Binds every listen address. Throws std::runtime_error naming the one that failed.
    void start();
    /// Stops accepting and closes every connection; a message a connection still held is
    /// lost with the connection (the sender had no acknowledgement for it either).
    void stop();

    std::size_t connections() const noexcept { return connections_.load(); }
    /// The bound ports, in listen order (for port 0).
    std::vector<unsigned short> ports() const;

    class Session;

private:
    void accept(std::size_t index);
    void register_session(const std::shared_ptr<Session>& session);

    boost::asio::io_context& io_;
    Settings settings_;
    OnMessage on_message_;
    Counters counters_;
    std::shared_ptr<spdlog::logger> log_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
    std::atomic<std::size_t> connections_{0};
    std::atomic<bool> running_{false};
    std::mutex sessions_mutex_;
    std::vector<std::weak_ptr<Session>> sessions_;
    std::string name_;  // "tcp" or "tls", for logs
};

}  // namespace netfeed::syslog
