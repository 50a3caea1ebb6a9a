// Template learning, withdrawal, data sets and held data, shared by v9 and IPFIX (see
// decode_state.hpp).
#include "collectors/netflow/decode_state.hpp"

#include <algorithm>

#include "collectors/netflow/decode_records.hpp"

namespace netfeed::netflow {

namespace {

SetOutcome decode_body(DecoderState& s, PacketState& ps, const CompiledTemplate& t,
                       const ExportContext& context, std::span<const std::uint8_t> body,
                       std::vector<FlowRecord>& out) {
    if (t.kind == TemplateKind::options) {
        const std::uint64_t before = ps.domain->sampling.changes();
        const SetOutcome o = decode_options_records(t, body, *ps.domain);
        s.counters.options_records += o.records;
        if (ps.domain->sampling.changes() != before) ++s.changes;
        return o;
    }
    const SetOutcome o = decode_flow_records(t, body, ps.exporter, context, *ps.domain, out);
    s.counters.flows += o.records;
    ps.flows += o.records;
    return o;
}

void release_held(DecoderState& s, PacketState& ps, std::uint16_t id,
                  std::vector<FlowRecord>& out) {
    if (ps.domain->exporter->held.empty()) return;  // the common case: nothing waits
    std::vector<HeldSet> held =
        s.exporters.take_held(*ps.domain, ps.key.version, ps.key.domain, id);
    if (held.empty()) return;
    const CompiledTemplate* t = s.templates->find({ps.key, id});
    if (t == nullptr) return;  // impossible: the caller has just stored it
    for (const HeldSet& h : held) {
        const SetOutcome o = decode_body(s, ps, *t, h.context, h.body, out);
        if (t->kind == TemplateKind::data) s.counters.held_flows_decoded += o.records;
        if (o.overrun) s.count(DecodeError::truncated);
        if (h.packet_serial == ps.serial) {
            --ps.pending_held;
            ps.records += static_cast<std::uint32_t>(o.records);
            if (o.overrun) ps.uncertain = true;
        }
    }
}

}  // namespace

void learn_template(DecoderState& s, PacketState& ps, TemplateKind kind, std::uint16_t id,
                    std::span<const FieldSpec> fields, std::uint16_t scope_count,
                    std::vector<FlowRecord>& out) {
    const TemplateKey key{ps.key, id};
    const std::uint64_t now = ps.context.received_ns;
    const CompiledTemplate* known = s.templates->find(key);
    if (known != nullptr && known->kind == kind && known->scope_count == scope_count &&
        std::equal(fields.begin(), fields.end(), known->fields.begin(), known->fields.end())) {
        // Exporters resend their templates every few packets: a resend only refreshes.
        s.templates->touch(key, now);
        ++s.counters.templates;
        return;
    }
    std::optional<CompiledTemplate> compiled =
        compile_template(ps.key.version, kind, fields, scope_count);
    if (!compiled) {
        s.count(DecodeError::bad_template);
        return;
    }
    if (s.templates->put(key, std::move(*compiled), now) == TemplateStore::PutResult::refused) {
        s.count(DecodeError::template_limit);
        return;
    }
    ++s.counters.templates;
    ++s.changes;
    release_held(s, ps, id, out);
}

void withdraw_template(DecoderState& s, PacketState& ps, TemplateKind kind, std::uint16_t id) {
    if (s.templates->withdraw({ps.key, id}, kind)) {
        ++s.counters.templates_withdrawn;
        ++s.changes;
    }
}

void withdraw_all_templates(DecoderState& s, PacketState& ps, TemplateKind kind) {
    const std::size_t removed = s.templates->withdraw_all(ps.key, kind);
    s.counters.templates_withdrawn += removed;
    if (removed > 0) ++s.changes;
}

void read_data_set(DecoderState& s, PacketState& ps, std::uint16_t set_id,
                   std::span<const std::uint8_t> body, std::vector<FlowRecord>& out) {
    if (body.empty()) return;
    const CompiledTemplate* t = s.templates->find({ps.key, set_id});
    if (t == nullptr) {
        if (s.exporters.hold(*ps.domain, ps.context, set_id, ps.serial, body)) {
            ++s.counters.held_sets;
            ++ps.pending_held;
        } else {
            s.count(DecodeError::held_limit);
            ps.uncertain = true;
        }
        return;
    }
    const SetOutcome o = decode_body(s, ps, *t, ps.context, body, out);
    ps.records += static_cast<std::uint32_t>(o.records);
    if (o.overrun) {
        s.count(DecodeError::truncated);
        ps.uncertain = true;
    }
}

bool all_zero(std::span<const std::uint8_t> bytes) noexcept {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace netfeed::netflow
