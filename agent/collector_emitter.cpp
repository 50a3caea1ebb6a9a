// See collector_emitter.hpp.
#include "agent/collector_emitter.hpp"

#include <chrono>

namespace netfeed {

namespace {
// How often a waiting emit() looks whether the agent is stopping.
constexpr auto kPollInterval = std::chrono::milliseconds(100);
}  // namespace

CollectorEmitter::CollectorEmitter(BoundedQueue<Record>& queue, const std::atomic<bool>& stopping,
                                   Counter& accepted_total, ComponentMetrics& metrics)
    : queue_(queue),
      stopping_(stopping),
      accepted_total_(accepted_total),
      sent_(metrics.sent()),
      queue_full_(metrics.dropped("queue_full")),
      stopping_drops_(metrics.dropped("stopping")) {}

bool CollectorEmitter::try_emit(Record& record) {
    if (queue_.try_push(record)) {
        accepted();
        return true;
    }
    refused(1);
    return false;
}

bool CollectorEmitter::offer(Record& record) {
    // A refused offer is no loss: the caller keeps the record and offers it again.
    if (!queue_.try_push(record)) return false;
    accepted();
    return true;
}

bool CollectorEmitter::emit(Record& record) {
    while (!stopping_.load(std::memory_order_acquire)) {
        if (queue_.push_until(record, std::chrono::steady_clock::now() + kPollInterval)) {
            accepted();
            return true;
        }
        if (queue_.closed()) break;
    }
    stopping_drops_.inc();
    return false;
}

std::size_t CollectorEmitter::try_emit_batch(std::vector<Record>& records) {
    const std::size_t taken = queue_.try_push_batch(records);
    accepted(taken);
    if (!records.empty()) {
        refused(records.size());
        records.clear();
    }
    return taken;
}

void CollectorEmitter::accepted(std::uint64_t n) noexcept {
    accepted_total_.inc(n);
    sent_.inc(n);
}

void CollectorEmitter::refused(std::uint64_t n) noexcept {
    (queue_.closed() ? stopping_drops_ : queue_full_).inc(n);
}

}  // namespace netfeed
