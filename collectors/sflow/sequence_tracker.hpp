// Counts sFlow datagrams lost in transit from the datagram sequence numbers, per agent address
// and sub-agent (each numbers its datagrams 1, 2, 3, ... on its own). Pure state, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "collectors/netflow/flow_record.hpp"

namespace netfeed::sflow {

/// What one datagram's sequence number said.
struct SequenceStep {
    std::uint64_t lost = 0;  // datagrams skipped over (0 when in order, late or restarted)
    bool restarted = false;  // a jump back beyond the reorder window: the agent restarted
    bool late = false;       // a small jump back: a datagram that arrived out of order
};

class SequenceTracker {
  public:
    /// At most `max_sources` agent/sub-agent pairs are tracked; when full, the table starts
    /// over (a gap is then missed once, rather than memory growing with spoofed agents).
    explicit SequenceTracker(std::size_t max_sources = 4096) : max_sources_(max_sources) {}

    /// `uptime_ms` is the datagram's: an agent whose uptime went back has restarted, however
    /// small its new sequence number's jump back looks.
    SequenceStep observe(const netflow::FlowAddress& agent, std::uint32_t sub_agent,
                         std::uint32_t sequence, std::uint32_t uptime_ms);
    std::size_t sources() const noexcept { return next_.size(); }

    /// A jump back of at most this many datagrams is taken as reordering, not a restart...
    static constexpr std::uint32_t kReorderWindow = 256;
    /// ... and whose uptime is at most this much behind the newest (ms).
    static constexpr std::int64_t kLateUptimeMs = 60000;

  private:
    struct Key {
        netflow::FlowAddress agent;
        std::uint32_t sub_agent = 0;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };

    std::size_t max_sources_;
    struct Expected {
        std::uint32_t sequence = 0;   // the number expected next
        std::uint32_t uptime_ms = 0;  // the agent's uptime in the newest datagram
    };
    std::unordered_map<Key, Expected, KeyHash> next_;
};

}  // namespace netfeed::sflow
