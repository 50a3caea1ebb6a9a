// The NetFlow v5, v9 and IPFIX decoder: bytes of one export packet in, flat flow records out.
// Pure code: no sockets, no clocks (the caller passes the time), no globals, so tests, fuzzers
// and benchmarks drive it directly. Template state lives in the decoder, keyed per exporter.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "collectors/netflow/flow_record.hpp"

namespace netfeed::netflow {

/// Bounds on what one decoder may hold, so a hostile or broken exporter cannot exhaust memory.
struct DecoderLimits {
    /// Templates (data and options) kept per exporter address; more are refused and counted.
    std::size_t max_templates_per_exporter = 1024;
    /// Bytes of data sets held per exporter while they wait for their template.
    std::size_t max_held_bytes_per_exporter = 1 << 20;
    /// How long held data waits for its template before it is counted as lost.
    std::uint64_t held_timeout_ns = 60'000'000'000ull;
    /// Templates not refreshed for this long are forgotten.
    std::uint64_t template_timeout_ns = 1'800'000'000'000ull;
    /// Exporters (address + observation domain) tracked at once.
    std::size_t max_exporters = 65536;
};

/// Why a packet, a set or a record was refused. Every cause is counted, none is silent.
enum class DecodeError : std::uint8_t {
    truncated,          // shorter than its header or than a length it states
    bad_version,        // not 5, 9 or 10
    bad_length,         // a length field that points outside the packet or is too small
    bad_template,       // a template with zero or absurd field counts or lengths
    template_limit,     // max_templates_per_exporter reached
    held_limit,         // no room to hold data that arrived before its template
    held_expired,       // held data whose template never came
    exporter_limit,     // max_exporters reached
    unknown_set,        // a set id that is reserved (v9 2..255, IPFIX 0, 1, 4..255): skipped
    kCount
};

std::string_view to_string(DecodeError error) noexcept;

/// What the decoder has done since it was made; monotonic counters, read by the collector's
/// metrics.
struct DecoderCounters {
    std::uint64_t packets = 0;        // export packets offered
    std::uint64_t flows = 0;          // flow records produced (held ones included when decoded)
    std::uint64_t templates = 0;      // template records learnt or refreshed
    std::uint64_t templates_withdrawn = 0;
    std::uint64_t options_records = 0;  // options data records read (sampling and the like)
    std::uint64_t held_sets = 0;        // data sets held for a template not yet seen
    std::uint64_t held_flows_decoded = 0;  // flows decoded later from held sets
    /// Export packets (v9) or flows (v5, IPFIX) that the sequence numbers say never arrived.
    std::uint64_t sequence_lost = 0;
    std::uint64_t errors[static_cast<std::size_t>(DecodeError::kCount)] = {};

    std::uint64_t error(DecodeError e) const noexcept {
        return errors[static_cast<std::size_t>(e)];
    }
};

/// The result of decoding one packet: flows are appended to the caller's vector.
struct DecodeResult {
    bool ok = true;             // false: the packet was refused as a whole (`error` says why)
    DecodeError error = DecodeError::truncated;
    std::size_t flows = 0;      // flow records appended by this call (held ones included)
};

struct DecoderSnapshot;
struct SnapshotImport;

class FlowDecoder {
public:
    explicit FlowDecoder(DecoderLimits limits = {});
    ~FlowDecoder();
    FlowDecoder(const FlowDecoder&) = delete;
    FlowDecoder& operator=(const FlowDecoder&) = delete;

    /// Decodes one export packet sent by `exporter` and received at `received_ns` (ns since the
    /// Unix epoch). Appends one FlowRecord per data record to `out`, including records of data
    /// held earlier whose template this packet brings. Never throws on any input.
    DecodeResult decode(std::span<const std::uint8_t> packet, const FlowAddress& exporter,
                        std::uint64_t received_ns, std::vector<FlowRecord>& out);

    /// Forgets templates past their timeout and counts held data past its timeout as lost.
    /// Call it now and then (the collector does, every few seconds).
    void expire(std::uint64_t now_ns);

    const DecoderCounters& counters() const noexcept;
    /// Templates currently known, over all exporters.
    std::size_t template_count() const noexcept;
    /// Bytes currently held for missing templates, over all exporters.
    std::size_t held_bytes() const noexcept;

    /// Grows whenever templates or sampling rates change (not on a mere resend): the collector
    /// saves the state when it moved.
    std::uint64_t state_changes() const noexcept;
    /// The templates, options templates and sampling rates of every exporter, as a plain value
    /// (decode_snapshot.hpp), to be saved across a restart.
    DecoderSnapshot export_state() const;
    /// Takes back a saved state, normally into a fresh decoder; templates last sent more than
    /// `max_age_ns` before `now_ns` are left out (0: no age limit).
    SnapshotImport import_state(const DecoderSnapshot& saved, std::uint64_t now_ns,
                                std::uint64_t max_age_ns);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace netfeed::netflow
