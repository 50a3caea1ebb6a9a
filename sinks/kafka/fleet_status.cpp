// The fleet status record's declared fields; see fleet_status.hpp.
#include "sinks/kafka/fleet_status.hpp"

#include "sinks/kafka/fleet_member.hpp"

namespace netfeed {

namespace fleet_fields {

namespace {

using T = FieldType;
constexpr const char* kFleet = "fleet records";

constexpr SchemaField kStatus[] = {
    {collector.view(), T::string, "the collector type that reports (fleet for these)"},
    {fleet.view(), T::string, "the fleet's name (agent.fleet.name)", "", kFleet},
    {agent.view(), T::string, "the agent that reports: its Kafka client id", "", kFleet},
    {member.view(), T::string, "its member id in the fleet's consumer group", "", kFleet},
    {round.view(), T::integer, "rebalances this agent has seen, 1 for its first share", "", kFleet},
    {partitions.view(), T::array, "the coordination topic's partitions this agent holds", "",
     kFleet, false, T::integer},
    {partition_count.view(), T::integer, "partitions of the coordination topic", "", kFleet},
    {devices.view(), T::array, "the devices this agent polls from now on", "", kFleet, false,
     T::string},
    {device_count.view(), T::integer, "how many devices this agent polls from now on", "", kFleet},
};

}  // namespace

KindDeclaration status_declaration() noexcept {
    return {"sinks/kafka (fleet)",
            "a fleet member's share after each rebalance, key fleet|<fleet>|<agent>: which "
            "devices it polls",
            kStatus};
}

}  // namespace fleet_fields

Record KafkaFleetMember::status_record(const FleetAssignment& assignment,
                                       const std::vector<std::string>& devices) const {
    namespace f = fleet_fields;
    Record r;
    r.kind = RecordKind::status;
    r.time = r.received = Clock::now();
    r.key = "fleet|" + settings_.name + "|" + agent_id_;
    r.add(f::collector, std::string("fleet"));
    r.add(f::fleet, settings_.name);
    r.add(f::agent, agent_id_);
    r.add(f::member, assignment.member);
    r.add(f::round, static_cast<std::int64_t>(assignment.round));
    r.add(f::partitions,
          Json(std::vector<int>(assignment.partitions.begin(), assignment.partitions.end())));
    r.add(f::partition_count, static_cast<std::int64_t>(assignment.partition_count));
    r.add(f::devices, Json(devices));
    r.add(f::device_count, static_cast<std::int64_t>(devices.size()));
    return r;
}

}  // namespace netfeed
