// Hands the records decoded from one datagram to the pipeline, as every datagram collector
// does: a live socket takes what fits at once (the emitter counts the rest as queue_full), a
// replayed capture waits for room for each record (refused only when the agent stops, counted
// as stopping). The emitter counts accepted records as sent, so every record is accounted for.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "agent/collector.hpp"
#include "agent/logging.hpp"

namespace netfeed {

/// Empties `records`; returns how many were refused (already counted), for the caller's log.
std::size_t emit_decoded(CollectorContext& context, std::vector<Record>& records, bool can_wait);

/// The warning of a push input whose records the full pipeline refused (the emitter counted
/// them as queue_full), at most once per `limiter` interval: "pipeline full: dropping <what>
/// (counted as queue_full; [<note>; ]N more since)".
void warn_pipeline_full(CollectorContext& context, LogRateLimiter& limiter, std::string_view what,
                        std::string_view note = {});

}  // namespace netfeed
