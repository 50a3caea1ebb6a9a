// The listen addresses of a datagram collector (syslog, netflow, sflow, snmp_trap): per address a
// bound UDP socket read in batches (unless `bind` is off, for a pcap input on a mirror port), its
// kernel-drop gauge and start log line, and in every case the registration through which a
// capture (pcap input, `netfeed replay`) feeds the same handler. One copy instead of one per
// collector.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "agent/datagram_inputs.hpp"
#include "collectors/common/udp_batch_receiver.hpp"

namespace netfeed {

struct DatagramListenSpec {
    std::string collector;     // "netflow": log prefix, capture name, listen error context
    std::string what;          // "NetFlow v5/v9 and IPFIX": said in the start log line ("": none)
    std::string unbound_note;  // appended to the not-binding log line ("" for none)
    bool bind = true;
    std::size_t receive_buffer_bytes = 8 << 20;
    std::size_t batch = 0;  // datagrams per receive batch; 0: the receiver's default
    /// Longest datagram taken whole; a longer one counts in `truncated` and is dropped (a cut
    /// export, trap or sFlow datagram cannot be decoded) or, with `deliver_truncated`, cut to
    /// this length and handed on flagged (a cut syslog message is still worth reading).
    std::size_t max_datagram_bytes = 65535;
    bool deliver_truncated = false;
    Counter* truncated = nullptr;
    /// Receive threads per listen address, each with its own SO_REUSEPORT socket; 1: the one
    /// socket runs on the agent's io threads as every other socket does.
    std::size_t workers = 1;
    /// After each receive batch of a bound socket, with the socket's tag (see
    /// UdpReceiverOptions::after_batch); a capture's datagrams come one by one and get no such
    /// call.
    std::function<void(std::size_t tag)> after_batch;
};

/// One datagram, valid only during the handler call.
struct Datagram {
    std::span<const std::uint8_t> payload;
    const boost::asio::ip::udp::endpoint& from;
    Timestamp received;
    /// The caller may block for pipeline room (a replayed capture); a socket must not.
    bool can_wait = false;
    /// Cut to max_datagram_bytes (only with deliver_truncated).
    bool truncated = false;
    /// The receiver it came from, null for a capture: replies such as inform acknowledgements go
    /// through it; its tag() numbers the sockets 0, 1, ... in the order opened, `workers` per
    /// listen address.
    UdpBatchReceiver* socket = nullptr;
};

using DatagramHandler = std::function<void(const Datagram& datagram)>;

class DatagramListeners {
  public:
    /// Opens `listen`; throws std::runtime_error (naming the address) when it cannot bind.
    void open(CollectorContext& context, const Endpoint& listen, const DatagramListenSpec& spec,
              const DatagramHandler& handler);
    /// Opens every address of `listen`, or none: when one cannot be bound, closes the others
    /// and throws.
    void open(CollectorContext& context, const std::vector<Endpoint>& listen,
              const DatagramListenSpec& spec, const DatagramHandler& handler);
    /// Stops the sockets and drops the registrations and gauges; safe to call twice.
    void close();

    DatagramListeners();
    ~DatagramListeners();
    DatagramListeners(const DatagramListeners&) = delete;
    DatagramListeners& operator=(const DatagramListeners&) = delete;

  private:
    /// A receive worker: its own io_context and thread, so its socket drains in parallel with
    /// the others.
    struct WorkerThread;

    std::vector<std::unique_ptr<WorkerThread>> threads_;  // outlive the receivers that use them
    std::vector<std::unique_ptr<UdpBatchReceiver>> receivers_;
    std::vector<DatagramInputs::Registration> capture_ports_;
    std::vector<GaugeRegistration> gauges_;
};

}  // namespace netfeed
