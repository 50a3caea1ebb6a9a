// The three packet formats: each reads its export header and walks its records or sets.
// FlowDecoder::decode() picks one by the version field.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "collectors/netflow/decode_state.hpp"

namespace netfeed::netflow {

DecodeResult decode_v5(DecoderState& s, std::span<const std::uint8_t> packet,
                       const FlowAddress& exporter, std::uint64_t received_ns,
                       std::vector<FlowRecord>& out);
DecodeResult decode_v9(DecoderState& s, std::span<const std::uint8_t> packet,
                       const FlowAddress& exporter, std::uint64_t received_ns,
                       std::vector<FlowRecord>& out);
DecodeResult decode_ipfix(DecoderState& s, std::span<const std::uint8_t> packet,
                          const FlowAddress& exporter, std::uint64_t received_ns,
                          std::vector<FlowRecord>& out);

/// Refuses a packet as a whole: counts the cause and says so in the result.
inline DecodeResult refuse(DecoderState& s, DecodeError e) {
    s.count(e);
    DecodeResult r;
    r.ok = false;
    r.error = e;
    return r;
}

/// How far back a sequence number may jump and still be a late packet rather than a restart,
/// in the units each version counts (flows for v5 and IPFIX, packets for v9).
inline constexpr std::uint32_t kReorderWindowFlows = 8192;
inline constexpr std::uint32_t kReorderWindowPackets = 256;

}  // namespace netfeed::netflow
