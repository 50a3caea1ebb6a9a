#include "lab/nxapi_sim/switch_listener.hpp"

#include <array>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>

namespace nxapi_sim {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using TlsStream = net::ssl::stream<tcp::socket>;

constexpr size_t kBodyLimit = 1 << 20;

std::string_view view(boost::beast::string_view s) {
    return {s.data(), s.size()};
}

tcp::socket& lowest(tcp::socket& socket) {
    return socket;
}
tcp::socket& lowest(TlsStream& stream) {
    return stream.next_layer();
}

void append_number(std::string& out, uint64_t n) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
    (void)ec;
    out.append(buffer, static_cast<size_t>(end - buffer));
}

template <class Stream>
class HttpConnection : public std::enable_shared_from_this<HttpConnection<Stream>> {
  public:
    template <class... StreamArgs>
    HttpConnection(const NxapiHandler& handler, SwitchState& state, StreamArgs&&... args)
        : stream_(std::forward<StreamArgs>(args)...),
          timer_(lowest(stream_).get_executor()),
          handler_(handler),
          state_(state) {}

    void start() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            stream_.async_handshake(net::ssl::stream_base::server,
                                    [self = this->shared_from_this()](error_code ec) {
                                        if (ec) return self->close_now();
                                        self->read();
                                    });
        } else {
            read();
        }
    }

  private:
    void read() {
        parser_.emplace();
        parser_->body_limit(kBodyLimit);
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
    }

    // libcurl sends "Expect: 100-continue" with bodies over 1 KiB and waits a second for the
    // interim answer before sending the body anyway: answer it, or batches look slow.
    void on_header(error_code ec) {
        if (ec) return close_now();
        auto expect = parser_->get()[http::field::expect];
        if (boost::beast::iequals(expect, "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                             [self = this->shared_from_this()](error_code write_ec, size_t) {
                                 if (write_ec) return self->close_now();
                                 self->read_body();
                             });
            return;
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return on_read({});
        http::async_read(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (ec) return close_now();  // the peer closed, or sent something that is not HTTP
        auto& request = parser_->get();
        HttpRequestView view_of_request{
            view(request.method_string()),
            view(request.target()),
            view(request[http::field::content_type]),
            view(request[http::field::authorization]),
            view(request[http::field::cookie]),
            request.body(),
        };
        keep_alive_ = request.keep_alive();
        handler_.handle(state_, view_of_request, reply_);
        if (reply_.delay_ms > 0) {
            timer_.expires_after(std::chrono::milliseconds(reply_.delay_ms));
            timer_.async_wait([self = this->shared_from_this()](error_code) { self->send(); });
        } else {
            send();
        }
    }

    void send() {
        if (reply_.wire_fault == FaultKind::close) return close_now();
        bool truncated = reply_.wire_fault == FaultKind::truncated;
        if (truncated) keep_alive_ = false;
        header_.clear();
        header_ += "HTTP/1.1 ";
        append_number(header_, reply_.status);
        header_ += ' ';
        header_ += reply_.reason;
        header_ += "\r\nServer: nxapi-sim\r\nContent-Type: ";
        header_ += reply_.content_type;
        header_ += "\r\nContent-Length: ";
        append_number(header_, reply_.body.size());
        header_ += "\r\n";
        if (!reply_.set_cookie.empty()) {
            header_ += "Set-Cookie: ";
            header_ += reply_.set_cookie;
            header_ += "\r\n";
        }
        if (reply_.www_authenticate) header_ += "WWW-Authenticate: Basic realm=\"nxapi\"\r\n";
        if (!keep_alive_) header_ += "Connection: close\r\n";
        header_ += "\r\n";
        size_t body_bytes = truncated ? reply_.body.size() / 2 : reply_.body.size();
        std::array<net::const_buffer, 2> buffers{net::buffer(header_),
                                                 net::buffer(reply_.body.data(), body_bytes)};
        net::async_write(stream_, buffers,
                         [self = this->shared_from_this(), truncated](error_code ec, size_t) {
                             if (ec || truncated) return self->close_now();
                             if (self->keep_alive_) return self->read();
                             self->close_gracefully();
                         });
    }

    void close_now() {
        error_code ignored;
        lowest(stream_).close(ignored);
    }

    void close_gracefully() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            // close_notify, but do not wait long for the peer's.
            timer_.expires_after(std::chrono::seconds(1));
            timer_.async_wait([self = this->shared_from_this()](error_code) { self->close_now(); });
            stream_.async_shutdown([self = this->shared_from_this()](error_code) {
                self->timer_.cancel();
                self->close_now();
            });
        } else {
            error_code ignored;
            stream_.shutdown(tcp::socket::shutdown_send, ignored);
            close_now();
        }
    }

    Stream stream_;
    net::steady_timer timer_;
    const NxapiHandler& handler_;
    SwitchState& state_;
    boost::beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    Reply reply_;
    std::string header_;
    bool keep_alive_ = true;
};

class SwitchAcceptor : public std::enable_shared_from_this<SwitchAcceptor> {
  public:
    SwitchAcceptor(net::io_context& io, const NxapiHandler& handler, net::ssl::context* tls,
                   SwitchState& state, const tcp::endpoint& endpoint)
        : io_(io), acceptor_(io), retry_(io), handler_(handler), tls_(tls), state_(state) {
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(net::socket_base::max_listen_connections);
        auto bound = acceptor_.local_endpoint();
        state_.address = bound.address().to_string();
        state_.port = bound.port();
    }

    void accept() {
        acceptor_.async_accept(
            net::make_strand(io_), [self = shared_from_this()](error_code ec, tcp::socket socket) {
                if (ec == net::error::operation_aborted) return;
                if (ec) {
                    // Out of file descriptors and the like: try again shortly instead of spinning.
                    self->retry_.expires_after(std::chrono::milliseconds(100));
                    self->retry_.async_wait([self](error_code) { self->accept(); });
                    return;
                }
                error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                if (self->tls_ != nullptr) {
                    std::make_shared<HttpConnection<TlsStream>>(self->handler_, self->state_,
                                                                std::move(socket), *self->tls_)
                        ->start();
                } else {
                    std::make_shared<HttpConnection<tcp::socket>>(self->handler_, self->state_,
                                                                  std::move(socket))
                        ->start();
                }
                self->accept();
            });
    }

  private:
    net::io_context& io_;
    tcp::acceptor acceptor_;
    net::steady_timer retry_;
    const NxapiHandler& handler_;
    net::ssl::context* tls_;
    SwitchState& state_;
};

}  // namespace

void open_switch_listener(net::io_context& io, const NxapiHandler& handler, net::ssl::context* tls,
                          SwitchState& state, const tcp::endpoint& endpoint) {
    std::make_shared<SwitchAcceptor>(io, handler, tls, state, endpoint)->accept();
}

}  // namespace nxapi_sim
