// The sFlow v5 datagram decoder; see sflow_datagram.hpp. Every structure is read through an
// XdrReader bounded by the enclosing length (datagram, sample, record), so a lying length can
// only fail that read, never reach past the datagram.
#include "collectors/sflow/decode_samples.hpp"

namespace netfeed::sflow {

namespace {

using xdr::read_tagged;
using xdr::Tagged;
using xdr::XdrReader;

// Sample formats of enterprise 0 (sflow_version_5.txt, section 5).
constexpr std::uint32_t kFlowSample = 1;
constexpr std::uint32_t kCounterSample = 2;
constexpr std::uint32_t kExpandedFlowSample = 3;
constexpr std::uint32_t kExpandedCounterSample = 4;

}  // namespace

std::string_view to_string(DecodeError error) noexcept {
    switch (error) {
        case DecodeError::none:
            return "none";
        case DecodeError::truncated:
            return "truncated";
        case DecodeError::bad_version:
            return "bad_version";
        case DecodeError::bad_address_type:
            return "bad_address_type";
        case DecodeError::bad_length:
            return "bad_length";
        case DecodeError::kCount:
            break;
    }
    return "unknown";
}

DecodeError decode_sflow(std::span<const std::uint8_t> datagram, std::uint64_t time_received_ns,
                         SflowDatagram& out) noexcept {
    out.agent = {};
    out.sub_agent_id = out.sequence = out.uptime_ms = out.sample_count = 0;
    out.flows.clear();
    out.counters.clear();
    out.skipped_samples = out.skipped_records = 0;

    XdrReader r(datagram);
    const std::uint32_t version = r.u32();
    if (r.failed()) return DecodeError::truncated;
    if (version != 5) return DecodeError::bad_version;
    r.address(out.agent);
    out.sub_agent_id = r.u32();
    out.sequence = r.u32();
    out.uptime_ms = r.u32();
    out.sample_count = r.u32();
    if (r.bad_address()) return DecodeError::bad_address_type;
    if (r.failed()) return DecodeError::truncated;

    DecodeError error = DecodeError::none;
    // A sample is at least its 8-byte tag and length, so the loop ends with the bytes.
    for (std::uint32_t i = 0; i < out.sample_count && error == DecodeError::none; ++i) {
        Tagged t;
        error = read_tagged(r, t);
        if (error != DecodeError::none) break;
        if (t.enterprise != 0) {
            ++out.skipped_samples;
            continue;
        }
        switch (t.format) {
            case kFlowSample:
            case kExpandedFlowSample:
                error = detail::read_flow_sample(t.body, t.format == kExpandedFlowSample, out,
                                                 time_received_ns, out);
                break;
            case kCounterSample:
            case kExpandedCounterSample:
                error =
                    detail::read_counter_sample(t.body, t.format == kExpandedCounterSample, out);
                break;
            default:
                ++out.skipped_samples;
                break;
        }
    }
    if (error != DecodeError::none) {
        out.flows.clear();
        out.counters.clear();
    }
    return error;
}

}  // namespace netfeed::sflow
