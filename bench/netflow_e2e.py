#!/usr/bin/env python3
"""End to end: NetFlow v9 exports over loopback UDP -> collector -> Kafka, for netfeed and for
pmacct's nfacctd (Kafka plugin) side by side, on the same packets, into the same kind of broker
(`netfeed broker`, the embedded one, run on its own).

For each collector and each offered rate, a sender replays pre-built v9 packets (a template,
then data packets of 24 flows with distinct 5-tuples) for a fixed time; afterwards we count the
flows that reached Kafka. Reported: flows offered, flows in Kafka, loss, and the collector's CPU.

    bench/netflow_e2e.py build/netfeed --rates 20000,50000,100000 --seconds 5
    bench/netflow_e2e.py build/netfeed --rates 100000,200000 --skip-nfacctd --spool
    bench/netflow_e2e.py build/netfeed --rates 35000,70000,140000 --skip-nfacctd --workload asa

Only loopback is used; every run is bounded in packets and time.
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

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


def v9_header(count, sequence, uptime_ms, unix_secs):
    return struct.pack("!HHIIII", 9, count, uptime_ms, unix_secs, sequence, 1)


def template_packet(sequence):
    body = struct.pack("!HH", TEMPLATE_ID, len(FIELDS)) + b"".join(
        struct.pack("!HH", t, l) for t, l in FIELDS)
    flowset = struct.pack("!HH", 0, 4 + len(body)) + body
    return v9_header(1, sequence, 100000, int(time.time())) + flowset


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


def send(port, rate_flows, seconds):
    """Sends for `seconds` at `rate_flows` flows/s; returns the number of flows sent."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target = ("127.0.0.1", port)
    sock.sendto(template_packet(0), target)
    time.sleep(0.2)
    packets_per_second = rate_flows / FLOWS_PER_PACKET
    # Every flow distinct (nfacctd would merge repeats into one aggregate): build them all
    # before the clock starts.
    packets = [data_packet(k + 1, k * FLOWS_PER_PACKET)
               for k in range(int(packets_per_second * seconds) + 2)]
    start = time.perf_counter()
    sent = 0
    while True:
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
        due = int(elapsed * packets_per_second) + 1
        while sent < due:
            # Every 1000 packets the template again, as exporters do.
            if sent % 1000 == 0:
                sock.sendto(template_packet(sent), target)
            sock.sendto(packets[sent], target)
            sent += 1
        time.sleep(0.0005)
    sock.close()
    return sent * FLOWS_PER_PACKET


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_in_kafka(bootstrap, topic, expected, timeout):
    """Records the broker holds for a topic: the sum of the partitions' end offsets (the
    embedded broker keeps only the newest records, so reading them back would undercount).
    Waits up to `timeout` for `expected`."""
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        deadline = time.time() + timeout
        while True:
            count = sum(consumer.end_offsets(partitions).values()) if partitions else 0
            if count >= expected or time.time() >= deadline:
                return count
            time.sleep(1)
    finally:
        consumer.close()


def run_netfeed(binary, spool, bootstrap, port, rate, seconds, workdir, before):
    """netfeed without state (no spool), or with agent.state_dir set (the spool on, as shipped)."""
    topic = "nf.netfeed_spool" if spool else "nf.netfeed"
    state = f", state_dir: {workdir}/state" if spool else ""
    config = os.path.join(workdir, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""
agent: {{http: {{enabled: false}}, log_level: warn{state}}}
kafka: {{brokers: {bootstrap}}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{port}']}}
routes:
  - {{kinds: [flow], topic: {topic}}}
""")
    proc = subprocess.Popen([binary, "run", "-c", config], stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    cpu0 = cpu_seconds(proc.pid)
    sent = send(port, rate, seconds)
    # The topic holds earlier runs too: wait for this run's records on top of them.
    arrived = count_in_kafka(bootstrap, topic, before + sent, timeout=30) - before
    cpu = cpu_seconds(proc.pid) - cpu0
    proc.terminate()
    proc.wait(60)
    return sent, arrived, cpu


def run_nfacctd(bootstrap, port, rate, seconds, workdir, before):
    host, kafka_port = bootstrap.split(":")
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
    cpu0 = cpu_seconds(proc.pid)
    sent = send(port, rate, seconds)
    arrived = count_in_kafka(bootstrap, "nf.nfacctd", before + sent, timeout=30) - before
    # nfacctd forks a plugin process: count the CPU of the whole process group.
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                              text=True).stdout.split()
    cpu = cpu_seconds(proc.pid) - cpu0 + sum(cpu_seconds(int(c)) for c in children)
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        subprocess.run(["pkill", "-9", "-P", str(proc.pid)])
        proc.kill()
        proc.wait(10)
    return sent, arrived, cpu


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rates", default="20000,50000,100000")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each point (medians)")
    parser.add_argument("--skip-nfacctd", action="store_true")
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="common",
                        help="common: the 17-field template, 24 flows a packet; asa: Cisco ASA "
                             "NSEL flow-create records, 12 a packet")
    parser.add_argument("--spool", action="store_true",
                        help="also run netfeed with agent.state_dir set (the Kafka spool on)")
    args = parser.parse_args()
    select_workload(args.workload)
    broker_port = free_port()
    topics = ["nf.netfeed", "nf.netfeed_spool", "nf.nfacctd"]
    broker = subprocess.Popen([args.binary, "broker", "--port", str(broker_port), "--partitions",
                               "4"] + [a for t in topics for a in ("--topic", t)],
                              stdout=subprocess.PIPE, text=True)
    broker.stdout.readline()
    bootstrap = f"127.0.0.1:{broker_port}"
    print(f"{'collector':14} {'rate/s':>9} {'offered':>9} {'in kafka':>9} {'loss':>7} {'cpu s':>6} "
          f"{'us/flow':>8}   (one line per run, then the median)")
    summary = []
    try:
        for rate in [int(r) for r in args.rates.split(",")]:
            runs = [("netfeed", run_netfeed, (args.binary, False))]
            if args.spool:
                runs.append(("netfeed_spool", run_netfeed, (args.binary, True)))
            if not args.skip_nfacctd:
                runs.append(("nfacctd", run_nfacctd, ()))
            for name, run, extra in runs:
                losses, cpus = [], []
                for _ in range(args.runs):
                    workdir = tempfile.mkdtemp(prefix=f"nf_e2e_{name}_")
                    # The broker's topic grows across runs: count what each run added.
                    before = count_in_kafka(bootstrap, f"nf.{name}", 0, timeout=1)
                    sent, arrived, cpu = run(*extra, bootstrap, free_port(), rate, args.seconds,
                                             workdir, before)
                    loss = 1 - arrived / sent if sent else 0
                    losses.append(loss)
                    cpus.append(cpu / max(arrived, 1) * 1e6)
                    print(f"{name:14} {rate:>9} {sent:>9} {arrived:>9} {loss:>7.2%} {cpu:>6.2f} "
                          f"{cpu / max(arrived, 1) * 1e6:>8.2f}", flush=True)
                summary.append((name, rate, median(losses), median(cpus)))
        print("\nmedians:")
        print(f"{'collector':14} {'rate/s':>9} {'loss':>7} {'us/flow':>8}")
        for name, rate, loss, cpu in summary:
            print(f"{name:14} {rate:>9} {loss:>7.2%} {cpu:>8.2f}")
    finally:
        broker.terminate()
        broker.wait(30)


if __name__ == "__main__":
    sys.exit(main())
