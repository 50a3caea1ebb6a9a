// The share of the device list this agent polls when several agents split one list without a
// coordinator (static sharding): a shard `i/N` of the devices, chosen by the Java client's
// murmur2 of the device name (the partition that name would have as a Kafka key among N
// partitions, so any Kafka tool computes the same split), and tag filters (site, role, ...).
// Push inputs (syslog, flows, traps) are not filtered: an agent takes what is sent to it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace netfeed {

struct Device;

/// `i/N`: the i-th of N shards, 1 <= i <= N.
struct DeviceShard {
    int index = 1;
    int count = 1;

    /// Parses "2/3"; nullopt with `error` set on anything else.
    static std::optional<DeviceShard> parse(std::string_view text, std::string& error);
    /// The shard (1..count) a device of this name belongs to: murmur2 partition + 1.
    static int of(std::string_view device_name, int count) noexcept;
};

class DeviceShare {
  public:
    DeviceShare() = default;  // every device
    /// `tags`: tag name -> comma-separated accepted values; a device must match every entry.
    DeviceShare(std::optional<DeviceShard> shard, std::map<std::string, std::string> tags);

    /// The share of a fleet member (agent.fleet): the devices whose murmur2 partition among
    /// `partition_count` is one of `partitions`, the coordination topic's partitions the Kafka
    /// group gave this agent (none yet: no device).
    static DeviceShare fleet(std::string fleet_name, std::set<int> partitions, int partition_count,
                             std::map<std::string, std::string> tags);

    bool includes(const Device& device) const;
    /// True when some device may be left out.
    bool filters() const noexcept {
        return shard_.has_value() || !tags_.empty() || fleet_.has_value();
    }
    /// "shard 2/3, site in {par1, par2}", for log lines.
    std::string describe() const;

  private:
    struct FleetPart {
        std::string name;
        std::set<int> partitions;
        int partition_count = 1;
    };
    std::optional<FleetPart> fleet_;
    std::optional<DeviceShard> shard_;
    std::map<std::string, std::string> tags_;
};

}  // namespace netfeed
