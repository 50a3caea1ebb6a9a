// What the decoder keeps across a restart, as plain values: templates (data and options) and
// sampling rates per exporter domain. Sequence expectations and held data are left out: a
// restart loses packets anyway, and held data is only ever seconds old.
#pragma once

#include <cstdint>
#include <vector>

#include "collectors/netflow/decode_exporters.hpp"
#include "collectors/netflow/flow_exporter_key.hpp"
#include "collectors/netflow/template_compile.hpp"

namespace netfeed::netflow {

struct DecoderState;

/// One template as the exporter defined it (the compiled form is rebuilt on import).
struct TemplateSnapshot {
    ExporterKey exporter;
    std::uint16_t template_id = 0;
    TemplateKind kind = TemplateKind::data;
    std::uint16_t scope_count = 0;
    std::vector<FieldSpec> fields;
    std::uint64_t sent_ns = 0;  // when the exporter last sent it

    bool operator==(const TemplateSnapshot&) const = default;
};

struct SamplingSnapshot {
    ExporterKey exporter;
    SamplingTable::Snapshot table;

    bool operator==(const SamplingSnapshot&) const = default;
};

struct DecoderSnapshot {
    std::vector<TemplateSnapshot> templates;
    std::vector<SamplingSnapshot> sampling;

    bool operator==(const DecoderSnapshot&) const = default;
};

/// What import_state() made of a snapshot.
struct SnapshotImport {
    std::size_t templates = 0;  // restored
    std::size_t exporters = 0;  // distinct exporter domains with something restored
    std::size_t too_old = 0;    // left out: last sent longer ago than the age limit
    std::size_t refused = 0;    // left out: invalid, or over a limit of the decoder
};

/// Sorted by exporter, domain and template id, so that equal states save to equal files.
DecoderSnapshot export_snapshot(const DecoderState& state);
SnapshotImport import_snapshot(DecoderState& state, const DecoderSnapshot& saved,
                               std::uint64_t now_ns, std::uint64_t max_age_ns);

}  // namespace netfeed::netflow
