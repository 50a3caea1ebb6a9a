"""Builds synthetic packet captures for the flow tests: user traffic for softflowd to turn into
NetFlow/IPFIX exports, and captures of the export datagrams themselves (what the agent and
tshark both decode). Pure Python, no third-party modules."""
import ipaddress
import socket
import struct
import time

LINKTYPE_ETHERNET = 1


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class PcapWriter:
    """Classic libpcap format, microsecond timestamps, Ethernet frames."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET))

    def write(self, timestamp: float, frame: bytes):
        seconds = int(timestamp)
        micros = int(round((timestamp - seconds) * 1e6))
        if micros >= 1000000:
            seconds, micros = seconds + 1, micros - 1000000
        self.f.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ethernet(payload: bytes, ipv6: bool) -> bytes:
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + \
        struct.pack("!H", 0x86DD if ipv6 else 0x0800) + payload


def ip_packet(src: str, dst: str, proto: int, l4: bytes, tos: int = 0, ttl: int = 64) -> bytes:
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version == 6:
        return struct.pack("!IHBB", (6 << 28) | (tos << 20), len(l4), proto, ttl) + \
            s.packed + d.packed + l4
    header = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(l4), 0, 0x4000, ttl, proto, 0,
                         s.packed, d.packed)
    header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    return header + l4


def udp_segment(sport: int, dport: int, payload: bytes) -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp_segment(sport: int, dport: int, flags: int, payload: bytes, seq: int = 1) -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0) + payload


def icmp_echo(payload: bytes) -> bytes:
    return struct.pack("!BBHHH", 8, 0, 0, 1, 1) + payload


# Flows: (src, dst, proto, sport, dport, packets, bytes per packet payload, tos)
FLOWS = [
    ("192.0.2.10", "198.51.100.20", 6, 51234, 443, 12, 700, 0),
    ("198.51.100.20", "192.0.2.10", 6, 443, 51234, 10, 1200, 0),
    ("192.0.2.11", "198.51.100.53", 17, 40000, 53, 3, 60, 0),
    ("198.51.100.53", "192.0.2.11", 17, 53, 40000, 3, 180, 0),
    ("192.0.2.12", "203.0.113.5", 1, 0, 0, 4, 56, 0),
    ("10.1.2.3", "10.4.5.6", 17, 5060, 5060, 7, 400, 184),
    ("2001:db8::10", "2001:db8:1::20", 6, 50000, 22, 9, 300, 0),
    ("2001:db8:1::20", "2001:db8::10", 6, 22, 50000, 8, 900, 0),
    ("2001:db8::11", "2001:db8:2::53", 17, 41000, 53, 2, 80, 0),
]


def write_traffic(path: str, start: float = None) -> list:
    """Writes the FLOWS as packets, interleaved in time; returns the flows written."""
    start = start or time.time() - 60
    frames = []
    for index, (src, dst, proto, sport, dport, count, size, tos) in enumerate(FLOWS):
        ipv6 = ":" in src
        for n in range(count):
            body = bytes((index + n) % 256 for _ in range(size))
            if proto == 6:
                flags = 0x02 if n == 0 else (0x11 if n == count - 1 else 0x18)
                l4 = tcp_segment(sport, dport, flags, body, seq=1 + n * size)
            elif proto == 17:
                l4 = udp_segment(sport, dport, body)
            else:
                l4 = icmp_echo(body)
            proto_number = 58 if (ipv6 and proto == 1) else proto
            frames.append((start + n * 0.5 + index * 0.01,
                           ethernet(ip_packet(src, dst, proto_number, l4, tos), ipv6)))
    frames.sort(key=lambda f: f[0])
    with PcapWriter(path) as w:
        for ts, frame in frames:
            w.write(ts, frame)
    return FLOWS


class ExportCapture:
    """Receives export datagrams on a loopback UDP port and writes them to a capture, with
    their real source address and port, as tcpdump on the collector would."""

    def __init__(self, port: int):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.datagrams = []

    def collect(self, quiet_for: float = 1.0, limit: float = 30.0):
        """Takes datagrams until none came for `quiet_for` seconds."""
        deadline = time.time() + limit
        last = time.time()
        while time.time() < deadline and time.time() - last < quiet_for:
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            self.datagrams.append((time.time(), source, data))
            last = time.time()
        self.sock.close()
        return self.datagrams

    def write(self, path: str):
        with PcapWriter(path) as w:
            for ts, (addr, sport), data in self.datagrams:
                w.write(ts, ethernet(ip_packet(addr, "127.0.0.1", 17,
                                               udp_segment(sport, self.port, data)), False))
