// NetFlow v5: a 24-byte header and up to 30 fixed 48-byte records.
#include "collectors/netflow/decode_bytes.hpp"
#include "collectors/netflow/decode_versions.hpp"

namespace netfeed::netflow {

namespace {

constexpr std::size_t kHeaderLength = 24;
constexpr std::size_t kRecordLength = 48;
constexpr std::size_t kMaxRecords = 30;

constexpr std::uint64_t kV5Present = kSrcAddr | kDstAddr | kNextHop | kInIf | kOutIf | kPackets |
                                     kBytes | kSrcPort | kDstPort | kTcpFlags | kProto | kIpTos |
                                     kSrcAs | kDstAs | kSrcNet | kDstNet | kEtype;

// A sysUptime stamp as ns since the Unix epoch: export time minus how long before the export it
// was, as a signed 32-bit difference so uptime wraps and stamps after the export both work.
bool uptime_to_ns(std::int64_t export_ms, std::uint32_t uptime, std::uint32_t stamp,
                  std::uint64_t& ns) {
    const std::int64_t ms = export_ms - static_cast<std::int32_t>(uptime - stamp);
    if (ms < 0) return false;
    ns = static_cast<std::uint64_t>(ms) * 1'000'000ull;
    return true;
}

}  // namespace

DecodeResult decode_v5(DecoderState& s, std::span<const std::uint8_t> packet,
                       const FlowAddress& exporter, std::uint64_t received_ns,
                       std::vector<FlowRecord>& out) {
    if (packet.size() < kHeaderLength) return refuse(s, DecodeError::truncated);
    const std::uint8_t* h = packet.data();
    const std::size_t count = load_be16(h + 2);
    if (count > kMaxRecords) return refuse(s, DecodeError::bad_length);
    if (packet.size() < kHeaderLength + count * kRecordLength) {
        return refuse(s, DecodeError::truncated);
    }
    const std::uint32_t uptime = load_be32(h + 4);
    const std::uint32_t unix_secs = load_be32(h + 8);
    const std::uint32_t unix_nsecs = load_be32(h + 12);
    const std::uint32_t sequence = load_be32(h + 16);
    const std::uint32_t domain_id = (std::uint32_t{h[20]} << 8) | h[21];
    // The low 14 bits are the interval, the top 2 the mode (1: deterministic, 2: random).
    const std::uint64_t sampling = load_be16(h + 22) & 0x3fff;
    const std::int64_t export_ms =
        std::int64_t{unix_secs} * 1000 + static_cast<std::int64_t>(unix_nsecs / 1'000'000);

    DomainState* domain = s.exporters.find_or_add(ExporterKey{exporter, 5, domain_id}, received_ns);
    if (domain == nullptr) return refuse(s, DecodeError::exporter_limit);
    // v5 numbers flows: the header says how many came before this packet's first.
    s.counters.sequence_lost += domain->sequence.lost_before(sequence, kReorderWindowFlows);
    domain->sequence.advance(sequence, static_cast<std::uint32_t>(count));

    DecodeResult result;
    const std::uint8_t* rec = h + kHeaderLength;
    for (std::size_t i = 0; i < count; ++i, rec += kRecordLength) {
        FlowRecord& r = out.emplace_back();
        r.version = 5;
        r.present = kV5Present;
        r.sampler_address = exporter;
        r.observation_domain = domain_id;
        r.sequence_num = sequence;
        r.time_received_ns = received_ns;
        r.sampling_rate = sampling;
        r.src_addr = FlowAddress::v4(rec);
        r.dst_addr = FlowAddress::v4(rec + 4);
        r.next_hop = FlowAddress::v4(rec + 8);
        r.in_if = load_be16(rec + 12);
        r.out_if = load_be16(rec + 14);
        r.packets = load_be32(rec + 16);
        r.bytes = load_be32(rec + 20);
        if (uptime_to_ns(export_ms, uptime, load_be32(rec + 24), r.time_flow_start_ns)) {
            r.present |= kTimeStart;
        }
        if (uptime_to_ns(export_ms, uptime, load_be32(rec + 28), r.time_flow_end_ns)) {
            r.present |= kTimeEnd;
        }
        r.src_port = load_be16(rec + 32);
        r.dst_port = load_be16(rec + 34);
        r.tcp_flags = rec[37];
        r.proto = rec[38];
        r.ip_tos = rec[39];
        r.src_as = load_be16(rec + 40);
        r.dst_as = load_be16(rec + 42);
        r.src_net = rec[44];
        r.dst_net = rec[45];
        r.etype = 0x0800;
    }
    s.counters.flows += count;
    result.flows = count;
    return result;
}

}  // namespace netfeed::netflow
