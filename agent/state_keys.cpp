// Keys of current-state topics and their file; see state_keys.hpp.
#include "agent/state_keys.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "agent/option_values.hpp"

namespace netfeed {

namespace {

std::string map_key(const std::string& topic, const std::string& key) {
    std::string out;
    out.reserve(topic.size() + 1 + key.size());
    out += topic;
    out += '\0';
    out += key;
    return out;
}

}  // namespace

void StateKeys::load() {
    if (file_.empty()) return;
    std::error_code ec;
    if (!std::filesystem::exists(file_, ec)) return;
    std::ifstream in(file_);
    if (!in) throw std::runtime_error("cannot read the state-topic keys in " + file_);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
        std::lock_guard lock(mutex_);
        devices_.clear();
        for (const auto& [device, keys] : doc.at("devices").items()) {
            for (const auto& item : keys) {
                StateKey key;
                key.sink = item.at("sink").get<std::string>();
                key.topic = item.at("topic").get<std::string>();
                key.key = item.at("key").get<std::string>();
                auto kind = parse_record_kind(item.at("kind").get<std::string>());
                if (!kind) throw std::runtime_error("unknown record kind");
                key.kind = *kind;
                key.partitioner = item.at("partitioner").get<std::string>() == "crc32"
                                      ? Partitioner::crc32
                                      : Partitioner::murmur2;
                key.key_encoding = item.at("key_encoding").get<std::string>() == "utf-16"
                                       ? KeyEncoding::utf16
                                       : KeyEncoding::utf8;
                devices_[device][map_key(key.topic, key.key)] = std::move(key);
            }
        }
    } catch (const std::exception& e) {
        throw std::runtime_error("the state-topic keys in " + file_ +
                                 " cannot be read (" + e.what() +
                                 "); fix or remove the file (its devices then get no tombstones)");
    }
}

void StateKeys::remember(const std::string& device, const StateKey& key) {
    std::string id = map_key(key.topic, key.key);
    std::lock_guard lock(mutex_);
    auto& keys = devices_[device];
    auto it = keys.find(id);
    if (it != keys.end() && it->second.sink == key.sink &&
        it->second.partitioner == key.partitioner && it->second.key_encoding == key.key_encoding)
        return;
    keys[std::move(id)] = key;
    dirty_ = true;
}

void StateKeys::forget(const std::string& device, const std::string& topic,
                       const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(device);
    if (it == devices_.end()) return;
    if (it->second.erase(map_key(topic, key)) > 0) dirty_ = true;
    if (it->second.empty()) devices_.erase(it);
}

std::vector<StateKey> StateKeys::take(const std::string& device) {
    std::vector<StateKey> out;
    std::lock_guard lock(mutex_);
    auto it = devices_.find(device);
    if (it == devices_.end()) return out;
    for (auto& [id, key] : it->second)
        out.push_back(std::move(key));
    devices_.erase(it);
    dirty_ = true;
    return out;
}

std::vector<std::string> StateKeys::devices() const {
    std::vector<std::string> out;
    std::lock_guard lock(mutex_);
    for (const auto& [device, keys] : devices_)
        out.push_back(device);
    return out;
}

std::size_t StateKeys::size() const {
    std::size_t n = 0;
    std::lock_guard lock(mutex_);
    for (const auto& [device, keys] : devices_)
        n += keys.size();
    return n;
}

std::string StateKeys::save_if_due(std::chrono::steady_clock::duration min_interval) {
    if (file_.empty()) return {};
    nlohmann::json doc;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (!dirty_ || now - last_save_ < min_interval) return {};
        dirty_ = false;
        last_save_ = now;
        nlohmann::json devices = nlohmann::json::object();
        for (const auto& [device, keys] : devices_) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& [id, key] : keys) {
                list.push_back({{"sink", key.sink},
                                {"topic", key.topic},
                                {"key", key.key},
                                {"kind", std::string(to_string(key.kind))},
                                {"partitioner", std::string(enum_name(key.partitioner))},
                                {"key_encoding", std::string(enum_name(key.key_encoding))}});
            }
            devices[device] = std::move(list);
        }
        doc = {{"version", 1}, {"devices", std::move(devices)}};
    }
    const std::string tmp = file_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << doc.dump() << '\n';
        out.flush();
        if (!out) {
            std::lock_guard lock(mutex_);
            dirty_ = true;
            return "cannot write " + tmp;
        }
    }
    if (std::rename(tmp.c_str(), file_.c_str()) != 0) {
        std::lock_guard lock(mutex_);
        dirty_ = true;
        return "cannot replace " + file_;
    }
    return {};
}

}  // namespace netfeed
