// NetFlow v5, v9 and IPFIX decoding alone, in flows per second on one core: one export packet
// of 24-30 flows decoded again and again by a decoder that knows its template.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "collectors/netflow/decode_flows.hpp"

namespace {

using namespace netfeed::netflow;

constexpr std::uint64_t kReceived = 1'700'000'000'000'000'000ull;

class Bytes {
  public:
    Bytes& u8(std::uint64_t v) {
        b_.push_back(static_cast<std::uint8_t>(v));
        return *this;
    }
    Bytes& u16(std::uint64_t v) { return u8(v >> 8).u8(v); }
    Bytes& u32(std::uint64_t v) { return u16(v >> 16).u16(v); }
    Bytes& u64(std::uint64_t v) { return u32(v >> 32).u32(v); }
    void patch16(std::size_t at, std::size_t v) {
        b_[at] = static_cast<std::uint8_t>(v >> 8);
        b_[at + 1] = static_cast<std::uint8_t>(v);
    }
    std::size_t size() const { return b_.size(); }
    std::vector<std::uint8_t>& bytes() { return b_; }

  private:
    std::vector<std::uint8_t> b_;
};

struct Field {
    std::uint16_t element;
    std::uint16_t length;
};

// A common router template: addresses, next hop, interfaces, counters, times, ports, flags,
// protocol, ToS, AS numbers, prefix lengths (18 fields).
const Field kV9Template[] = {{8, 4}, {12, 4}, {15, 4}, {10, 2}, {14, 2}, {2, 4},
                             {1, 4}, {22, 4}, {21, 4}, {7, 2},  {11, 2}, {6, 1},
                             {4, 1}, {5, 1},  {16, 2}, {17, 2}, {9, 1},  {13, 1}};
const Field kIpfixTemplate[] = {{8, 4}, {12, 4},  {15, 4},  {10, 4}, {14, 4}, {2, 4},
                                {1, 4}, {152, 8}, {153, 8}, {7, 2},  {11, 2}, {6, 1},
                                {4, 1}, {5, 1},   {16, 4},  {17, 4}, {9, 1},  {13, 1}};

// Cisco ASA NSEL flow-create, IPv4 with NAT and the common username size (the ASA NetFlow
// Implementation Guide's template, 21 fields): the firewall path, ACL ids and username included.
const Field kAsaTemplate[] = {{148, 4},    {8, 4},      {7, 2},     {10, 2},    {12, 4},  {11, 2},
                              {14, 2},     {4, 1},      {176, 1},   {177, 1},   {225, 4}, {226, 4},
                              {227, 2},    {228, 2},    {233, 1},   {33002, 2}, {323, 8}, {152, 8},
                              {33000, 12}, {33001, 12}, {40000, 20}};

void field_value(Bytes& p, const Field& f, int i) {
    switch (f.length) {
        case 1:
            p.u8(i * 7 + f.element);
            break;
        case 2:
            p.u16(1000 + i * 13 + f.element);
            break;
        case 4:
            p.u32((10u << 24) | (static_cast<std::uint32_t>(i) << 8) | f.element);
            break;
        case 8:
            p.u64(1'699'999'990'000ull + static_cast<std::uint64_t>(i) * 10);
            break;
        default:  // ACL ids, usernames: printable, never all zero
            for (int k = 0; k < f.length; ++k)
                p.u8('a' + (i + k) % 26);
            break;
    }
}

template <std::size_t N>
void template_set(Bytes& p, std::uint16_t set_id, const Field (&fields)[N]) {
    const std::size_t start = p.size();
    p.u16(set_id).u16(0).u16(256).u16(N);
    for (const Field& f : fields)
        p.u16(f.element).u16(f.length);
    p.patch16(start + 2, p.size() - start);
}

template <std::size_t N>
void data_set(Bytes& p, const Field (&fields)[N], int flows) {
    const std::size_t start = p.size();
    p.u16(256).u16(0);
    for (int i = 0; i < flows; ++i) {
        for (const Field& f : fields)
            field_value(p, f, i);
    }
    while ((p.size() - start) % 4 != 0)
        p.u8(0);
    p.patch16(start + 2, p.size() - start);
}

struct Workload {
    std::vector<std::uint8_t> setup;  // teaches the decoder the template
    std::vector<std::uint8_t> packet;
    int flows;
};

Workload v5(int flows) {
    Bytes p;
    p.u16(5).u16(flows).u32(360'000'000).u32(1'700'000'000).u32(0).u32(1).u8(0).u8(0).u16(0);
    for (int i = 0; i < flows; ++i) {
        p.u32(0x0a000000u + i).u32(0x0a010000u + i).u32(0x0a0000fe).u16(1).u16(2).u32(10);
        p.u32(1500).u32(359'990'000).u32(359'999'000).u16(40000 + i).u16(443).u8(0).u8(0x1b);
        p.u8(6).u8(0).u16(65001).u16(65002).u8(24).u8(16).u16(0);
    }
    return {{}, p.bytes(), flows};
}

Workload v9(int flows) {
    Bytes t;
    t.u16(9).u16(1).u32(360'000'000).u32(1'700'000'000).u32(0).u32(1);
    template_set(t, 0, kV9Template);
    Bytes p;
    p.u16(9).u16(flows).u32(360'000'000).u32(1'700'000'000).u32(1).u32(1);
    data_set(p, kV9Template, flows);
    return {t.bytes(), p.bytes(), flows};
}

Workload ipfix(int flows) {
    Bytes t;
    t.u16(10).u16(0).u32(1'700'000'000).u32(0).u32(1);
    template_set(t, 2, kIpfixTemplate);
    t.patch16(2, t.size());
    Bytes p;
    p.u16(10).u16(0).u32(1'700'000'000).u32(0).u32(1);
    data_set(p, kIpfixTemplate, flows);
    p.patch16(2, p.size());
    return {t.bytes(), p.bytes(), flows};
}

Workload v9_asa(int flows) {
    Bytes t;
    t.u16(9).u16(1).u32(360'000'000).u32(1'700'000'000).u32(0).u32(1);
    template_set(t, 0, kAsaTemplate);
    Bytes p;
    p.u16(9).u16(flows).u32(360'000'000).u32(1'700'000'000).u32(1).u32(1);
    data_set(p, kAsaTemplate, flows);
    return {t.bytes(), p.bytes(), flows};
}

// The template resent in front of the data in every packet, as some exporters do: the cost of
// recognising a refresh.
Workload ipfix_with_template(int flows) {
    Bytes p;
    p.u16(10).u16(0).u32(1'700'000'000).u32(0).u32(1);
    template_set(p, 2, kIpfixTemplate);
    data_set(p, kIpfixTemplate, flows);
    p.patch16(2, p.size());
    return {{}, p.bytes(), flows};
}

void run(benchmark::State& state, const Workload& w) {
    FlowDecoder decoder;
    const FlowAddress exporter = FlowAddress::v4(std::vector<std::uint8_t>{192, 0, 2, 1}.data());
    std::vector<FlowRecord> out;
    out.reserve(64);
    if (!w.setup.empty()) decoder.decode(w.setup, exporter, kReceived, out);
    out.clear();
    decoder.decode(w.packet, exporter, kReceived, out);
    if (out.size() != static_cast<std::size_t>(w.flows)) {
        state.SkipWithError("the workload does not decode to its flows");
        return;
    }
    for (auto _ : state) {
        out.clear();
        decoder.decode(w.packet, exporter, kReceived, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * w.flows);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * w.packet.size()));
    state.counters["flows_per_packet"] = w.flows;
}

void BM_DecodeV5(benchmark::State& state) {
    run(state, v5(30));
}
void BM_DecodeV9(benchmark::State& state) {
    run(state, v9(28));
}
void BM_DecodeIpfix(benchmark::State& state) {
    run(state, ipfix(24));
}
void BM_DecodeIpfixTemplateEachPacket(benchmark::State& state) {
    run(state, ipfix_with_template(24));
}
void BM_DecodeV9AsaNsel(benchmark::State& state) {
    run(state, v9_asa(12));  // 98-byte records: 12 fill a 1,200-byte export like the ASA's
}
BENCHMARK(BM_DecodeV5);
BENCHMARK(BM_DecodeV9);
BENCHMARK(BM_DecodeIpfix);
BENCHMARK(BM_DecodeIpfixTemplateEachPacket);
BENCHMARK(BM_DecodeV9AsaNsel);

}  // namespace
BENCHMARK_MAIN();
