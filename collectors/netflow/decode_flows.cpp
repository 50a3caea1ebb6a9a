// FlowDecoder: picks the format by the version field and owns the state (see decode_flows.hpp).
#include "collectors/netflow/decode_flows.hpp"

#include "collectors/netflow/decode_bytes.hpp"
#include "collectors/netflow/decode_snapshot.hpp"
#include "collectors/netflow/decode_versions.hpp"

namespace netfeed::netflow {

std::string_view to_string(DecodeError error) noexcept {
    switch (error) {
        case DecodeError::truncated:
            return "truncated";
        case DecodeError::bad_version:
            return "bad_version";
        case DecodeError::bad_length:
            return "bad_length";
        case DecodeError::bad_template:
            return "bad_template";
        case DecodeError::template_limit:
            return "template_limit";
        case DecodeError::held_limit:
            return "held_limit";
        case DecodeError::held_expired:
            return "held_expired";
        case DecodeError::exporter_limit:
            return "exporter_limit";
        case DecodeError::unknown_set:
            return "unknown_set";
        case DecodeError::kCount:
            break;
    }
    return "unknown";
}

struct FlowDecoder::State : DecoderState {
    using DecoderState::DecoderState;
};

FlowDecoder::FlowDecoder(DecoderLimits limits) : state_(std::make_unique<State>(limits)) {}

FlowDecoder::~FlowDecoder() = default;

DecodeResult FlowDecoder::decode(std::span<const std::uint8_t> packet, const FlowAddress& exporter,
                                 std::uint64_t received_ns, std::vector<FlowRecord>& out) {
    DecoderState& s = *state_;
    ++s.counters.packets;
    if (packet.size() < 2) return refuse(s, DecodeError::truncated);
    switch (load_be16(packet.data())) {
        case 5:
            return decode_v5(s, packet, exporter, received_ns, out);
        case 9:
            return decode_v9(s, packet, exporter, received_ns, out);
        case 10:
            return decode_ipfix(s, packet, exporter, received_ns, out);
        default:
            return refuse(s, DecodeError::bad_version);
    }
}

void FlowDecoder::expire(std::uint64_t now_ns) {
    DecoderState& s = *state_;
    s.counters.errors[static_cast<std::size_t>(DecodeError::held_expired)] +=
        s.exporters.expire_held(now_ns);
    if (s.templates->expire(now_ns) > 0) ++s.changes;
    s.exporters.expire_idle(now_ns);
}

const DecoderCounters& FlowDecoder::counters() const noexcept {
    return state_->counters;
}

std::size_t FlowDecoder::template_count() const noexcept {
    return state_->templates->size();
}

std::size_t FlowDecoder::held_bytes() const noexcept {
    return state_->exporters.held_bytes();
}

std::uint64_t FlowDecoder::state_changes() const noexcept {
    return state_->changes;
}

DecoderSnapshot FlowDecoder::export_state() const {
    return export_snapshot(*state_);
}

SnapshotImport FlowDecoder::import_state(const DecoderSnapshot& saved, std::uint64_t now_ns,
                                         std::uint64_t max_age_ns) {
    return import_snapshot(*state_, saved, now_ns, max_age_ns);
}

}  // namespace netfeed::netflow
