// The one UDP input of the datagram collectors: a datagram longer than the limit is dropped and
// counted, or (syslog) cut, counted and delivered flagged; a capture fed through the port's
// registration is held to the same limit.
#include "collectors/common/datagram_listeners.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agent/collector_emitter.hpp"
#include "agent/logging.hpp"

namespace netfeed {
namespace {

using namespace std::chrono_literals;

struct Seen {
    std::size_t bytes = 0;
    bool truncated = false;
    bool from_socket = false;
};

class DatagramListenersTest : public ::testing::Test {
  protected:
    void SetUp() override {
        io_thread_ = std::thread([this] { io_.run(); });
    }
    void TearDown() override {
        listeners_.close();
        work_.reset();
        io_.stop();
        io_thread_.join();
    }

    /// Opens 127.0.0.1:0 with a 40-byte limit; returns the bound port.
    std::uint16_t open(bool deliver_truncated, bool bind = true) {
        DatagramListenSpec spec;
        spec.collector = "test";
        spec.bind = bind;
        spec.max_datagram_bytes = 40;
        spec.deliver_truncated = deliver_truncated;
        spec.truncated = &truncated_;
        listeners_.open(
            context_,
            std::vector<Endpoint>{{"127.0.0.1", static_cast<std::uint16_t>(bind ? 0 : 9)}}, spec,
            [this](const Datagram& d) {
                std::lock_guard lock(mutex_);
                seen_.push_back({d.payload.size(), d.truncated, d.socket != nullptr});
                changed_.notify_all();
            });
        return port_of_log();
    }

    std::uint16_t port_of_log() {
        // The kernel-drop gauge names the bound address: read the port from it.
        const std::string text = registry_.render_prometheus();
        const auto at = text.find("listen=\"127.0.0.1:");
        if (at == std::string::npos) return 0;
        return static_cast<std::uint16_t>(std::stoi(text.substr(at + 18)));
    }

    void send(std::uint16_t port, std::size_t bytes) {
        boost::asio::ip::udp::socket sender(io_, boost::asio::ip::udp::v4());
        const std::string payload(bytes, 'x');
        sender.send_to(boost::asio::buffer(payload),
                       {boost::asio::ip::make_address("127.0.0.1"), port});
    }

    /// Waits until `count` datagrams were handled (or a second passed).
    std::vector<Seen> wait_for(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 1s, [&] { return seen_.size() >= count; });
        return seen_;
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
        boost::asio::make_work_guard(io_);
    std::thread io_thread_;
    MetricsRegistry registry_;
    ComponentMetrics metrics_{registry_, "collector", "test", "test"};
    Counter truncated_;
    BoundedQueue<Record> queue_{8};
    std::atomic<bool> stopping_{false};
    Counter& accepted_ = registry_.counter("accepted", "");
    CollectorEmitter emitter_{queue_, stopping_, accepted_, metrics_};
    DeviceDirectory devices_;
    SharedTables tables_;
    CollectorContext context_{io_, emitter_, devices_, tables_, metrics_, make_logger("test"),
                              {},  {}};
    DatagramListeners listeners_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Seen> seen_;
};

TEST_F(DatagramListenersTest, ALongDatagramIsCountedAndDroppedByDefault) {
    const std::uint16_t port = open(false);
    ASSERT_NE(port, 0);
    send(port, 100);
    send(port, 40);  // exactly the limit: whole
    const auto seen = wait_for(1);
    std::this_thread::sleep_for(100ms);  // the long one, had it been handed on, by now
    ASSERT_EQ(wait_for(2).size(), 1u);
    EXPECT_EQ(seen[0].bytes, 40u);
    EXPECT_FALSE(seen[0].truncated);
    EXPECT_TRUE(seen[0].from_socket);
    EXPECT_EQ(truncated_.value(), 1u);
}

TEST_F(DatagramListenersTest, ALongDatagramIsCutCountedAndDeliveredWhenAsked) {
    const std::uint16_t port = open(true);
    ASSERT_NE(port, 0);
    send(port, 100);
    const auto seen = wait_for(1);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].bytes, 40u);
    EXPECT_TRUE(seen[0].truncated);
    EXPECT_EQ(truncated_.value(), 1u);
}

TEST_F(DatagramListenersTest, ACaptureIsHeldToTheSameLimit) {
    open(true, false);
    const std::vector<std::uint8_t> payload(100, 'x');
    const boost::asio::ip::udp::endpoint from{boost::asio::ip::make_address("127.0.0.2"), 514};
    ASSERT_TRUE(tables_.datagrams.deliver(9, payload, from, Clock::now(), true));
    ASSERT_TRUE(
        tables_.datagrams.deliver(9, std::span(payload).first(10), from, Clock::now(), true));
    const auto seen = wait_for(2);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].bytes, 40u);
    EXPECT_TRUE(seen[0].truncated);
    EXPECT_FALSE(seen[0].from_socket);
    EXPECT_EQ(seen[1].bytes, 10u);
    EXPECT_FALSE(seen[1].truncated);
    EXPECT_EQ(truncated_.value(), 1u);
    listeners_.close();
    EXPECT_FALSE(tables_.datagrams.deliver(9, payload, from, Clock::now(), true))
        << "closed: the port's registration is gone";
}

}  // namespace
}  // namespace netfeed
