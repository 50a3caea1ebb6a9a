#!/usr/bin/env python3
"""One full SNMP poll round of many simulated devices: netfeed's poller beside the same walks
done by snmpbulkwalk processes, against the same snmpsimd agents.

A synthetic recording (system group + ifTable + ifXTable of --interfaces interfaces, static
counters) is linked under --devices community names; each device is one loopback address
(127.0.10.1, 127.0.10.2, ...) and its own community, served by --sims snmpsimd processes
(each takes a share of the addresses). Then, --runs times each:
  - netfeed: all devices polled at once (first_poll_spread: 0s, profiles system + interfaces,
    v2c GETBULK) until every device's poll finished (netfeed_snmp_polls_total); wall time and
    the agent's CPU (utime+stime from /proc) over that window;
  - snmpbulkwalk: two walks per device (ifTable, ifXTable) run by xargs -P<--parallel>; wall
    time and the walkers' CPU (RUSAGE_CHILDREN).
The snmpsimd processes' CPU is reported beside both: when it is near 100 % per process, the
simulator, not the poller, sets the pace. Medians over the runs are printed.

    /usr/bin/python3 bench/snmp_poll.py build/netfeed --devices 500 --interfaces 48 --runs 3

Loopback only; bounded; every child process is stopped at the end, also on errors. snmpsimd
runs as root only with --process-user/--process-group (nobody/nogroup here).
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ENV = dict(os.environ, MIBS="")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def address(i):
    return f"127.0.{10 + i // 250}.{1 + i % 250}"


class Child:
    def __init__(self, args, log):
        self.log = open(log, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=ENV)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def metric(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def run_netfeed(binary, work, devices, port, timeout):
    kafka, http = free_port(), free_port()
    creds = "\n".join(f"  c{i}: {{community: dev{i:04d}}}" for i in range(devices))
    devs = "\n".join(f"  - {{name: dev{i:04d}, address: {address(i)}, credentials: c{i}, "
                     f"collectors: [snmp]}}" for i in range(devices))
    config = os.path.join(work, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""agent: {{http: {{listen: '127.0.0.1:{http}'}}, log_level: warn}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
{creds}
devices:
{devs}
collectors:
  - {{type: snmp, port: {port}, interval: 1h, first_poll_spread: 0s, timeout: 10s, retries: 2,
      profiles: [system, interfaces], max_requests_in_flight: 2000}}
routes:
  - {{kinds: [snmp, status], topic: netfeed.snmp, partitions: 4}}
""")
    agent = Child([binary, "run", "-c", config], os.path.join(work, "agent.log"))
    try:
        url = f"http://127.0.0.1:{http}/metrics"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or agent.proc.poll() is not None:
                    raise RuntimeError("agent did not start: see " + work + "/agent.log")
                time.sleep(0.02)
        t0, c0 = time.monotonic(), cpu_seconds(agent.proc.pid)
        deadline = time.time() + timeout
        while True:
            text = urllib.request.urlopen(url, timeout=5).read().decode()
            polls = metric(text, "netfeed_snmp_polls_total")
            if polls >= devices or time.time() > deadline:
                break
            time.sleep(0.05)
        wall, cpu = time.monotonic() - t0, cpu_seconds(agent.proc.pid) - c0
        ok = 0.0
        for line in text.splitlines():
            if line.startswith("netfeed_snmp_polls_total{") and 'result="ok"' in line:
                ok += float(line.rsplit(" ", 1)[1])
        rows = metric(text, "netfeed_component_received_total")
        return {"wall": wall, "cpu": cpu, "polls_ok": ok, "polls": polls, "rows": rows,
                "requests": metric(text, "netfeed_snmp_requests_total")}
    finally:
        agent.stop()


def run_walks(devices, port, parallel):
    lines = []
    for i in range(devices):
        for oid in ("1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"):
            lines.append(f"-c dev{i:04d} {address(i)}:{port} {oid}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(["xargs", "-P", str(parallel), "-L", "1", "snmpbulkwalk", "-m", "",
                          "-v2c", "-On", "-Oq", "-t", "10", "-r", "2", "-Cr25"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, env=ENV)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "varbinds": out.stdout.count("\n")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("netfeed")
    p.add_argument("--devices", type=int, default=500)
    p.add_argument("--interfaces", type=int, default=48)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--sims", type=int, default=2)
    p.add_argument("--parallel", type=int, default=8)
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="netfeed_snmp_bench_")
    sims = []
    try:
        data = os.path.join(work, "data")
        os.makedirs(data)
        master = os.path.join(work, "device.snmprec")
        with open(master, "w") as f:
            f.write(recording(a.interfaces))
        for i in range(a.devices):
            os.link(master, os.path.join(data, f"dev{i:04d}.snmprec"))
        for path in (work, data):
            os.chmod(path, 0o755)
        os.chmod(master, 0o644)
        for s in range(a.sims):
            os.makedirs(f"{work}/cache{s}")
            os.chmod(f"{work}/cache{s}", 0o777)  # snmpsimd writes it as nobody
        port = free_port()
        user = ["--process-user=nobody", "--process-group=nogroup"] if os.geteuid() == 0 else []
        for s in range(a.sims):
            endpoints = [f"--agent-udpv4-endpoint={address(i)}:{port}"
                         for i in range(a.devices) if i % a.sims == s]
            sims.append(Child(["snmpsimd", f"--data-dir={data}", "--logging-method=null",
                               f"--cache-dir={work}/cache{s}", *user, *endpoints],
                              os.path.join(work, f"snmpsimd{s}.log")))
        deadline = time.time() + 300
        for i in range(min(a.devices, a.sims)):
            while subprocess.run(["snmpget", "-m", "", "-v2c", "-c", f"dev{i:04d}", "-t", "1",
                                  "-r", "0", f"{address(i)}:{port}", "1.3.6.1.2.1.1.5.0"],
                                 capture_output=True, env=ENV).returncode != 0:
                if time.time() > deadline:
                    raise RuntimeError("snmpsimd did not answer; see " + work)
                time.sleep(1)
        results = {"netfeed": [], "snmpbulkwalk": []}
        for run in range(a.runs):
            for name in ("netfeed", "snmpbulkwalk"):
                s0 = [cpu_seconds(s.proc.pid) for s in sims]
                if name == "netfeed":
                    r = run_netfeed(a.netfeed, work, a.devices, port, a.timeout)
                else:
                    r = run_walks(a.devices, port, a.parallel)
                r["snmpsimd_cpu"] = sum(cpu_seconds(s.proc.pid) for s in sims) - sum(s0)
                results[name].append(r)
                print(f"run {run + 1} {name}: " + json.dumps({k: round(v, 2) for k, v in r.items()}),
                      flush=True)
        print(f"\n{a.devices} devices x {a.interfaces} interfaces, {a.sims} snmpsimd processes, "
              f"medians of {a.runs}:")
        for name, rs in results.items():
            med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
            print(f"  {name:13s} wall {med['wall']:.2f} s, CPU {med['cpu']:.2f} s "
                  f"({100 * med['cpu'] / med['wall']:.0f} % of one core), snmpsimd CPU "
                  f"{med['snmpsimd_cpu']:.2f} s ({100 * med['snmpsimd_cpu'] / med['wall'] / a.sims:.0f} % "
                  f"of each of {a.sims} processes)"
                  + (f", polls ok {med['polls_ok']:.0f}/{a.devices}, rows {med['rows']:.0f}, "
                     f"requests {med['requests']:.0f}" if name == "netfeed" else
                     f", varbinds {med['varbinds']:.0f}"))
    finally:
        for s in sims:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
