// The shared body of the NetFlow v5, v9 and IPFIX fuzz targets: one input is split into several
// export packets fed to ONE decoder (so template, held-data and sequence state carry over), with
// the invariants every result must satisfy checked after each packet (abort on violation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "collectors/netflow/decode_flows.hpp"

namespace netfeed::netflow::fuzz {

inline void check(bool ok) {
    if (!ok) std::abort();
}

inline bool address_matches_bit(const FlowAddress& a, const FlowRecord& f, FlowField bit) {
    const bool valid = a.family == 4 || a.family == 6;
    return f.has(bit) ? valid : a.family == 0;
}

/// Input framing, repeated: a control byte (bits 0-1: which of 4 exporters sent it; bits 2-6:
/// seconds that pass before it; bit 7: call expire() first), a 2-byte big-endian length, and
/// that many bytes of packet (fewer at the end of the input). The packet's first two bytes are
/// overwritten with `version`, so the fuzzer spends no time finding the version field.
inline void run_decoder(const std::uint8_t* data, std::size_t size, std::uint16_t version) {
    DecoderLimits limits;
    limits.max_templates_per_exporter = 8;
    limits.max_held_bytes_per_exporter = 4096;
    limits.held_timeout_ns = 5'000'000'000ull;
    limits.template_timeout_ns = 20'000'000'000ull;
    limits.max_exporters = 6;
    constexpr std::size_t kExporters = 4;
    FlowDecoder decoder(limits);

    const std::uint8_t v4a[4] = {192, 0, 2, 1};
    const std::uint8_t v4b[4] = {192, 0, 2, 2};
    const std::uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const std::uint8_t v6b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    const FlowAddress exporters[kExporters] = {FlowAddress::v4(v4a), FlowAddress::v4(v4b),
                                               FlowAddress::v6(v6a), FlowAddress::v6(v6b)};

    std::uint64_t now = 1'700'000'000'000'000'000ull;
    std::uint64_t flows = 0;
    std::vector<FlowRecord> out;
    std::vector<std::uint8_t> packet;
    std::size_t pos = 0;
    while (pos + 3 <= size) {
        const std::uint8_t control = data[pos];
        std::size_t length = (std::size_t{data[pos + 1]} << 8) | data[pos + 2];
        pos += 3;
        if (length > size - pos) length = size - pos;
        packet.assign(data + pos, data + pos + length);
        pos += length;
        if (packet.size() >= 2) {
            packet[0] = static_cast<std::uint8_t>(version >> 8);
            packet[1] = static_cast<std::uint8_t>(version);
        }
        const FlowAddress& exporter = exporters[control & 3];
        now += static_cast<std::uint64_t>((control >> 2) & 0x1f) * 1'000'000'000ull;
        if ((control & 0x80) != 0) decoder.expire(now);

        const std::size_t before = out.size();
        const DecodeResult r = decoder.decode(packet, exporter, now, out);
        check(out.size() >= before);
        check(r.flows == out.size() - before);
        check(r.ok || r.flows == 0);
        flows += r.flows;
        for (std::size_t i = before; i < out.size(); ++i) {
            const FlowRecord& f = out[i];
            check(f.version == version);
            check(f.sampler_address == exporter);
            check(f.time_received_ns <= now);
            check(address_matches_bit(f.src_addr, f, kSrcAddr));
            check(address_matches_bit(f.dst_addr, f, kDstAddr));
            check(address_matches_bit(f.next_hop, f, kNextHop));
            check(address_matches_bit(f.bgp_next_hop, f, kBgpNextHop));
            check(address_matches_bit(f.nat_src_addr, f, kNatSrcAddr));
            check(address_matches_bit(f.nat_dst_addr, f, kNatDstAddr));
            check(f.username_length <= kMaxUsername);
            check(f.has(kUsername) == (f.username_length != 0));
            check(f.has(kObservationTime) || f.observation_time_ns == 0);
            check(f.observation_time_ns <= 0x7fffffffffffffffull);
            check(f.has(kTimeStart) || f.time_flow_start_ns == 0);
            check(f.has(kTimeEnd) || f.time_flow_end_ns == 0);
            // Times are ns since 1970 that fit a signed 64-bit clock (the record's Timestamp).
            check(f.time_flow_start_ns <= 0x7fffffffffffffffull);
            check(f.time_flow_end_ns <= 0x7fffffffffffffffull);
            check(f.extra.size() <= 512);
            for (const RawField& x : f.extra)
                check(x.value.size() <= 65535);
        }
        const DecoderCounters& c = decoder.counters();
        check(c.flows == flows);
        check(c.held_flows_decoded <= c.flows);
        check(decoder.held_bytes() <= limits.max_held_bytes_per_exporter * kExporters);
        check(decoder.template_count() <= limits.max_templates_per_exporter * kExporters);
        if (out.size() > 4096) out.clear();
    }
    // Given time, everything is forgotten: nothing leaks past the timeouts.
    decoder.expire(now + limits.template_timeout_ns + limits.held_timeout_ns + 1);
    check(decoder.held_bytes() == 0);
    check(decoder.template_count() == 0);
}

}  // namespace netfeed::netflow::fuzz
