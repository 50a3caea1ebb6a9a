// Syslog parsing per format, and parse + record + JSON together (what one message costs the
// receiving thread before it reaches the queue and the sink).
#include <benchmark/benchmark.h>

#include "agent/record_json.hpp"
#include "collectors/syslog/parse_syslog.hpp"
#include "collectors/syslog/syslog_record.hpp"

namespace {

using namespace netfeed::syslog;

const char* const kLines[] = {
    "<34>1 2026-11-23T01:02:03.123456Z lax-cor-r1 sshd 4321 LOGIN [origin ip=\"10.0.0.1\"][meta "
    "sequenceId=\"42\"] Accepted publickey for admin",
    "<189>123: *Mar  1 18:48:50.483 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 "
    "(10.0.0.1)",
    "2021 Nov  6 06:16:05 lax-cor-r1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is "
    "down (Link failure)",
    "<13>Nov 23 01:02:03 host1 myapp[42]: hello from a linux box",
    "<28>Nov 23 01:02:03 mx1 mgd[1234]: UI_COMMIT: User 'admin' requested 'commit' operation",
    "<189>2647: xr1 RP/0/RP0/CPU0:Oct 12 09:14:02.118 UTC: bgp[1084]: %ROUTING-BGP-5-ADJCHANGE : "
    "neighbor 192.0.2.7 Up (VRF: default)",
    "<166>Jan 12 10:15:44 edge-fw: %ASA-6-106100: access-list outside_in permitted tcp "
    "outside/192.0.2.9(51234) -> inside/10.0.0.5(443) hit-cnt 1 first hit [0x1c2d3e4f, 0x0]",
};
const char* const kNames[] = {"rfc5424", "cisco_ios", "nxos", "rfc3164", "juniper", "iosxr", "asa"};

ParseOptions options() {
    ParseOptions o;
    o.received = std::chrono::system_clock::now();
    return o;
}

void BM_Parse(benchmark::State& state) {
    const std::string_view line = kLines[state.range(0)];
    const ParseOptions o = options();
    for (auto _ : state) {
        SyslogMessage m = parse_syslog(line, o);
        benchmark::DoNotOptimize(m.message.data());
    }
    state.SetLabel(kNames[state.range(0)]);
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_Parse)->DenseRange(0, 6);

void BM_ParseRecordJson(benchmark::State& state) {
    const std::string_view line = kLines[state.range(0)];
    const ParseOptions o = options();
    std::string out;
    for (auto _ : state) {
        SyslogSource source;
        source.device = "lax-cor-r1";
        source.received = o.received;
        netfeed::Record r = make_syslog_record(parse_syslog(line, o), source);
        out.clear();
        netfeed::append_record_json(r, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetLabel(kNames[state.range(0)]);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRecordJson)->DenseRange(0, 6);

}  // namespace

BENCHMARK_MAIN();
