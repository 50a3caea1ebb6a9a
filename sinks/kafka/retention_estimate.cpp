// The embedded broker's retention window; see retention_estimate.hpp.
#include "sinks/kafka/retention_estimate.hpp"

#include <algorithm>
#include <limits>

namespace netfeed {

RetentionEstimate RetentionEstimator::update(const std::vector<PartitionWatermarks>& marks,
                                             double now_seconds) {
    RetentionEstimate out;
    out.window_seconds = std::numeric_limits<double>::infinity();
    const bool comparable = last_.size() == marks.size() && now_seconds > last_seconds_;
    const double elapsed = now_seconds - last_seconds_;
    for (std::size_t p = 0; p < marks.size(); ++p) {
        const auto& now = marks[p];
        const std::int64_t low = std::max<std::int64_t>(now.low, 0);
        const std::int64_t held = std::max<std::int64_t>(now.high - low, 0);
        out.discarded += static_cast<std::uint64_t>(low);
        out.held += static_cast<std::uint64_t>(held);
        if (!comparable) continue;
        if (now.low > last_[p].low) out.discarding = true;
        const std::int64_t written = now.high - last_[p].high;
        if (written <= 0) continue;
        const double rate = static_cast<double>(written) / elapsed;
        out.window_seconds = std::min(out.window_seconds, static_cast<double>(held) / rate);
    }
    last_ = marks;
    last_seconds_ = now_seconds;
    return out;
}

}  // namespace netfeed
