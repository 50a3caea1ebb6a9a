#!/usr/bin/env python3
"""End-to-end throughput of the agent into its embedded broker: the generator makes N records as
fast as the pipeline takes them; we time until the broker acknowledged all of them (read from
/metrics) and report records per second and the agent's CPU time. Run several times and take the
median (the machine is shared):

    bench/pipeline_throughput.py build/netfeed --records 300000 --runs 5
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import time_acknowledged  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sent_total(http_port):
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics", timeout=5) as r:
        text = r.read().decode()
    m = re.search(r'netfeed_component_sent_total\{stage="sink",component="kafka",type="kafka"\} (\d+)', text)
    return int(m.group(1)) if m else 0


def one_run(binary, records, message_bytes):
    http_port, kafka_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="netfeed_bench_")
    config = os.path.join(workdir, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, log_level: warn}}
kafka: {{embedded_listen: '127.0.0.1:{kafka_port}'}}
devices:
""" + "".join(f"  - {{name: bench-r{i}, address: 127.0.2.{i}}}\n" for i in range(1, 17)) + f"""
collectors:
  - {{type: generator, count: {records}, rate: 0, message_bytes: {message_bytes}}}
""")
    proc = subprocess.Popen([binary, "run", "-c", config], stderr=subprocess.DEVNULL)
    try:
        return time_acknowledged(proc.pid, lambda: sent_total(http_port), records)
    finally:
        proc.terminate()
        proc.wait(60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, default=300000)
    parser.add_argument("--message-bytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rates, cpus = [], []
    for i in range(args.runs):
        measured, elapsed, cpu = one_run(args.binary, args.records, args.message_bytes)
        rates.append(measured / elapsed)
        cpus.append(cpu / measured * 1e6)
        print(f"run {i + 1}: {measured / elapsed:,.0f} records/s, {cpu:.2f} s CPU "
              f"({cpu / measured * 1e6:.2f} us/record)", flush=True)
    print(f"median: {statistics.median(rates):,.0f} records/s, "
          f"{statistics.median(cpus):.2f} us CPU per record")


if __name__ == "__main__":
    sys.exit(main())
