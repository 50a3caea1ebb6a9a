// The embedded broker: librdkafka's in-memory mock cluster, reachable on a fixed loopback port.
// librdkafka 2.0.2's mock cluster only listens on random ports, so a small TCP forwarder takes
// the fixed bootstrap port (9092) and passes each connection to the mock broker. Clients then
// use the broker address the mock advertises in its metadata (127.0.0.1:<random port>), so the
// embedded broker serves clients on this host only, which is all it is for.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agent/option_values.hpp"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace netfeed {

class TcpForwarder;

class EmbeddedBroker {
  public:
    /// The broker for `listen`, started on first use and shared while anyone holds it, so that
    /// a Kafka sink rebuilt by a reload keeps the same broker and its data.
    /// Throws std::runtime_error when the port cannot be bound.
    static std::shared_ptr<EmbeddedBroker> acquire(const Endpoint& listen);

    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker&) = delete;
    EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

    /// The address clients bootstrap from, e.g. "127.0.0.1:9092".
    std::string bootstrap() const;
    /// The mock broker's own address (what the agent's producer connects to directly).
    const std::string& internal_bootstrap() const noexcept { return internal_bootstrap_; }
    /// Creates the topic unless it exists. Returns false with `error` set otherwise.
    bool create_topic(const std::string& name, int partitions, std::string& error);
    /// Answers metadata requests for `name` with "unknown topic", as a cluster that does not
    /// create topics by itself would (for trying how clients handle a missing topic).
    void refuse_topic(const std::string& name);
    /// The topics created through create_topic, with their partition counts.
    std::vector<std::pair<std::string, int>> topics() const;

  private:
    explicit EmbeddedBroker(const Endpoint& listen);

    rd_kafka_s* handle_ = nullptr;
    rd_kafka_mock_cluster_s* cluster_ = nullptr;
    std::string internal_bootstrap_;
    std::string listen_host_;
    std::unique_ptr<TcpForwarder> forwarder_;
    mutable std::mutex topics_mutex_;
    std::map<std::string, int> topics_;  // name -> partitions
};

}  // namespace netfeed
