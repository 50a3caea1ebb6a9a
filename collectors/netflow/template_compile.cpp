// Template -> decode ops (see template_compile.hpp).
#include "collectors/netflow/template_compile.hpp"

namespace netfeed::netflow {

namespace {

FieldTarget target_of(const FieldMapping* row, const FieldSpec& f) {
    if (row == nullptr) return FieldTarget::extra;
    if (f.length == kVariableLength) return row->variable ? row->target : FieldTarget::extra;
    if (f.length < row->min_length || f.length > row->max_length) return FieldTarget::extra;
    return row->target;
}

}  // namespace

std::optional<CompiledTemplate> compile_template(std::uint8_t version, TemplateKind kind,
                                                 std::span<const FieldSpec> fields,
                                                 std::uint16_t scope_count) {
    if (fields.empty() || fields.size() > kMaxTemplateFields || scope_count > fields.size()) {
        return std::nullopt;
    }
    CompiledTemplate t;
    t.kind = kind;
    t.scope_count = scope_count;
    t.fields.assign(fields.begin(), fields.end());
    t.ops.reserve(fields.size());

    std::uint32_t min_length = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const FieldSpec& f = fields[i];
        // A field of length 0 (some Cisco exporters send them) takes no bytes of the record:
        // it has nothing to decode, so it gets no op, and the fields after it read as usual.
        if (f.length == 0) continue;
        const bool variable = f.length == kVariableLength;
        min_length += variable ? 1 : f.length;  // a variable field takes at least its length byte
        if (min_length > kMaxRecordLength) return std::nullopt;

        FieldOp op;
        op.length = f.length;
        op.element = f.element;
        op.enterprise = f.enterprise;
        const bool padding = f.enterprise == 0 && f.element == kPaddingOctets;
        if (padding) {
            op.target = FieldTarget::skip;
        } else if (kind == TemplateKind::options) {
            const bool v9_scope = version == 9 && i < scope_count;
            const FieldMapping* row =
                v9_scope ? nullptr : find_field(options_field_table(), f.enterprise, f.element);
            const FieldTarget target = target_of(row, f);
            // Options fields the decoder does not learn from are dropped: options records are
            // not flows, so there is no record whose `extra` could keep them.
            op.target = target == FieldTarget::extra ? FieldTarget::skip : target;
        } else {
            const FieldMapping* row = find_field(data_field_table(), f.enterprise, f.element);
            op.target = target_of(row, f);
            if (op.target != FieldTarget::extra) t.present |= row->present;
        }
        if (variable) t.variable = true;
        if (is_time_target(op.target)) {
            t.time_mask |= 1u << (static_cast<int>(op.target) - kFirstTimeTarget);
        }
        if (op.target == FieldTarget::sampler_id) t.has_sampler_id = true;
        if (op.target == FieldTarget::sampling_rate) t.has_sampling_rate = true;
        if (op.target == FieldTarget::extra) t.has_extra = true;

        // Runs of skipped fixed fields become one op: padding and unused scopes cost one step.
        if (op.target == FieldTarget::skip && !variable && !t.ops.empty() &&
            t.ops.back().target == FieldTarget::skip && t.ops.back().length != kVariableLength) {
            t.ops.back().length = static_cast<std::uint16_t>(t.ops.back().length + f.length);
            continue;
        }
        t.ops.push_back(op);
    }
    // Only zero-length fields: every record would be empty, and a set of them endless.
    if (t.ops.empty()) return std::nullopt;
    t.min_length = min_length;

    std::uint32_t rest = 0;
    for (std::size_t i = t.ops.size(); i-- > 0;) {
        FieldOp& op = t.ops[i];
        op.rest_min = static_cast<std::uint16_t>(rest);
        rest += op.length == kVariableLength ? 1 : op.length;
    }
    return t;
}

}  // namespace netfeed::netflow
