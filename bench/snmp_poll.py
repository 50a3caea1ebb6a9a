#!/usr/bin/env python3
"""One full SNMP poll round of many simulated devices: netfeed's poller beside the same walks
done by snmpbulkwalk processes, against the same simulated agents.

Simulators (--simulator):
  - snmp-sim (default; lab/snmp_sim): one C++ process, one epoll thread, --devices sockets on
    consecutive loopback addresses (127.0.10.1, 127.0.10.2, ...), community dev<i>; system
    group + ifTable + ifXTable of --interfaces ports with counters that move; replies of at
    most --max-message bytes (1472 by default, as a switch answering in one Ethernet frame);
  - snmpsimd: a synthetic recording (same tables, static counters) linked under --devices
    community names, served by --sims snmpsimd processes (Python, single-threaded: it needs
    far more CPU than either client, so it sets the pace).
Then, --runs times each:
  - netfeed: one agent polls every device at once (first_poll_spread: 0s, jitter 0, profiles
    system + interfaces, v2c GETBULK). Round 1 starts with the agent (its sessions are opened
    then); round 2 starts --interval later and is the one reported: wall time from its first
    request to its last device finished (netfeed_snmp_polls_total, sampled every 10 ms), CPU of
    the whole agent process (utime+stime from /proc: poller, pipeline, Kafka sink and the
    embedded broker) and of the poller thread alone ("snmp-poller");
  - snmpbulkwalk: two walks per device (ifTable, ifXTable) run by xargs -P<--parallel>; wall
    time and the walkers' CPU (RUSAGE_CHILDREN).
The simulator's CPU is reported beside both. Medians over the runs are printed.

    /usr/bin/python3 bench/snmp_poll.py build/netfeed --devices 500 --interfaces 48 --runs 3
    /usr/bin/python3 bench/snmp_poll.py build/netfeed --simulator snmpsimd --sims 2

Loopback only; bounded; every child process is stopped at the end, also on errors. snmpsimd
runs as root only with --process-user/--process-group (nobody/nogroup here).
"""
import argparse
import ipaddress
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from bench_util import Child, cpu_seconds, free_port, metrics, thread_id, total

ENV = dict(os.environ, MIBS="")


FIRST = ipaddress.IPv4Address("127.0.10.1")


def address(i):
    return str(FIRST + i)


def community(i):
    return f"dev{i}"


def recording(interfaces):
    rows = [((1, 3, 6, 1, 2, 1, 1, 1, 0), "4", "netfeed bench switch"),
            ((1, 3, 6, 1, 2, 1, 1, 2, 0), "6", "1.3.6.1.4.1.9.1.516"),
            ((1, 3, 6, 1, 2, 1, 1, 3, 0), "67", "123456"),
            ((1, 3, 6, 1, 2, 1, 1, 4, 0), "4", "noc@example.net"),
            ((1, 3, 6, 1, 2, 1, 1, 5, 0), "4", "bench-switch"),
            ((1, 3, 6, 1, 2, 1, 1, 6, 0), "4", "lab")]
    for i in range(1, interfaces + 1):
        t = (1, 3, 6, 1, 2, 1, 2, 2, 1)
        x = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
        for col, typ, val in ((1, "2", i), (2, "4", f"GigabitEthernet1/0/{i}"), (3, "2", 6),
                              (4, "2", 1500), (5, "66", 1000000000),
                              (6, "4x", f"0016c7026e{i:02x}"), (7, "2", 1), (8, "2", 1),
                              (9, "67", 1000 + i), (10, "65", 1000000 * i), (11, "65", 1000 * i),
                              (12, "65", 0), (13, "65", i), (14, "65", 2 * i), (15, "65", 0),
                              (16, "65", 2000000 * i), (17, "65", 2000 * i), (18, "65", 0),
                              (19, "65", 0), (20, "65", 0), (21, "66", 0),
                              (22, "6", "0.0")):
            rows.append((t + (col, i), typ, str(val)))
        for col, typ, val in ((1, "4", f"Gi1/0/{i}"), (2, "65", 10 * i), (3, "65", 5 * i),
                              (4, "65", 20 * i), (5, "65", 7 * i), (6, "70", 10**10 * i),
                              (7, "70", 10**6 * i), (8, "70", 10 * i), (9, "70", 5 * i),
                              (10, "70", 2 * 10**10 * i), (11, "70", 2 * 10**6 * i),
                              (12, "70", 20 * i), (13, "70", 7 * i), (14, "2", 1),
                              (15, "66", 1000), (16, "2", 2), (17, "2", 1),
                              (18, "4", f"port {i}"), (19, "67", 0)):
            rows.append((x + (col, i), typ, str(val)))
    rows.sort()
    return "".join(f"{'.'.join(map(str, o))}|{t}|{v}\n" for o, t, v in rows)


def start_snmp_sim(a, work, port):
    binary = a.sim_bin or os.path.join(os.path.dirname(os.path.abspath(a.netfeed)), "lab", "bin",
                                       "snmp-sim")
    ready = os.path.join(work, "snmp-sim.ready")
    sim = Child([binary, "--devices", str(a.devices), "--address", address(0), "--spread",
                 "addresses", "--port", str(port), "--community", "dev{}", "--interfaces",
                 str(a.interfaces), "--no-entity", "--max-message", str(a.max_message),
                 "--ready-file", ready], os.path.join(work, "snmp-sim.log"), env=ENV)
    deadline = time.time() + 30
    while not os.path.exists(ready):
        if time.time() > deadline or sim.proc.poll() is not None:
            raise RuntimeError("snmp-sim did not start; see " + work + "/snmp-sim.log")
        time.sleep(0.05)
    return [sim]


def start_snmpsimd(a, work, port):
    data = os.path.join(work, "data")
    os.makedirs(data)
    master = os.path.join(work, "device.snmprec")
    with open(master, "w") as f:
        f.write(recording(a.interfaces))
    for i in range(a.devices):
        os.link(master, os.path.join(data, f"{community(i)}.snmprec"))
    for path in (work, data):
        os.chmod(path, 0o755)
    os.chmod(master, 0o644)
    user = ["--process-user=nobody", "--process-group=nogroup"] if os.geteuid() == 0 else []
    sims = []
    for s in range(a.sims):
        os.makedirs(f"{work}/cache{s}")
        os.chmod(f"{work}/cache{s}", 0o777)  # snmpsimd writes it as nobody
        endpoints = [f"--agent-udpv4-endpoint={address(i)}:{port}"
                     for i in range(a.devices) if i % a.sims == s]
        sims.append(Child(["snmpsimd", f"--data-dir={data}", "--logging-method=null",
                           f"--cache-dir={work}/cache{s}", *user, *endpoints],
                          os.path.join(work, f"snmpsimd{s}.log"), env=ENV))
    return sims


def run_netfeed(a, work, port):
    kafka, http = free_port(), free_port()
    creds = "\n".join(f"  c{i}: {{community: {community(i)}}}" for i in range(a.devices))
    devs = "\n".join(f"  - {{name: dev{i:04d}, address: {address(i)}, credentials: c{i}, "
                     f"collectors: [snmp]}}" for i in range(a.devices))
    config = os.path.join(work, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""agent: {{http: {{listen: '127.0.0.1:{http}'}}, log_level: warn}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
{creds}
devices:
{devs}
collectors:
  - {{type: snmp, port: {port}, interval: {a.interval}s, jitter: 0, first_poll_spread: 0s,
      timeout: 10s, retries: 2, profiles: [system, interfaces],
      max_requests_in_flight: {a.max_in_flight}}}
routes:
  - {{kinds: [snmp, status], topic: netfeed.snmp, partitions: 4}}
""")
    # --agent-cpu: the agent may use those CPUs only, to show what one core does.
    pin = ["taskset", "-c", a.agent_cpu] if a.agent_cpu else []
    agent = Child(pin + [a.netfeed, "run", "-c", config], os.path.join(work, "agent.log"), env=ENV)
    pid = agent.proc.pid
    try:
        url = f"http://127.0.0.1:{http}/metrics"
        deadline = time.time() + 60
        while True:
            try:
                metrics(url)
                break
            except OSError:
                if time.time() > deadline or agent.proc.poll() is not None:
                    agent.log.flush()
                    with open(os.path.join(work, "agent.log")) as log:
                        raise RuntimeError("agent did not start:\n" + log.read()[-2000:])
                time.sleep(0.02)
        # Round 1 (opens the sessions) must end before round 2 is due.
        deadline = time.time() + a.interval
        while total(metrics(url), "netfeed_snmp_polls_total") < a.devices:
            if time.time() > deadline:
                raise RuntimeError(f"round 1 took longer than --interval {a.interval}s")
            time.sleep(0.05)
        poller = thread_id(pid, "snmp-poller")
        base = metrics(url)
        requests0 = total(base, "netfeed_snmp_requests_total")
        polls0 = total(base, "netfeed_snmp_polls_total")
        deadline = time.time() + a.interval + a.timeout
        while True:  # round 2 starts: the first request after round 1
            c0, p0 = cpu_seconds(pid), cpu_seconds(pid, poller) if poller else 0.0
            t0 = time.monotonic()
            if total(metrics(url), "netfeed_snmp_requests_total") > requests0:
                break
            if time.time() > deadline:
                raise RuntimeError("round 2 did not start")
            time.sleep(0.01)
        while True:
            m = metrics(url)
            if total(m, "netfeed_snmp_polls_total") >= polls0 + a.devices or time.time() > deadline:
                break
            time.sleep(0.01)
        wall = time.monotonic() - t0
        cpu = cpu_seconds(pid) - c0
        poller_cpu = cpu_seconds(pid, poller) - p0 if poller else float("nan")
        time.sleep(0.5)  # a finished poll is counted before its rows are
        m = metrics(url)
        ok = total(m, "netfeed_snmp_polls_total", 'result="ok"') - \
            total(base, "netfeed_snmp_polls_total", 'result="ok"')
        return {"wall": wall, "cpu": cpu, "poller_cpu": poller_cpu, "polls_ok": ok,
                "rows": total(m, "netfeed_component_received_total") -
                total(base, "netfeed_component_received_total"),
                "requests": total(m, "netfeed_snmp_requests_total") - requests0}
    finally:
        agent.stop()


def run_walks(a, port):
    lines = []
    for i in range(a.devices):
        for oid in ("1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"):
            lines.append(f"-c {community(i)} {address(i)}:{port} {oid}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(["xargs", "-P", str(a.parallel), "-L", "1", "snmpbulkwalk", "-m", "",
                          "-v2c", "-On", "-Oq", "-t", "10", "-r", "2", "-Cr25"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, env=ENV)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "varbinds": out.stdout.count("\n")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("netfeed")
    p.add_argument("--simulator", choices=("snmp-sim", "snmpsimd"), default="snmp-sim")
    p.add_argument("--sim-bin", help="snmp-sim binary (default: beside netfeed in lab/bin)")
    p.add_argument("--devices", type=int, default=500)
    p.add_argument("--interfaces", type=int, default=48)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--sims", type=int, default=2, help="snmpsimd processes")
    p.add_argument("--max-message", type=int, default=1472, help="snmp-sim reply size limit")
    p.add_argument("--parallel", type=int, default=8)
    p.add_argument("--interval", type=float,
                   help="seconds between netfeed rounds (default 20; 300 with snmpsimd)")
    p.add_argument("--max-in-flight", type=int, default=2000)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--only", choices=("netfeed", "snmpbulkwalk"))
    p.add_argument("--agent-cpu", help="run the agent on these CPUs only (taskset -c), e.g. 0")
    a = p.parse_args()
    if a.interval is None:
        a.interval = 300 if a.simulator == "snmpsimd" else 20  # a snmpsimd round takes minutes
    work = tempfile.mkdtemp(prefix="netfeed_snmp_bench_")
    sims = []
    try:
        port = free_port(socket.SOCK_DGRAM)
        sims = (start_snmp_sim if a.simulator == "snmp-sim" else start_snmpsimd)(a, work, port)
        deadline = time.time() + 300
        for i in range(min(a.devices, len(sims))):
            while subprocess.run(["snmpget", "-m", "", "-v2c", "-c", community(i), "-t", "1",
                                  "-r", "0", f"{address(i)}:{port}", "1.3.6.1.2.1.1.5.0"],
                                 capture_output=True, env=ENV).returncode != 0:
                if time.time() > deadline:
                    raise RuntimeError("the simulator did not answer; see " + work)
                time.sleep(1)
        names = [a.only] if a.only else ["netfeed", "snmpbulkwalk"]
        results = {n: [] for n in names}
        for run in range(a.runs):
            for name in names:
                s0 = [cpu_seconds(s.proc.pid) for s in sims]
                r = run_netfeed(a, work, port) if name == "netfeed" else run_walks(a, port)
                r["sim_cpu"] = sum(cpu_seconds(s.proc.pid) for s in sims) - sum(s0)
                results[name].append(r)
                print(f"run {run + 1} {name}: " + json.dumps({k: round(v, 3) for k, v in r.items()}),
                      flush=True)
        print(f"\n{a.devices} devices x {a.interfaces} interfaces, {a.simulator} "
              f"({len(sims)} process{'es' if len(sims) > 1 else ''}), medians of {a.runs}:")
        for name, rs in results.items():
            med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
            extra = (f", poller thread CPU {med['poller_cpu']:.2f} s, polls ok "
                     f"{med['polls_ok']:.0f}/{a.devices}, rows {med['rows']:.0f}, requests "
                     f"{med['requests']:.0f}" if name == "netfeed" else
                     f", varbinds {med['varbinds']:.0f}")
            print(f"  {name:13s} wall {med['wall']:.2f} s, CPU {med['cpu']:.2f} s "
                  f"({100 * med['cpu'] / med['wall']:.0f} % of one core){extra}; simulator CPU "
                  f"{med['sim_cpu']:.2f} s")
    finally:
        for s in sims:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
