// The Emitter a collector is given: it hands records to the pipeline's input queue and is the one
// place a collector's records are counted, `sent` when accepted and `dropped{reason}` when not,
// so no collector counts them by hand.
#pragma once

#include <atomic>

#include "agent/bounded_queue.hpp"
#include "agent/collector.hpp"
#include "agent/metrics.hpp"

namespace netfeed {

class CollectorEmitter final : public Emitter {
  public:
    /// `accepted_total` is the pipeline-wide count over every collector; `metrics` the
    /// collector's own.
    CollectorEmitter(BoundedQueue<Record>& queue, const std::atomic<bool>& stopping,
                     Counter& accepted_total, ComponentMetrics& metrics);

    bool try_emit(Record& record) override;
    bool offer(Record& record) override;
    bool emit(Record& record) override;
    std::size_t try_emit_batch(std::vector<Record>& records) override;

  private:
    void accepted(std::uint64_t n = 1) noexcept;
    /// A refusal counts as queue_full, or as stopping once the queue is closed.
    void refused(std::uint64_t n) noexcept;

    BoundedQueue<Record>& queue_;
    const std::atomic<bool>& stopping_;
    Counter& accepted_total_;
    Counter& sent_;
    Counter& queue_full_;
    Counter& stopping_drops_;
};

}  // namespace netfeed
