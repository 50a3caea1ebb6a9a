// IPFIX (RFC 7011): a 16-byte message header, then sets walked by their lengths: templates
// (id 2), options templates (id 3) and data (id >= 256). Enterprise-specific fields,
// variable-length fields and template withdrawal are handled here.
#include "collectors/netflow/decode_bytes.hpp"
#include "collectors/netflow/decode_versions.hpp"

namespace netfeed::netflow {

namespace {

constexpr std::size_t kHeaderLength = 16;
constexpr std::uint16_t kTemplateSet = 2;
constexpr std::uint16_t kOptionsTemplateSet = 3;
constexpr std::uint16_t kFirstDataSet = 256;
constexpr std::uint16_t kEnterpriseBit = 0x8000;

// Reads `count` field specifiers from body[pos] on, into `fields` while there is room for
// them (a template with more is refused, but its length must still be known). False when they
// run past the set.
bool read_field_specs(std::span<const std::uint8_t> body, std::size_t& pos, std::size_t count,
                      std::vector<FieldSpec>& fields) {
    fields.clear();
    for (std::size_t i = 0; i < count; ++i) {
        if (body.size() - pos < 4) return false;
        FieldSpec f;
        f.element = load_be16(body.data() + pos);
        f.length = load_be16(body.data() + pos + 2);
        pos += 4;
        if ((f.element & kEnterpriseBit) != 0) {
            if (body.size() - pos < 4) return false;
            f.element = static_cast<std::uint16_t>(f.element & ~kEnterpriseBit);
            f.enterprise = load_be32(body.data() + pos);
            pos += 4;
        }
        if (fields.size() < kMaxTemplateFields) fields.push_back(f);
    }
    return true;
}

// Template records (set 2) or options template records (set 3) of one set.
void read_templates(DecoderState& s, PacketState& ps, TemplateKind kind,
                    std::span<const std::uint8_t> body, std::vector<FlowRecord>& out) {
    const std::uint16_t withdraw_all_id =
        kind == TemplateKind::data ? kTemplateSet : kOptionsTemplateSet;
    std::size_t pos = 0;
    while (body.size() - pos >= 4) {
        const std::uint16_t id = load_be16(body.data() + pos);
        const std::size_t count = load_be16(body.data() + pos + 2);
        if (count == 0) {
            if (id == 0 && all_zero(body.subspan(pos))) return;  // padding
            // A withdrawal (RFC 7011 8.1): of one template, or with the set's own id, of all.
            pos += 4;
            if (id == withdraw_all_id) {
                withdraw_all_templates(s, ps, kind);
            } else if (id >= kFirstDataSet) {
                withdraw_template(s, ps, kind, id);
            } else {
                s.count(DecodeError::bad_template);
            }
            continue;
        }
        pos += 4;
        std::size_t scope_count = 0;
        if (kind == TemplateKind::options) {
            if (body.size() - pos < 2) {
                s.count(DecodeError::truncated);
                return;
            }
            scope_count = load_be16(body.data() + pos);
            pos += 2;
        }
        if (!read_field_specs(body, pos, count, s.fields)) {
            s.count(DecodeError::truncated);
            return;
        }
        if (id < kFirstDataSet || count > kMaxTemplateFields ||
            (kind == TemplateKind::options && (scope_count == 0 || scope_count > count))) {
            s.count(DecodeError::bad_template);
            continue;
        }
        learn_template(s, ps, kind, id, s.fields, static_cast<std::uint16_t>(scope_count), out);
    }
}

}  // namespace

DecodeResult decode_ipfix(DecoderState& s, std::span<const std::uint8_t> packet,
                          const FlowAddress& exporter, std::uint64_t received_ns,
                          std::vector<FlowRecord>& out) {
    if (packet.size() < kHeaderLength) return refuse(s, DecodeError::truncated);
    const std::uint8_t* h = packet.data();
    const std::size_t length = load_be16(h + 2);
    if (length < kHeaderLength) return refuse(s, DecodeError::bad_length);
    if (length > packet.size()) return refuse(s, DecodeError::truncated);
    packet = packet.first(length);  // bytes after the message (link padding) are not IPFIX

    PacketState ps{exporter, ExporterKey{exporter, 10, load_be32(h + 12)}};
    ps.context.version = 10;
    ps.context.domain = ps.key.domain;
    ps.context.export_ms = std::int64_t{load_be32(h + 4)} * 1000;
    ps.context.sequence = load_be32(h + 8);
    ps.context.received_ns = received_ns;
    ps.serial = ++s.packet_serial;
    ps.domain = s.exporters.find_or_add(ps.key, received_ns);
    if (ps.domain == nullptr) return refuse(s, DecodeError::exporter_limit);
    s.counters.sequence_lost +=
        ps.domain->sequence.lost_before(ps.context.sequence, kReorderWindowFlows);

    std::size_t pos = kHeaderLength;
    while (packet.size() - pos >= 4) {
        const std::uint16_t id = load_be16(packet.data() + pos);
        const std::size_t set_length = load_be16(packet.data() + pos + 2);
        if (set_length < 4 || set_length > packet.size() - pos) {
            s.count(DecodeError::bad_length);
            ps.uncertain = true;
            break;
        }
        const std::span<const std::uint8_t> body = packet.subspan(pos + 4, set_length - 4);
        pos += set_length;
        if (id == kTemplateSet) {
            read_templates(s, ps, TemplateKind::data, body, out);
        } else if (id == kOptionsTemplateSet) {
            read_templates(s, ps, TemplateKind::options, body, out);
        } else if (id >= kFirstDataSet) {
            read_data_set(s, ps, id, body, out);
        } else {
            s.count(DecodeError::unknown_set);
        }
    }

    // IPFIX numbers data records: expect this packet's count next, unless some of its sets
    // could not be counted (held for a template, or broken), and then judge nothing next time.
    if (ps.uncertain || ps.pending_held > 0) {
        ps.domain->sequence.forget();
    } else {
        ps.domain->sequence.advance(ps.context.sequence, ps.records);
    }

    DecodeResult result;
    result.flows = ps.flows;
    return result;
}

}  // namespace netfeed::netflow
