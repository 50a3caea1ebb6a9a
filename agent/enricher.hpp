// The enricher interface: adds context to records on their way to the sinks.
#pragma once

#include <memory>

#include "agent/record.hpp"

namespace netfeed {

class Enricher {
  public:
    virtual ~Enricher() = default;
    /// Adds fields to `record` in place. Runs on the hot path: no exceptions, no blocking I/O.
    /// @return false to drop the record (the pipeline counts it under this enricher, reason
    ///         filtered).
    virtual bool enrich(Record& record) noexcept = 0;
};

using EnricherPtr = std::unique_ptr<Enricher>;

}  // namespace netfeed
