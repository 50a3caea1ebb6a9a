// The inventory join on the hot path: 1,000,000 flow records against a 100,000-row inventory
// (5 columns added per record, devices found by a secondary address and renamed), for records
// that come in runs per exporter as export packets deliver them, and for the worst case of every
// record from another device. Also the protocol enricher on the same flows.
#include <benchmark/benchmark.h>

#include <random>

#include "enrichers/inventory/inventory_enricher.hpp"
#include "enrichers/protocol/protocol_enricher.hpp"

namespace {

using namespace netfeed;

constexpr std::size_t kRows = 100'000;
constexpr std::size_t kRecords = 1'000'000;
// Distinct record bodies, reused so memory stays small. The pipeline enriches a batch of
// agent.batch_size (512) records that the collector has just written, so by default the bodies
// are that many and warm in cache; 16,384 bodies (25 MB) leave them in memory, which measures
// the memory traffic of the records more than the join.
constexpr std::size_t kBatchPool = 512;
constexpr std::size_t kColdPool = 16'384;

IpAddress loopback(std::size_t row) {
    return boost::asio::ip::address_v4(static_cast<std::uint32_t>(0x0A000000u + row + 1));
}

std::string inventory_csv() {
    std::string text = "hostname, street, city, zip, site, role, addresses\n";
    for (std::size_t i = 0; i < kRows; ++i) {
        text += "rtr-" + std::to_string(i) + ", " + std::to_string(i % 900 + 1) +
                " Main St, Los Angeles, 9" + std::to_string(10000 + i % 90000).substr(1) + ", lax" +
                std::to_string(i % 40) + ", core, " + loopback(i).to_string() + "\n";
    }
    return text;
}

Record flow(std::size_t i) {
    Record r;
    r.kind = RecordKind::flow;
    r.time = r.received = Clock::now();
    r.fields.reserve(32);
    r.add("flow_version", std::uint64_t{10});
    r.add("time_received_ns", std::uint64_t{1763859001000000000ull});
    r.add("time_flow_start_ns", std::uint64_t{1763859000000000000ull});
    r.add("time_flow_end_ns", std::uint64_t{1763859001000000000ull});
    r.add("observation_domain_id", std::uint64_t{0});
    r.add("sequence_num", std::uint64_t{i});
    r.add("src_addr", boost::asio::ip::make_address("192.0.2.10"));
    r.add("dst_addr", boost::asio::ip::make_address("198.51.100.20"));
    r.add("src_port", std::uint64_t{51234});
    r.add("dst_port", std::uint64_t{443});
    r.add("proto", std::uint64_t{6});
    r.add("bytes", std::uint64_t{123456});
    r.add("packets", std::uint64_t{98});
    r.add("tcp_flags", std::uint64_t{0x1b});
    r.add("in_if", std::uint64_t{1 + i % 48});
    r.add("out_if", std::uint64_t{1 + (i + 7) % 48});
    r.add("src_as", std::uint64_t{64500});
    r.add("dst_as", std::uint64_t{64501});
    r.add("next_hop", boost::asio::ip::make_address("10.0.0.254"));
    r.add("etype", std::uint64_t{0x800});
    return r;
}

struct Workload {
    std::vector<Record> pool;
    std::vector<std::uint32_t> device_of;  // per record: the inventory row it comes from
    std::vector<IpAddress> addresses;
    std::vector<std::string> names;  // as the collector sets them: the address text
};

// runs: how many records in a row come from one exporter (30: a full NetFlow v5 packet);
// exporters: how many distinct ones send.
Workload make_workload(std::size_t run, std::size_t exporters, std::size_t pool = kBatchPool) {
    Workload w;
    for (std::size_t i = 0; i < pool; ++i)
        w.pool.push_back(flow(i));
    std::mt19937 random(42);
    std::uniform_int_distribution<std::size_t> pick(0, kRows - 1);
    std::vector<std::uint32_t> senders;
    for (std::size_t i = 0; i < exporters; ++i)
        senders.push_back(static_cast<std::uint32_t>(pick(random)));
    std::uniform_int_distribution<std::size_t> pick_sender(0, exporters - 1);
    w.device_of.resize(kRecords);
    for (std::size_t i = 0; i < kRecords; i += run) {
        const std::uint32_t d = senders[pick_sender(random)];
        for (std::size_t j = i; j < std::min(kRecords, i + run); ++j)
            w.device_of[j] = d;
    }
    for (std::size_t row = 0; row < kRows; ++row) {
        w.addresses.push_back(loopback(row));
        w.names.push_back(loopback(row).to_string());
    }
    return w;
}

const inventory::InventoryBuild& shared_inventory(const inventory::InventoryOptions& options) {
    static const inventory::InventoryBuild build =
        inventory::build_inventory(inventory::parse_csv(inventory_csv()), options.layout());
    return build;
}

// As the pipeline does: batches of agent.batch_size records, each offered to prefetch() and
// then enriched record by record.
void run_enricher(benchmark::State& state, Enricher& enricher, Workload& w,
                  bool prefetch = true) {
    const std::size_t base = w.pool[0].fields.size();
    const std::size_t pool = w.pool.size();
    for (auto _ : state) {
        for (std::size_t start = 0; start < kRecords; start += kBatchPool) {
            const std::size_t n = std::min(kBatchPool, kRecords - start);
            const std::size_t first = start % pool;
            for (std::size_t i = start; i < start + n; ++i) {
                Record& r = w.pool[i % pool];
                const std::uint32_t d = w.device_of[i];
                r.device_address = w.addresses[d];
                r.device.assign(w.names[d]);
            }
            if (prefetch) enricher.prefetch(std::span<const Record>(w.pool.data() + first, n));
            for (std::size_t i = start; i < start + n; ++i)
                benchmark::DoNotOptimize(enricher.enrich(w.pool[i % pool]));
            // What the sink's end of the record would free anyway.
            for (std::size_t i = start; i < start + n; ++i) {
                auto& fields = w.pool[i % pool].fields;
                fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(base), fields.end());
            }
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecords));
}

void inventory_join(benchmark::State& state) {
    inventory::InventoryOptions options;
    options.addresses_column = "addresses";
    options.columns = {"street", "city", "zip", "site", "role"};
    options.watch = false;
    auto build = shared_inventory(options);
    inventory::InventoryEnricher enricher(options, "bench.csv", build,
                                          std::make_shared<DeviceSnapshot>());
    Workload w = make_workload(static_cast<std::size_t>(state.range(0)),
                               static_cast<std::size_t>(state.range(1)),
                               static_cast<std::size_t>(state.range(2)));
    // Every record must have found its row, or the figure measures misses.
    Record check = w.pool[0];
    check.device_address = w.addresses[w.device_of[0]];
    check.device = w.names[w.device_of[0]];
    enricher.enrich(check);
    if (check.device != "rtr-" + std::to_string(w.device_of[0])) state.SkipWithError("no match");
    run_enricher(state, enricher, w, state.range(3) != 0);
}
// Runs of 30 from 1,000 exporters; runs of 1 from 1,000; every record from a random one of
// all 100,000 devices (no two in a row alike: the answer cache rarely helps); the last two
// again with record bodies that are not in cache; the first three without prefetch() (the last
// argument), which the pipeline calls before each batch.
BENCHMARK(inventory_join)
    ->Args({30, 1000, kBatchPool, 1})
    ->Args({1, 1000, kBatchPool, 1})
    ->Args({1, 100000, kBatchPool, 1})
    ->Args({1, 1000, kColdPool, 1})
    ->Args({1, 100000, kColdPool, 1})
    ->Args({30, 1000, kBatchPool, 0})
    ->Args({1, 1000, kBatchPool, 0})
    ->Args({1, 100000, kBatchPool, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The loop alone (setting each record's device, removing what was added) with an enricher that
// adds nothing: what the join's figures include that is not the join.
struct NoEnricher final : Enricher {
    bool enrich(Record& record) noexcept override { return !record.device.empty(); }
};
void loop_without_enrichment(benchmark::State& state) {
    NoEnricher enricher;
    Workload w = make_workload(30, 1000);
    run_enricher(state, enricher, w);
}
BENCHMARK(loop_without_enrichment)->Unit(benchmark::kMillisecond)->UseRealTime();

void protocol_names(benchmark::State& state) {
    protocol::ProtocolOptions options;
    protocol::ProtocolEnricher enricher(options, std::make_shared<const protocol::ProtocolNames>(
                                                     protocol::read_text_file("/etc/protocols"),
                                                     protocol::read_text_file("/etc/services")));
    Workload w = make_workload(30, 1000);
    run_enricher(state, enricher, w);
}
BENCHMARK(protocol_names)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
