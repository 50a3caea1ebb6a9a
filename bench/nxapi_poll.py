#!/usr/bin/env python3
"""One full NX-API poll round of many simulated Nexus switches: netfeed's nxapi collector
against nxapi-sim (lab/nxapi_sim), every switch on its own loopback address (127.0.20.1,
127.0.20.2, ...), 3 commands per switch (show version, show interface, show inventory: one
JSON-RPC batch per switch, ~75 KB of answer), records to the embedded broker.

Per run: a fresh agent polls every switch at once (first_poll_spread: 0s, jitter 0); round 1
logs in (basic auth) and opens the connections; round 2, one --interval later, is measured:
wall time from its first request to the last switch's poll finishing
(netfeed_nxapi_polls_total), the netfeed process's CPU (utime+stime from /proc, the embedded
broker and the pipeline included) and the poller thread's alone, over that window, and the
process's CPU until the sink has sent the round's last record (cpu_drained); the
simulator's CPU over the same window; the agent's peak resident memory (VmHWM) at the end.
Medians over --runs are printed.

    /usr/bin/python3 bench/nxapi_poll.py build/netfeed --switches 500 --runs 5
    /usr/bin/python3 bench/nxapi_poll.py build/netfeed --switches 500 --runs 5 --agent-cpu 0

Loopback only; bounded; every child process is stopped at the end, also on errors.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from bench_util import Child, cpu_seconds, free_port, metrics, thread_id, total, vm_hwm_mib

COMMANDS = ["show version", "show interface", "show inventory"]


def address(i):
    return f"127.0.{20 + i // 250}.{1 + i % 250}"


def start_sims(a, work, port):
    """nxapi-sim processes; each serves a contiguous share of the addresses (one --address
    range per process, since --spread addresses counts up from its first address)."""
    sim_bin = a.sim_bin or os.path.join(os.path.dirname(os.path.abspath(a.netfeed)), "lab", "bin",
                                        "nxapi-sim")
    sims, first = [], 0
    # One process per 250 addresses keeps each range inside one /24.
    while first < a.switches:
        count = min(250, a.switches - first)
        ready = os.path.join(work, f"sim{first}.ready")
        args = [sim_bin, "--switches", str(count), "--address", address(first), "--spread",
                "addresses", "--port", str(port), "--ready-file", ready,
                "--threads", str(a.sim_threads)]
        if a.tls:
            args += ["--tls", "--cert", os.path.join(work, "ca", "server.pem"), "--key",
                     os.path.join(work, "ca", "server.key")]
        sims.append(Child(args, os.path.join(work, f"sim{first}.log")))
        deadline = time.time() + 30
        while not os.path.exists(ready):
            if time.time() > deadline or sims[-1].proc.poll() is not None:
                raise RuntimeError("nxapi-sim did not start; see " + work)
            time.sleep(0.05)
        first += count
    return sims


def run_netfeed(a, work, port):
    kafka, http = free_port(), free_port()
    devs = "\n".join(f"  - {{name: sw{i:04d}, address: {address(i)}, credentials: sim, "
                     f"collectors: [nxapi]}}" for i in range(a.switches))
    commands = ", ".join(COMMANDS)
    config = os.path.join(work, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""agent: {{http: {{listen: '127.0.0.1:{http}'}}, log_level: warn}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  sim: {{username: admin, password: admin}}
devices:
{devs}
collectors:
  - {{type: nxapi, scheme: {"https" if a.tls else "http"}, tls_verify: false, port: {port}, interval: {a.interval}s, jitter: 0,
      first_poll_spread: 0s, timeout: 30s, max_connections: {a.max_connections},
      commands: [{commands}]}}
routes:
  - {{kinds: [nxapi], partitions: 4}}
""")
    pin = ["taskset", "-c", a.agent_cpu] if a.agent_cpu else []
    agent = Child([*pin, a.netfeed, "run", "-c", config], os.path.join(work, "agent.log"))
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
                    raise RuntimeError("agent did not start: see " + work + "/agent.log")
                time.sleep(0.02)
        deadline = time.time() + a.interval
        while total(metrics(url), "netfeed_nxapi_polls_total") < a.switches:
            if time.time() > deadline:
                raise RuntimeError(f"round 1 took longer than --interval {a.interval}s")
            time.sleep(0.05)
        poller = thread_id(pid, "nxapi-poller")
        base = metrics(url)
        requests0 = total(base, "netfeed_nxapi_requests_total")
        polls0 = total(base, "netfeed_nxapi_polls_total")
        logins0 = total(base, "netfeed_nxapi_logins_total")
        deadline = time.time() + a.interval + 60
        while True:  # round 2 starts: the first request after round 1
            c0, p0 = cpu_seconds(pid), cpu_seconds(pid, poller) if poller else 0.0
            s0 = [cpu_seconds(s.proc.pid) for s in a.sims]
            t0 = time.monotonic()
            if total(metrics(url), "netfeed_nxapi_requests_total") > requests0:
                break
            if time.time() > deadline:
                raise RuntimeError("round 2 did not start")
            time.sleep(0.005)
        while True:
            m = metrics(url)
            if total(m, "netfeed_nxapi_polls_total") >= polls0 + a.switches:
                break
            if time.time() > deadline + 60:
                raise RuntimeError("round 2 did not finish")
            time.sleep(0.005)
        t1 = time.monotonic()
        c1, p1 = cpu_seconds(pid), cpu_seconds(pid, poller) if poller else 0.0
        s1 = [cpu_seconds(s.proc.pid) for s in a.sims]
        # The pipeline may still be writing the round's last records: the CPU until the sink
        # has sent all of them (its counter still for 0.5 s) is the round's whole cost.
        sent, still_since = total(m, "netfeed_component_sent_total", 'stage="sink"'), time.time()
        while time.time() - still_since < 0.5 and time.time() < deadline + 70:
            time.sleep(0.1)
            now_sent = total(metrics(url), "netfeed_component_sent_total", 'stage="sink"')
            if now_sent != sent:
                sent, still_since = now_sent, time.time()
        c2 = cpu_seconds(pid)
        polls_ok = (total(m, "netfeed_nxapi_polls_total", 'result="ok"') -
                    total(base, "netfeed_nxapi_polls_total", 'result="ok"'))
        return {"wall": t1 - t0, "cpu": c1 - c0, "cpu_drained": c2 - c0, "poller_cpu": p1 - p0,
                "sim_cpu": sum(s1) - sum(s0), "polls_ok": polls_ok,
                "requests": total(m, "netfeed_nxapi_requests_total") - requests0,
                "logins": total(m, "netfeed_nxapi_logins_total") - logins0,
                "mib": (total(m, "netfeed_nxapi_response_bytes_total") -
                        total(base, "netfeed_nxapi_response_bytes_total")) / 2**20,
                "vm_hwm_mib": vm_hwm_mib(pid)}
    finally:
        agent.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("netfeed")
    p.add_argument("--sim-bin", help="nxapi-sim binary (default: beside netfeed in lab/bin)")
    p.add_argument("--switches", type=int, default=500)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--interval", type=float, default=15, help="seconds between rounds")
    p.add_argument("--max-connections", type=int, default=100)
    p.add_argument("--sim-threads", type=int, default=1)
    p.add_argument("--tls", action="store_true",
                   help="HTTPS (a throw-away certificate from make-test-ca.sh; tls_verify: false, "
                        "since it names 127.0.0.x only): the cost of TLS handshakes and records")
    p.add_argument("--agent-cpu", help="run the agent on these CPUs only (taskset -c), e.g. 0: "
                   "the round's wall time with at most one core")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="netfeed_nxapi_bench_")
    a.sims = []
    try:
        port = free_port()
        if a.tls:
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab",
                                  "nxapi_sim", "make-test-ca.sh")
            subprocess.run([script, os.path.join(work, "ca")], check=True, capture_output=True,
                           timeout=60)
        a.sims = start_sims(a, work, port)
        results = []
        for run in range(a.runs):
            r = run_netfeed(a, work, port)
            results.append(r)
            print(f"run {run + 1}: " + json.dumps({k: round(v, 3) for k, v in r.items()}),
                  flush=True)
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print(f"\n{a.switches} switches x {len(COMMANDS)} commands, max_connections "
              f"{a.max_connections}, {'HTTPS' if a.tls else 'HTTP'}, {len(a.sims)} nxapi-sim "
              f"process(es), agent CPUs "
              f"{a.agent_cpu or 'any'}, medians of {a.runs}:")
        print(f"  round wall {med['wall']:.2f} s, netfeed CPU {med['cpu']:.2f} s "
              f"({100 * med['cpu'] / med['wall']:.0f} % of one core; {med['cpu_drained']:.2f} s "
              f"until the sink sent the round's last record), poller thread "
              f"{med['poller_cpu']:.2f} s, polls ok {med['polls_ok']:.0f}/{a.switches}, "
              f"requests {med['requests']:.0f}, logins {med['logins']:.0f}, answers "
              f"{med['mib']:.1f} MiB, peak RSS (VmHWM) {med['vm_hwm_mib']:.0f} MiB; simulator "
              f"CPU {med['sim_cpu']:.2f} s")
    finally:
        for s in a.sims:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
