// The Kafka fleet member; see fleet_member.hpp.
#include "sinks/kafka/fleet_member.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sinks/kafka/partitioner.hpp"

namespace netfeed {

namespace {

using Steady = std::chrono::steady_clock;

// How long a new owner may read the ledger before it polls anyway (a slow or huge partition
// must not keep devices unpolled for long; what it has not read may then be polled twice).
constexpr auto kCatchUpLimit = std::chrono::seconds(15);

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        throw std::runtime_error(std::string("fleet: ") + name + ": " + errstr);
}

rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
    char errstr[512];
    rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw std::runtime_error(std::string("fleet: cannot create a Kafka client: ") + errstr);
    }
    return rk;
}

/// The topic's partition count from the cluster's metadata; 0 when it does not exist.
int partitions_of(rd_kafka_t* rk, const std::string& topic, std::string& error) {
    const rd_kafka_metadata_t* md = nullptr;
    // All topics: asking for one by name would make a cluster with auto-creation create it with
    // its default partition count instead of ours.
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, 5000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        error = rd_kafka_err2str(err);
        return -1;
    }
    int count = 0;
    for (int i = 0; i < md->topic_cnt; ++i) {
        if (topic == md->topics[i].topic && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
            count = md->topics[i].partition_cnt;
    }
    rd_kafka_metadata_destroy(md);
    return count;
}

}  // namespace

KafkaFleetMember::KafkaFleetMember(FleetSettings settings, std::string brokers,
                                   std::string agent_id)
    : settings_(std::move(settings)),
      brokers_(std::move(brokers)),
      agent_id_(std::move(agent_id)),
      topic_("netfeed.fleet." + settings_.name) {}

KafkaFleetMember::~KafkaFleetMember() {
    stop();
    if (consumer_ != nullptr) rd_kafka_destroy(consumer_);
    if (producer_ != nullptr) rd_kafka_destroy(producer_);
}

void KafkaFleetMember::ensure_topic() {
    std::string error;
    const auto until = Steady::now() + std::chrono::seconds(20);
    bool asked = false;
    while (true) {
        const int count = partitions_of(producer_, topic_, error);
        if (count > 0) {
            partition_count_ = count;
            if (count != settings_.partitions) {
                spdlog::info(
                    "fleet {}: topic {} has {} partitions (agent.fleet.partitions {} "
                    "applies only when the agent creates it)",
                    settings_.name, topic_, count, settings_.partitions);
            }
            return;
        }
        if (Steady::now() >= until) {
            throw std::runtime_error("fleet " + settings_.name + ": cannot find or create topic " +
                                     topic_ + (error.empty() ? "" : ": " + error));
        }
        if (count == 0 && !asked) {
            asked = true;
            char errstr[512];
            rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(topic_.c_str(), settings_.partitions,
                                                               -1, errstr, sizeof errstr);
            if (topic != nullptr) {
                // Compacted: the newest ledger entry of every device stays, the rest goes.
                rd_kafka_NewTopic_set_config(topic, "cleanup.policy", "compact");
                rd_kafka_queue_t* queue = rd_kafka_queue_new(producer_);
                rd_kafka_CreateTopics(producer_, &topic, 1, nullptr, queue);
                if (rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 10000)) {
                    if (const auto* result = rd_kafka_event_CreateTopics_result(ev)) {
                        std::size_t n = 0;
                        const rd_kafka_topic_result_t** topics =
                            rd_kafka_CreateTopics_result_topics(result, &n);
                        for (std::size_t i = 0; i < n; ++i) {
                            const auto err = rd_kafka_topic_result_error(topics[i]);
                            if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
                                err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                                const char* text = rd_kafka_topic_result_error_string(topics[i]);
                                error = text != nullptr ? text : rd_kafka_err2str(err);
                            }
                        }
                    }
                    rd_kafka_event_destroy(ev);
                }
                rd_kafka_queue_destroy(queue);
                rd_kafka_NewTopic_destroy(topic);
                spdlog::info("fleet {}: created topic {} with {} partitions{}", settings_.name,
                             topic_, settings_.partitions,
                             error.empty() ? "" : " (the cluster said: " + error + ")");
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void KafkaFleetMember::start(Handlers handlers) {
    handlers_ = std::move(handlers);
    const auto session_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_timeout).count();

    rd_kafka_conf_t* pconf = rd_kafka_conf_new();
    set(pconf, "bootstrap.servers", brokers_);
    set(pconf, "client.id", agent_id_);
    set(pconf, "linger.ms", "5");  // a ledger entry is small and should be there soon
    set(pconf, "log_level", "3");
    producer_ = make_client(RD_KAFKA_PRODUCER, pconf);
    ensure_topic();

    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", brokers_);
    set(conf, "client.id", agent_id_);
    set(conf, "group.id", topic_);
    set(conf, "session.timeout.ms", std::to_string(session_ms));
    // Heartbeats often enough that a rebalance starts soon after a member joins or leaves.
    set(conf, "heartbeat.interval.ms", std::to_string(std::max<long long>(100, session_ms / 5)));
    set(conf, "enable.auto.commit", "false");  // the ledger is read whole; offsets are not used
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "partition.assignment.strategy", "roundrobin");
    set(conf, "log_level", "3");
    rd_kafka_conf_set_rebalance_cb(conf, &KafkaFleetMember::rebalance_cb);
    rd_kafka_conf_set_opaque(conf, this);
    consumer_ = make_client(RD_KAFKA_CONSUMER, conf);
    rd_kafka_poll_set_consumer(consumer_);

    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic_.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw std::runtime_error("fleet " + settings_.name + ": cannot subscribe to " + topic_ +
                                 ": " + rd_kafka_err2str(err));
    }
    spdlog::info("fleet {}: joining group {} on {} ({} partitions, session timeout {} ms) as {}",
                 settings_.name, topic_, brokers_, partition_count_, session_ms, agent_id_);
    thread_ = std::thread([this] { run(); });
}

void KafkaFleetMember::stop() {
    if (closing_.exchange(true)) return;
    if (!thread_.joinable()) return;
    quit_ = true;
    thread_.join();
    // Leaves the group: the others get this agent's partitions without waiting for the session
    // timeout. The revocation this causes calls no handler any more (closing_).
    rd_kafka_consumer_close(consumer_);
    rd_kafka_flush(producer_, 5000);
}

std::optional<std::int64_t> KafkaFleetMember::last_polled(std::string_view device) const {
    std::lock_guard lock(ledger_mutex_);
    const auto it = ledger_.find(std::string(device));
    if (it == ledger_.end()) return std::nullopt;
    return it->second;
}

void KafkaFleetMember::polled(std::string_view device, std::int64_t slot_ms) {
    {
        std::lock_guard lock(ledger_mutex_);
        auto& last = ledger_[std::string(device)];
        last = std::max(last, slot_ms);
    }
    if (producer_ == nullptr || partition_count_ <= 0) return;
    const nlohmann::json entry = {{"device", device}, {"slot", slot_ms}, {"agent", agent_id_}};
    const std::string value = entry.dump();
    const std::int32_t partition =
        kafka::murmur2_partition(device.data(), device.size(), partition_count_);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(device.data(), device.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        spdlog::warn(
            "fleet {}: cannot record the poll of {} in {}: {} (a new owner may poll "
            "that slot again)",
            settings_.name, device, topic_, rd_kafka_err2str(err));
    }
    rd_kafka_poll(producer_, 0);
}

void KafkaFleetMember::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                                    rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    static_cast<KafkaFleetMember*>(opaque)->rebalance(err, partitions);
}

void KafkaFleetMember::rebalance(rd_kafka_resp_err_t err,
                                 rd_kafka_topic_partition_list_t* partitions) {
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        pending_ = FleetAssignment{};
        pending_.partition_count = partition_count_;
        pending_.round = ++rounds_;
        if (char* id = rd_kafka_memberid(consumer_)) {
            pending_.member = id;
            rd_kafka_mem_free(consumer_, id);
        }
        catch_up_to_.clear();
        for (int i = 0; i < partitions->cnt; ++i) {
            auto& tp = partitions->elems[i];
            pending_.partitions.insert(tp.partition);
            tp.offset = RD_KAFKA_OFFSET_BEGINNING;  // the whole (compacted) ledger
            std::int64_t low = 0;
            std::int64_t high = 0;
            if (rd_kafka_query_watermark_offsets(consumer_, topic_.c_str(), tp.partition, &low,
                                                 &high, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
                high > low) {
                catch_up_to_[tp.partition] = high;
            }
        }
        rd_kafka_assign(consumer_, partitions);
        catching_up_ = true;
        applied_ = false;
        catch_up_deadline_ = Steady::now() + kCatchUpLimit;
        finish_catch_up_if_done();
        return;
    }
    // Revocation (or an error): stop polling first, then let the next owner in.
    catching_up_ = false;
    if (applied_ && !closing_ && handlers_.revoked) handlers_.revoked();
    applied_ = false;
    // Ledger entries of the polls just finished must be in the topic before anyone reads it.
    rd_kafka_flush(producer_, 10000);
    rd_kafka_assign(consumer_, nullptr);
}

void KafkaFleetMember::take(const rd_kafka_message_t& message) {
    if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (message.err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            spdlog::debug("fleet {}: {}", settings_.name, rd_kafka_message_errstr(&message));
        }
        return;
    }
    if (catching_up_) {
        const auto it = catch_up_to_.find(message.partition);
        if (it != catch_up_to_.end() && message.offset + 1 >= it->second) catch_up_to_.erase(it);
    }
    if (message.payload == nullptr) return;  // a tombstone
    const auto value = nlohmann::json::parse(
        static_cast<const char*>(message.payload),
        static_cast<const char*>(message.payload) + message.len, nullptr, false);
    if (!value.is_object() || !value.contains("device") || !value["device"].is_string() ||
        !value.contains("slot") || !value["slot"].is_number_integer()) {
        return;  // not a ledger entry: ignored
    }
    std::lock_guard lock(ledger_mutex_);
    auto& last = ledger_[value["device"].get<std::string>()];
    last = std::max(last, value["slot"].get<std::int64_t>());
}

void KafkaFleetMember::finish_catch_up_if_done() {
    if (!catching_up_) return;
    if (!catch_up_to_.empty() && Steady::now() < catch_up_deadline_) return;
    if (!catch_up_to_.empty()) {
        spdlog::warn(
            "fleet {}: the poll ledger was not read to its end within {} s; polling "
            "anyway (some slots may be polled twice)",
            settings_.name, kCatchUpLimit.count());
    }
    catching_up_ = false;
    applied_ = true;
    if (!closing_ && handlers_.assigned) handlers_.assigned(pending_);
}

void KafkaFleetMember::run() {
    while (!quit_) {
        if (rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, 100)) {
            take(*message);
            rd_kafka_message_destroy(message);
        }
        finish_catch_up_if_done();
        rd_kafka_poll(producer_, 0);
    }
}

}  // namespace netfeed
