// Record -> JSON serialization: our flat writer against building an nlohmann::json tree per
// record (what the architecture asks to measure before choosing the body representation).
#include <benchmark/benchmark.h>

#include "agent/record_json.hpp"

namespace {

using namespace netfeed;

// A NetFlow-like record with the fields a flow usually carries.
Record flow_record() {
    Record r;
    r.kind = RecordKind::flow;
    r.time = r.received = Clock::now();
    r.device = "lax-cor-r1";
    r.device_address = boost::asio::ip::make_address("10.0.0.1");
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
    return r;
}

Record syslog_record() {
    Record r;
    r.kind = RecordKind::syslog;
    r.time = r.received = Clock::now();
    r.device = "lax-cor-r1";
    r.device_address = boost::asio::ip::make_address("10.0.0.1");
    r.add("facility", std::uint64_t{23});
    r.add("severity", std::uint64_t{5});
    r.add("severity_name", std::string("notice"));
    r.add("hostname", std::string("lax-cor-r1"));
    r.add("app_name", std::string("ETHPORT"));
    r.add("mnemonic", std::string("IF_DOWN_LINK_FAILURE"));
    r.add("message", std::string("Interface Ethernet1/1 is down (Link failure)"));
    return r;
}

void BM_FlowRecordFlatWriter(benchmark::State& state) {
    const Record r = flow_record();
    std::string out;
    for (auto _ : state) {
        out.clear();
        append_record_json(r, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_FlowRecordFlatWriter);

// The alternative: a JSON tree per record, then dump().
void BM_FlowRecordNlohmannTree(benchmark::State& state) {
    const Record r = flow_record();
    std::size_t size = 0;
    for (auto _ : state) {
        Json tree = Json::object();
        tree["kind"] = "flow";
        tree["device"] = r.device;
        tree["device_address"] = r.device_address.to_string();
        for (const auto& f : r.fields) {
            std::visit(
                [&](const auto& v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, IpAddress>) {
                        tree[std::string(f.name.view())] = v.to_string();
                    } else if constexpr (std::is_same_v<V, std::monostate>) {
                        tree[std::string(f.name.view())] = nullptr;
                    } else {
                        tree[std::string(f.name.view())] = v;
                    }
                },
                f.value);
        }
        const std::string out = tree.dump();
        size = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_FlowRecordNlohmannTree);

void BM_SyslogRecordFlatWriter(benchmark::State& state) {
    const Record r = syslog_record();
    std::string out;
    for (auto _ : state) {
        out.clear();
        append_record_json(r, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SyslogRecordFlatWriter);

// Building the record itself (one vector allocation) is part of a collector's cost per flow.
void BM_FlowRecordBuild(benchmark::State& state) {
    for (auto _ : state) {
        Record r = flow_record();
        benchmark::DoNotOptimize(r.fields.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlowRecordBuild);

}  // namespace

BENCHMARK_MAIN();
