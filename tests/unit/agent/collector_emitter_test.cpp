// The emitter is the one place a collector's records are counted: sent when the pipeline
// accepts one, dropped with its reason when it does not, nothing for a refused offer.
#include "agent/collector_emitter.hpp"

#include <gtest/gtest.h>

namespace netfeed {
namespace {

class CollectorEmitterTest : public ::testing::Test {
  protected:
    Record record(std::uint64_t seq) {
        Record r;
        r.device = "r" + std::to_string(seq);
        return r;
    }
    std::uint64_t dropped(const char* reason) { return metrics_.dropped(reason).value(); }

    MetricsRegistry registry_;
    ComponentMetrics metrics_{registry_, "collector", "c1", "test"};
    Counter& accepted_total_ = registry_.counter("accepted_total", "");
    BoundedQueue<Record> queue_{2};
    std::atomic<bool> stopping_{false};
    CollectorEmitter emitter_{queue_, stopping_, accepted_total_, metrics_};
};

TEST_F(CollectorEmitterTest, TryEmitCountsSentAndQueueFull) {
    Record a = record(1), b = record(2), c = record(3);
    EXPECT_TRUE(emitter_.try_emit(a));
    EXPECT_TRUE(emitter_.try_emit(b));
    EXPECT_FALSE(emitter_.try_emit(c));
    EXPECT_EQ(metrics_.sent().value(), 2u);
    EXPECT_EQ(accepted_total_.value(), 2u);
    EXPECT_EQ(dropped("queue_full"), 1u);
    EXPECT_EQ(dropped("stopping"), 0u);
}

TEST_F(CollectorEmitterTest, ARefusedOfferIsNoDrop) {
    Record a = record(1), b = record(2), c = record(3);
    EXPECT_TRUE(emitter_.offer(a));
    EXPECT_TRUE(emitter_.offer(b));
    EXPECT_FALSE(emitter_.offer(c));
    EXPECT_EQ(metrics_.sent().value(), 2u);
    EXPECT_EQ(dropped("queue_full"), 0u);
}

TEST_F(CollectorEmitterTest, BatchCountsWhatFitAndDropsTheRest) {
    std::vector<Record> batch;
    for (std::uint64_t i = 0; i < 5; ++i)
        batch.push_back(record(i));
    EXPECT_EQ(emitter_.try_emit_batch(batch), 2u);
    EXPECT_TRUE(batch.empty());
    EXPECT_EQ(metrics_.sent().value(), 2u);
    EXPECT_EQ(accepted_total_.value(), 2u);
    EXPECT_EQ(dropped("queue_full"), 3u);
}

TEST_F(CollectorEmitterTest, RefusalsWhileStoppingAreCountedAsStopping) {
    Record a = record(1), b = record(2);
    EXPECT_TRUE(emitter_.emit(a));
    stopping_ = true;
    EXPECT_FALSE(emitter_.emit(b));
    queue_.close();
    Record c = record(3);
    EXPECT_FALSE(emitter_.try_emit(c));
    EXPECT_EQ(metrics_.sent().value(), 1u);
    EXPECT_EQ(dropped("stopping"), 2u);
    EXPECT_EQ(dropped("queue_full"), 0u);
}

}  // namespace
}  // namespace netfeed
