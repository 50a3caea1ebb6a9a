// The decoder's state and the steps that v9 and IPFIX share: learning and withdrawing
// templates, reading a data set or holding it until its template comes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "collectors/netflow/decode_exporters.hpp"
#include "collectors/netflow/decode_flows.hpp"
#include "collectors/netflow/template_store.hpp"

namespace netfeed::netflow {

struct DecoderState {
    explicit DecoderState(const DecoderLimits& l)
        : limits(l),
          templates(make_template_store(l.max_templates_per_exporter, l.template_timeout_ns)),
          exporters(l) {}

    void count(DecodeError e) noexcept { ++counters.errors[static_cast<std::size_t>(e)]; }

    DecoderLimits limits;
    DecoderCounters counters;
    std::unique_ptr<TemplateStore> templates;
    ExporterTable exporters;
    std::vector<FieldSpec> fields;  // a template being read; reused so reading it never allocates
    std::uint64_t packet_serial = 0;
    // Bumped whenever what a restart should keep changes (a template learnt, replaced,
    // withdrawn or expired, a sampling rate learnt); a plain resend leaves it alone.
    std::uint64_t changes = 0;
};

/// One decode() call of a v9 or IPFIX packet.
struct PacketState {
    const FlowAddress& exporter;
    ExporterKey key;
    DomainState* domain = nullptr;
    ExportContext context;
    std::uint64_t serial = 0;
    std::size_t flows = 0;         // flows appended to `out` (held ones included)
    std::uint32_t records = 0;     // data and options records read from this packet's sets
    std::size_t pending_held = 0;  // this packet's sets still held at its end
    bool uncertain = false;        // a set of this packet was not read whole
};

/// Learns (or refreshes) template `id` from its field specifiers and decodes data held for it.
void learn_template(DecoderState& s, PacketState& ps, TemplateKind kind, std::uint16_t id,
                    std::span<const FieldSpec> fields, std::uint16_t scope_count,
                    std::vector<FlowRecord>& out);

/// IPFIX template withdrawal: one template, or every template of `kind` of the domain.
void withdraw_template(DecoderState& s, PacketState& ps, TemplateKind kind, std::uint16_t id);
void withdraw_all_templates(DecoderState& s, PacketState& ps, TemplateKind kind);

/// A data set (id >= 256) without its header: decoded now, or held for its template.
void read_data_set(DecoderState& s, PacketState& ps, std::uint16_t set_id,
                   std::span<const std::uint8_t> body, std::vector<FlowRecord>& out);

/// True when every byte is zero: the padding at the end of a template set.
bool all_zero(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace netfeed::netflow
