// See datagram_listeners.hpp.
#include "collectors/common/datagram_listeners.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <thread>

namespace netfeed {

struct DatagramListeners::WorkerThread {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard =
        boost::asio::make_work_guard(io);
    std::thread thread;

    explicit WorkerThread(const std::string& name) {
        thread = std::thread([this, name] {
            pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
            io.run();
        });
    }
    ~WorkerThread() {
        guard.reset();
        io.stop();
        if (thread.joinable()) thread.join();
    }
};

DatagramListeners::DatagramListeners() = default;
DatagramListeners::~DatagramListeners() {
    close();
}

void DatagramListeners::open(CollectorContext& context, const Endpoint& listen,
                             const DatagramListenSpec& spec, const DatagramHandler& handler) {
    std::uint16_t port = listen.port;
    if (spec.bind) {
        const std::size_t workers = std::max<std::size_t>(spec.workers, 1);
        std::string where;
        std::vector<UdpBatchReceiver*> opened;
        for (std::size_t w = 0; w < workers; ++w) {
            UdpReceiverOptions options;
            options.listen = udp_listen_endpoint(listen, spec.collector);
            // The first socket may have asked for port 0: the others join the port it got.
            if (w > 0) options.listen.port(port);
            options.receive_buffer_bytes = spec.receive_buffer_bytes;
            options.max_datagram_bytes = spec.max_datagram_bytes;
            if (spec.batch > 0) options.batch = spec.batch;
            options.reuse_port = workers > 1;
            options.tag = receivers_.size();
            if (spec.after_batch) {
                options.after_batch = [after = spec.after_batch, tag = options.tag] { after(tag); };
            }
            boost::asio::io_context* io = &context.io;
            if (workers > 1) {
                threads_.push_back(
                    std::make_unique<WorkerThread>(spec.collector + "-rx" + std::to_string(w)));
                io = &threads_.back()->io;
            }
            // The handler gets its own receiver (for replies), which exists only after it is
            // made.
            auto self = std::make_shared<UdpBatchReceiver*>(nullptr);
            auto receiver = std::make_unique<UdpBatchReceiver>(
                *io, options,
                [handler, self, truncated = spec.truncated, deliver = spec.deliver_truncated](
                    std::span<const std::uint8_t> payload,
                    const boost::asio::ip::udp::endpoint& from, bool was_truncated) {
                    if (was_truncated) {
                        if (truncated != nullptr) truncated->inc();
                        if (!deliver) return;
                    }
                    handler(Datagram{payload, from, Clock::now(), false, was_truncated, *self});
                });
            *self = receiver.get();
            receiver->start();
            const auto bound = receiver->local_endpoint();
            port = bound.port();
            where = Endpoint{bound.address().to_string(), bound.port()}.to_string();
            opened.push_back(receiver.get());
            receivers_.push_back(std::move(receiver));
        }
        context.log->info("{}: receiving {}on udp {} (socket buffer {} bytes{})", spec.collector,
                          spec.what.empty() ? std::string() : spec.what + " ", where,
                          opened.front()->receive_buffer_bytes(),
                          workers > 1 ? fmt::format(", {} receive workers on SO_REUSEPORT "
                                                    "sockets",
                                                    workers)
                                      : std::string());
        gauges_.push_back(context.metrics.registry().gauge_callback(
            "netfeed_udp_kernel_drops", "Datagrams the kernel dropped because the socket was full",
            {context.metrics.component_label(), {"listen", where}}, [opened] {
                std::uint64_t drops = 0;
                for (const UdpBatchReceiver* r : opened)
                    drops += r->kernel_drops();
                return static_cast<double>(drops);
            }));
    } else {
        context.log->info("{}: not binding udp {}; taking what a pcap input captures for port {}{}",
                          spec.collector, listen.to_string(), listen.port, spec.unbound_note);
    }
    // A capture (netfeed replay, or a pcap input on a mirror port) feeds the same handler, held
    // to the same length limit as the socket.
    capture_ports_.push_back(context.tables.datagrams.add(
        port, spec.collector,
        [handler, limit = spec.max_datagram_bytes, truncated = spec.truncated,
         deliver = spec.deliver_truncated](std::span<const std::uint8_t> payload,
                                           const boost::asio::ip::udp::endpoint& from,
                                           Timestamp received, bool can_wait) {
            const bool cut = payload.size() > limit;
            if (cut) {
                if (truncated != nullptr) truncated->inc();
                if (!deliver) return;
                payload = payload.first(limit);
            }
            handler(Datagram{payload, from, received, can_wait, cut, nullptr});
        }));
}

void DatagramListeners::open(CollectorContext& context, const std::vector<Endpoint>& listen,
                             const DatagramListenSpec& spec, const DatagramHandler& handler) {
    try {
        for (const Endpoint& address : listen)
            open(context, address, spec, handler);
    } catch (...) {
        close();
        throw;
    }
}

void DatagramListeners::close() {
    gauges_.clear();  // they read the receivers
    for (auto& receiver : receivers_)
        receiver->stop();
    receivers_.clear();
    threads_.clear();
    capture_ports_.clear();
}

}  // namespace netfeed
