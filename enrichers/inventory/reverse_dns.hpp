// Device names from reverse DNS (PTR) for addresses nobody named, resolved on a thread of its own
// and cached, so the hot path only ever looks in the cache and never waits for a DNS server.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "agent/record.hpp"
#include "enrichers/inventory/inventory_table.hpp"

namespace netfeed::inventory {

struct ReverseDnsSettings {
    std::chrono::milliseconds timeout{2000};   // per query, as the resolver's retransmit time
    std::chrono::milliseconds ttl{3'600'000};  // how long a name is kept
    std::chrono::milliseconds negative_ttl{300'000};  // how long "no name" is kept
    std::size_t max_pending =
        1024;  // addresses waiting to be resolved; more wait for a later record
};

class ReverseDns {
  public:
    explicit ReverseDns(ReverseDnsSettings settings);
    ~ReverseDns();
    ReverseDns(const ReverseDns&) = delete;
    ReverseDns& operator=(const ReverseDns&) = delete;

    void start();
    void stop();

    enum class Answer { named, unnamed, pending };
    /// The cached name of `address` into `name` (named); unnamed when DNS has none (for the
    /// negative TTL); pending when not known yet: then the address is queued for resolution (at
    /// most once while pending). Never blocks.
    Answer lookup(const IpAddress& address, std::string& name) noexcept;

    /// Resolves now, on the calling thread (the resolver thread's step; tests call it).
    static std::string resolve(const IpAddress& address, std::chrono::milliseconds timeout);

  private:
    struct Entry {
        enum class State { pending, named, unnamed } state = State::pending;
        std::string name;
        std::chrono::steady_clock::time_point expires{};
    };
    void run();
    static constexpr std::size_t kMaxEntries = 65536;  // addresses remembered at most

    ReverseDnsSettings settings_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::unordered_map<AddressKey, Entry, AddressKeyHash> cache_;
    std::deque<IpAddress> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace netfeed::inventory
