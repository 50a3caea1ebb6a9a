#!/usr/bin/env python3
"""Peak memory under overload: the agent with the shipped config (config/netfeed.yaml, embedded
broker in-process) is offered NetFlow v9 and syslog far above what it can deliver, for a fixed
time, while its resident memory is sampled from /proc. Prints the peak RSS (VmHWM), an RSS
timeline, and the records accepted, delivered and dropped by reason.

    /usr/bin/python3 bench/overload_rss.py build/agent/netfeed --seconds 60 \
        --flow-rate 500000 --syslog-rate 100000

Only the listen addresses of the shipped config are changed (free loopback ports), and
agent.state_dir when it is set (a temporary directory). `--set kafka.linger=50ms` style
overrides try other settings. The senders run pinned to the last CPU, the agent to the others.
`--consumer` runs `kcat -C` on netfeed.syslog during the run and reports how many records it
read against how many the agent delivered (the embedded broker's retention window).

Loopback only; the run is bounded in time; every child process is stopped at the end.
Needs /usr/bin/python3 (PyYAML), a C compiler for the senders (bench/udp_sender.c; `--sender
python` sends the flows from a Python loop instead), kcat for --consumer.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_util  # noqa: E402
import netflow_e2e  # noqa: E402
import syslog_e2e  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
POOL_PACKETS = 20000  # distinct NetFlow packets, cycled (the agent does not aggregate)


def vm_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def set_path(config, dotted, value):
    node = config
    keys = dotted.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = yaml.safe_load(value)


def make_config(source, workdir, ports, overrides):
    """The shipped config with free loopback ports; returns (path, topics)."""
    with open(source) as f:
        config = yaml.safe_load(f)
    agent = config.setdefault("agent", {})
    agent.setdefault("http", {})["listen"] = f"127.0.0.1:{ports['http']}"
    if agent.get("state_dir"):
        agent["state_dir"] = os.path.join(workdir, "state")
    kafka = config.setdefault("kafka", {})
    kafka["embedded_listen"] = "127.0.0.1:0"
    for collector in config.get("collectors", []):
        if collector["type"] == "syslog":
            collector["udp"]["listen"] = [f"127.0.0.1:{ports['syslog']}"]
            collector["udp"].setdefault("receive_buffer_bytes", 8 * 1024 * 1024)
            collector["tcp"] = {"enabled": False}
        elif collector["type"] == "netflow":
            collector["listen"] = [f"127.0.0.1:{ports['netflow']}"]
    for item in overrides:
        key, value = item.split("=", 1)
        set_path(config, key, value)
    path = os.path.join(workdir, "netfeed.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(config, f)
    return path


def pin_to(cpus):
    return lambda: os.sched_setaffinity(0, cpus)


EXPORTERS = [f"127.0.4.{i}" for i in range(1, 5)]
TEMPLATE_EVERY = 401  # datagrams; coprime with the exporter count, so each gets templates


def netflow_pool_file(workdir):
    """The distinct NetFlow v9 packets the C sender cycles through, templates interleaved."""
    pool = []
    for k in range(POOL_PACKETS):
        if k % TEMPLATE_EVERY == 0:
            pool.append(netflow_e2e.template_packet(0))
        pool.append(netflow_e2e.data_packet(k + 1, k * netflow_e2e.FLOWS_PER_PACKET))
    path = os.path.join(workdir, "netflow.pool")
    bench_util.write_datagrams(path, pool)
    return path


def netflow_sender(port, rate, seconds, sender_cpus, result):
    """NetFlow v9 at `rate` flows/s (24 flows a packet) from a pool of distinct packets."""
    os.sched_setaffinity(threading.get_native_id(), sender_cpus)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
    target = ("127.0.0.1", port)
    pool = [netflow_e2e.data_packet(k + 1, k * netflow_e2e.FLOWS_PER_PACKET)
            for k in range(POOL_PACKETS)]
    template = netflow_e2e.template_packet(0)
    sock.sendto(template, target)
    per_second = rate / netflow_e2e.FLOWS_PER_PACKET
    start = time.perf_counter()
    sent = 0
    while True:
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
        due = int(elapsed * per_second) + 1
        while sent < due:
            if sent % 1000 == 0:
                sock.sendto(template, target)
            try:
                sock.sendto(pool[sent % POOL_PACKETS], target)
            except OSError:
                pass  # ENOBUFS under overload: the datagram is not sent, not counted either
            sent += 1
        time.sleep(0.0005)
    sock.close()
    result["flows_sent"] = sent * netflow_e2e.FLOWS_PER_PACKET


class Consumer:
    """kcat tailing a topic from the beginning while it is written; counts the records read."""

    def __init__(self, bootstrap, topic, log_path):
        self.count = 0
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            ["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-u", "-q", "-f",
             "%o\n"], stdout=subprocess.PIPE, stderr=self.log)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for _ in self.proc.stdout:
            self.count += 1

    def settle(self, quiet=3.0, timeout=60.0):
        deadline, last, since = time.time() + timeout, -1, time.time()
        while time.time() < deadline and time.time() - since < quiet:
            time.sleep(0.5)
            if self.count != last:
                last, since = self.count, time.time()
        return self.count

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.thread.join(5)
        self.log.close()


def embedded_bootstrap(log_path, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path, errors="replace") as f:
            for line in f:
                if "embedded Kafka broker on " in line:
                    return line.split("embedded Kafka broker on ", 1)[1].split()[0]
        time.sleep(0.1)
    raise RuntimeError("the agent did not log its embedded broker address")


def summarize(values):
    def total(name, *labels):
        return int(bench_util.total(values, name, *labels))

    out = {
        "syslog received": total("netfeed_component_received_total", 'component="syslog"'),
        "flows received": total("netfeed_component_received_total", 'component="netflow"'),
        "accepted (pipeline)": total("netfeed_records_accepted_total"),
        "delivered (kafka acks)": total("netfeed_component_sent_total", 'stage="sink"',
                                        'component="kafka"'),
        "kernel UDP drops": total("netfeed_udp_kernel_drops"),
    }
    for key, value in sorted(values.items()):
        if key.startswith("netfeed_component_dropped_total{") and value:
            out["dropped " + key[len("netfeed_component_dropped_total"):]] = int(value)
        if key.startswith("netfeed_embedded_broker_") and value:
            out[key] = value
    return out


def run(args, run_index):
    workdir = tempfile.mkdtemp(prefix="nf_overload_")
    ports = {"http": bench_util.free_port(), "syslog": syslog_e2e.free_udp_tcp_port(),
             "netflow": bench_util.free_port(socket.SOCK_DGRAM)}
    config = make_config(args.config, workdir, ports, args.set)
    cpus = sorted(os.sched_getaffinity(0))
    sender_cpus = {cpus[-1]}
    agent_cpus = set(cpus[:-1]) or sender_cpus
    log_path = os.path.join(workdir, "netfeed.log")
    log = open(log_path, "w")
    agent = subprocess.Popen([args.binary, "run", "-c", config], stdout=log,
                             stderr=subprocess.STDOUT, preexec_fn=pin_to(agent_cpus))
    url = f"http://127.0.0.1:{ports['http']}/metrics"
    children = []
    try:
        syslog_e2e.wait_udp_bound(ports["syslog"], agent.pid)
        bootstrap = embedded_bootstrap(log_path)
        consumer = None
        if args.consumer:
            consumer = Consumer(bootstrap, "netfeed.syslog", os.path.join(workdir, "kcat.log"))
            time.sleep(1)
        result = {}
        threads = []
        flow_proc = None
        c_sender = bench_util.build_udp_sender(workdir) if args.sender == "c" else None
        if args.flow_rate > 0 and c_sender:
            flow_proc = subprocess.Popen(
                [c_sender, "datagrams", netflow_pool_file(workdir), str(ports["netflow"]),
                 str(args.flow_rate / netflow_e2e.FLOWS_PER_PACKET), str(args.seconds)]
                + EXPORTERS, stdout=subprocess.PIPE, text=True, preexec_fn=pin_to(sender_cpus))
            children.append(flow_proc)
        elif args.flow_rate > 0:
            threads.append(threading.Thread(
                target=netflow_sender,
                args=(ports["netflow"], args.flow_rate, args.seconds, sender_cpus, result)))
        syslog_proc = None
        if args.syslog_rate > 0:
            sender = c_sender or bench_util.build_udp_sender(workdir)
            lines_file = os.path.join(workdir, "lines.txt")
            with open(lines_file, "wb") as f:
                f.write(b"\n".join(syslog_e2e.build_lines()))
            syslog_proc = subprocess.Popen(
                [sender, "lines", lines_file, str(ports["syslog"]), str(args.syslog_rate),
                 str(args.seconds)] + [a for _, a in syslog_e2e.DEVICES],
                stdout=subprocess.PIPE, text=True, preexec_fn=pin_to(sender_cpus))
            children.append(syslog_proc)
        rss0 = vm_rss_mib(agent.pid)
        start = time.time()
        for t in threads:
            t.start()
        peak_sample, next_report = 0.0, 0.0
        print(f"run {run_index}: t(s)  RSS MiB  delivered  input queue  sink queue", flush=True)
        while time.time() - start < args.seconds + args.drain:
            rss = vm_rss_mib(agent.pid)
            peak_sample = max(peak_sample, rss)
            elapsed = time.time() - start
            if elapsed >= next_report:
                values = bench_util.metrics(url)
                delivered = summarize(values)["delivered (kafka acks)"]
                depth_in = int(bench_util.total(values, "netfeed_queue_depth", 'queue="input"'))
                depth_sink = int(bench_util.total(values, "netfeed_queue_depth", 'queue="sink"'))
                print(f"  {elapsed:6.1f} {rss:8.1f} {delivered:>10} {depth_in:>12} "
                      f"{depth_sink:>11}", flush=True)
                next_report += args.report_every
            time.sleep(0.25)
        for t in threads:
            t.join()
        if flow_proc:
            packets = int(flow_proc.communicate(timeout=60)[0].split()[0])
            result["flows_sent"] = packets * netflow_e2e.FLOWS_PER_PACKET
        syslog_sent = 0
        if syslog_proc:
            syslog_sent = int(syslog_proc.communicate(timeout=60)[0].split()[0])
        values = bench_util.metrics(url)
        summary = summarize(values)
        hwm = bench_util.vm_hwm_mib(agent.pid)
        read = consumer.settle() if consumer else None
        if consumer:
            consumer.stop()
            syslog_delivered = int(bench_util.total(values, "netfeed_kafka_delivered_total",
                                                    'topic="netfeed.syslog"'))
        print(f"run {run_index}: offered {result.get('flows_sent', 0)} flows "
              f"({args.flow_rate}/s) + {syslog_sent} syslog lines ({args.syslog_rate}/s) "
              f"in {args.seconds:.0f} s; RSS at start {rss0:.1f} MiB")
        for key, value in summary.items():
            print(f"  {key:60} {value}")
        if consumer:
            share = read / syslog_delivered if syslog_delivered else 0
            print(f"  kcat -C read {read} of {syslog_delivered} syslog records delivered "
                  f"({share:.1%})")
        print(f"  peak RSS (VmHWM) {hwm:.1f} MiB, highest sample {peak_sample:.1f} MiB",
              flush=True)
        return hwm
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(10)
        agent.terminate()
        try:
            agent.wait(60)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait(10)
        log.close()
        if args.keep:
            print(f"  work directory kept: {workdir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--config", default=os.path.join(HERE, "..", "config", "netfeed.yaml"))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--drain", type=float, default=10,
                        help="seconds of sampling after the senders stop")
    parser.add_argument("--flow-rate", type=int, default=500000)
    parser.add_argument("--syslog-rate", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sender", choices=("c", "python"), default="c",
                        help="the NetFlow sender: bench/udp_sender.c (default) or a Python loop")
    parser.add_argument("--report-every", type=float, default=5)
    parser.add_argument("--consumer", action="store_true",
                        help="tail netfeed.syslog with kcat -C during the run")
    parser.add_argument("--set", action="append", default=[],
                        help="override a config value, e.g. kafka.linger=50ms (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    peaks = [run(args, i + 1) for i in range(args.runs)]
    peaks.sort()
    print(f"peak RSS per run (MiB): {', '.join(f'{p:.1f}' for p in peaks)}; "
          f"median {peaks[len(peaks) // 2]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
