// How much of a topic the embedded broker still holds, from its partitions' watermarks. The
// mock cluster drops the oldest batches of a partition beyond about 5 MiB or 100,000 batches
// without telling anyone; its log start offset (low watermark) is then the count of records
// it discarded, and the records held divided by the recent produce rate is how far behind a
// reader may fall before it silently skips records. Pure arithmetic, so tests can feed it.
#pragma once

#include <cstdint>
#include <vector>

namespace netfeed {

struct PartitionWatermarks {
    std::int64_t low = 0;   // first offset still held (records before it were discarded)
    std::int64_t high = 0;  // next offset to be written
};

struct RetentionEstimate {
    std::uint64_t discarded = 0;  // measured: sum of the low watermarks
    std::uint64_t held = 0;       // measured: sum of high - low
    /// Estimated: the shortest partition window, records held / records per second written
    /// since the previous sample. Infinite while no partition is written to (nothing ages out).
    double window_seconds = 0;
    /// Some partition discarded records since the previous sample.
    bool discarding = false;
};

class RetentionEstimator {
  public:
    /// `marks` holds one entry per partition, sampled at `now_seconds` (any monotonic clock).
    /// A sample with a different partition count starts over (the topic was recreated).
    RetentionEstimate update(const std::vector<PartitionWatermarks>& marks, double now_seconds);

  private:
    std::vector<PartitionWatermarks> last_;
    double last_seconds_ = 0;
};

}  // namespace netfeed
