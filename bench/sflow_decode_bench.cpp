// sFlow v5 decoding in flows per second on one core: a datagram of 8 flow samples, each a
// 128-byte sampled Ethernet/IPv4/TCP header plus extended switch and router records (what a
// data-centre switch sends), decoded again and again; and the same turned into flow records.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "collectors/sflow/sflow_datagram.hpp"
#include "collectors/sflow/sflow_record.hpp"
#include "tests/unit/collectors/sflow/sflow_builder.hpp"

namespace {

using namespace netfeed::sflow;
using namespace netfeed::sflow::test;

constexpr std::size_t kFlowsPerDatagram = 8;

Bytes workload() {
    std::vector<Bytes> samples;
    for (std::size_t i = 0; i < kFlowsPerDatagram; ++i) {
        Bytes payload(128 - 14 - 20 - 20, 0x5A);  // a 128-byte header, as agents default to
        Bytes segment = tcp(static_cast<std::uint16_t>(40000 + i), 443, 0x18);
        segment.insert(segment.end(), payload.begin(), payload.end());
        const Bytes frame = ethernet(0x0800, ipv4_packet(6, segment));
        Xdr sw;
        sw.u32(100).u32(0).u32(200).u32(0);
        Xdr router;
        router.ipv4({10, 0, 0, 1}).u32(24).u32(24);
        samples.push_back(flow_sample(
            {raw_header_record(1, 1514, frame), tagged(1001, sw.b), tagged(1002, router.b)}, 4096,
            static_cast<std::uint32_t>(i + 1), 49));
    }
    return datagram(samples);
}

void BM_DecodeSflow(benchmark::State& state) {
    const Bytes bytes = workload();
    SflowDatagram d;
    if (decode_sflow(bytes, 1, d) != DecodeError::none || d.flows.size() != kFlowsPerDatagram) {
        state.SkipWithError("the workload does not decode to its flows");
        return;
    }
    for (auto _ : state) {
        decode_sflow(bytes, 1, d);
        benchmark::DoNotOptimize(d.flows.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kFlowsPerDatagram));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_DecodeSflow);

void BM_DecodeSflowToRecords(benchmark::State& state) {
    const Bytes bytes = workload();
    SflowDatagram d;
    std::vector<netfeed::Record> records;
    const std::string device = "leaf1";
    for (auto _ : state) {
        decode_sflow(bytes, 1, d);
        records.clear();
        for (const SflowFlow& f : d.flows) {
            records.push_back(make_sflow_flow_record(f, device, netfeed::netflow::FlowKey::device,
                                                     netfeed::Timestamp{}));
        }
        benchmark::DoNotOptimize(records.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kFlowsPerDatagram));
}
BENCHMARK(BM_DecodeSflowToRecords);

}  // namespace

BENCHMARK_MAIN();
