"""The pcap input end to end: `netfeed replay` of a capture built here (syslog datagrams from
several sources, VLAN-tagged and IPv6 ones, mixed with TCP, ICMP, other ports, a fragment and a
frame cut by the snaplen) into the syslog collector and a file sink, at full speed and at the
capture's pace; and a live capture on lo feeding datagrams that no socket receives."""
import datetime
import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import time
import unittest
from collections import Counter

from netfeed_harness import NETFEED, Agent, free_port
from traffic import PcapWriter, ethernet, icmp_echo, ip_packet, tcp_segment, udp_segment

SOURCES = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
START = 1764547200.0  # 2025-12-01T00:00:00Z


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rfc5424(n, text):
    return f"<134>1 2026-11-23T01:02:03.000Z host{n % 7} netfeed-it - ID{n} - {text}".encode()


def vlan_frame(ip: bytes, vlan: int) -> bytes:
    return (b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" +
            struct.pack("!HHH", 0x8100, vlan, 0x0800) + ip)


def write_cut(writer, timestamp, frame, kept):
    """A record whose capture kept only `kept` bytes of the frame (a snaplen)."""
    seconds, micros = int(timestamp), int(round((timestamp - int(timestamp)) * 1e6))
    writer.f.write(struct.pack("<IIII", seconds, micros, kept, len(frame)))
    writer.f.write(frame[:kept])


def iso(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def config(port, out):
    # Tiny queues: a replay as fast as possible must wait for room, not drop.
    return f"""
agent: {{http: {{enabled: false}}, queue_capacity: 8, sink_queue_capacity: 8, batch_size: 4}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{port}']}}
    tcp: {{enabled: false}}
sinks:
  - {{type: file, name: out, path: {out}}}
routes:
  - {{kinds: [syslog], sink: out}}
"""


def read_records(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def replay(workdir, capture, extra=(), timeout=120):
    """`netfeed replay capture.pcap -c config.yaml` from the directory that holds both."""
    began = time.monotonic()
    result = subprocess.run([NETFEED, "replay", capture, "-c", "config.yaml", *extra],
                            cwd=workdir, capture_output=True, text=True, timeout=timeout)
    return result, time.monotonic() - began


def replay_seconds(log):
    match = re.search(r"replay of \S+ done after ([0-9.]+)s", log)
    return float(match.group(1)) if match else None


class PcapReplay(unittest.TestCase):
    def test_every_syslog_datagram_comes_out_once_with_its_source(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_pcap_")
        port = free_udp_port()
        expected = {}  # message -> (source address, capture timestamp)
        with PcapWriter(os.path.join(workdir, "capture.pcap")) as w:
            t = START
            for n in range(2000):
                source = SOURCES[n % len(SOURCES)]
                text = f"replayed message {n}"
                w.write(t, ethernet(ip_packet(source, "127.0.0.1", 17,
                                              udp_segment(40000 + n % 50, port, rfc5424(n, text))),
                                    False))
                expected[text] = (source, t)
                t += 0.000731
                if n % 40 == 0:  # TCP and ICMP in between, and UDP for a port nobody takes
                    w.write(t, ethernet(ip_packet(source, "127.0.0.1", 6,
                                                  tcp_segment(50000, port, 0x18, b"not udp")),
                                        False))
                    w.write(t, ethernet(ip_packet(source, "127.0.0.1", 1, icmp_echo(b"ping")),
                                        False))
                    w.write(t, ethernet(ip_packet(source, "127.0.0.1", 17,
                                                  udp_segment(40000, port + 1, b"elsewhere")),
                                        False))
            w.write(t, vlan_frame(ip_packet("127.0.0.9", "127.0.0.1", 17,
                                            udp_segment(41000, port, rfc5424(1, "vlan tagged"))),
                                  100))
            expected["vlan tagged"] = ("127.0.0.9", t)
            w.write(t, ethernet(ip_packet("2001:db8::7", "::1", 17,
                                          udp_segment(41001, port, rfc5424(2, "over ipv6"))),
                                True))
            expected["over ipv6"] = ("2001:db8::7", t)
            first_fragment = bytearray(ip_packet("127.0.0.1", "127.0.0.1", 17,
                                                 udp_segment(41002, port, rfc5424(3, "fragment"))))
            first_fragment[6:8] = b"\x20\x00"  # more fragments follow (checksum not checked)
            w.write(t, ethernet(bytes(first_fragment), False))
            cut = ethernet(ip_packet("127.0.0.1", "127.0.0.1", 17,
                                     udp_segment(41003, port, rfc5424(4, "cut by the snaplen"))),
                           False)
            write_cut(w, t, cut, len(cut) - 10)
        with open(os.path.join(workdir, "config.yaml"), "w") as f:
            f.write(config(port, "records.jsonl"))

        result, _ = replay(workdir, "capture.pcap")
        self.assertEqual(result.returncode, 0, result.stderr)

        records = read_records(os.path.join(workdir, "records.jsonl"))
        counts = Counter(r["message"] for r in records)
        self.assertEqual({m: c for m, c in counts.items() if c != 1}, {}, "delivered twice")
        self.assertEqual(set(counts), set(expected), "missing or unexpected messages")
        for r in records:
            source, stamp = expected[r["message"]]
            self.assertEqual(r["device_address"], source, r)
            self.assertEqual(r["transport"], "udp")
            self.assertEqual(r["syslog_format"], "rfc5424")
            self.assertEqual(r["time_received"], iso(stamp), "the capture's own timestamp")
        # 50 rounds of TCP, ICMP and UDP to another port; one fragment; one cut frame.
        self.assertIn("2002 datagrams delivered", result.stderr)
        self.assertRegex(result.stderr, r"\b2154 packets read")
        self.assertRegex(result.stderr, r"not_udp 100\b")
        self.assertRegex(result.stderr, r"fragment 1\b")
        self.assertRegex(result.stderr, r"truncated 1\b")
        self.assertRegex(result.stderr, rf"no_collector 50 \(ports {port + 1}: 50\)")
        self.assertIn("2002 records accepted, 2002 delivered to sinks, 0 dropped", result.stderr)

    def test_capture_pace_keeps_the_capture_timing_scaled_by_speed(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_pcap_pace_")
        port = free_udp_port()
        with PcapWriter(os.path.join(workdir, "capture.pcap")) as w:
            for n in range(5):  # 0.8 s from the first packet to the last
                w.write(START + n * 0.2, ethernet(ip_packet(
                    "127.0.0.1", "127.0.0.1", 17, udp_segment(40000, port, rfc5424(n, f"paced {n}"))),
                    False))
        with open(os.path.join(workdir, "config.yaml"), "w") as f:
            f.write(config(port, "records.jsonl"))

        timings = {}
        for name, extra in (("fast", ()), ("speed 1", ("--capture-pace", "--speed", "1")),
                            ("speed 4", ("--capture-pace", "--speed", "4"))):
            if os.path.exists(os.path.join(workdir, "records.jsonl")):
                os.unlink(os.path.join(workdir, "records.jsonl"))
            result, wall = replay(workdir, "capture.pcap", extra)
            self.assertEqual(result.returncode, 0, result.stderr)
            records = read_records(os.path.join(workdir, "records.jsonl"))
            self.assertEqual(sorted(r["message"] for r in records),
                             [f"paced {n}" for n in range(5)], name)
            timings[name] = replay_seconds(result.stderr)
            self.assertIsNotNone(timings[name], result.stderr)
            if name == "speed 1":
                self.assertGreaterEqual(wall, 0.8)
        self.assertGreaterEqual(timings["speed 1"], 0.79, timings)
        self.assertGreaterEqual(timings["speed 4"], 0.19, timings)
        self.assertLess(timings["speed 4"], 0.7, timings)
        self.assertLess(timings["fast"], 0.5, timings)


class PcapConfigErrors(unittest.TestCase):
    def run_with(self, collector, command="validate"):
        workdir = tempfile.mkdtemp(prefix="netfeed_pcap_err_")
        path = os.path.join(workdir, "netfeed.yaml")
        open(os.path.join(workdir, "empty.pcap"), "wb").close()
        with open(path, "w") as f:
            f.write(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - {collector}
""")
        return subprocess.run([NETFEED, command, "-c", path], capture_output=True, text=True,
                              timeout=30)

    def test_file_and_interface_exclude_each_other(self):
        result = self.run_with("{type: pcap, interface: lo, file: empty.pcap}")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"netfeed\.yaml:5:5: collectors\[0\]: file and interface "
                                        r"exclude each other")
        result = self.run_with("{type: pcap, name: nothing}")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("missing file or interface", result.stderr)

    def test_a_bad_interface_or_filter_stops_the_start_with_one_sentence(self):
        result = self.run_with("{type: pcap, interface: nosuch9}", "run")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("cannot start: cannot capture on interface 'nosuch9'", result.stderr)
        result = self.run_with("{type: pcap, interface: lo, filter: 'udp dst prot 2055'}", "run")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stderr, r"cannot start: BPF filter 'udp dst prot 2055' for "
                                        r"interface 'lo' is invalid: .+")


def can_capture():
    try:
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()
        return True
    except (PermissionError, AttributeError, OSError):
        return False


@unittest.skipUnless(can_capture(), "live capture needs CAP_NET_RAW")
class PcapLiveCapture(unittest.TestCase):
    def test_datagrams_nobody_receives_reach_the_collector_through_the_capture(self):
        port = free_udp_port()
        workdir = tempfile.mkdtemp(prefix="netfeed_pcap_live_")
        out = os.path.join(workdir, "records.jsonl")
        # The syslog collector opens no socket (bind: false) and nothing listens on the port:
        # only the capture can hand the datagrams over.
        agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{port}'], bind: false}}
    tcp: {{enabled: false}}
  - type: pcap
    name: lo-capture
    interface: lo
    filter: udp dst port {port} and dst host 127.0.0.1
    buffer_timeout: 10ms
sinks:
  - {{type: file, name: out, path: {out}}}
routes:
  - {{kinds: [syslog], sink: out}}
""", workdir=workdir)
        try:
            self.assertTrue(agent.wait_for("capturing on lo", 10), agent.output())
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for n in range(200):
                    s.sendto(rfc5424(n, f"live {n}"), ("127.0.0.1", port))
                    if n % 20 == 19:
                        time.sleep(0.01)
            deadline = time.time() + 20
            while len(read_records(out)) < 200 and time.time() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)  # anything extra would show up now
        finally:
            code = agent.stop()
        self.assertEqual(code, 0, agent.output())
        records = read_records(out)
        counts = Counter(r["message"] for r in records)
        self.assertEqual(counts, Counter(f"live {n}" for n in range(200)), agent.output())
        for r in records:
            self.assertEqual(r["device_address"], "127.0.0.1")
            self.assertEqual(r["transport"], "udp")
        self.assertIn("capture on lo stopped: 200 packets read, 200 datagrams delivered",
                      agent.output())


if __name__ == "__main__":
    unittest.main()
