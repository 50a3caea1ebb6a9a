// Static sharding of the device list; see device_share.hpp.
#include "agent/device_share.hpp"

#include <algorithm>
#include <charconv>

#include "agent/device_directory.hpp"
#include "sinks/kafka/partitioner.hpp"

namespace netfeed {

namespace {

bool parse_int(std::string_view text, int& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

/// Whether `value` is one of the comma-separated `accepted` values (spaces around them ignored).
bool one_of(std::string_view value, std::string_view accepted) {
    while (!accepted.empty()) {
        const auto comma = accepted.find(',');
        std::string_view item = accepted.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (item == value) return true;
        if (comma == std::string_view::npos) break;
        accepted.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

std::optional<DeviceShard> DeviceShard::parse(std::string_view text, std::string& error) {
    const auto slash = text.find('/');
    DeviceShard shard;
    if (slash == std::string_view::npos || !parse_int(text.substr(0, slash), shard.index) ||
        !parse_int(text.substr(slash + 1), shard.count)) {
        error = "'" + std::string(text) + "' is not a shard: write i/N, for example 2/3";
        return std::nullopt;
    }
    if (shard.count < 1 || shard.count > 10000 || shard.index < 1 || shard.index > shard.count) {
        error = "'" + std::string(text) + "': i/N needs 1 <= i <= N <= 10000";
        return std::nullopt;
    }
    return shard;
}

int DeviceShard::of(std::string_view device_name, int count) noexcept {
    return kafka::murmur2_partition(device_name.data(), device_name.size(), count) + 1;
}

DeviceShare::DeviceShare(std::optional<DeviceShard> shard, std::map<std::string, std::string> tags)
    : shard_(shard), tags_(std::move(tags)) {}

DeviceShare DeviceShare::fleet(std::string fleet_name, std::set<int> partitions,
                               int partition_count, std::map<std::string, std::string> tags) {
    DeviceShare share(std::nullopt, std::move(tags));
    share.fleet_ = FleetPart{std::move(fleet_name), std::move(partitions), partition_count};
    return share;
}

bool DeviceShare::includes(const Device& device) const {
    if (fleet_ && !fleet_->partitions.contains(
                      DeviceShard::of(device.name, std::max(1, fleet_->partition_count)) - 1))
        return false;
    if (shard_ && shard_->count > 1 && DeviceShard::of(device.name, shard_->count) != shard_->index)
        return false;
    for (const auto& [tag, accepted] : tags_) {
        const auto it = device.tags.find(tag);
        if (it == device.tags.end() || !one_of(it->second, accepted)) return false;
    }
    return true;
}

std::string DeviceShare::describe() const {
    std::string out;
    if (fleet_) {
        std::string list;
        for (int p : fleet_->partitions)
            list += (list.empty() ? "" : ",") + std::to_string(p);
        out = "fleet " + fleet_->name + ": partitions {" + list + "} of " +
              std::to_string(fleet_->partition_count);
    }
    if (shard_)
        out = "shard " + std::to_string(shard_->index) + "/" + std::to_string(shard_->count);
    for (const auto& [tag, accepted] : tags_) {
        if (!out.empty()) out += ", ";
        out += tag + " in {" + accepted + "}";
    }
    return out.empty() ? "every device" : out;
}

}  // namespace netfeed
