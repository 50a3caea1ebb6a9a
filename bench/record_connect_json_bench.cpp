// The connect_json value format beside the flat json one, on the same flow record: what a route's
// `format: connect_json` costs per record.
#include <benchmark/benchmark.h>

#include "agent/plugin_registry.hpp"
#include "agent/record_value.hpp"

namespace {

using namespace netfeed;

Record flow_record() {
    Record r;
    r.kind = RecordKind::flow;
    r.time = r.received = Clock::now();
    r.device = "lax-cor-r1";
    r.device_address = boost::asio::ip::make_address("10.0.0.1");
    r.add("flow_version", std::uint64_t{10});
    r.add("src_addr", boost::asio::ip::make_address("192.0.2.10"));
    r.add("dst_addr", boost::asio::ip::make_address("198.51.100.20"));
    r.add("src_port", std::uint64_t{51234});
    r.add("dst_port", std::uint64_t{443});
    r.add("proto", std::uint64_t{6});
    r.add("bytes", std::uint64_t{123456});
    r.add("packets", std::uint64_t{98});
    r.add("in_if", std::uint64_t{17});
    r.add("out_if", std::uint64_t{22});
    r.add("tcp_flags", std::uint64_t{0x1b});
    r.add("src_as", std::uint64_t{64500});
    r.add("dst_as", std::uint64_t{64501});
    r.add("next_hop", boost::asio::ip::make_address("10.0.0.254"));
    r.add("time_flow_start_ns", std::uint64_t{1763859000000000000ull});
    r.add("time_flow_end_ns", std::uint64_t{1763859001000000000ull});
    r.add("sampler_address", boost::asio::ip::make_address("10.0.0.1"));
    r.add("sequence_num", std::uint64_t{4242});
    r.add("sampling_rate", std::uint64_t{1000});
    r.add("inventory_match", true);
    r.add("inventory_city", std::string("Los Angeles"));
    return r;
}

void value_format(benchmark::State& state) {
    builtin_plugins();  // the plugins declare the kinds' fields the envelope's schema lists
    const Record r = flow_record();
    const auto format = static_cast<ValueFormat>(state.range(0));
    std::string out;
    std::size_t bytes = 0;
    for (auto _ : state) {
        out.clear();
        append_record_value(r, format, out);
        bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(bytes);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(value_format)
    ->Arg(static_cast<int>(ValueFormat::json))
    ->Arg(static_cast<int>(ValueFormat::connect_json));

}  // namespace

BENCHMARK_MAIN();
