#!/usr/bin/env python3
"""Lab NetFlow v9 / IPFIX exporter: plausible flows (web, DNS, SSH, NTP, SNMP, ...) exported
from a polled device's loopback address, with input/output ifIndexes that the device's SNMP
interface table has, so the agent can name the interfaces. Packets are built here byte by byte
(RFC 3954, RFC 7011); the template goes out with the first packet and every 10th after it,
as exporters refresh theirs.

  flow_sender.py --target 127.0.0.1:2055 --exporter 127.0.80.3,v9 --exporter 127.0.80.4,ipfix \
                 --interfaces 1-11 --rate 1 --flows 5 --duration 3600
"""
import argparse
import ipaddress
import random
import socket
import struct
import time

from sender_pacing import host_port, run_paced

TEMPLATE_ID = 256
# (information element, length): src/dst address, src/dst port, protocol, TCP flags, octets,
# packets, input/output ifIndex, then the flow's start and end (v9: sysUptime ms; IPFIX: epoch ms).
COMMON_FIELDS = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (6, 1), (1, 8), (2, 8), (10, 4), (14, 4)]
V9_FIELDS = COMMON_FIELDS + [(22, 4), (21, 4)]       # FIRST_SWITCHED, LAST_SWITCHED
IPFIX_FIELDS = COMMON_FIELDS + [(152, 8), (153, 8)]  # flowStart/EndMilliseconds

# (protocol, destination port, TCP flags seen over the flow, typical bytes per packet)
APPLICATIONS = [(6, 443, 0x1B, 900), (6, 80, 0x1B, 700), (17, 53, 0, 90), (6, 22, 0x1B, 150),
                (17, 123, 0, 76), (17, 161, 0, 120), (6, 179, 0x18, 80), (1, 0, 0, 84),
                (17, 514, 0, 200), (6, 8443, 0x13, 60)]
CLIENTS = ipaddress.ip_network("10.20.0.0/16")
SERVERS = [ipaddress.ip_address(a) for a in ("192.0.2.10", "192.0.2.53", "198.51.100.20",
                                              "198.51.100.80", "203.0.113.5", "203.0.113.123")]


def padded_set(set_id, body):
    pad = (-len(body)) % 4
    return struct.pack("!HH", set_id, 4 + len(body) + pad) + body + b"\0" * pad


def template_set(set_id, fields):
    body = struct.pack("!HH", TEMPLATE_ID, len(fields))
    return padded_set(set_id, body + b"".join(struct.pack("!HH", t, n) for t, n in fields))


class Exporter:
    """One device's export process: its socket, sequence number and clock."""

    def __init__(self, address, version, interfaces, rng):
        self.version = version
        self.interfaces = interfaces
        self.rng = rng
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((address, 0))
        self.packets = 0
        self.sequence = 0  # v9: packets sent; IPFIX: data records sent
        self.boot = time.time() - rng.randint(3600, 90 * 86400)
        self.domain = int(ipaddress.ip_address(address)) & 0xFFFF

    def flow(self, now):
        proto, dport, flags, size = self.rng.choice(APPLICATIONS)
        packets = self.rng.randint(1, 400)
        duration_ms = self.rng.randint(10, 30000)
        src = CLIENTS[self.rng.randint(1, CLIENTS.num_addresses - 2)]
        dst = self.rng.choice(SERVERS)
        sport = self.rng.randint(32768, 60999) if proto in (6, 17) else 0
        if proto == 1:
            dport = 0x0800  # ICMP echo request, as exporters put type/code in the port
        in_if, out_if = self.rng.sample(self.interfaces, 2)
        head = struct.pack("!4s4sHHBBQQII", src.packed, dst.packed, sport, dport, proto, flags,
                           packets * size, packets, in_if, out_if)
        if self.version == "v9":
            end = int((now - self.boot) * 1000) & 0xFFFFFFFF
            return head + struct.pack("!II", (end - duration_ms) & 0xFFFFFFFF, end)
        end = int(now * 1000)
        return head + struct.pack("!QQ", end - duration_ms, end)

    def packet(self, flows):
        now = time.time()
        records = b"".join(self.flow(now) for _ in range(flows))
        sets = []
        with_template = self.packets % 10 == 0
        if self.version == "v9":
            if with_template:
                sets.append(template_set(0, V9_FIELDS))
            sets.append(padded_set(TEMPLATE_ID, records))
            body = b"".join(sets)
            header = struct.pack("!HHIIII", 9, flows + (1 if with_template else 0),
                                 int((now - self.boot) * 1000) & 0xFFFFFFFF, int(now),
                                 self.sequence, self.domain)
            self.sequence += 1
        else:
            if with_template:
                sets.append(template_set(2, IPFIX_FIELDS))
            sets.append(padded_set(TEMPLATE_ID, records))
            body = b"".join(sets)
            header = struct.pack("!HHIII", 10, 16 + len(body), int(now), self.sequence,
                                 self.domain)
            self.sequence += flows
        self.packets += 1
        return header + body


def index_list(text):
    """'1-11,13' -> [1, 2, ..., 11, 13]"""
    out = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        out.extend(range(int(low), int(high or low) + 1))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="agent's NetFlow HOST:PORT (UDP)")
    parser.add_argument("--exporter", action="append", required=True,
                        help="ADDRESS,v9|ipfix: a device exporting from ADDRESS")
    parser.add_argument("--interfaces", default="1-11",
                        help="ifIndexes to use as input/output interfaces (at least two)")
    parser.add_argument("--rate", type=float, default=1.0, help="packets per second, all exporters")
    parser.add_argument("--flows", type=int, default=5, help="flow records per packet")
    parser.add_argument("--duration", type=float, default=3600, help="seconds; 0 = until stopped")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    interfaces = index_list(args.interfaces)
    if len(interfaces) < 2:
        parser.error("--interfaces needs at least two ifIndexes")
    exporters = []
    for spec in args.exporter:
        address, _, version = spec.partition(",")
        if version not in ("v9", "ipfix"):
            parser.error(f"--exporter {spec}: version must be v9 or ipfix")
        exporters.append(Exporter(address, version, interfaces, rng))
    target = host_port(args.target)

    def step(n):
        exporter = exporters[n % len(exporters)]
        exporter.sock.sendto(exporter.packet(args.flows), target)

    sent = run_paced(step, args.rate, args.duration)
    print(f"flow_sender: {sent} packets sent", flush=True)


if __name__ == "__main__":
    main()
