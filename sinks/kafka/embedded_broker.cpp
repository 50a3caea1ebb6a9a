// The embedded broker; see embedded_broker.hpp.
#include "sinks/kafka/embedded_broker.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <boost/asio/ip/address.hpp>
#include <map>
#include <stdexcept>

#include "sinks/kafka/tcp_forwarder.hpp"

namespace netfeed {

namespace {
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<EmbeddedBroker>> registry;

boost::asio::ip::tcp::endpoint parse_bootstrap(const std::string& bootstraps) {
    // The mock's list is "host:port[,host:port...]"; one broker means one entry.
    const std::string first = bootstraps.substr(0, bootstraps.find(','));
    const auto colon = first.rfind(':');
    std::string host = first.substr(0, colon);
    if (host == "localhost") host = "127.0.0.1";
    const auto port = static_cast<unsigned short>(std::stoi(first.substr(colon + 1)));
    return {boost::asio::ip::make_address(host), port};
}
}  // namespace

std::shared_ptr<EmbeddedBroker> EmbeddedBroker::acquire(const Endpoint& listen) {
    std::lock_guard lock(registry_mutex);
    const std::string key = listen.to_string();
    if (auto existing = registry[key].lock()) return existing;
    std::shared_ptr<EmbeddedBroker> broker(new EmbeddedBroker(listen));
    registry[key] = broker;
    return broker;
}

EmbeddedBroker::EmbeddedBroker(const Endpoint& listen) : listen_host_(listen.host) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(listen.host, ec);
    if (ec || !address.is_loopback()) {
        throw std::runtime_error(
            "kafka.embedded_listen must be a loopback address (127.0.0.1 "
            "or ::1), not '" +
            listen.host + "'");
    }
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "client.id", "netfeed-embedded-broker", errstr, sizeof errstr);
    // The handle only hosts the mock cluster; keep its own logging quiet.
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (handle_ == nullptr) {
        throw std::runtime_error(std::string("cannot start the embedded broker: ") + errstr);
    }
    cluster_ = rd_kafka_mock_cluster_new(handle_, 1);
    if (cluster_ == nullptr) {
        rd_kafka_destroy(handle_);
        throw std::runtime_error("cannot start the embedded broker (mock cluster)");
    }
    internal_bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
    try {
        forwarder_ =
            std::make_unique<TcpForwarder>(boost::asio::ip::tcp::endpoint(address, listen.port),
                                           parse_bootstrap(internal_bootstrap_));
    } catch (const std::exception& e) {
        rd_kafka_mock_cluster_destroy(cluster_);
        rd_kafka_destroy(handle_);
        throw std::runtime_error("the embedded Kafka broker cannot listen on " +
                                 listen.to_string() + ": " + e.what() +
                                 " (is another Kafka running? set kafka.embedded_listen to "
                                 "another port, or kafka.brokers to use that Kafka)");
    }
}

EmbeddedBroker::~EmbeddedBroker() {
    forwarder_.reset();
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(handle_);
}

std::string EmbeddedBroker::bootstrap() const {
    return Endpoint{listen_host_, forwarder_->port()}.to_string();
}

bool EmbeddedBroker::create_topic(const std::string& name, int partitions, std::string& error) {
    std::lock_guard lock(topics_mutex_);
    if (topics_.contains(name)) return true;
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        error = rd_kafka_err2str(err);
        return false;
    }
    topics_.emplace(name, partitions);
    return true;
}

std::vector<std::pair<std::string, int>> EmbeddedBroker::topics() const {
    std::lock_guard lock(topics_mutex_);
    return {topics_.begin(), topics_.end()};
}

void EmbeddedBroker::refuse_topic(const std::string& name) {
    rd_kafka_mock_topic_set_error(cluster_, name.c_str(), RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
}

}  // namespace netfeed
