// See emit_decoded.hpp.
#include "collectors/common/emit_decoded.hpp"

#include <spdlog/spdlog.h>

namespace netfeed {

std::size_t emit_decoded(CollectorContext& context, std::vector<Record>& records, bool can_wait) {
    const std::size_t offered = records.size();
    std::size_t accepted = 0;
    if (can_wait) {
        for (Record& record : records) {
            if (context.emitter.emit(record)) ++accepted;
        }
        records.clear();
    } else {
        // try_emit_batch empties `records`: compare with what was offered, not with what is left.
        accepted = context.emitter.try_emit_batch(records);
        records.clear();
    }
    return offered - accepted;
}

void warn_pipeline_full(CollectorContext& context, LogRateLimiter& limiter, std::string_view what,
                        std::string_view note) {
    std::uint64_t held = 0;
    if (!limiter.allow(held)) return;
    context.log->warn("pipeline full: dropping {} (counted as queue_full; {}{}{} more since)", what,
                      note, note.empty() ? "" : "; ", held);
}

}  // namespace netfeed
