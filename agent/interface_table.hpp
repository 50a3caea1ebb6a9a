// ifIndex -> interface facts per device: the SNMP collector writes it, the flow enricher reads it.
// Owned by the agent so that the two plugins never call each other.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace netfeed {

struct InterfaceInfo {
    std::string name;              // ifName
    std::string alias;             // ifAlias
    std::uint64_t speed_mbps = 0;  // ifHighSpeed
};

class InterfaceTable {
  public:
    using DeviceInterfaces = std::unordered_map<std::uint32_t, InterfaceInfo>;

    /// Replaces everything known about one device's interfaces.
    void publish(const std::string& device, DeviceInterfaces interfaces) {
        auto table = std::make_shared<const DeviceInterfaces>(std::move(interfaces));
        std::unique_lock lock(mutex_);
        devices_[device] = std::move(table);
    }
    void forget(const std::string& device) {
        std::unique_lock lock(mutex_);
        devices_.erase(device);
    }
    /// The device's table as last published (nullptr when none): hold it to read many indexes.
    std::shared_ptr<const DeviceInterfaces> device(const std::string& device) const {
        std::shared_lock lock(mutex_);
        auto it = devices_.find(device);
        return it == devices_.end() ? nullptr : it->second;
    }
    std::optional<InterfaceInfo> lookup(const std::string& device, std::uint32_t if_index) const {
        auto table = this->device(device);
        if (!table) return std::nullopt;
        auto it = table->find(if_index);
        if (it == table->end()) return std::nullopt;
        return it->second;
    }

  private:
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const DeviceInterfaces>> devices_;
};

}  // namespace netfeed
