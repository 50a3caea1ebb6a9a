// The kernel's drop count must be visible even when no datagram follows the drops (issue: the
// SO_RXQ_OVFL count only arrives with the next datagram read).
#include "collectors/common/udp_batch_receiver.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace netfeed {
namespace {

TEST(UdpBatchReceiver, KernelDropsAreSeenWithoutAnotherDatagram) {
    boost::asio::io_context io;  // never run: nothing reads, so the socket buffer fills
    UdpReceiverOptions options;
    options.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
    options.receive_buffer_bytes = 65536;
    UdpBatchReceiver receiver(io, options, [](auto, const auto&, bool) {});
    receiver.start();
    const auto target = receiver.local_endpoint();

    boost::asio::ip::udp::socket sender(io, boost::asio::ip::udp::v4());
    const std::vector<char> payload(1200, 'x');
    constexpr int kSent = 2000;  // 2.4 MB into a buffer of at most a few hundred KiB
    for (int i = 0; i < kSent; ++i) sender.send_to(boost::asio::buffer(payload), target);

    const std::uint64_t drops = receiver.kernel_drops();
    EXPECT_GT(drops, 0u);
    EXPECT_LT(drops, static_cast<std::uint64_t>(kSent));
    io.stop();  // no io threads: stop() closes the socket at once
    receiver.stop();
    // Stopped: the count that was seen stays readable and no socket is asked any more.
    EXPECT_LE(receiver.kernel_drops(), drops);
}

}  // namespace
}  // namespace netfeed
