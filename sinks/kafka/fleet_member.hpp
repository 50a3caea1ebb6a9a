// A fleet member over Kafka (agent.fleet, docs/FLEET.md): a consumer in the group
// netfeed.fleet.<name> subscribed to the topic of the same name. The group protocol decides which
// of the topic's partitions this agent holds; the devices it polls are those whose murmur2
// partition it holds. The topic also carries the poll ledger: after each poll the owner writes
// `{device, slot}` keyed by the device to the device's partition (compacted, so the newest entry
// per device stays), and a new owner reads its partitions to their end before it polls, so it
// continues the previous owner's slots.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "agent/config.hpp"
#include "agent/fleet.hpp"

namespace netfeed {

class KafkaFleetMember final : public FleetMembership {
  public:
    /// `brokers`: bootstrap list of the cluster shared by the fleet; `agent_id` names this agent
    /// (client.id, and `agent` in ledger entries and status records).
    KafkaFleetMember(FleetSettings settings, std::string brokers, std::string agent_id);
    ~KafkaFleetMember() override;
    KafkaFleetMember(const KafkaFleetMember&) = delete;
    KafkaFleetMember& operator=(const KafkaFleetMember&) = delete;

    /// Throws std::runtime_error when the cluster cannot be reached or the topic not made.
    void start(Handlers handlers) override;
    void stop() override;
    std::optional<std::int64_t> last_polled(std::string_view device) const override;
    void polled(std::string_view device, std::int64_t slot_ms) override;
    Record status_record(const FleetAssignment& assignment,
                         const std::vector<std::string>& devices) const override;

    const std::string& topic() const noexcept { return topic_; }

  private:
    void run();
    void ensure_topic();
    void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
    void take(const rd_kafka_message_t& message);
    void finish_catch_up_if_done();
    static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t* partitions, void* opaque);

    FleetSettings settings_;
    std::string brokers_;
    std::string agent_id_;
    std::string topic_;
    int partition_count_ = 0;
    rd_kafka_t* producer_ = nullptr;
    rd_kafka_t* consumer_ = nullptr;
    Handlers handlers_;
    std::thread thread_;
    std::atomic<bool> closing_{false};
    std::atomic<bool> quit_{false};

    mutable std::mutex ledger_mutex_;
    std::unordered_map<std::string, std::int64_t> ledger_;  // device -> last polled slot

    // Only the membership thread touches these.
    FleetAssignment pending_;
    bool catching_up_ = false;
    bool applied_ = false;                     // the current assignment was handed to `assigned`
    std::map<int, std::int64_t> catch_up_to_;  // partition -> end offset still to read
    std::chrono::steady_clock::time_point catch_up_deadline_{};
    std::uint64_t rounds_ = 0;
};

}  // namespace netfeed
