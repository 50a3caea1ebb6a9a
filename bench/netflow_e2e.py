#!/usr/bin/env python3
"""End to end: NetFlow v9 exports over loopback UDP -> collector -> Kafka, for netfeed and for
pmacct's nfacctd (Kafka plugin) side by side, on the same packets, into the same kind of broker
(`netfeed broker`, the embedded one, run on its own).

For each collector and each offered rate, a C sender (bench/udp_sender.c, sendmmsg) replays
pre-built v9 packets from several exporters (source addresses 127.0.0.10, .11, ...: each its own
template, sequence numbers and distinct flows) for a fixed time; afterwards we count the flows
that reached Kafka. Reported: flows offered, flows in Kafka, loss, the collector's CPU per flow
acknowledged, the broker's CPU beside it, and the collector's peak RSS.

    bench/netflow_e2e.py build/netfeed --rates 20000,50000,100000 --seconds 5
    bench/netflow_e2e.py build/netfeed --rates 100000,200000 --skip-nfacctd --spool
    bench/netflow_e2e.py build/netfeed --rates 35000,70000,140000 --skip-nfacctd --workload asa

Only loopback is used; every run is bounded in packets and time.
"""
import argparse
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_util  # noqa: E402

FLOWS_PER_PACKET = 24
# (type, length) of the v9 template: a common 17-field IPv4 record.
FIELDS = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (5, 1), (6, 1), (10, 4), (14, 4),
          (1, 8), (2, 8), (22, 4), (21, 4), (16, 4), (17, 4), (9, 1), (13, 1)]
RECORD_BYTES = sum(length for _, length in FIELDS)
TEMPLATE_ID = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def v9_header(count, sequence, uptime_ms, unix_secs, source_id=1):
    return struct.pack("!HHIIII", 9, count, uptime_ms, unix_secs, sequence, source_id)


def template_packet(sequence, source_id=1):
    body = struct.pack("!HH", TEMPLATE_ID, len(FIELDS)) + b"".join(
        struct.pack("!HH", t, l) for t, l in FIELDS)
    flowset = struct.pack("!HH", 0, 4 + len(body)) + body
    return v9_header(1, sequence, 100000, int(time.time()), source_id) + flowset


def common_record(n):
    return struct.pack(
        "!4s4sHHBBBIIQQIIIIBB",
        bytes([10, (n >> 16) & 255, (n >> 8) & 255, n & 255]), bytes([192, 0, 2, n % 250 + 1]),
        1024 + n % 60000, 443, 6, 0, 0x18, 1, 2, 1500 * (1 + n % 7), 1 + n % 7,
        80000, 90000, 64500, 64501, 24, 24)


# Cisco ASA NSEL flow-create (IPv4 with NAT, ACL ids and a 20-byte username: the ASA NetFlow
# Implementation Guide's template, as in bench/netflow_decode_bench.cpp): 12 records of 98 bytes
# fill an export like the firewall's. The flows issue #16 measured with.
ASA_FIELDS = [(148, 4), (8, 4), (7, 2), (10, 2), (12, 4), (11, 2), (14, 2), (4, 1), (176, 1),
              (177, 1), (225, 4), (226, 4), (227, 2), (228, 2), (233, 1), (33002, 2), (323, 8),
              (152, 8), (33000, 12), (33001, 12), (40000, 20)]


def asa_record(n):
    now_ms = int(time.time() * 1000)
    return struct.pack(
        "!I4sHH4sHHBBB4s4sHHBHQQ12s12s20s",
        n, bytes([10, (n >> 16) & 255, (n >> 8) & 255, n & 255]), 1024 + n % 60000, 3,
        bytes([192, 0, 2, n % 250 + 1]), 443, 4, 6, 0, 0, bytes([203, 0, 113, n % 250 + 1]),
        bytes([198, 51, 100, 1]), 2048 + n % 60000, 443, 1, 0, now_ms, now_ms - 5,
        struct.pack("!III", 0x1234abcd, 0x9e1f0000 + n % 16, 0), bytes(12),
        b"user%d" % (n % 100) + bytes(20 - len(b"user%d" % (n % 100))))


WORKLOADS = {"common": (FIELDS, FLOWS_PER_PACKET, common_record),
             "asa": (ASA_FIELDS, 12, asa_record)}
RECORD = common_record


def select_workload(name):
    """Switches the template, flows per packet and record maker of every packet built after."""
    global FIELDS, FLOWS_PER_PACKET, RECORD
    FIELDS, FLOWS_PER_PACKET, RECORD = WORKLOADS[name]


def data_packet(sequence, first_flow):
    payload = b"".join(RECORD(first_flow + i) for i in range(FLOWS_PER_PACKET))
    flowset = struct.pack("!HH", TEMPLATE_ID, 4 + len(payload)) + payload
    return v9_header(FLOWS_PER_PACKET, sequence, 100000, int(time.time())) + flowset


# The sender cycles through at most this many datagrams (bench/udp_sender.c's MAX_DATAGRAMS);
# a run that needs more sends them again (the same flows, which netfeed writes again).
MAX_DATAGRAMS = 1 << 18


def exporter_address(i):
    return f"127.0.0.{10 + i}"


def write_export_file(path, rate_flows, seconds, exporters):
    """The datagrams of a run, interleaved so that datagram k goes out from exporter k mod N
    (udp_sender's round robin): each exporter's template first and again every 1,000 of its
    packets, between its data packets with its own sequence numbers and distinct flows.
    Returns the flows in each datagram (0 for a template)."""
    packets = min(int(rate_flows * seconds / FLOWS_PER_PACKET * 1.001) + 2 * exporters,
                  MAX_DATAGRAMS)
    datagrams, flows = [], []
    next_flow = 0
    for k in range(max(packets // exporters, 1)):
        for _ in range(exporters):
            if k % 1000 == 0:
                # A template takes a data packet's slot, so exporter e's slots stay e's.
                datagrams.append(template_packet(k))
                flows.append(0)
            else:
                datagrams.append(data_packet(k, next_flow))
                flows.append(FLOWS_PER_PACKET)
                next_flow += FLOWS_PER_PACKET
    bench_util.write_datagrams(path, datagrams)
    return flows


EXPORT_FILES = {}  # (rate, seconds, exporters) -> (path, flows per datagram): built once


def send(sender, port, rate_flows, seconds, exporters, workdir):
    """Sends for `seconds` at `rate_flows` flows/s from `exporters` source addresses; returns
    the number of flows sent."""
    key = (rate_flows, seconds, exporters)
    if key not in EXPORT_FILES:
        path = os.path.join(os.path.dirname(workdir), f"exports_{rate_flows}.bin")
        EXPORT_FILES[key] = (path, write_export_file(path, rate_flows, seconds, exporters))
    path, flows = EXPORT_FILES[key]
    addresses = [exporter_address(e) for e in range(exporters)]
    # Each exporter's template alone first, so no data waits for its template.
    templates = os.path.join(workdir, "templates.bin")
    bench_util.write_datagrams(templates, [template_packet(0)] * exporters)
    subprocess.run([sender, "datagrams", templates, str(port), "1000", str(exporters / 1000)]
                   + addresses, check=True, capture_output=True, timeout=30)
    time.sleep(0.3)
    datagram_rate = rate_flows * len(flows) / max(sum(flows), 1)
    out = subprocess.run([sender, "datagrams", path, str(port), f"{datagram_rate:.1f}",
                          str(seconds)] + addresses, check=True, capture_output=True, text=True,
                         timeout=seconds * 2 + 30).stdout.split()
    full, rest = divmod(int(out[0]), len(flows))
    return full * sum(flows) + sum(flows[:rest])


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_in_kafka(bootstrap, topic, expected, timeout):
    """Records the broker holds for a topic: the sum of the partitions' end offsets (the
    embedded broker keeps only the newest records, so reading them back would undercount).
    Waits up to `timeout` for `expected`, or until the count stood still for 4 s."""
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        deadline = time.time() + timeout
        last, still = -1, 0
        while True:
            count = sum(consumer.end_offsets(partitions).values()) if partitions else 0
            still = still + 1 if count == last else 0
            if count >= expected or time.time() >= deadline or still >= 4:
                return count
            last = count
            time.sleep(1)
    finally:
        consumer.close()


class Run:
    """What one run measured."""

    def __init__(self, sent, arrived, cpu, broker_cpu, rss_mib, losses=""):
        self.sent, self.arrived, self.cpu = sent, arrived, cpu
        self.broker_cpu, self.rss_mib, self.losses = broker_cpu, rss_mib, losses


def run_netfeed(binary, spool, workers, ctx, port, rate, seconds, workdir, before):
    """netfeed without state (no spool), or with agent.state_dir set (the spool on, as shipped)."""
    topic = "nf.netfeed_spool" if spool else "nf.netfeed"
    state = f", state_dir: {workdir}/state" if spool else ""
    worker_option = f", workers: {workers}" if workers else ""
    config = os.path.join(workdir, "netfeed.yaml")
    http = free_port()
    with open(config, "w") as f:
        f.write(f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}, log_level: warn{state}}}
kafka: {{brokers: {ctx.bootstrap}}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{port}']{worker_option}}}
routes:
  - {{kinds: [flow], topic: {topic}}}
""")
    proc = subprocess.Popen([binary, "run", "-c", config], stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    cpu0, broker0 = cpu_seconds(proc.pid), cpu_seconds(ctx.broker_pid)
    sent = send(ctx.sender, port, rate, seconds, ctx.exporters, workdir)
    # The topic holds earlier runs too: wait for this run's records on top of them.
    arrived = count_in_kafka(ctx.bootstrap, topic, before + sent, timeout=30) - before
    cpu, broker = cpu_seconds(proc.pid) - cpu0, cpu_seconds(ctx.broker_pid) - broker0
    rss = bench_util.vm_hwm_mib(proc.pid)
    losses = where_lost(f"http://127.0.0.1:{http}/metrics")
    proc.terminate()
    proc.wait(60)
    return Run(sent, arrived, cpu, broker, rss, losses)


def where_lost(url):
    """The agent's own account of what it did not deliver: datagrams the kernel dropped (the
    socket was full) and records dropped by reason."""
    try:
        values = bench_util.metrics(url)
    except OSError:
        return "metrics unavailable"
    parts = []
    kernel = bench_util.total(values, "netfeed_udp_kernel_drops")
    if kernel:
        parts.append(f"kernel {kernel:.0f} datagrams")
    for name, value in values.items():
        if name.startswith("netfeed_component_dropped_total{") and value:
            reason = name.split('reason="', 1)[1].split('"', 1)[0]
            parts.append(f"{reason} {value:.0f}")
    return ", ".join(parts)


def run_nfacctd(ctx, port, rate, seconds, workdir, before):
    host, kafka_port = ctx.bootstrap.split(":")
    config = os.path.join(workdir, "nfacctd.conf")
    with open(config, "w") as f:
        # The same per-flow fields as ours; the timestamps and ports make every flow its own
        # aggregate, so nfacctd writes one record per flow as we do.
        f.write(f"""
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: {port}
nfacctd_time_new: true
plugins: kafka
aggregate: src_host, dst_host, src_port, dst_port, proto, tos, tcpflags, in_iface, out_iface, src_as, dst_as, src_mask, dst_mask, timestamp_start, timestamp_end, peer_src_ip
kafka_output: json
kafka_broker_host: {host}
kafka_broker_port: {kafka_port}
kafka_topic: nf.nfacctd
kafka_refresh_time: 1
kafka_history: 1m
plugin_buffer_size: 102400
plugin_pipe_size: 10240000
nfacctd_pipe_size: 33554432
""")
    proc = subprocess.Popen(["nfacctd", "-f", config], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    # nfacctd forks a plugin process: count the CPU and memory of the whole process group.
    children = [int(c) for c in subprocess.run(["pgrep", "-P", str(proc.pid)],
                                               capture_output=True, text=True).stdout.split()]
    cpu0 = cpu_seconds(proc.pid) + sum(cpu_seconds(c) for c in children)
    broker0 = cpu_seconds(ctx.broker_pid)
    sent = send(ctx.sender, port, rate, seconds, ctx.exporters, workdir)
    arrived = count_in_kafka(ctx.bootstrap, "nf.nfacctd", before + sent, timeout=30) - before
    cpu = cpu_seconds(proc.pid) + sum(cpu_seconds(c) for c in children) - cpu0
    broker = cpu_seconds(ctx.broker_pid) - broker0
    rss = bench_util.vm_hwm_mib(proc.pid) + sum(bench_util.vm_hwm_mib(c) for c in children)
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        subprocess.run(["pkill", "-9", "-P", str(proc.pid)])
        proc.kill()
        proc.wait(10)
    return Run(sent, arrived, cpu, broker, rss)


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


class Context:
    """What every run shares: the broker, the sender, the exporters."""

    def __init__(self, bootstrap, broker_pid, sender, exporters):
        self.bootstrap, self.broker_pid = bootstrap, broker_pid
        self.sender, self.exporters = sender, exporters


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rates", default="20000,50000,100000")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each point (medians)")
    parser.add_argument("--exporters", type=int, default=4,
                        help="source addresses 127.0.0.10, .11, ... each with its own template")
    parser.add_argument("--skip-nfacctd", action="store_true")
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="common",
                        help="common: the 17-field template, 24 flows a packet; asa: Cisco ASA "
                             "NSEL flow-create records, 12 a packet")
    parser.add_argument("--spool", action="store_true",
                        help="also run netfeed with agent.state_dir set (the Kafka spool on)")
    parser.add_argument("--workers", type=int, default=0,
                        help="the netflow collector's workers option (0: its default)")
    args = parser.parse_args()
    select_workload(args.workload)
    workdir = tempfile.mkdtemp(prefix="nf_e2e_")
    sender = bench_util.build_udp_sender(workdir)
    if sender is None:
        sys.exit("netflow_e2e.py: needs a C compiler for bench/udp_sender.c")
    broker_port = free_port()
    topics = ["nf.netfeed", "nf.netfeed_spool", "nf.nfacctd"]
    broker = subprocess.Popen([args.binary, "broker", "--port", str(broker_port), "--partitions",
                               "4"] + [a for t in topics for a in ("--topic", t)],
                              stdout=subprocess.PIPE, text=True)
    broker.stdout.readline()
    ctx = Context(f"127.0.0.1:{broker_port}", broker.pid, sender, args.exporters)
    print(f"{args.workload} workload, {args.exporters} exporters, {FLOWS_PER_PACKET} flows a "
          f"packet, {args.seconds:g} s per run")
    header = (f"{'collector':14} {'rate/s':>9} {'offered':>9} {'in kafka':>9} {'acked':>8} "
              f"{'us/flow':>8} {'broker':>8} {'peak RSS':>9}")
    print(header + "   (one line per run; us/flow: the collector's CPU per flow in Kafka; "
          "broker: the broker's)")
    summary = []
    try:
        for rate in [int(r) for r in args.rates.split(",")]:
            runs = [("netfeed", run_netfeed, (args.binary, False, args.workers))]
            if args.spool:
                runs.append(("netfeed_spool", run_netfeed, (args.binary, True, args.workers)))
            if not args.skip_nfacctd:
                runs.append(("nfacctd", run_nfacctd, ()))
            for name, run, extra in runs:
                acked, cpus, brokers, rsss = [], [], [], []
                for _ in range(args.runs):
                    rundir = tempfile.mkdtemp(prefix=f"{name}_", dir=workdir)
                    # The broker's topic grows across runs: count what each run added.
                    before = count_in_kafka(ctx.bootstrap, f"nf.{name}", 0, timeout=1)
                    r = run(*extra, ctx, free_port(), rate, args.seconds, rundir, before)
                    shutil.rmtree(rundir, ignore_errors=True)
                    acked.append(r.arrived / r.sent if r.sent else 0)
                    cpus.append(r.cpu / max(r.arrived, 1) * 1e6)
                    brokers.append(r.broker_cpu / max(r.arrived, 1) * 1e6)
                    rsss.append(r.rss_mib)
                    print(f"{name:14} {rate:>9} {r.sent:>9} {r.arrived:>9} {acked[-1]:>8.2%} "
                          f"{cpus[-1]:>8.2f} {brokers[-1]:>8.2f} {r.rss_mib:>7.0f}MB  {r.losses}", flush=True)
                summary.append((name, rate, median(acked), median(cpus), median(brokers),
                                max(rsss)))
        print("\nmedians (peak RSS: the largest of the runs):")
        print(f"{'collector':14} {'rate/s':>9} {'acked':>8} {'us/flow':>8} {'broker':>8} "
              f"{'peak RSS':>9}")
        for name, rate, ack, cpu, brk, rss in summary:
            print(f"{name:14} {rate:>9} {ack:>8.2%} {cpu:>8.2f} {brk:>8.2f} {rss:>7.0f}MB")
    finally:
        broker.terminate()
        broker.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
