// The SNMP poller as a collector: owns the poller thread that drives every device's session.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "agent/collector.hpp"
#include "collectors/snmp/snmp_poller.hpp"

namespace netfeed::snmp {

class SnmpCollector final : public Collector {
  public:
    explicit SnmpCollector(std::unique_ptr<SnmpPoller> poller, std::size_t devices);
    ~SnmpCollector() override;

    std::vector<RecordKind> kinds() const override {
        return {RecordKind::snmp, RecordKind::status};
    }
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    std::unique_ptr<SnmpPoller> poller_;
    std::size_t devices_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace netfeed::snmp
