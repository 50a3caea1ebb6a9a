// TCP relay; see tcp_forwarder.hpp.
#include "sinks/kafka/tcp_forwarder.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace netfeed {

using tcp = boost::asio::ip::tcp;

namespace {

// Both directions of one client connection; closing either side closes both.
class Relay : public std::enable_shared_from_this<Relay> {
  public:
    Relay(tcp::socket client, boost::asio::io_context& io)
        : client_(std::move(client)), server_(io) {}

    void start(const tcp::endpoint& target) {
        server_.async_connect(target, [self = shared_from_this()](boost::system::error_code ec) {
            if (ec) {
                self->close();
                return;
            }
            self->pump(self->client_, self->server_, self->up_);
            self->pump(self->server_, self->client_, self->down_);
        });
    }

  private:
    using Buffer = std::array<char, 64 * 1024>;

    void pump(tcp::socket& from, tcp::socket& to, Buffer& buffer) {
        from.async_read_some(
            boost::asio::buffer(buffer), [self = shared_from_this(), &from, &to, &buffer](
                                             boost::system::error_code ec, std::size_t n) {
                if (ec) {
                    self->close();
                    return;
                }
                boost::asio::async_write(
                    to, boost::asio::buffer(buffer.data(), n),
                    [self, &from, &to, &buffer](boost::system::error_code wec, std::size_t) {
                        if (wec) {
                            self->close();
                            return;
                        }
                        self->pump(from, to, buffer);
                    });
            });
    }

    void close() {
        boost::system::error_code ignored;
        client_.close(ignored);
        server_.close(ignored);
    }

    tcp::socket client_;
    tcp::socket server_;
    Buffer up_{};
    Buffer down_{};
};

}  // namespace

TcpForwarder::TcpForwarder(const tcp::endpoint& listen, const tcp::endpoint& target)
    : acceptor_(io_), target_(target) {
    acceptor_.open(listen.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(listen);
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { io_.run(); });
}

TcpForwarder::~TcpForwarder() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

unsigned short TcpForwarder::port() const {
    return acceptor_.local_endpoint().port();
}

void TcpForwarder::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true));
            std::make_shared<Relay>(std::move(socket), io_)->start(target_);
        }
        accept();
    });
}

}  // namespace netfeed
