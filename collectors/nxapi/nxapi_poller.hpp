// The NX-API poller's engine: one thread drives every device's HTTP(S) requests through one
// libcurl multi handle, with a bounded number of connections kept alive between polls, the
// nxapi_auth session cookie reused between polls, and one request per device per round.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/collector.hpp"
#include "agent/secret.hpp"
#include "collectors/nxapi/options.hpp"

namespace netfeed::nxapi {

/// One device to poll, with everything resolved at load time.
struct PollTarget {
    std::string device;
    IpAddress address;
    DeviceSettings settings;
    std::string username;
    Secret password;
};

struct PollerSettings {
    std::string component;  // the collector's configured name
    double jitter = 0.1;
    std::optional<Duration> first_poll_spread;  // null: each device's interval
    int max_connections = 100;
    std::size_t max_response_bytes = 16 * 1024 * 1024;
    std::string ca_file;
    std::string error_topic = "nxapi.errors";
};

class NxapiPoller {
  public:
    NxapiPoller(PollerSettings settings, std::vector<PollTarget> targets);
    ~NxapiPoller();
    NxapiPoller(const NxapiPoller&) = delete;
    NxapiPoller& operator=(const NxapiPoller&) = delete;

    /// Polls until `stop` is set; runs on the caller's thread (it waits in Emitter::emit when
    /// the pipeline is full).
    void run(CollectorContext& context, const std::atomic<bool>& stop);

    struct Device;
    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace netfeed::nxapi
