// The small HTTP endpoint for operators and monitoring: GET /metrics (Prometheus text) and
// GET /healthz (200 when healthy, 503 with the reasons otherwise).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "agent/option_values.hpp"

namespace netfeed {

class HttpEndpoint {
  public:
    struct Handlers {
        std::function<std::string()> metrics;
        /// Empty when healthy, else the problems.
        std::function<std::string()> health;
        /// Empty when nothing is degraded, else the reasons (answered 200 "degraded: ...").
        std::function<std::string()> degraded;
    };

    HttpEndpoint(boost::asio::io_context& io, Handlers handlers);
    ~HttpEndpoint();

    /// Binds and starts accepting. Throws std::runtime_error naming the address on failure.
    void start(const Endpoint& listen);
    void stop();
    /// The bound port (useful when configured with port 0).
    unsigned short port() const;

  private:
    void accept();
    boost::asio::io_context& io_;
    Handlers handlers_;
    boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace netfeed
