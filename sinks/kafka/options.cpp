// The Kafka sink's option table; see options.hpp.
#include "sinks/kafka/options.hpp"

namespace netfeed {

const OptionTable<KafkaSpoolOptions>& KafkaSpoolOptions::options() {
    static const auto table =
        OptionTable<KafkaSpoolOptions>()
            .add("enabled", &KafkaSpoolOptions::enabled,
                 "Append every record to a write-ahead log on disk before producing it, and keep "
                 "it until Kafka acknowledges it: a crash, a restart or an outage of any length "
                 "(up to max_bytes) loses nothing. Default: true when agent.state_dir or dir is "
                 "set.")
            .add("dir", &KafkaSpoolOptions::dir,
                 "Directory of the spool segments. Default: <agent.state_dir>/spool.")
            .add("max_bytes", &KafkaSpoolOptions::max_bytes,
                 "Size bound of the spool on disk; when reached, overflow applies.",
                 range(65536, 1e15))
            .add("overflow", &KafkaSpoolOptions::overflow,
                 "When the spool is full: refuse_newest drops the new record (reason "
                 "spool_full); drop_oldest deletes the oldest segment, dropping its records "
                 "not yet handed to Kafka (reason spool_overflow).")
            .add("fsync", &KafkaSpoolOptions::fsync,
                 "How often the spool is fsynced (and its checkpoint written). Records are "
                 "written to the file before Kafka gets them, so a crash of the agent loses "
                 "nothing; a power loss may lose the last interval. 0s: fsync every batch.")
            .add("segment_bytes", &KafkaSpoolOptions::segment_bytes,
                 "Size of one segment file; a segment is deleted once every record in it is "
                 "acknowledged. Kept at or below max_bytes / 4.",
                 range(4096, 1ull << 32));
    return table;
}

const OptionTable<KafkaOptions>& KafkaOptions::options() {
    static const auto table =
        OptionTable<KafkaOptions>()
            .add("embedded", &KafkaOptions::embedded,
                 "Run the in-memory broker inside the agent (librdkafka's mock cluster). "
                 "Default: true when no brokers are given. It keeps only the newest part of "
                 "each partition in memory: a convenience, not storage.")
            .add("embedded_listen", &KafkaOptions::embedded_listen,
                 "Bootstrap address of the embedded broker (loopback only); port 0 picks one.")
            .add("brokers", &KafkaOptions::brokers,
                 "Bootstrap brokers of a real cluster, e.g. kafka1:9092,kafka2:9092.")
            .add("client_id", &KafkaOptions::client_id, "client.id shown in broker logs.")
            .add("acks", &KafkaOptions::acks,
                 "Acknowledgements a write waits for: all (no loss when a broker fails), 1, 0.")
            .add("idempotence", &KafkaOptions::idempotence,
                 "Idempotent producer: retries never duplicate or reorder records.")
            .add("compression", &KafkaOptions::compression,
                 "Batch compression. none and gzip are readable by every client as installed; "
                 "lz4, snappy and zstd save more bandwidth but some consumers then need an extra "
                 "library (kafka-python needs python3-lz4 for lz4).")
            .add("linger", &KafkaOptions::linger,
                 "How long a batch may wait to fill before it is sent.")
            .add("delivery_timeout", &KafkaOptions::delivery_timeout,
                 "How long librdkafka retries a record before it is counted as failed.")
            .add("message_max_bytes", &KafkaOptions::message_max_bytes,
                 "Largest record (key + value + headers) sent; larger ones are dropped with an "
                 "error naming them and counted (reason too_large). Keep it at or below the "
                 "brokers' message.max.bytes.",
                 range(1000, 1'000'000'000))
            .add("buffer_bytes", &KafkaOptions::buffer_bytes,
                 "Bytes of records (key + value) that may wait in librdkafka for the brokers; "
                 "with librdkafka's own bookkeeping a queued record takes about 2x its size. "
                 "When full, the sink stops taking records: the agent's queues fill and "
                 "receivers drop (counted, reason queue_full). Sets queue.buffering.max.kbytes "
                 "and queue.buffering.max.messages (one per 256 bytes); properties override them.",
                 range(1024 * 1024, 2'000'000'000))
            .add("default_partitions", &KafkaOptions::default_partitions,
                 "Partitions of the topics the agent creates when a route does not say.",
                 range(1, 10000))
            .add("check_topics", &KafkaOptions::check_topics,
                 "At start, check that every topic the collectors will write exists on the "
                 "cluster, and stop with its name if not.")
            .add("sticky_batch_records", &KafkaOptions::sticky_batch_records,
                 "Unkeyed records: how many go to one partition before moving on.",
                 range(1, 1'000'000))
            .add("properties", &KafkaOptions::properties,
                 "Any librdkafka property, passed as is (security.protocol, sasl.*, ssl.*, "
                 "...); values may use ${ENV_VAR}. Values are never logged.")
            .add("spool", &KafkaOptions::spool,
                 "The durable spool (write-ahead log) on disk; see the Delivery section.")
            .check([](const KafkaOptions& o) -> std::optional<std::string> {
                if (o.embedded.value_or(false) && !o.brokers.empty()) {
                    return "embedded: true and brokers: both given; remove one";
                }
                if (o.properties.contains("bootstrap.servers")) {
                    return "set the cluster with brokers:, not properties.bootstrap.servers";
                }
                return std::nullopt;
            });
    return table;
}

}  // namespace netfeed
