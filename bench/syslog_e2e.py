#!/usr/bin/env python3
"""End to end: syslog over loopback UDP -> collector -> Kafka, for netfeed and for rsyslog's
Kafka output (imudp + omkafka, Debian packages rsyslog and rsyslog-kafka) side by side, on the
same lines, into the same broker (`netfeed broker`, the embedded one, run on its own).

For each offered rate, each repetition and each collector, a paced sender replays the same
pre-built Cisco IOS and NX-OS lines from several loopback source addresses (one per simulated
device) for a fixed time; afterwards we count the lines that reached Kafka (the topic's high
watermarks: the embedded broker keeps only the newest records, so reading them back would
undercount) and the collector's CPU time. Every run writes to a topic of its own, created with
the same partitions for both collectors. Reported: the medians over the repetitions of lines
sent, lines in Kafka, loss and CPU per line; the loss is explained by the collector's own
counters (netfeed's /metrics, rsyslog's impstats) and the kernel's drop count of the socket.

    /usr/bin/python3 bench/syslog_e2e.py build/netfeed --rates 10000,20000,50000,70000,100000,150000 --seconds 5 --runs 5 --collectors netfeed,rsyslog,rsyslog-plain

Collectors: `netfeed`; `rsyslog` (imudp + omkafka with a JSON template of the same fields as
netfeed's record); `rsyslog-plain` (the same without the Cisco fields, to show what they cost).
`--live-consumer` runs kcat on each topic while it is written.

Only loopback is used; every run is bounded in lines and time; every child process is stopped
at the end, also on errors. Needs /usr/bin/python3 with kafka-python (python3-kafka) for the
watermarks, kcat for --live-consumer, and rsyslogd with omkafka (`scripts/install-deps.sh --bench`).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_util  # noqa: E402

# Per simulated device: a name (netfeed's device list and rsyslog's lookup table map the
# source address to it) and the source address it sends from.
DEVICES = [(f"bench-r{i}", f"127.0.3.{i}") for i in range(1, 9)]

# Typical lines as IOS and IOS-XE (`service timestamps log datetime msec show-timezone`,
# `service sequence-numbers`) and NX-OS send them; {n} is a sequence number, {i} varies the
# interface, {t} the time of day.
TEMPLATES = [
    "<189>{n}: *Mar  1 {t}.483 UTC: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.{i}.1)",
    "<187>{n}: Nov 23 {t}.120 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/{i}, changed state to down",
    "<189>{n}: Nov 23 {t}.121 UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/{i}, changed state to up",
    "<190>{n}: Nov 23 {t}.007 UTC: %SEC-6-IPACCESSLOGP: list 101 denied tcp 10.1.{i}.7(51234) -> 10.2.0.9(22), 1 packet",
    "<189>{n}: Nov 23 {t}.930 UTC: %BGP-5-ADJCHANGE: neighbor 192.0.2.{i} Up",
    "<188>{n}: Nov 23 {t}.555 UTC: %OSPF-4-ERRRCV: Received invalid packet: mismatched area ID from backbone area from 10.3.{i}.2, GigabitEthernet0/{i}",
    "<190>{n}: Nov 23 {t}.101 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.9.{i}.4] [localport: 22] at {t} UTC Mon Nov 23 2026",
    "<187>2026 Nov 23 {t} UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/{i} is down (Link failure)",
    "<189>2026 Nov 23 {t} UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/{i} is up in mode access",
    "<188>2026 Nov 23 {t} UTC: %ETH_PORT_CHANNEL-5-PORT_SUSPENDED: Ethernet1/{i}: Ethernet1/{i} is suspended",
    "<189>2026 Nov 23 {t} UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.0.{i}.5@pts/0",
    "<186>2026 Nov 23 {t} UTC: %STP-2-BLOCK_BPDUGUARD: Received BPDU on port Ethernet1/{i} with BPDU Guard enabled. Disabling port.",
]
DISTINCT_LINES = 4096  # cycled; enough that no two neighbouring datagrams are alike


def build_lines():
    lines = []
    for k in range(DISTINCT_LINES):
        template = TEMPLATES[k % len(TEMPLATES)]
        seconds = 3600 + 7 * k
        t = f"{seconds // 3600 % 24:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
        lines.append(template.format(n=100000 + k, i=1 + k % 48, t=t).encode())
    return lines


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_tcp_port():
    """A port free for UDP and TCP both (netfeed's syslog collector listens on both)."""
    for _ in range(100):
        port = free_port(socket.SOCK_DGRAM)
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def send(port, lines, rate, seconds):
    """Sends `lines` round robin from the devices' addresses at `rate` lines/s for `seconds`
    (and at most rate * seconds lines); returns (lines sent, seconds taken)."""
    socks = []
    for _, address in DEVICES:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((address, 0))
        s.connect(("127.0.0.1", port))
        socks.append(s)
    total = int(rate * seconds)
    n_socks, n_lines = len(socks), len(lines)
    sends = [s.send for s in socks]
    sent = 0
    start = time.perf_counter()
    try:
        while sent < total:
            elapsed = time.perf_counter() - start
            if elapsed > seconds * 1.5 + 1:
                break  # the sender itself cannot keep up: report what it sent
            due = min(total, int(elapsed * rate) + 1)
            while sent < due:
                try:
                    sends[sent % n_socks](lines[sent % n_lines])
                except ConnectionRefusedError:
                    pass  # an earlier datagram found no listener (the collector is gone)
                sent += 1
            time.sleep(0.0005)
        return sent, time.perf_counter() - start
    finally:
        for s in socks:
            s.close()


def build_c_sender(workdir):
    """The C sender (bench/udp_sender.c, compiled with cc -O2), or None without a C compiler."""
    return bench_util.build_udp_sender(workdir)


def send_c(sender, lines_file, port, rate, seconds):
    out = subprocess.run([sender, "lines", lines_file, str(port), str(rate), str(seconds)]
                         + [address for _, address in DEVICES], capture_output=True, text=True,
                         timeout=seconds * 1.5 + 30, check=True).stdout.split()
    return int(out[0]), float(out[1])


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def udp_socket_drops(port):
    """The kernel's drop counter of the UDP socket bound to 127.0.0.1:port (/proc/net/udp)."""
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            parts = line.split()
            local = parts[1]
            if local == f"0100007F:{port:04X}":
                return int(parts[-1])
    return None


class Watermarks:
    """Sums of the partitions' high watermarks of a topic (kafka-python)."""

    def __init__(self, bootstrap):
        from kafka import KafkaConsumer
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, request_timeout_ms=20000)

    def count(self, topic):
        from kafka import TopicPartition
        partitions = self.consumer.partitions_for_topic(topic) or set()
        if not partitions:
            return 0
        return sum(self.consumer.end_offsets([TopicPartition(topic, p) for p in partitions]).values())

    def wait_settled(self, topic, expected, quiet, timeout):
        """Waits until the topic holds `expected` records, or its count has not moved for
        `quiet` seconds, or `timeout` passed; returns the count."""
        deadline = time.time() + timeout
        last, last_change = self.count(topic), time.time()
        while last < expected and time.time() < deadline and time.time() - last_change < quiet:
            time.sleep(0.5)
            now = self.count(topic)
            if now != last:
                last, last_change = now, time.time()
        return last

    def close(self):
        self.consumer.close()


class Child:
    """A child process in its own process group, its output in a file."""

    def __init__(self, args, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


class LiveConsumer:
    """kcat reading a topic while it is written (the situation FIELD-NOTES describes)."""

    def __init__(self, bootstrap, topic, log_path):
        self.lines = 0
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning",
                                      "-u", "-q", "-f", "%o\n"], stdout=subprocess.PIPE,
                                     stderr=self.log, start_new_session=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for _ in self.proc.stdout:
            self.lines += 1

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
        return self.lines


def wait_udp_bound(port, pid, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if udp_socket_drops(port) is not None:
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on UDP 127.0.0.1:{port} after {timeout} s (pid {pid})")


# --- netfeed -------------------------------------------------------------------------------

NETFEED_METRICS = [
    ("received", r'netfeed_component_received_total\{[^}]*component="syslog"[^}]*\} (\d+)'),
    ("accepted", r'netfeed_component_sent_total\{stage="collector"[^}]*component="syslog"[^}]*\} (\d+)'),
    ("dropped_queue_full", r'netfeed_component_dropped_total\{[^}]*component="syslog"[^}]*reason="queue_full"[^}]*\} (\d+)'),
    ("kernel_drops", r'netfeed_udp_kernel_drops\{[^}]*\} (\d+)'),
    ("parse_errors", r'netfeed_component_errors_total\{[^}]*component="syslog"[^}]*error_type="parse_error"[^}]*\} (\d+)'),
    ("kafka_acked", r'netfeed_component_sent_total\{stage="sink",component="kafka"[^}]*\} (\d+)'),
]


def netfeed_metrics(http_port):
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics", timeout=5) as r:
        text = r.read().decode()
    out = {}
    for name, pattern in NETFEED_METRICS:
        values = [int(v) for v in re.findall(pattern, text)]
        out[name] = sum(values) if values else 0
    # Every drop anywhere in the agent, with its labels (component, reason).
    for labels, value in re.findall(r'netfeed_component_dropped_total\{([^}]*)\} (\d+)', text):
        if int(value):
            out[f"dropped{{{labels}}}"] = int(value)
    return out


def start_netfeed(binary, bootstrap, topic, partitions, port, http_port, workdir):
    config = os.path.join(workdir, "netfeed.yaml")
    with open(config, "w") as f:
        f.write(f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, log_level: info}}
kafka: {{brokers: '{bootstrap}', acks: all, idempotence: true, linger: 5ms, compression: none}}
devices:
""" + "".join(f"  - {{name: {name}, address: {address}}}\n" for name, address in DEVICES) + f"""
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{port}'], receive_buffer_bytes: 8388608}}
    tcp: {{enabled: false}}
routes:
  - {{kinds: [syslog], topic: {topic}, key: '{{device}}', partitioner: murmur2, partitions: {partitions}}}
""")
    child = Child([binary, "run", "-c", config], os.path.join(workdir, "netfeed.log"))
    wait_udp_bound(port, child.pid)
    deadline = time.time() + 20
    while True:
        try:
            netfeed_metrics(http_port)
            break
        except OSError:
            if time.time() > deadline or not child.alive():
                raise RuntimeError("netfeed did not start:\n" + child.output()[-3000:])
            time.sleep(0.1)
    return child


# --- rsyslog -------------------------------------------------------------------------------

# The same fields as netfeed's syslog record (docs/records.md), from rsyslog's own parsers
# (pmciscoios for IOS, then RFC 5424 and RFC 3164, which reads NX-OS's "2026 Nov 23 ..."), its
# lookup table for the device name and RainerScript string functions for the Cisco
# %FACILITY-SEVERITY-MNEMONIC and the IOS sequence number. (Regular expressions, re_extract,
# cost rsyslog twice the CPU per line and halved its rate here: string functions are its
# fastest way to these fields.)
RSYSLOG_EXTRACT = """
  if $syslogtag startswith "%" then {
    # IOS: pmciscoios put "%FAC-SEV-MNEM:" in the tag and the text in msg.
    set $!triplet = substring($syslogtag, 1, strlen($syslogtag) - 2);
    set $!message = ltrim($msg);
    set $!sequence = field(field($rawmsg, 58, 1), 62, 2);
    set $!syslog_format = "cisco_ios";
    if field($rawmsg, 58, 2) startswith " *" then set $!time_sync = "unsynchronized";
  } else {
    # NX-OS, through the RFC 3164 parser: msg is " %FAC-SEV-MNEM: text".
    set $!text = ltrim($msg);
    set $!triplet = substring(field($!text, 58, 1), 1, 1000);
    set $!message = substring($!text, strlen($!triplet) + 3, 100000);
    set $!syslog_format = "nxos";
  }
  set $!cisco_facility = field($!triplet, 45, 1);
  set $!cisco_severity = field($!triplet, 45, 2);
  set $!cisco_mnemonic = field($!triplet, 45, 3);
"""

RSYSLOG_CONF = """
global(workDirectory="{workdir}" net.enableDNS="off" maxMessageSize="16k"
       processInternalMessages="on")
main_queue(queue.type="FixedArray" queue.size="65536" queue.dequeueBatchSize="1024" queue.workerThreads="{main_workers}")
module(load="impstats" interval="1" format="json" resetCounters="off" log.syslog="off"
       log.file="{workdir}/impstats.json")
module(load="imudp" batchSize="128")
module(load="omkafka")
module(load="pmciscoios")
lookup_table(name="devices" file="{workdir}/devices.json")

template(name="deviceKey" type="string" string="%$!device%")
template(name="netfeedJson" type="list" option.jsonf="on") {{
  constant(outname="kind" value="syslog" format="jsonf")
  property(outname="time" name="timereported" dateFormat="rfc3339" date.inUTC="on" format="jsonf")
  property(outname="time_received" name="timegenerated" dateFormat="rfc3339" date.inUTC="on" format="jsonf")
  property(outname="device" name="$!device" format="jsonf")
  property(outname="device_address" name="fromhost-ip" format="jsonf")
  property(outname="syslog_format" name="$!syslog_format" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf" dataType="number")
  property(outname="severity_name" name="syslogseverity-text" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf" dataType="number")
  property(outname="facility_name" name="syslogfacility-text" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app_name" name="$!cisco_facility" format="jsonf")
  property(outname="sequence" name="$!sequence" format="jsonf" dataType="number" onEmpty="skip")
  property(outname="time_sync" name="$!time_sync" format="jsonf" onEmpty="skip")
  property(outname="cisco_facility" name="$!cisco_facility" format="jsonf")
  property(outname="cisco_severity" name="$!cisco_severity" format="jsonf" dataType="number")
  property(outname="cisco_mnemonic" name="$!cisco_mnemonic" format="jsonf")
  property(outname="message" name="$!message" format="jsonf")
  constant(outname="transport" value="udp" format="jsonf")
}}

# Without the regular expressions: only what rsyslog's parsers give by themselves (collector
# "rsyslog-plain", to show what the Cisco fields cost rsyslog).
template(name="plainJson" type="list" option.jsonf="on") {{
  constant(outname="kind" value="syslog" format="jsonf")
  property(outname="time" name="timereported" dateFormat="rfc3339" date.inUTC="on" format="jsonf")
  property(outname="time_received" name="timegenerated" dateFormat="rfc3339" date.inUTC="on" format="jsonf")
  property(outname="device" name="$!device" format="jsonf")
  property(outname="device_address" name="fromhost-ip" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf" dataType="number")
  property(outname="severity_name" name="syslogseverity-text" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf" dataType="number")
  property(outname="facility_name" name="syslogfacility-text" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app_name" name="programname" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
  constant(outname="transport" value="udp" format="jsonf")
}}

ruleset(name="toKafka" parser=["rsyslog.ciscoios", "rsyslog.rfc5424", "rsyslog.rfc3164"]) {{
  set $!device = lookup("devices", $fromhost-ip);
{extract}  action(type="omkafka" name="kafka" broker=["{bootstrap}"] topic="{topic}"
         template="{template}" key="deviceKey" dynakey="on" partitions.auto="on"
         confParam=["acks=all", "enable.idempotence=true", "linger.ms=5", "compression.codec=none"]
         topicConfParam=["partitioner=murmur2_random"]
         resubmitOnFailure="on" keepFailedMessages="off"
         errorFile="{workdir}/omkafka-errors.json"
         queue.type="LinkedList" queue.size="65536" queue.dequeueBatchSize="1024"
         queue.workerThreads="1" action.resumeRetryCount="-1")
}}

input(type="imudp" address="127.0.0.1" port="{port}" ruleset="toKafka" rcvbufSize="8m")

# rsyslog's own messages (omkafka's and librdkafka's errors among them) reach only the default
# ruleset: write them to a file of the work directory.
action(type="omfile" file="{workdir}/rsyslog-internal.log")
"""


def start_rsyslog(bootstrap, topic, port, workdir, plain=False, main_workers=1):
    with open(os.path.join(workdir, "devices.json"), "w") as f:
        json.dump({"version": 1, "nomatch": "", "type": "string",
                   "table": [{"index": address, "value": name} for name, address in DEVICES]}, f)
    config = os.path.join(workdir, "rsyslog.conf")
    with open(config, "w") as f:
        f.write(RSYSLOG_CONF.format(workdir=workdir, bootstrap=bootstrap, topic=topic, port=port,
                                    extract="" if plain else RSYSLOG_EXTRACT,
                                    template="plainJson" if plain else "netfeedJson",
                                    main_workers=main_workers))
    check = subprocess.run(["rsyslogd", "-N1", "-f", config], capture_output=True, text=True,
                           timeout=30)
    if check.returncode != 0:
        raise RuntimeError("rsyslog.conf does not validate:\n" + check.stdout + check.stderr)
    child = Child(["rsyslogd", "-n", "-f", config, "-i", os.path.join(workdir, "rsyslogd.pid")],
                  os.path.join(workdir, "rsyslogd.log"))
    wait_udp_bound(port, child.pid)
    time.sleep(1)  # omkafka connects to the broker in its first action call; let it settle
    if not child.alive():
        raise RuntimeError("rsyslogd exited:\n" + child.output()[-3000:])
    return child


def rsyslog_stats(workdir):
    """The latest impstats values of the counters that explain a loss."""
    latest = {}
    try:
        with open(os.path.join(workdir, "impstats.json"), errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    line = line[line.find("{"):]
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                latest[(obj.get("name"), obj.get("origin"))] = obj
    except FileNotFoundError:
        return {}
    out = {}
    for (name, origin), obj in latest.items():
        if origin == "imudp" and "submitted" in obj:
            out["imudp_received"] = out.get("imudp_received", 0) + obj["submitted"]
        elif name == "main Q":
            out["mainq_full"] = obj.get("full", 0)
            out["mainq_discarded"] = obj.get("discarded.full", 0) + obj.get("discarded.nf", 0)
            out["mainq_maxqsize"] = obj.get("maxqsize", 0)
        elif name == "kafka queue":
            out["actionq_discarded"] = obj.get("discarded.full", 0) + obj.get("discarded.nf", 0)
            out["actionq_maxqsize"] = obj.get("maxqsize", 0)
        elif name == "kafka":
            out["action_processed"] = obj.get("processed", 0)
            out["action_failed"] = obj.get("failed", 0)
            out["action_suspended"] = obj.get("suspended", 0)
        elif name == "omkafka":
            for key in ("submitted", "acked", "failures", "failures_queue_full",
                        "failures_other", "errors_transport", "errors_broker_down",
                        "errors_timed_out", "errors_other", "maxoutqsize"):
                if key in obj:
                    out[f"omkafka_{key}"] = obj[key]
    return out


def interesting_log_lines(text, limit=8):
    """The lines of a collector's log that speak of trouble (first ones, then a count)."""
    pattern = re.compile(r"fail|error|down|timed? ?out|suspend|drop|lost|discard|warn|full",
                         re.IGNORECASE)
    hits = [line for line in text.splitlines() if pattern.search(line)]
    shown = hits[:limit]
    if len(hits) > limit:
        shown.append(f"... {len(hits) - limit} more such lines")
    return shown


# --- one run -------------------------------------------------------------------------------

def one_run(args, collector, bootstrap, topic, rate, lines, marks, workdir):
    port = free_udp_tcp_port()
    http_port = free_port()
    os.makedirs(workdir, exist_ok=True)
    child = None
    consumer = None
    detail = {}
    try:
        if collector == "netfeed":
            child = start_netfeed(args.binary, bootstrap, topic, args.partitions, port,
                                  http_port, workdir)
        else:
            child = start_rsyslog(bootstrap, topic, port, workdir,
                                  plain=collector == "rsyslog-plain",
                                  main_workers=args.rsyslog_workers)
        if args.live_consumer:
            consumer = LiveConsumer(bootstrap, topic, os.path.join(workdir, "kcat.log"))
        drops0 = udp_socket_drops(port) or 0
        cpu0 = cpu_seconds(child.pid)
        if args.c_sender:
            sent, send_seconds = send_c(args.c_sender, args.lines_file, port, rate, args.seconds)
        else:
            sent, send_seconds = send(port, lines, rate, args.seconds)
        at_end_of_send = marks.count(topic)
        arrived = marks.wait_settled(topic, sent, quiet=args.settle, timeout=args.seconds + 60)
        cpu = cpu_seconds(child.pid) - cpu0
        drops = (udp_socket_drops(port) or 0) - drops0
        detail = {"send_seconds": round(send_seconds, 2), "in_kafka_at_end_of_send": at_end_of_send,
                  "socket_kernel_drops": drops, "alive": child.alive()}
        if consumer:
            time.sleep(1)
            detail["live_consumer_read"] = consumer.stop()
            consumer = None
        if collector == "netfeed":
            detail.update(netfeed_metrics(http_port))
        else:
            time.sleep(1.2)  # one more impstats interval
            detail.update(rsyslog_stats(workdir))
        log = child.output()
        if collector != "netfeed":
            internal = os.path.join(workdir, "rsyslog-internal.log")
            if os.path.exists(internal):
                with open(internal, errors="replace") as f:
                    log += f.read()
            errors = os.path.join(workdir, "omkafka-errors.json")
            if os.path.exists(errors):
                with open(errors, errors="replace") as f:
                    detail["omkafka_error_file_lines"] = sum(1 for _ in f)
        trouble = interesting_log_lines(log)
        if trouble:
            detail["log"] = trouble
        return sent, arrived, cpu, detail
    finally:
        if consumer:
            consumer.stop()
        if child:
            child.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="build/netfeed (also runs the broker)")
    parser.add_argument("--rates", default="10000,20000,50000,100000", help="lines/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=5, help="sending time per run")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of every point (medians)")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--collectors", default="netfeed,rsyslog,rsyslog-plain")
    parser.add_argument("--settle", type=float, default=5,
                        help="after sending, wait until Kafka's count has not moved for this long")
    parser.add_argument("--rsyslog-workers", type=int, default=1,
                        help="rsyslog's main queue worker threads (its default: 1)")
    parser.add_argument("--live-consumer", action="store_true",
                        help="run kcat -C on the topic while it is written")
    parser.add_argument("--sender", choices=["c", "python"], default="c",
                        help="the paced sender: C with sendmmsg (compiled with cc; the default) "
                             "or the Python loop")
    parser.add_argument("--keep", action="store_true", help="keep the work directories")
    parser.add_argument("--json", help="write every run's figures and counters here")
    args = parser.parse_args()

    rates = [int(r) for r in args.rates.split(",")]
    collectors = args.collectors.split(",")
    for c in collectors:
        if c not in ("netfeed", "rsyslog", "rsyslog-plain"):
            parser.error(f"unknown collector {c}")
    if any(c.startswith("rsyslog") for c in collectors) and not shutil.which("rsyslogd"):
        parser.error("rsyslogd is not installed (scripts/install-deps.sh --bench)")
    if max(rates) * args.seconds > 10_000_000:
        parser.error("more than 10,000,000 lines per run")

    lines = build_lines()
    topics = {(c, rate, run): f"syslog.{c}.{rate}.{run}"
              for rate in rates for run in range(args.runs) for c in collectors}
    root = tempfile.mkdtemp(prefix="syslog_e2e_")
    args.c_sender = build_c_sender(root) if args.sender == "c" else None
    if args.sender == "c" and not args.c_sender:
        print("no C compiler: using the Python sender", flush=True)
    args.lines_file = os.path.join(root, "lines.txt")
    with open(args.lines_file, "wb") as f:
        f.write(b"\n".join(lines))
    broker_port = free_port()
    broker_cmd = [args.binary, "broker", "--port", str(broker_port), "--partitions",
                  str(args.partitions)]
    for topic in topics.values():
        broker_cmd += ["--topic", topic]
    broker = Child(broker_cmd, os.path.join(root, "broker.log"))
    bootstrap = f"127.0.0.1:{broker_port}"
    marks = None
    results = []
    try:
        deadline = time.time() + 30
        while "listening on" not in broker.output():
            if time.time() > deadline or not broker.alive():
                raise RuntimeError("the broker did not start:\n" + broker.output())
            time.sleep(0.1)
        marks = Watermarks(bootstrap)
        print(f"broker {bootstrap}, {args.partitions} partitions per topic; work directory {root}; "
              f"{'C' if args.c_sender else 'Python'} sender; "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
        for rate in rates:
            for run in range(args.runs):
                # Alternate the collectors so that the machine's noise falls on both alike.
                order = collectors if run % 2 == 0 else list(reversed(collectors))
                for collector in order:
                    workdir = os.path.join(root, f"{collector}-{rate}-{run}")
                    broker_cpu0 = cpu_seconds(broker.pid)
                    sent, arrived, cpu, detail = one_run(args, collector, bootstrap,
                                                         topics[(collector, rate, run)], rate,
                                                         lines, marks, workdir)
                    detail["broker_cpu_s"] = round(cpu_seconds(broker.pid) - broker_cpu0, 2)
                    loss = 1 - arrived / sent if sent else 0.0
                    results.append({"collector": collector, "rate": rate, "run": run + 1,
                                    "sent": sent, "in_kafka": arrived, "loss": loss,
                                    "cpu_s": cpu, "detail": detail})
                    print(f"  {collector:8} {rate:>7}/s run {run + 1}: sent {sent}, in Kafka "
                          f"{arrived} ({loss:.2%} lost), {cpu:.2f} s CPU; "
                          + json.dumps({k: v for k, v in detail.items() if k != "log"}),
                          flush=True)
                    for line in detail.get("log", []):
                        print(f"      log: {line[:300]}", flush=True)
                    if not broker.alive():
                        raise RuntimeError("the broker exited:\n" + broker.output()[-3000:])
    finally:
        if marks:
            marks.close()
        broker.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print()
    print(f"medians of {args.runs} runs of {args.seconds:g} s each; load average at the end "
          f"{os.getloadavg()[0]:.2f}")
    print("| collector | offered lines/s | lines sent | in s | lines in Kafka | loss | CPU s "
          "| CPU us per line | lost in the kernel (socket full) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for rate in rates:
        for collector in collectors:
            rs = [r for r in results if r["collector"] == collector and r["rate"] == rate]
            sent = statistics.median(r["sent"] for r in rs)
            arrived = statistics.median(r["in_kafka"] for r in rs)
            loss = statistics.median(r["loss"] for r in rs)
            cpu = statistics.median(r["cpu_s"] for r in rs)
            per_line = statistics.median(r["cpu_s"] / max(r["in_kafka"], 1) * 1e6 for r in rs)
            kernel = statistics.median(r["detail"].get("socket_kernel_drops", 0) for r in rs)
            took = statistics.median(r["detail"]["send_seconds"] for r in rs)
            print(f"| {collector} | {rate:,} | {sent:,.0f} | {took:.2f} | {arrived:,.0f} | "
                  f"{loss:.2%} | {cpu:.2f} | {per_line:.1f} | {kernel:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
