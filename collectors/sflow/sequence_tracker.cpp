// Sequence gap counting; see sequence_tracker.hpp. Arithmetic is mod 2^32, so a counter that
// wraps is an ordinary step.
#include "collectors/sflow/sequence_tracker.hpp"

namespace netfeed::sflow {

std::size_t SequenceTracker::KeyHash::operator()(const Key& k) const noexcept {
    std::size_t h = k.agent.family * 1099511628211ull ^ k.sub_agent;
    for (std::uint8_t b : k.agent.bytes)
        h = (h ^ b) * 1099511628211ull;
    return h;
}

SequenceStep SequenceTracker::observe(const netflow::FlowAddress& agent, std::uint32_t sub_agent,
                                      std::uint32_t sequence, std::uint32_t uptime_ms) {
    SequenceStep step;
    const Key key{agent, sub_agent};
    auto it = next_.find(key);
    if (it == next_.end()) {
        if (next_.size() >= max_sources_) next_.clear();
        next_.emplace(key, Expected{sequence + 1, uptime_ms});
        return step;
    }
    Expected& e = it->second;
    const std::uint32_t ahead = sequence - e.sequence;  // 0: exactly the one expected
    if (ahead < 0x80000000u) {
        step.lost = ahead;
        e = {sequence + 1, uptime_ms};
        return step;
    }
    const std::uint32_t behind = e.sequence - sequence;  // 1: the previous one again
    // A late datagram was sent a little earlier: its uptime is a little behind too. An agent
    // that restarted numbers from 1 again with its uptime far behind (a signed difference:
    // uptime wraps after 49.7 days, as sequences do).
    const auto uptime_behind =
        -static_cast<std::int64_t>(static_cast<std::int32_t>(uptime_ms - e.uptime_ms));
    if (behind <= kReorderWindow && uptime_behind <= kLateUptimeMs) {
        // Its gap was already counted when the later datagram came; keep expecting the same
        // next one so the datagram after it is not miscounted.
        step.late = true;
        return step;
    }
    step.restarted = true;
    e = {sequence + 1, uptime_ms};
    return step;
}

}  // namespace netfeed::sflow
