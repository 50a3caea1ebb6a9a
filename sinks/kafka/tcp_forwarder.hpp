// Accepts TCP connections on one address and relays each, byte for byte, to another: the fixed
// bootstrap port in front of the embedded broker.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <thread>

namespace netfeed {

class TcpForwarder {
  public:
    /// Binds `listen` at once (throws boost::system::system_error when it cannot) and relays to
    /// `target` on its own thread.
    TcpForwarder(const boost::asio::ip::tcp::endpoint& listen,
                 const boost::asio::ip::tcp::endpoint& target);
    ~TcpForwarder();

    unsigned short port() const;

  private:
    void accept();

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp::endpoint target_;
    std::thread thread_;
};

}  // namespace netfeed
