// What the core needs from a fleet of agents (agent.fleet, docs/FLEET.md): membership that says
// which partitions of the coordination topic this agent holds, and a poll ledger that carries
// each device's last polled slot from one owner to the next. The Kafka plugin implements both
// over a consumer group; the core knows no Kafka.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/record.hpp"

namespace netfeed {

struct Config;

/// The partitions this agent holds after a rebalance.
struct FleetAssignment {
    std::set<int> partitions;
    int partition_count = 0;
    std::string member;       // this agent's member id in the group
    std::uint64_t round = 0;  // rebalances seen by this agent, 1 for the first assignment
};

/// Where pollers record the slots they polled and learn where the previous owner of a device
/// stopped, so that a device's schedule moves with it (agent/poll_slots.hpp).
class PollLedger {
  public:
    virtual ~PollLedger() = default;
    /// The start (ms since the epoch) of the last slot of `device` any member polled, if known.
    virtual std::optional<std::int64_t> last_polled(std::string_view device) const = 0;
    /// A poll of `device` for the slot starting at `slot_ms` finished and its records were
    /// handed to the pipeline.
    virtual void polled(std::string_view device, std::int64_t slot_ms) = 0;
};

class FleetMembership : public PollLedger {
  public:
    struct Handlers {
        /// Every partition is being taken away: return once no poller of this agent runs.
        std::function<void()> revoked;
        /// The new share, once the ledger holds what the previous owners recorded.
        std::function<void(const FleetAssignment&)> assigned;
    };
    /// Joins the group; handlers are called from the membership's own thread.
    virtual void start(Handlers handlers) = 0;
    /// Leaves the group (the others take the devices over at once); handlers are no longer
    /// called once this begins.
    virtual void stop() = 0;
    /// The `kind: status, collector: fleet` record that says which devices this agent polls
    /// after `assignment`.
    virtual Record status_record(const FleetAssignment& assignment,
                                 const std::vector<std::string>& devices) const = 0;
};

using FleetFactory = std::function<std::unique_ptr<FleetMembership>(const Config& config)>;

}  // namespace netfeed
