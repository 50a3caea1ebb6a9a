// The SNMP poller's engine: one thread drives every device's net-snmp session asynchronously
// (single-session API, poll() over the session sockets), so many requests are in flight across
// devices at once and a dead device only costs its own timeouts.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "agent/config.hpp"
#include "collectors/snmp/options.hpp"
#include "collectors/snmp/profile.hpp"

namespace netfeed::snmp {

/// One device to poll, with everything resolved at load time.
struct PollTarget {
    std::string device;
    IpAddress address;
    PollSettings settings;
    Credentials credentials;
    std::vector<std::size_t> profiles;  // positions in the poller's profile list
};

struct PollerSettings {
    std::string component;  // the collector's configured name
    double jitter = 0.1;
    std::optional<Duration> first_poll_spread;  // null: each device's interval
    int max_requests_in_flight = 2000;
};

class SnmpPoller {
  public:
    SnmpPoller(PollerSettings settings, std::vector<Profile> profiles,
               std::vector<PollTarget> targets);
    ~SnmpPoller();
    SnmpPoller(const SnmpPoller&) = delete;
    SnmpPoller& operator=(const SnmpPoller&) = delete;

    /// Polls until `stop` is set; runs on the caller's thread (not an io_context thread: it
    /// waits in Emitter::emit when the pipeline is full).
    void run(CollectorContext& context, const std::atomic<bool>& stop);

    // Opaque state of the engine (snmp_poller.cpp).
    struct Device;
    struct Job;
    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace netfeed::snmp
