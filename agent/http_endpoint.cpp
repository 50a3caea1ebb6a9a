// Boost.Beast server for /metrics and /healthz; see http_endpoint.hpp.
#include "agent/http_endpoint.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace netfeed {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// One request per connection: scrapers and probes do not need keep-alive, and it keeps the
// session's lifetime trivial.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, const HttpEndpoint::Handlers& handlers)
        : stream_(std::move(socket)), handlers_(handlers) {}

    void run() {
        stream_.expires_after(std::chrono::seconds(10));
        http::async_read(stream_, buffer_, request_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (!ec) self->respond();
                         });
    }

  private:
    void respond() {
        response_.version(request_.version());
        response_.keep_alive(false);
        response_.set(http::field::server, "netfeed");
        const auto target = request_.target();
        const bool get =
            request_.method() == http::verb::get || request_.method() == http::verb::head;
        if (!get) {
            response_.result(http::status::method_not_allowed);
            response_.set(http::field::content_type, "text/plain");
            response_.body() = "only GET\n";
        } else if (target == "/metrics") {
            response_.result(http::status::ok);
            response_.set(http::field::content_type, "text/plain; version=0.0.4");
            response_.body() = handlers_.metrics();
        } else if (target == "/healthz") {
            const std::string problems = handlers_.health();
            const std::string degraded =
                problems.empty() && handlers_.degraded ? handlers_.degraded() : std::string();
            response_.result(problems.empty() ? http::status::ok
                                              : http::status::service_unavailable);
            response_.set(http::field::content_type, "text/plain");
            response_.body() = !problems.empty() ? problems + "\n"
                               : degraded.empty() ? "ok\n"
                                                  : "degraded: " + degraded + "\n";
        } else {
            response_.result(http::status::not_found);
            response_.set(http::field::content_type, "text/plain");
            response_.body() = "not found: try /metrics or /healthz\n";
        }
        response_.prepare_payload();
        http::async_write(stream_, response_,
                          [self = shared_from_this()](beast::error_code, std::size_t) {
                              beast::error_code ignored;
                              self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    const HttpEndpoint::Handlers& handlers_;
};

}  // namespace

HttpEndpoint::HttpEndpoint(boost::asio::io_context& io, Handlers handlers)
    : io_(io), handlers_(std::move(handlers)), acceptor_(io) {}

HttpEndpoint::~HttpEndpoint() {
    stop();
}

void HttpEndpoint::start(const Endpoint& listen) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(listen.host, ec);
    if (ec) {
        throw std::runtime_error("agent.http.listen: '" + listen.host + "' is not an IP address");
    }
    const tcp::endpoint endpoint(address, listen.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint, ec);
    if (ec) {
        acceptor_.close();
        throw std::runtime_error("cannot listen on " + listen.to_string() + " for /metrics: " +
                                 ec.message() + " (set agent.http.listen to another port)");
    }
    acceptor_.listen();
    accept();
}

void HttpEndpoint::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

unsigned short HttpEndpoint::port() const {
    boost::system::error_code ec;
    return acceptor_.local_endpoint(ec).port();
}

void HttpEndpoint::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted) return;
        if (!ec) std::make_shared<Session>(std::move(socket), handlers_)->run();
        if (acceptor_.is_open()) accept();
    });
}

}  // namespace netfeed
