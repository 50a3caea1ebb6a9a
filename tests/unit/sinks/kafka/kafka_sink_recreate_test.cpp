// A fatal librdkafka error with the spool on: the sink replaces the producer and produces every
// unacknowledged record again from the spool, so numbered records all reach the topic. The
// broker is a mock cluster made by the test, which answers Produce with
// OUT_OF_ORDER_SEQUENCE_NUMBER on demand: the idempotent producer treats that as fatal (a
// sequence desynchronization), as it would after a broker lost acknowledged data.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "agent/logging.hpp"
#include "agent/metrics.hpp"
#include "sinks/kafka/kafka_sink.hpp"

namespace netfeed {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

constexpr const char* kTopic = "recreate.test";
constexpr std::int16_t kProduceApiKey = 0;  // the Kafka protocol's ApiKey of Produce

class KafkaSinkRecreateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        setup_logging(LogLevel::warn);
        dir_ = std::filesystem::temp_directory_path() /
               ("netfeed_recreate_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        char error[256];
        host_ = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), error, sizeof error);
        ASSERT_NE(host_, nullptr) << error;
        cluster_ = rd_kafka_mock_cluster_new(host_, 1);
        ASSERT_NE(cluster_, nullptr);
        ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, kTopic, 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    void TearDown() override {
        rd_kafka_mock_cluster_destroy(cluster_);
        rd_kafka_destroy(host_);
        std::filesystem::remove_all(dir_);
    }

    static std::vector<RoutedRecord> numbered(int from, int to) {
        std::vector<RoutedRecord> batch;
        for (int n = from; n < to; ++n) {
            RoutedRecord routed;
            routed.record.kind = RecordKind::test;
            routed.record.device = "dev1";
            routed.record.set("n", static_cast<std::int64_t>(n));
            routed.delivery.topic = kTopic;
            routed.delivery.key = "dev1";
            routed.delivery.has_key = true;
            batch.push_back(std::move(routed));
        }
        return batch;
    }

    /// The values of `n` in the topic, with how often each was read.
    std::multiset<int> read_back(std::size_t expected) {
        char error[256];
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(cluster_),
                          error, sizeof error);
        rd_kafka_conf_set(conf, "group.id", "recreate-test", error, sizeof error);
        rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
        rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, kTopic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(consumer, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        std::multiset<int> seen;
        const auto until = steady_clock::now() + 20s;
        while (seen.size() < expected && steady_clock::now() < until) {
            rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 200);
            if (message == nullptr) continue;
            if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const std::string value(static_cast<const char*>(message->payload), message->len);
                const auto at = value.find("\"n\":");
                if (at != std::string::npos) seen.insert(std::stoi(value.substr(at + 4)));
            }
            rd_kafka_message_destroy(message);
        }
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        return seen;
    }

    std::filesystem::path dir_;
    rd_kafka_t* host_ = nullptr;
    rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

TEST_F(KafkaSinkRecreateTest, AFatalProducerErrorLosesNoSpooledRecord) {
    KafkaOptions options;
    options.embedded = false;
    options.brokers = {rd_kafka_mock_cluster_bootstraps(cluster_)};
    options.idempotence = true;
    options.spool.enabled = true;
    boost::asio::io_context io;
    MetricsRegistry registry;
    ComponentMetrics metrics(registry, "sink", "kafka", "kafka");
    SinkContext context{io, metrics, make_logger("sink.kafka"), {{kTopic, 1}}, dir_.string()};
    KafkaSink sink(options);
    sink.start(context);

    // A first lot delivered normally.
    auto batch = numbered(0, 100);
    sink.poll();  // opens the spool
    sink.write(batch, steady_clock::now() + 5s);
    ASSERT_EQ(sink.flush(steady_clock::now() + 10s), 0u);
    ASSERT_EQ(metrics.sent().value(), 100u);

    // The broker now refuses the next Produce requests with a sequence error: fatal.
    rd_kafka_mock_push_request_errors(cluster_, kProduceApiKey, 3,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    batch = numbered(100, 300);
    sink.write(batch, steady_clock::now() + 5s);
    const auto until = steady_clock::now() + 30s;
    while (metrics.sent().value() < 300 && steady_clock::now() < until) {
        sink.poll();
        sink.flush(steady_clock::now() + 200ms);
    }
    EXPECT_GE(registry.counter_total("netfeed_kafka_producer_recreated_total"), 1u)
        << "the fault did not make the producer fatal: the test proves nothing";
    EXPECT_EQ(metrics.sent().value(), 300u);
    EXPECT_EQ(registry.counter_total("netfeed_component_dropped_total"), 0u);
    sink.stop();

    const auto seen = read_back(300);
    std::size_t missing = 0;
    for (int n = 0; n < 300; ++n)
        missing += seen.count(n) == 0 ? 1 : 0;
    std::cout << "sent 300, read back " << seen.size() << ", missing " << missing << ", duplicated "
              << seen.size() - (300 - missing) << "\n";
    EXPECT_EQ(missing, 0u);
}

}  // namespace
}  // namespace netfeed
