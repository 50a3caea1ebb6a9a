// The configured devices, looked up by address or name from any thread; replaced as a whole on
// reload. Collectors use it to name the device a packet came from.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/config_types.hpp"
#include "agent/device_share.hpp"

namespace netfeed {

struct Config;

/// One device as the rest of the program sees it (credentials resolved).
struct Device {
    std::string name;
    IpAddress address;
    std::map<std::string, std::string> tags;  // vendor, model, role, site and the free tags
    std::vector<std::string> collectors;
    const Credentials* credentials = nullptr;  // points into the snapshot's own copy
};

/// An immutable set of devices.
class DeviceSnapshot {
  public:
    DeviceSnapshot() = default;
    explicit DeviceSnapshot(const Config& config);

    const Device* by_address(const IpAddress& address) const;
    const Device* by_name(std::string_view name) const;
    const std::vector<Device>& all() const noexcept { return devices_; }
    /// Devices a polling collector instance should poll: those that name it in their
    /// collectors and fall in this agent's share (agent.shard, agent.poll_tags).
    std::vector<const Device*> polled_by(std::string_view collector) const;
    /// Every device that names the collector, whatever the share (for config checks that must
    /// give the same answer on every agent of a fleet).
    std::vector<const Device*> configured_for(std::string_view collector) const;
    const DeviceShare& share() const noexcept { return share_; }

  private:
    std::vector<Device> devices_;
    DeviceShare share_;
    std::map<std::string, Credentials> credentials_;
    std::unordered_map<std::string, std::size_t> by_name_;
    std::unordered_map<std::string, std::size_t> by_address_;  // keyed by the address bytes
};

class DeviceDirectory {
  public:
    void replace(std::shared_ptr<const DeviceSnapshot> snapshot);
    std::shared_ptr<const DeviceSnapshot> snapshot() const;

    /// The configured name for `address`, or the address text when no device has it.
    std::string name_for(const IpAddress& address) const;
    /// A tag of the named device ("" when unknown); used by topic and key templates.
    std::string tag(std::string_view device, std::string_view tag) const;

  private:
    mutable std::shared_mutex mutex_;
    std::shared_ptr<const DeviceSnapshot> snapshot_ = std::make_shared<DeviceSnapshot>();
};

}  // namespace netfeed
