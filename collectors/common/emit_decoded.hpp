// Hands the records decoded from one datagram to the pipeline, as every datagram collector
// does: a live socket takes what fits at once (the emitter counts the rest as queue_full), a
// replayed capture waits for room for each record (refused only when the agent stops, counted
// as stopping). Accepted records are counted as sent, so every record is accounted for.
#pragma once

#include <cstddef>
#include <vector>

#include "agent/collector.hpp"

namespace netfeed {

/// Empties `records`; returns how many were refused (already counted), for the caller's log.
std::size_t emit_decoded(CollectorContext& context, std::vector<Record>& records, bool can_wait);

}  // namespace netfeed
