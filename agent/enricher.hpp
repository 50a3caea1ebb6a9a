// The enricher interface: adds context to records on their way to the sinks.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "agent/device_directory.hpp"
#include "agent/metrics.hpp"
#include "agent/record.hpp"
#include "agent/record_schema.hpp"
#include "agent/shared_tables.hpp"

namespace spdlog {
class logger;
}

namespace netfeed {

/// What a running enricher may use. Everything outlives the enricher's stop().
struct EnricherContext {
    const DeviceDirectory& devices;
    const SharedTables& tables;
    ComponentMetrics& metrics;
    std::shared_ptr<spdlog::logger> log;
};

class Enricher {
  public:
    virtual ~Enricher() = default;
    /// Called once before the first enrich(), when the chain holding it is built (at agent start
    /// and on every reload, which builds fresh instances). It may start a thread (a file
    /// watcher). Errors that make the enricher unusable throw std::runtime_error with one clear
    /// sentence; on a reload the running configuration then stays.
    virtual void start(EnricherContext& context) { (void)context; }
    /// Called once the chain holding it is retired (replaced by a reload, or the agent stopped);
    /// enrich() is not called any more.
    virtual void stop() {}
    /// Adds fields to `record` in place. Runs on the hot path: no exceptions, no blocking I/O.
    /// @return false to drop the record (the pipeline counts it under this enricher, reason
    ///         filtered).
    virtual bool enrich(Record& record) noexcept = 0;
    /// A hint, called with each batch before its records are enriched one by one: an enricher
    /// whose lookups miss the CPU cache may start loading what these records will need, so the
    /// loads of a whole batch overlap instead of waiting in turn. It must change nothing that
    /// enrich() or anyone else could see; records of kinds this enricher is not scoped to may
    /// be in the batch.
    virtual void prefetch(std::span<const Record> batch) noexcept { (void)batch; }
    /// The fields this instance adds, as its options and files make them (`netfeed schema -c`).
    /// Names must live as long as the program (literals, FieldName::intern).
    virtual std::vector<SchemaField> added_fields() const { return {}; }
};

using EnricherPtr = std::unique_ptr<Enricher>;

}  // namespace netfeed
