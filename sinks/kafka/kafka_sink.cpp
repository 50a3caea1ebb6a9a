// The Kafka sink; see kafka_sink.hpp.
#include "sinks/kafka/kafka_sink.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "agent/record_value.hpp"
#include "sinks/kafka/key_encoding.hpp"
#include "sinks/kafka/producer_config.hpp"

namespace netfeed {

namespace {

using std::chrono::steady_clock;

std::uint64_t now_us() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                          steady_clock::now().time_since_epoch())
                                          .count());
}

const std::string kSchemaVersion = std::to_string(kRecordSchemaVersion);

}  // namespace

KafkaSink::KafkaSink(KafkaOptions options) : options_(std::move(options)) {}

KafkaSink::~KafkaSink() {
    stop();
}

std::string KafkaSink::embedded_bootstrap() const {
    return embedded_ ? embedded_->bootstrap() : std::string();
}

Counter& KafkaSink::drop_counter(const std::string& reason) {
    auto it = drop_counters_.find(reason);
    if (it == drop_counters_.end()) {
        it = drop_counters_.emplace(reason, &context_->metrics.dropped(reason)).first;
    }
    return *it->second;
}

void KafkaSink::start(SinkContext& context) {
    context_ = &context;
    latency_ = &context.metrics.registry().histogram(
        "netfeed_kafka_delivery_latency_seconds",
        "Time from handing a record to librdkafka until the broker acknowledged it",
        {{"sink", context.metrics.component()}},
        {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
    // Create the counters now so that /metrics shows them at zero from the start.
    drop_counter("delivery_failed");
    drop_counter("too_large");
    drop_counter("produce_failed");

    if (options_.use_embedded()) {
        embedded_ = EmbeddedBroker::acquire(options_.embedded_listen);
        bootstrap_ = embedded_->internal_bootstrap();
    } else {
        bootstrap_ = bootstrap_servers(options_.brokers);
    }

    const auto& spool = options_.spool;
    spool_wanted_ = spool.enabled.value_or(!context.state_dir.empty() || !spool.dir.empty());
    if (spool_wanted_) {
        if (context.state_dir.empty() && spool.dir.empty()) {
            throw std::runtime_error(
                "kafka.spool.enabled is true but neither agent.state_dir nor kafka.spool.dir is "
                "set: set one of them to say where the spool lives");
        }
        spool_settings_.dir = !spool.dir.empty()
                                  ? spool.dir.path
                                  : (std::filesystem::path(context.state_dir) / "spool").string();
        spool_settings_.max_bytes = spool.max_bytes;
        spool_settings_.segment_bytes = std::min(spool.segment_bytes, spool.max_bytes / 4);
        spool_settings_.overflow = spool.overflow;
        spool_settings_.fsync_interval = spool.fsync;
        spool_settings_.max_frame_bytes = static_cast<std::uint32_t>(
            std::min<std::size_t>(options_.message_max_bytes + 65536, 0xffffffffu));
        agent_id_path_ = (std::filesystem::path(context.state_dir.empty() ? spool_settings_.dir
                                                                          : context.state_dir) /
                          "agent-id")
                             .string();
        std::error_code ec;
        std::filesystem::create_directories(spool_settings_.dir, ec);
        if (ec) {
            throw std::runtime_error("cannot create the Kafka spool directory " +
                                     spool_settings_.dir + ": " + ec.message());
        }
    }
    create_producer();

    prepare_topics(context.topics, true);

    if (embedded_) {
        retention_ = std::make_unique<RetentionMonitor>(embedded_, context.metrics.registry(),
                                                        context.log, RetentionMonitor::Settings{});
        std::string example = "netfeed.syslog";
        for (const auto& plan : context.topics) {
            if (plan.required) {
                example = plan.name;
                break;
            }
        }
        context.log->info(
            "embedded Kafka broker on {} (in memory, it keeps only the newest records of each "
            "partition: for trying netfeed out; set kafka.brokers for a real cluster). Tail it "
            "with: kcat -b {} -C -t {}",
            embedded_->bootstrap(), embedded_->bootstrap(), example);
    } else {
        context.log->info("producing to Kafka at {}", bootstrap_);
    }
}

void KafkaSink::create_producer() {
    std::string error;
    rd_kafka_conf_t* conf = make_producer_conf(options_, bootstrap_, error);
    if (conf == nullptr) throw std::runtime_error(error);
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t* rk, const rd_kafka_message_t* message,
                                         void* opaque) { on_delivery(rk, message, opaque); });
    rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t* rk, int err, const char* reason, void* opaque) {
        on_error(rk, err, reason, opaque);
    });
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t* rk, int level, const char* facility,
                                      const char* text) { on_log(rk, level, facility, text); });
    char errstr[512];
    // With the spool, an outage of any length is waited out: a record fails only for good
    // reasons (too large, not authorized), never because time passed.
    if (spool_wanted_ && !options_.properties.contains("message.timeout.ms") &&
        rd_kafka_conf_set(conf, "message.timeout.ms", "0", errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        throw std::runtime_error(std::string("kafka: message.timeout.ms: ") + errstr);
    }
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (producer_ == nullptr) {
        throw std::runtime_error(std::string("cannot create the Kafka producer: ") + errstr);
    }
}

void KafkaSink::add_topics(const std::vector<TopicPlan>& topics) {
    try {
        prepare_topics(topics, false);
    } catch (const std::exception& e) {
        context_->log->error("{}", e.what());
    }
}

void KafkaSink::prepare_topics(const std::vector<TopicPlan>& topics, bool fail_on_missing) {
    for (const auto& plan : topics) {
        const int partitions = plan.partitions > 0 ? plan.partitions : options_.default_partitions;
        {
            std::lock_guard lock(topics_mutex_);
            planned_partitions_[plan.name] = partitions;
        }
        if (embedded_) {
            std::string error;
            if (!embedded_->create_topic(plan.name, partitions, error)) {
                throw std::runtime_error("cannot create topic " + plan.name +
                                         " on the embedded broker: " + error);
            }
        }
        if (plan.compact) {
            // Neither the embedded broker nor this producer can set a topic's cleanup policy;
            // say what the state topic needs so that the cluster keeps only current state.
            context_->log->info(
                "{} is a state topic: records are keyed per device and removed devices get "
                "tombstones; on a cluster it needs cleanup.policy=compact (kafka-topics.sh "
                "--create --topic {} --config cleanup.policy=compact){}",
                plan.name, plan.name,
                embedded_ ? "; the embedded broker keeps every record, it does not compact" : "");
        }
        Delivery delivery;
        delivery.partitioner = plan.partitioner;
        TopicState& state = topic(plan.name, delivery);
        if (!embedded_ && options_.check_topics && plan.required) {
            try {
                check_topic_exists(state.name);
            } catch (const std::exception&) {
                if (fail_on_missing) throw;
                context_->log->error(
                    "topic {} is missing on the cluster: records for it will "
                    "fail and be counted (reason delivery_failed)",
                    plan.name);
            }
        }
    }
}

void KafkaSink::check_topic_exists(const std::string& name) {
    rd_kafka_topic_t* rkt = nullptr;
    {
        std::lock_guard lock(topics_mutex_);
        rkt = topics_.at(name)->handle;
    }
    const rd_kafka_metadata_t* metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(producer_, 0, rkt, &metadata, 10'000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // Not reachable now is not fatal: librdkafka keeps trying and records wait in memory.
        context_->log->warn(
            "cannot check topic {} on {}: {}; continuing, records wait until "
            "the brokers answer",
            name, bootstrap_, rd_kafka_err2str(err));
        return;
    }
    rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (metadata->topic_cnt > 0) topic_err = metadata->topics[0].err;
    rd_kafka_metadata_destroy(metadata);
    if (topic_err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
        topic_err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        throw std::runtime_error(
            "topic " + name + " does not exist on the Kafka cluster at " + bootstrap_ +
            (topic_err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
                 ? " or this client may not write to it"
                 : " and the cluster does not create topics by itself") +
            ": create it (kafka-topics.sh --bootstrap-server " + options_.brokers.front() +
            " --create --topic " + name + " --partitions N), or route the records elsewhere");
    }
}

TopicState& KafkaSink::topic(const std::string& name, const Delivery& delivery) {
    std::lock_guard lock(topics_mutex_);
    auto it = topics_.find(name);
    if (it != topics_.end()) {
        return *it->second;
    }
    if (embedded_) {
        // Topics named by record fields appear at run time; create them with the planned count
        // rather than the mock's auto-created default.
        auto planned = planned_partitions_.find(name);
        std::string error;
        if (!embedded_->create_topic(name,
                                     planned != planned_partitions_.end()
                                         ? planned->second
                                         : options_.default_partitions,
                                     error)) {
            context_->log->warn("cannot create topic {} on the embedded broker: {}", name, error);
        }
    }
    auto state =
        std::make_unique<TopicState>(name, delivery.partitioner, options_.sticky_batch_records,
                                     context_->metrics.registry(), context_->log);
    open_handle(*state);
    auto& ref = *state;
    topics_.emplace(name, std::move(state));
    return ref;
}

void KafkaSink::open_handle(TopicState& state) {
    // The topic's settings come from the producer's defaults (acks, timeouts); only the
    // partitioner is ours.
    rd_kafka_topic_conf_t* tconf = rd_kafka_default_topic_conf_dup(producer_);
    rd_kafka_topic_conf_set_partitioner_cb(tconf, &TopicState::choose_partition);
    rd_kafka_topic_conf_set_opaque(tconf, &state);
    state.handle = rd_kafka_topic_new(producer_, state.name.c_str(), tconf);
    if (state.handle == nullptr) {
        throw std::runtime_error("cannot open topic " + state.name + ": " +
                                 rd_kafka_err2str(rd_kafka_last_error()));
    }
}

TopicState* KafkaSink::topic_or_drop(const Delivery& delivery) {
    try {
        return &topic(delivery.topic, delivery);
    } catch (const std::exception& e) {
        drop_counter("produce_failed").inc();
        std::uint64_t suppressed = 0;
        if (produce_error_log_.allow(suppressed)) {
            context_->log->error("{} (and {} more like it)", e.what(), suppressed);
        }
        return nullptr;
    }
}

std::string_view KafkaSink::encoded_key(const Delivery& delivery) {
    if (!delivery.has_key) return {};
    if (delivery.key_encoding != KeyEncoding::utf16) return delivery.key;
    key_ = kafka::encode_key(delivery.key, kafka::KeyEncoding::utf16);
    return key_;
}

bool KafkaSink::fits_or_drop(std::size_t size, std::string_view device, const std::string& topic) {
    if (size <= options_.message_max_bytes) return true;
    drop_counter("too_large").inc();
    std::uint64_t suppressed = 0;
    if (too_large_log_.allow(suppressed)) {
        context_->log->error(
            "record of {} bytes from {} for topic {} is larger than "
            "kafka.message_max_bytes ({}): dropped and counted (reason too_large){}",
            size, device, topic, options_.message_max_bytes,
            suppressed ? fmt::format("; {} more since the last report", suppressed)
                       : std::string());
    }
    return false;
}

void KafkaSink::write(std::vector<RoutedRecord>& batch, SteadyTime deadline) {
    if (spool_wanted_ && !spool_opened_) open_spool();
    if (spool_) {
        write_spooled(batch);
        return;
    }
    // One clock read per batch: the delivery latency it starts is measured in milliseconds.
    void* const produced_at = reinterpret_cast<void*>(static_cast<std::uintptr_t>(now_us()));
    std::size_t i = 0;
    for (; i < batch.size(); ++i) {
        RoutedRecord& routed = batch[i];
        const Delivery& delivery = routed.delivery;
        TopicState* state = topic_or_drop(delivery);
        if (state == nullptr) continue;
        value_.clear();
        if (!routed.record.tombstone) append_record_value(routed.record, delivery.format, value_);
        const std::string_view encoded = encoded_key(delivery);
        const char* key = delivery.has_key ? encoded.data() : nullptr;
        const std::size_t key_length = encoded.size();
        const std::string_view kind = to_string(routed.record.kind);
        const std::string& device = routed.record.device;
        // librdkafka counts key, value and headers against message.max.bytes.
        const std::size_t size =
            value_.size() + key_length + kind.size() + device.size() + kSchemaVersion.size() + 32;
        if (!fits_or_drop(size, device, delivery.topic)) continue;
        while (true) {
            const rd_kafka_resp_err_t err = rd_kafka_producev(
                producer_, RD_KAFKA_V_RKT(state->handle), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_KEY(const_cast<char*>(key), key_length),
                RD_KAFKA_V_VALUE(routed.record.tombstone ? nullptr : value_.data(),
                                 routed.record.tombstone ? 0 : value_.size()),
                RD_KAFKA_V_HEADER("kind", kind.data(), static_cast<ssize_t>(kind.size())),
                RD_KAFKA_V_HEADER("device", device.data(), static_cast<ssize_t>(device.size())),
                RD_KAFKA_V_HEADER("schema_version", kSchemaVersion.data(),
                                  static_cast<ssize_t>(kSchemaVersion.size())),
                RD_KAFKA_V_OPAQUE(produced_at), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                in_flight_.fetch_add(1, std::memory_order_relaxed);
                break;
            }
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                // librdkafka's own queue is full: serve delivery reports to make room, and give
                // the batch back to the pipeline at the deadline (backpressure).
                rd_kafka_poll(producer_, 10);
                if (steady_clock::now() >= deadline) {
                    batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(i));
                    return;
                }
                continue;
            }
            const std::string reason =
                err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ? "too_large" : "produce_failed";
            drop_counter(reason).inc();
            std::uint64_t suppressed = 0;
            if (produce_error_log_.allow(suppressed)) {
                context_->log->error(
                    "cannot produce a record from {} to topic {}: {}; dropped "
                    "and counted (reason {}){}",
                    device, delivery.topic, rd_kafka_err2str(err), reason,
                    suppressed ? fmt::format("; {} more since", suppressed) : std::string());
            }
            break;
        }
    }
    batch.clear();
}

void KafkaSink::poll() {
    if (spool_wanted_ && !spool_opened_) open_spool();
    if (producer_ == nullptr) return;
    rd_kafka_poll(producer_, 0);
    if (!spool_) return;
    if (recreate_due()) recreate_producer();
    const auto now = steady_clock::now();
    feed(now + std::chrono::milliseconds(20));
    spool_->maintain(now);
    if (const double took = spool_->take_fsync_seconds(); took >= 0) fsync_seconds_->observe(took);
}

std::size_t KafkaSink::flush(SteadyTime deadline) {
    if (producer_ == nullptr) return 0;
    if (spool_) {
        // Deliver what can be delivered by the deadline; the rest stays on disk, not dropped.
        while (spool_->records() > 0 && steady_clock::now() < deadline) {
            if (recreate_due()) recreate_producer();
            feed(std::min(deadline, steady_clock::now() + std::chrono::milliseconds(20)));
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - steady_clock::now());
            rd_kafka_flush(producer_,
                           static_cast<int>(std::clamp<long long>(left.count(), 1, 100)));
        }
        rd_kafka_poll(producer_, 0);
        spool_->sync();
        if (const auto left = spool_->records(); left > 0) {
            context_->log->warn(
                "{} records stay in the Kafka spool ({}) and are delivered at the next start", left,
                spool_settings_.dir);
        }
        return 0;
    }
    while (in_flight_.load() > 0) {
        const auto now = steady_clock::now();
        if (now >= deadline) break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        rd_kafka_flush(producer_, static_cast<int>(std::min<long long>(left.count() + 1, 100)));
    }
    rd_kafka_poll(producer_, 0);
    const auto left = in_flight_.load();
    return left > 0 ? static_cast<std::size_t>(left) : 0;
}

void KafkaSink::stop() {
    if (producer_ == nullptr) return;
    retention_.reset();
    // Whatever is still in flight was counted by the pipeline when flush() gave up; purge it so
    // that destroying the producer does not wait for delivery_timeout.
    purged_ = true;
    rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_, 0);
    {
        std::lock_guard lock(topics_mutex_);
        for (auto& [name, state] : topics_)
            rd_kafka_topic_destroy(state->handle);
        topics_.clear();
    }
    rd_kafka_destroy(producer_);
    producer_ = nullptr;
    embedded_.reset();
    // Records still unacknowledged stay in the spool for the next start.
    spool_gauges_.clear();
    spool_view_.store(nullptr);
    reader_.reset();
    spool_.reset();
}

std::string KafkaSink::health() const {
    if (const kafka::Spool* spool = spool_view_.load()) {
        if (spool_refused_.load()) {
            return fmt::format(
                "the Kafka spool is full ({:.1f} MiB of {:.1f} MiB): new records are refused "
                "and counted (reason spool_full)",
                static_cast<double>(spool->bytes()) / 1048576.0,
                static_cast<double>(spool->capacity()) / 1048576.0);
        }
        std::lock_guard lock(error_mutex_);
        return fatal_error_;
    }
    if (brokers_down_.load()) {
        return "all Kafka brokers are down (" + bootstrap_ +
               "): records wait in memory and are retried until kafka.delivery_timeout";
    }
    std::lock_guard lock(error_mutex_);
    return fatal_error_;
}

std::string KafkaSink::degraded() const {
    const kafka::Spool* spool = spool_view_.load();
    std::string reasons;
    auto add = [&](const std::string& reason) {
        reasons += (reasons.empty() ? "" : "; ") + reason;
    };
    if (spool == nullptr) return reasons;
    if (brokers_down_.load()) add("brokers unreachable (" + bootstrap_ + ")");
    const std::uint64_t records = spool->records();
    if (records > 0 &&
        (backlog_.load() || brokers_down_.load() || spool->oldest_age_seconds() > 5)) {
        add(fmt::format("spooling: {} records / {:.1f} MiB waiting for Kafka", records,
                        static_cast<double>(spool->bytes()) / 1048576.0));
    }
    if (spool->bytes() * 5 > spool->capacity() * 4) add("spool above 80 %");
    return reasons;
}

void KafkaSink::on_delivery(rd_kafka_s* rk, const rd_kafka_message_s* message, void* opaque) {
    (void)rk;
    static_cast<KafkaSink*>(opaque)->delivered(*message);
}

void KafkaSink::delivered(const rd_kafka_message_s& message) {
    if (spool_) {
        spool_delivered(message);
        return;
    }
    in_flight_.fetch_sub(1, std::memory_order_relaxed);
    if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        brokers_down_.store(false, std::memory_order_relaxed);
        context_->metrics.sent().inc();
        static_cast<TopicState*>(rd_kafka_topic_opaque(message.rkt))->delivered.inc();
        const auto sent_us = reinterpret_cast<std::uintptr_t>(message._private);
        latency_->observe(static_cast<double>(now_us() - sent_us) / 1e6);
        return;
    }
    if (purged_ && (message.err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
                    message.err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)) {
        return;  // already counted as shutdown_timeout by the pipeline
    }
    drop_counter("delivery_failed").inc();
    std::uint64_t suppressed = 0;
    if (failure_log_.allow(suppressed)) {
        context_->log->error(
            "delivery to topic {} failed: {}; the record is dropped and "
            "counted (reason delivery_failed){}",
            rd_kafka_topic_name(message.rkt), rd_kafka_err2str(message.err),
            suppressed ? fmt::format("; {} more failures since", suppressed) : std::string());
    }
}

void KafkaSink::on_error(rd_kafka_s* rk, int err, const char* reason, void* opaque) {
    auto& sink = *static_cast<KafkaSink*>(opaque);
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) sink.brokers_down_.store(true);
    if (code == RD_KAFKA_RESP_ERR__FATAL) {
        char fatal[512];
        rd_kafka_fatal_error(rk, fatal, sizeof fatal);
        std::lock_guard lock(sink.error_mutex_);
        sink.fatal_error_ = std::string("fatal Kafka producer error: ") + fatal;
        sink.context_->log->error("{}{}", sink.fatal_error_,
                                  sink.spool_wanted_ ? "; the producer is recreated and the "
                                                       "unacknowledged records are produced "
                                                       "again from the spool"
                                                     : "");
        if (sink.spool_wanted_) sink.recreate_.store(true);
        return;
    }
    std::uint64_t suppressed = 0;
    if (sink.error_log_.allow(suppressed)) {
        sink.context_->log->warn(
            "Kafka: {} ({}){}", reason, rd_kafka_err2name(code),
            suppressed ? fmt::format("; {} more errors since", suppressed) : std::string());
    }
}

void KafkaSink::on_log(const rd_kafka_s* rk, int level, const char* facility, const char* text) {
    auto& sink = *static_cast<KafkaSink*>(rd_kafka_opaque(rk));
    // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug.
    const auto spd = level <= 3   ? spdlog::level::err
                     : level == 4 ? spdlog::level::warn
                     : level <= 6 ? spdlog::level::info
                                  : spdlog::level::debug;
    sink.context_->log->log(spd, "librdkafka {}: {}", facility, text);
}

}  // namespace netfeed
