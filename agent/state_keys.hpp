// The keys the agent sent to current-state (compacted) topics, per device: what it must
// tombstone when a device leaves the device list. Kept in a file so that it survives restarts.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agent/config.hpp"

namespace netfeed {

/// One key of one state topic, with what it takes to send its tombstone to the same partition.
struct StateKey {
    std::string sink;
    std::string topic;
    std::string key;
    RecordKind kind = RecordKind::test;
    Partitioner partitioner = Partitioner::murmur2;
    KeyEncoding key_encoding = KeyEncoding::utf8;
};

class StateKeys {
  public:
    /// @param file where the keys are kept; empty keeps them in memory only.
    explicit StateKeys(std::string file) : file_(std::move(file)) {}

    /// Reads the file when there is one. Throws std::runtime_error naming the file when it
    /// cannot be read or parsed (the agent then refuses to start rather than forget keys).
    void load();
    /// Notes that `device` sent `key.key` to `key.topic` (cheap when already known).
    void remember(const std::string& device, const StateKey& key);
    /// Forgets one key (a tombstone went out for it by another way).
    void forget(const std::string& device, const std::string& topic, const std::string& key);
    /// Removes and returns every key the device sent.
    std::vector<StateKey> take(const std::string& device);
    /// Devices with at least one key.
    std::vector<std::string> devices() const;
    std::size_t size() const;

    /// Writes the file when something changed and `min_interval` passed since the last write
    /// (atomically: a crash leaves the old or the new file). Returns an error text, "" when
    /// fine or nothing to do.
    std::string save_if_due(std::chrono::steady_clock::duration min_interval);
    const std::string& file() const noexcept { return file_; }

  private:
    // device -> (topic + '\0' + key) -> key facts
    using DeviceKeys = std::map<std::string, StateKey>;

    std::string file_;
    mutable std::mutex mutex_;
    std::map<std::string, DeviceKeys> devices_;
    bool dirty_ = false;
    std::chrono::steady_clock::time_point last_save_{};
};

}  // namespace netfeed
