// The Kafka sink's spooled path (kafka_sink.hpp): append first, produce from memory while
// librdkafka keeps up, feed a backlog from disk in order otherwise, release on acknowledgement.
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "agent/record_value.hpp"
#include "sinks/kafka/kafka_sink.hpp"

namespace netfeed {

namespace {

using std::chrono::steady_clock;

const std::string kSchemaVersion = std::to_string(kRecordSchemaVersion);

/// What a spooled record in librdkafka's hands carries back in its delivery report, packed
/// into the opaque pointer itself: a heap object per record showed in profiles (its malloc and
/// free on the sink thread). The low 8 bits hold the producer generation, the rest the seq
/// (56 bits: a million records a second for two thousand years). The send time is not needed:
/// rd_kafka_message_latency() measures from produce to report.
constexpr unsigned kGenerationBits = 8;
constexpr std::uintptr_t kGenerationMask = (std::uintptr_t{1} << kGenerationBits) - 1;

void* pack_in_flight(std::uint64_t seq, int generation) {
    static_assert(sizeof(std::uintptr_t) == 8, "the seq needs 56 bits of the opaque pointer");
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(seq) << kGenerationBits |
                                   (static_cast<std::uintptr_t>(generation) & kGenerationMask));
}

std::uint64_t in_flight_seq(const void* opaque) {
    return reinterpret_cast<std::uintptr_t>(opaque) >> kGenerationBits;
}

bool in_flight_generation_is(const void* opaque, int generation) {
    return (reinterpret_cast<std::uintptr_t>(opaque) & kGenerationMask) ==
           (static_cast<std::uintptr_t>(generation) & kGenerationMask);
}

/// The agent's stable identity for netfeed_id headers: made once, kept beside the state.
std::string load_agent_id(const std::string& path) {
    {
        std::ifstream in(path);
        std::string id;
        if (in >> id && !id.empty() && id.size() <= 64) return id;
    }
    std::random_device random;
    std::mt19937_64 generator((static_cast<std::uint64_t>(random()) << 32) ^ random());
    const std::string id = fmt::format("{:016x}", generator());
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << id << '\n';
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    return id;
}

/// Errors after which a record can never be delivered: dropped and released. Anything else a
/// report carries (a fatal idempotence error, a purge) keeps the record in the spool.
bool permanent_failure(rd_kafka_resp_err_t err) {
    return err != RD_KAFKA_RESP_ERR__FATAL && err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
           err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
}

}  // namespace

void KafkaSink::open_spool() {
    spool_opened_ = true;
    kafka::SpoolRecovery recovery;
    try {
        spool_ = kafka::Spool::open(spool_settings_, recovery);
        agent_id_ = load_agent_id(agent_id_path_);
    } catch (const std::exception& e) {
        context_->log->error("{}; records are kept in memory only", e.what());
        spool_.reset();
        return;
    }
    auto& registry = context_->metrics.registry();
    const Labels labels{{"sink", context_->metrics.component()}};
    replayed_ = &registry.counter(
        "netfeed_spool_replayed_total",
        "Records accepted in an earlier run and delivered from the spool in this one", labels);
    duplicate_suspect_ = &registry.counter(
        "netfeed_spool_duplicate_suspect_total",
        "Records produced again from the spool that Kafka may already have (at least once)",
        labels);
    producer_recreated_ = &registry.counter(
        "netfeed_kafka_producer_recreated_total",
        "Producers replaced after a fatal librdkafka error (their unacknowledged records are "
        "produced again from the spool)",
        labels);
    fsync_seconds_ = &registry.histogram(
        "netfeed_spool_fsync_seconds", "Time one fsync of the spool took", labels,
        {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5});
    drop_counter("spool_full");
    drop_counter("spool_overflow");
    drop_counter("spool_corrupt");
    const kafka::Spool* spool = spool_.get();
    spool_view_.store(spool);
    auto gauge = [&](const char* name, const char* help, std::function<double()> read) {
        spool_gauges_.push_back(registry.gauge_callback(name, help, labels, std::move(read)));
    };
    gauge("netfeed_spool_bytes", "Bytes of the spool segments on disk",
          [spool] { return static_cast<double>(spool->bytes()); });
    gauge("netfeed_spool_records", "Records in the spool not yet acknowledged by Kafka",
          [spool] { return static_cast<double>(spool->records()); });
    gauge("netfeed_spool_capacity_bytes", "kafka.spool.max_bytes",
          [spool] { return static_cast<double>(spool->capacity()); });
    gauge("netfeed_spool_oldest_age_seconds",
          "Age of the oldest record not yet acknowledged (0 when none)",
          [spool] { return spool->oldest_age_seconds(); });

    std::uint64_t corrupt = 0;
    for (const auto& damage : recovery.damage) {
        corrupt += damage.records;
        context_->log->warn(
            "Kafka spool: damaged data in {} at offset {}: skipped up to the next valid record "
            "({} records lost, counted as reason spool_corrupt)",
            damage.file, damage.offset, damage.records);
    }
    if (corrupt > 0) drop_counter("spool_corrupt").inc(corrupt);
    if (recovery.backlog > 0) {
        context_->log->info(
            "Kafka spool {}: {} records from an earlier run are produced first, in order",
            spool_settings_.dir, recovery.backlog);
        reader_ = std::make_unique<kafka::Spool::Reader>(*spool_, spool_->lowest_pending());
        backlog_.store(true);
    }
    suspect_below_ = recovery.produced_before;
}

void KafkaSink::write_spooled(std::vector<RoutedRecord>& batch) {
    spool_->begin_batch();
    pending_.clear();
    for (RoutedRecord& routed : batch) {
        const Delivery& delivery = routed.delivery;
        TopicState* state = topic_or_drop(delivery);
        if (state == nullptr) continue;
        value_.clear();
        if (!routed.record.tombstone) append_record_value(routed.record, delivery.format, value_);
        kafka::SpoolRecord record;
        record.topic = delivery.topic;
        record.kind = to_string(routed.record.kind);
        record.device = routed.record.device;
        record.has_key = delivery.has_key;
        record.tombstone = routed.record.tombstone;
        record.partitioner = static_cast<std::uint8_t>(delivery.partitioner);
        record.key = encoded_key(delivery);
        if (!record.tombstone) record.value = value_;
        // librdkafka counts key, value and headers (netfeed_id included) against the limit.
        const std::size_t size = record.value.size() + record.key.size() + record.kind.size() +
                                 record.device.size() + kSchemaVersion.size() + 96;
        if (!fits_or_drop(size, record.device, delivery.topic)) continue;
        const std::size_t offset = spool_->batch().size();
        std::uint64_t overflowed = 0;
        const bool appended = spool_->append(record, overflowed);
        if (overflowed > 0) drop_counter("spool_overflow").inc(overflowed);
        if (!appended) {
            drop_counter("spool_full").inc();
            spool_refused_.store(true);
            continue;
        }
        spool_refused_.store(false);
        pending_.push_back({offset, state});
    }
    batch.clear();
    std::string error;
    if (!spool_->commit(error)) {
        std::uint64_t suppressed = 0;
        if (spool_log_.allow(suppressed)) {
            context_->log->error("{}; the records are still produced from memory", error);
        }
    }
    if (reader_ == nullptr) {
        // Direct mode: librdkafka keeps up, produce what was just appended from memory.
        const std::string_view frames = spool_->batch();
        for (std::size_t k = 0; k < pending_.size(); ++k) {
            kafka::SpoolRecord record;
            std::size_t size = 0;
            // The frames were encoded just now from memory: checking their CRC again would only
            // cost time (the disk copy is checked when it is read back).
            kafka::decode_frame(frames.substr(pending_[k].offset), ~0u, record, size,
                                kafka::CrcCheck::skip);
            // drop_oldest may have removed it already (counted as spool_overflow): so be it.
            if (!spool_->pending(record.seq)) continue;
            const int err = produce(record, *pending_[k].state);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                // The rest waits on disk; poll() feeds it in order once there is room.
                reader_ = std::make_unique<kafka::Spool::Reader>(*spool_, record.seq);
                backlog_.store(true);
                break;
            }
            refuse(record, err);
        }
    }
    feed(steady_clock::now() + std::chrono::milliseconds(5));
}

int KafkaSink::produce(const kafka::SpoolRecord& record, TopicState& state) {
    id_.clear();
    id_.append(agent_id_).push_back('-');
    id_.append(std::to_string(record.seq));
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_RKT(state.handle), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(record.has_key ? const_cast<char*>(record.key.data()) : nullptr,
                       record.has_key ? record.key.size() : 0),
        RD_KAFKA_V_VALUE(record.tombstone ? nullptr : const_cast<char*>(record.value.data()),
                         record.tombstone ? 0 : record.value.size()),
        RD_KAFKA_V_HEADER("kind", record.kind.data(), static_cast<ssize_t>(record.kind.size())),
        RD_KAFKA_V_HEADER("device", record.device.data(),
                          static_cast<ssize_t>(record.device.size())),
        RD_KAFKA_V_HEADER("schema_version", kSchemaVersion.data(),
                          static_cast<ssize_t>(kSchemaVersion.size())),
        RD_KAFKA_V_HEADER("netfeed_id", id_.data(), static_cast<ssize_t>(id_.size())),
        RD_KAFKA_V_OPAQUE(pack_in_flight(record.seq, generation_)), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        in_flight_.fetch_add(1, std::memory_order_relaxed);
        spool_->mark_produced(record.seq);
    }
    return err;
}

void KafkaSink::refuse(const kafka::SpoolRecord& record, int err) {
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    const std::string reason =
        code == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ? "too_large" : "produce_failed";
    drop_counter(reason).inc();
    spool_->release(record.seq);
    std::uint64_t suppressed = 0;
    if (produce_error_log_.allow(suppressed)) {
        context_->log->error(
            "cannot produce a record from {} to topic {}: {}; dropped and counted (reason {}){}",
            record.device, record.topic, rd_kafka_err2str(code), reason,
            suppressed ? fmt::format("; {} more since", suppressed) : std::string());
    }
}

void KafkaSink::feed(SteadyTime until) {
    if (reader_ == nullptr) return;
    kafka::SpoolRecord record;
    std::string name;
    for (std::size_t n = 1;; ++n) {
        if (n % 256 == 0 && steady_clock::now() >= until) return;
        if (!reader_->next(record)) {
            if (reader_->caught_up()) {
                reader_.reset();
                backlog_.store(false);
            }
            return;
        }
        TopicState* state = nullptr;
        try {
            Delivery delivery;
            delivery.partitioner = static_cast<Partitioner>(record.partitioner);
            name.assign(record.topic);
            state = &topic(name, delivery);
        } catch (const std::exception&) {
            refuse(record, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC);
            continue;
        }
        const int err = produce(record, *state);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (record.seq < suspect_below_) duplicate_suspect_->inc();
            continue;
        }
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            reader_->unread();
            return;
        }
        refuse(record, err);
    }
}

void KafkaSink::spool_delivered(const rd_kafka_message_s& message) {
    in_flight_.fetch_sub(1, std::memory_order_relaxed);
    // A replaced producer's reports: its records were rewound and are produced again.
    if (!in_flight_generation_is(message._private, generation_)) return;
    const std::uint64_t seq = in_flight_seq(message._private);
    if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        brokers_down_.store(false, std::memory_order_relaxed);
        // Per run, accepted == sent + dropped: an earlier run's record counts as replayed.
        if (seq >= spool_->first_seq_this_run()) {
            context_->metrics.sent().inc();
        } else {
            replayed_->inc();
        }
        static_cast<TopicState*>(rd_kafka_topic_opaque(message.rkt))->delivered.inc();
        const std::int64_t latency_us = rd_kafka_message_latency(&message);
        if (latency_us >= 0) latency_->observe(static_cast<double>(latency_us) / 1e6);
        spool_->release(seq);
        return;
    }
    if (!permanent_failure(message.err) || purged_) return;  // stays in the spool
    char fatal[8];
    if (rd_kafka_fatal_error(producer_, fatal, sizeof fatal) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        recreate_.store(true);
        return;
    }
    drop_counter("delivery_failed").inc();
    spool_->release(seq);
    std::uint64_t suppressed = 0;
    if (failure_log_.allow(suppressed)) {
        context_->log->error(
            "delivery to topic {} failed for good: {}; the record is dropped and counted (reason "
            "delivery_failed){}",
            rd_kafka_topic_name(message.rkt), rd_kafka_err2str(message.err),
            suppressed ? fmt::format("; {} more failures since", suppressed) : std::string());
    }
}

bool KafkaSink::recreate_due() const {
    return recreate_.load() && steady_clock::now() >= next_recreate_;
}

void KafkaSink::recreate_producer() {
    recreate_.store(false);
    next_recreate_ = steady_clock::now() + std::chrono::seconds(1);
    producer_recreated_->inc();
    context_->log->warn(
        "recreating the Kafka producer: {} records not yet acknowledged are produced again "
        "from the spool (Kafka may already have some: counted as duplicate_suspect)",
        spool_->records());
    purged_ = true;
    rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_, 0);
    ++generation_;
    {
        std::lock_guard lock(topics_mutex_);
        for (auto& [name, state] : topics_)
            rd_kafka_topic_destroy(state->handle);
    }
    rd_kafka_destroy(producer_);
    producer_ = nullptr;
    in_flight_.store(0);
    purged_ = false;
    create_producer();
    {
        std::lock_guard lock(topics_mutex_);
        for (auto& [name, state] : topics_)
            open_handle(*state);
    }
    {
        std::lock_guard lock(error_mutex_);
        fatal_error_.clear();
    }
    suspect_below_ = spool_->next_seq();
    reader_ = std::make_unique<kafka::Spool::Reader>(*spool_, spool_->lowest_pending());
    backlog_.store(true);
}

}  // namespace netfeed
