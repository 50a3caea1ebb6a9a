// Device lookups; see device_directory.hpp.
#include "agent/device_directory.hpp"

#include "agent/config.hpp"

namespace netfeed {

namespace {
std::string address_key(const IpAddress& address) {
    if (address.is_v4()) {
        const auto b = address.to_v4().to_bytes();
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
    // An IPv4-mapped IPv6 source (dual-stack sockets) is the same device as its IPv4 address.
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
        const auto b = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_bytes();
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
    const auto b = v6.to_bytes();
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}
}  // namespace

namespace {

DeviceShare share_of(const AgentSettings& agent) {
    if (!agent.fleet.name.empty()) {
        return DeviceShare::fleet(agent.fleet.name, agent.fleet_partitions,
                                  agent.fleet_partition_count, agent.poll_tags);
    }
    std::string error;  // config checks refused a bad shard already
    return DeviceShare(agent.shard.empty() ? std::nullopt : DeviceShard::parse(agent.shard, error),
                       agent.poll_tags);
}

}  // namespace

DeviceSnapshot::DeviceSnapshot(const Config& config)
    : share_(share_of(config.agent)), credentials_(config.credentials) {
    devices_.reserve(config.devices.size());
    for (const auto& d : config.devices) {
        Device device;
        device.name = d.name;
        device.address = d.address;
        device.tags = d.tags;
        if (!d.vendor.empty()) device.tags["vendor"] = d.vendor;
        if (!d.model.empty()) device.tags["model"] = d.model;
        if (!d.role.empty()) device.tags["role"] = d.role;
        if (!d.site.empty()) device.tags["site"] = d.site;
        device.collectors = d.collectors;
        if (auto it = credentials_.find(d.credentials); it != credentials_.end()) {
            device.credentials = &it->second;
        }
        by_name_[device.name] = devices_.size();
        by_address_[address_key(device.address)] = devices_.size();
        devices_.push_back(std::move(device));
    }
}

const Device* DeviceSnapshot::by_address(const IpAddress& address) const {
    auto it = by_address_.find(address_key(address));
    return it == by_address_.end() ? nullptr : &devices_[it->second];
}

const Device* DeviceSnapshot::by_name(std::string_view name) const {
    auto it = by_name_.find(std::string(name));
    return it == by_name_.end() ? nullptr : &devices_[it->second];
}

std::vector<const Device*> DeviceSnapshot::polled_by(std::string_view collector) const {
    std::vector<const Device*> out = configured_for(collector);
    std::erase_if(out, [this](const Device* d) { return !share_.includes(*d); });
    return out;
}

std::vector<const Device*> DeviceSnapshot::configured_for(std::string_view collector) const {
    std::vector<const Device*> out;
    for (const auto& d : devices_) {
        for (const auto& c : d.collectors) {
            if (c == collector) {
                out.push_back(&d);
                break;
            }
        }
    }
    return out;
}

void DeviceDirectory::replace(std::shared_ptr<const DeviceSnapshot> snapshot) {
    std::unique_lock lock(mutex_);
    snapshot_ = std::move(snapshot);
}

std::shared_ptr<const DeviceSnapshot> DeviceDirectory::snapshot() const {
    std::shared_lock lock(mutex_);
    return snapshot_;
}

std::string DeviceDirectory::name_for(const IpAddress& address) const {
    std::shared_lock lock(mutex_);
    if (const Device* d = snapshot_->by_address(address)) return d->name;
    return address.to_string();
}

std::string DeviceDirectory::tag(std::string_view device, std::string_view tag) const {
    std::shared_lock lock(mutex_);
    const Device* d = snapshot_->by_name(device);
    if (d == nullptr) return {};
    auto it = d->tags.find(std::string(tag));
    return it == d->tags.end() ? std::string() : it->second;
}

}  // namespace netfeed
