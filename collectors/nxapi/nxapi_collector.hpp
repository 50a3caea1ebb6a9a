// The NX-API poller as a collector: owns the thread that drives every device's requests.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agent/collector.hpp"
#include "collectors/nxapi/nxapi_poller.hpp"

namespace netfeed::nxapi {

class NxapiCollector final : public Collector {
  public:
    /// `warnings` are logged once when the collector starts (clear-text http, unverified TLS,
    /// vendor default passwords).
    NxapiCollector(std::unique_ptr<NxapiPoller> poller, std::size_t devices,
                   std::vector<std::string> warnings, std::vector<std::string> topics);
    ~NxapiCollector() override;

    std::vector<RecordKind> kinds() const override { return {RecordKind::nxapi}; }
    std::vector<TopicRequest> topics() const override;
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    std::unique_ptr<NxapiPoller> poller_;
    std::size_t devices_;
    std::vector<std::string> warnings_;
    std::vector<std::string> topics_;  // every command topic and the error topic
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace netfeed::nxapi
