// See emit_decoded.hpp.
#include "collectors/common/emit_decoded.hpp"

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
    context.metrics.sent().inc(accepted);
    return offered - accepted;
}

}  // namespace netfeed
