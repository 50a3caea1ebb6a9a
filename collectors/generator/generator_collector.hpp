// Emits a bounded number of numbered records at a set rate, keyed by device, so that tests and
// demos can check that every record arrives exactly once and where its key says.
#pragma once

#include <atomic>
#include <thread>

#include "agent/collector.hpp"
#include "collectors/generator/options.hpp"

namespace netfeed {

class GeneratorCollector final : public Collector {
  public:
    GeneratorCollector(GeneratorOptions options, std::vector<Device> devices);
    ~GeneratorCollector() override;

    std::vector<RecordKind> kinds() const override { return {options_.kind}; }
    void start(CollectorContext& context) override;
    void stop() override;

  private:
    void run(CollectorContext& context);
    Record make_record(std::uint64_t seq) const;

    GeneratorOptions options_;
    std::vector<Device> devices_;
    std::string message_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace netfeed
