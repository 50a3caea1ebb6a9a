#!/usr/bin/env python3
"""Records per second through the Kafka sink with the spool off and on, in the same run
(alternating, so that both see the same machine load), into the embedded broker. The generator
makes N records as fast as the pipeline takes them; the clock runs from the first acknowledged
record to the last (read from /metrics). Prints each run, then the medians and the cost of the
spool:

    bench/spool_throughput.py build/agent/netfeed --records 300000 --runs 5
    bench/spool_throughput.py build/agent/netfeed --fsync 0s     # fsync every batch
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile

from bench_util import free_port, metrics, time_acknowledged, total


def sent(http_port):
    return total(metrics(f"http://127.0.0.1:{http_port}/metrics"),
                 "netfeed_component_sent_total", 'stage="sink"', 'component="kafka"')


def one_run(binary, records, message_bytes, spool, fsync):
    http_port, kafka_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="netfeed_bench_spool_")
    config = f"{workdir}/netfeed.yaml"
    spool_yaml = f"{{enabled: true, fsync: {fsync}}}" if spool else "{enabled: false}"
    with open(config, "w") as f:
        f.write(f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, log_level: warn, state_dir: {workdir}/state}}
kafka: {{embedded_listen: '127.0.0.1:{kafka_port}', spool: {spool_yaml}}}
devices:
""" + "".join(f"  - {{name: bench-r{i}, address: 127.0.2.{i}}}\n" for i in range(1, 17)) + f"""
collectors:
  - {{type: generator, count: {records}, rate: 0, message_bytes: {message_bytes}}}
""")
    proc = subprocess.Popen([binary, "run", "-c", config], stderr=subprocess.DEVNULL)
    try:
        counted, elapsed, cpu = time_acknowledged(proc.pid, lambda: sent(http_port), records)
        return counted / elapsed, cpu / counted * 1e6
    finally:
        proc.terminate()
        proc.wait(60)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, default=300000)
    parser.add_argument("--message-bytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fsync", default="1s", help="kafka.spool.fsync of the spooled runs")
    args = parser.parse_args()
    results = {False: [], True: []}
    for i in range(args.runs):
        for spool in (False, True):
            rate, cpu = one_run(args.binary, args.records, args.message_bytes, spool, args.fsync)
            results[spool].append((rate, cpu))
            print(f"run {i + 1} spool {'on ' if spool else 'off'}: {rate:,.0f} records/s, "
                  f"{cpu:.2f} us CPU/record", flush=True)
    medians = {}
    for spool, runs in results.items():
        medians[spool] = (statistics.median(r for r, _ in runs),
                          statistics.median(c for _, c in runs))
        print(f"median spool {'on ' if spool else 'off'}: {medians[spool][0]:,.0f} records/s, "
              f"{medians[spool][1]:.2f} us CPU/record")
    cost = 1 - medians[True][0] / medians[False][0]
    print(f"spool cost (fsync {args.fsync}): {cost * 100:.1f} % of throughput")


if __name__ == "__main__":
    sys.exit(main())
