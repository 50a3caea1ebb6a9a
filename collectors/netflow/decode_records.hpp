// The per-record loops: a compiled template's ops run over the records of one data set,
// producing flows (data templates) or learning sampling and init time (options templates).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "collectors/netflow/decode_exporters.hpp"
#include "collectors/netflow/flow_record.hpp"
#include "collectors/netflow/template_compile.hpp"

namespace netfeed::netflow {

struct SetOutcome {
    std::size_t records = 0;
    bool overrun = false;  // a variable-length field ran past the set: the rest was dropped
};

/// Appends one FlowRecord per record of `body` (a data set without its header). Bytes after the
/// last whole record that are fewer than a record are padding.
SetOutcome decode_flow_records(const CompiledTemplate& t, std::span<const std::uint8_t> body,
                               const FlowAddress& exporter, const ExportContext& context,
                               const DomainState& domain, std::vector<FlowRecord>& out);

/// Reads the options records of `body` and learns from them into `domain`.
SetOutcome decode_options_records(const CompiledTemplate& t, std::span<const std::uint8_t> body,
                                  DomainState& domain);

/// Sets the flow's start and end times from the raw time fields of one record, preferring the
/// most precise absolute time the record carries. Times that cannot be known stay absent.
void resolve_flow_times(FlowRecord& r, const std::uint64_t* raw, std::uint32_t mask,
                        const ExportContext& context, const DomainState& domain);

}  // namespace netfeed::netflow
