// TCP/TLS syslog server; see stream_server.hpp.
#include "collectors/syslog/stream_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <optional>
#include <thread>

#include "agent/logging.hpp"
#include "collectors/syslog/parse_rfc6587.hpp"

namespace netfeed::syslog {

using tcp = boost::asio::ip::tcp;
namespace ssl = boost::asio::ssl;

namespace {
constexpr auto kRetryDelay = std::chrono::milliseconds(20);
// Logged once per interval whatever the number of connections involved.
LogRateLimiter refused_log, handshake_log, error_log;
}  // namespace

class StreamServer::Session : public std::enable_shared_from_this<Session> {
public:
    Session(StreamServer& server, tcp::socket socket, IpAddress peer)
        : server_(server),
          executor_(socket.get_executor()),
          peer_(peer),
          framer_(server.settings_.max_message_bytes),
          idle_timer_(executor_),
          retry_timer_(executor_) {
        if (server.settings_.tls) {
            tls_.emplace(std::move(socket), *server.settings_.tls);
        } else {
            plain_.emplace(std::move(socket));
        }
    }

    void start() {
        if (!tls_) {
            read();
            return;
        }
        arm_timer(server_.settings_.handshake_timeout, true);
        tls_->async_handshake(ssl::stream_base::server,
                              [self = shared_from_this()](boost::system::error_code ec) {
                                  self->idle_timer_.cancel();
                                  if (ec) {
                                      self->server_.counters_.handshake_failures.inc();
                                      std::uint64_t held = 0;
                                      if (handshake_log.allow(held)) {
                                          self->server_.log_->warn(
                                              "tls handshake with {} failed: {} ({} more since)",
                                              self->peer_.to_string(), ec.message(), held);
                                      }
                                      self->close();
                                      return;
                                  }
                                  self->read();
                              });
    }

    /// Posted by the server at stop.
    void close() {
        if (closed_) return;
        closed_ = true;
        boost::system::error_code ignored;
        idle_timer_.cancel();
        retry_timer_.cancel();
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
        server_.connections_.fetch_sub(1);
    }

    /// The connection's strand (the accept handed each socket its own).
    boost::asio::any_io_executor executor() const { return executor_; }

private:
    tcp::socket& socket() { return tls_ ? tls_->next_layer() : *plain_; }

    void arm_timer(Duration after, bool handshake) {
        idle_timer_.expires_after(after);
        idle_timer_.async_wait([self = shared_from_this(), handshake](boost::system::error_code ec) {
            if (ec || self->closed_) return;
            if (handshake) {
                self->server_.counters_.handshake_failures.inc();
            } else {
                self->server_.counters_.idle_timeouts.inc();
                self->server_.log_->debug("closing idle connection from {}",
                                          self->peer_.to_string());
            }
            self->close();
        });
    }

    void read() {
        if (closed_) return;
        arm_timer(server_.settings_.idle_timeout, false);
        auto handler = [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            self->on_read(ec, n);
        };
        if (tls_) {
            tls_->async_read_some(boost::asio::buffer(buffer_), handler);
        } else {
            plain_->async_read_some(boost::asio::buffer(buffer_), handler);
        }
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (closed_) return;
        const auto on_frame = [this](std::string_view message, bool truncated) {
            take(message, truncated);
        };
        if (ec) {
            // The peer is gone: what it sent without a final newline is still a message.
            framer_.finish(on_frame);
            finished_ = true;
            if (ec != boost::asio::error::eof && ec != ssl::error::stream_truncated &&
                ec != boost::asio::error::operation_aborted) {
                std::uint64_t held = 0;
                if (error_log.allow(held)) {
                    server_.log_->info("connection from {} ended: {}", peer_.to_string(),
                                       ec.message());
                }
            }
            if (tls_ && ec == boost::asio::error::eof) {
                // The peer sent close_notify: answer it, so a client that waits for ours (as
                // TLS asks) does not hang.
                arm_timer(server_.settings_.handshake_timeout, true);
                tls_->async_shutdown([self = shared_from_this()](boost::system::error_code) {
                    self->deliver_pending();
                });
                return;
            }
            deliver_pending();
            return;
        }
        const std::uint64_t errors_before = framer_.framing_errors();
        framer_.feed(std::string_view(buffer_.data(), n), on_frame);
        if (framer_.framing_errors() != errors_before) {
            server_.counters_.framing_errors.inc(framer_.framing_errors() - errors_before);
        }
        deliver_pending();
    }

    void take(std::string_view message, bool truncated) {
        if (truncated) server_.counters_.truncated.inc();
        // Keep order: once one message waits, the ones after it wait too.
        if (pending_.empty() && server_.on_message_(message, peer_, truncated)) return;
        pending_.emplace_back(std::string(message), truncated);
    }

    void deliver_pending() {
        while (!pending_.empty()) {
            auto& [message, truncated] = pending_.front();
            if (!server_.on_message_(message, peer_, truncated)) {
                if (!server_.running_.load()) {
                    pending_.clear();  // stopping: nothing will take them
                    break;
                }
                // The pipeline is full: wait without reading, so TCP slows the sender down.
                idle_timer_.cancel();
                retry_timer_.expires_after(kRetryDelay);
                retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
                    if (!e && !self->closed_) self->deliver_pending();
                });
                return;
            }
            pending_.pop_front();
        }
        if (finished_) {
            close();
        } else {
            read();
        }
    }

    StreamServer& server_;
    boost::asio::any_io_executor executor_;
    IpAddress peer_;
    std::optional<tcp::socket> plain_;
    std::optional<ssl::stream<tcp::socket>> tls_;
    Rfc6587Framer framer_;
    boost::asio::steady_timer idle_timer_;
    boost::asio::steady_timer retry_timer_;
    std::array<char, 16384> buffer_{};
    std::deque<std::pair<std::string, bool>> pending_;
    bool finished_ = false;
    bool closed_ = false;
};

StreamServer::StreamServer(boost::asio::io_context& io, Settings settings, OnMessage on_message,
                           Counters counters, std::shared_ptr<spdlog::logger> log)
    : io_(io),
      settings_(std::move(settings)),
      on_message_(std::move(on_message)),
      counters_(counters),
      log_(std::move(log)),
      name_(settings_.tls ? "tls" : "tcp") {}

StreamServer::~StreamServer() { stop(); }

void StreamServer::start() {
    for (const auto& endpoint : settings_.listen) {
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(endpoint.host, ec);
        if (ec) {
            throw std::runtime_error("syslog " + name_ + " listen address '" + endpoint.host +
                                     "' is not an IP address");
        }
        auto acceptor = std::make_unique<tcp::acceptor>(boost::asio::make_strand(io_));
        const tcp::endpoint bind_to(address, endpoint.port);
        acceptor->open(bind_to.protocol(), ec);
        if (!ec && address.is_v6()) acceptor->set_option(boost::asio::ip::v6_only(true), ec);
        if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor->bind(bind_to, ec);
        if (!ec) acceptor->listen(boost::asio::socket_base::max_listen_connections, ec);
        if (ec) {
            for (auto& a : acceptors_) a->close(ec);
            acceptors_.clear();
            throw std::runtime_error("cannot listen on " + name_ + " " + endpoint.to_string() +
                                     ": " + ec.message() +
                                     (endpoint.port < 1024 && endpoint.port != 0
                                          ? " (ports below 1024 need root or "
                                            "CAP_NET_BIND_SERVICE)"
                                          : ""));
        }
        acceptors_.push_back(std::move(acceptor));
    }
    running_ = true;
    for (std::size_t i = 0; i < acceptors_.size(); ++i) accept(i);
}

std::vector<unsigned short> StreamServer::ports() const {
    std::vector<unsigned short> out;
    for (const auto& a : acceptors_) {
        boost::system::error_code ec;
        out.push_back(a->local_endpoint(ec).port());
    }
    return out;
}

void StreamServer::accept(std::size_t index) {
    auto& acceptor = *acceptors_[index];
    acceptor.async_accept(
        boost::asio::make_strand(io_), [this, index](boost::system::error_code ec, tcp::socket socket) {
            if (!running_.load() || ec == boost::asio::error::operation_aborted) return;
            if (!ec) {
                boost::system::error_code peer_ec;
                const auto peer = socket.remote_endpoint(peer_ec).address();
                if (connections_.load() >= settings_.max_connections) {
                    counters_.connections_refused.inc();
                    std::uint64_t held = 0;
                    if (refused_log.allow(held)) {
                        log_->warn("syslog {}: refusing a connection from {}: already {} "
                                   "connections (max_connections); {} more refused since",
                                   name_, peer.to_string(), connections_.load(), held);
                    }
                    socket.close(peer_ec);
                } else {
                    connections_.fetch_add(1);
                    counters_.connections_accepted.inc();
                    socket.set_option(tcp::socket::keep_alive(true), peer_ec);
                    auto session = std::make_shared<Session>(*this, std::move(socket), peer);
                    register_session(session);
                    boost::asio::post(session->executor(), [session] { session->start(); });
                }
            }
            accept(index);
        });
}

void StreamServer::register_session(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(sessions_mutex_);
    // Forget sessions that ended, so the list stays as long as the live ones.
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    sessions_.push_back(session);
}

void StreamServer::stop() {
    if (!running_.exchange(false)) return;
    for (auto& acceptor : acceptors_) {
        boost::asio::post(acceptor->get_executor(), [&acceptor] {
            boost::system::error_code ignored;
            acceptor->close(ignored);
        });
    }
    {
        std::lock_guard lock(sessions_mutex_);
        for (auto& weak : sessions_) {
            if (auto session = weak.lock()) {
                boost::asio::post(session->executor(), [session] { session->close(); });
            }
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (connections_.load() > 0 && !io_.stopped() &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Let the posted acceptor closes run before the acceptors are destroyed.
    for (auto& acceptor : acceptors_) {
        std::atomic<bool> done{false};
        boost::asio::post(acceptor->get_executor(), [&done] { done = true; });
        while (!done.load() && !io_.stopped() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

}  // namespace netfeed::syslog
