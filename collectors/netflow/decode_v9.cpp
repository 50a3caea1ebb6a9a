// NetFlow v9 (RFC 3954): a 20-byte header, then flowsets walked by their lengths: templates
// (id 0), options templates (id 1) and data (id >= 256).
#include "collectors/netflow/decode_bytes.hpp"
#include "collectors/netflow/decode_versions.hpp"

namespace netfeed::netflow {

namespace {

constexpr std::size_t kHeaderLength = 20;
constexpr std::uint16_t kTemplateSet = 0;
constexpr std::uint16_t kOptionsTemplateSet = 1;
constexpr std::uint16_t kFirstDataSet = 256;

// Template records of one template flowset: id, field count, then (type, length) pairs.
void read_templates(DecoderState& s, PacketState& ps, std::span<const std::uint8_t> body,
                    std::vector<FlowRecord>& out) {
    std::size_t pos = 0;
    while (body.size() - pos >= 4) {
        const std::uint8_t* r = body.data() + pos;
        const std::uint16_t id = load_be16(r);
        const std::size_t count = load_be16(r + 2);
        if (id == 0 && count == 0 && all_zero(body.subspan(pos))) return;  // padding
        const std::size_t length = 4 + 4 * count;
        if (length > body.size() - pos) {
            s.count(DecodeError::truncated);
            return;
        }
        pos += length;
        if (id < kFirstDataSet || count == 0 || count > kMaxTemplateFields) {
            s.count(DecodeError::bad_template);
            continue;  // its length is known, so the records after it can still be read
        }
        s.fields.clear();
        for (std::size_t i = 0; i < count; ++i) {
            s.fields.push_back({load_be16(r + 4 + 4 * i), load_be16(r + 6 + 4 * i), 0});
        }
        learn_template(s, ps, TemplateKind::data, id, s.fields, 0, out);
    }
}

// Options template records: id, scope length and option length in bytes, then the scope
// (type, length) pairs and the option pairs.
void read_options_templates(DecoderState& s, PacketState& ps, std::span<const std::uint8_t> body,
                            std::vector<FlowRecord>& out) {
    std::size_t pos = 0;
    while (body.size() - pos >= 6) {
        const std::uint8_t* r = body.data() + pos;
        const std::uint16_t id = load_be16(r);
        const std::size_t scope_length = load_be16(r + 2);
        const std::size_t option_length = load_be16(r + 4);
        if (id == 0 && all_zero(body.subspan(pos))) return;  // padding
        const std::size_t length = 6 + scope_length + option_length;
        if (length > body.size() - pos) {
            s.count(DecodeError::truncated);
            return;
        }
        pos += length;
        const std::size_t count = (scope_length + option_length) / 4;
        if (id < kFirstDataSet || scope_length % 4 != 0 || option_length % 4 != 0 || count == 0 ||
            count > kMaxTemplateFields) {
            s.count(DecodeError::bad_template);
            continue;
        }
        s.fields.clear();
        for (std::size_t i = 0; i < count; ++i) {
            s.fields.push_back({load_be16(r + 6 + 4 * i), load_be16(r + 8 + 4 * i), 0});
        }
        learn_template(s, ps, TemplateKind::options, id, s.fields,
                       static_cast<std::uint16_t>(scope_length / 4), out);
    }
}

}  // namespace

DecodeResult decode_v9(DecoderState& s, std::span<const std::uint8_t> packet,
                       const FlowAddress& exporter, std::uint64_t received_ns,
                       std::vector<FlowRecord>& out) {
    if (packet.size() < kHeaderLength) return refuse(s, DecodeError::truncated);
    const std::uint8_t* h = packet.data();
    // The header's count is not used: exporters disagree on what it counts (softflowd puts
    // only data records in it), and the flowset lengths say everything needed.
    PacketState ps{exporter, ExporterKey{exporter, 9, load_be32(h + 16)}};
    ps.context.version = 9;
    ps.context.domain = ps.key.domain;
    ps.context.uptime_ms = load_be32(h + 4);
    ps.context.export_ms = std::int64_t{load_be32(h + 8)} * 1000;
    ps.context.sequence = load_be32(h + 12);
    ps.context.received_ns = received_ns;
    ps.serial = ++s.packet_serial;
    ps.domain = s.exporters.find_or_add(ps.key, received_ns);
    if (ps.domain == nullptr) return refuse(s, DecodeError::exporter_limit);
    // v9 numbers export packets per source id.
    s.counters.sequence_lost +=
        ps.domain->sequence.lost_before(ps.context.sequence, kReorderWindowPackets);
    ps.domain->sequence.advance(ps.context.sequence, 1);

    std::size_t pos = kHeaderLength;
    while (packet.size() - pos >= 4) {
        const std::uint16_t id = load_be16(packet.data() + pos);
        const std::size_t length = load_be16(packet.data() + pos + 2);
        if (length < 4 || length > packet.size() - pos) {
            // Nothing after a bad length can be found; what came before it stays decoded.
            s.count(DecodeError::bad_length);
            break;
        }
        const std::span<const std::uint8_t> body = packet.subspan(pos + 4, length - 4);
        pos += length;
        if (id == kTemplateSet) {
            read_templates(s, ps, body, out);
        } else if (id == kOptionsTemplateSet) {
            read_options_templates(s, ps, body, out);
        } else if (id >= kFirstDataSet) {
            read_data_set(s, ps, id, body, out);
        } else {
            s.count(DecodeError::unknown_set);
        }
    }

    DecodeResult result;
    result.flows = ps.flows;
    return result;
}

}  // namespace netfeed::netflow
