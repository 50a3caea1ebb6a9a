"""Writes small MaxMind DB (.mmdb) files for the geoip tests, following the MaxMind DB file
format specification 2.0: a binary search tree over the address bits (24-bit records), a
16-byte separator, the data section, and the metadata after "\\xab\\xcd\\xefMaxMind.com".
IPv4 trees only; pure Python."""
import ipaddress
import struct
import time


def _control(type_number, size):
    if type_number <= 7:
        first, extended = type_number << 5, b""
    else:
        first, extended = 0, bytes([type_number - 7])
    if size < 29:
        return bytes([first | size]) + extended
    if size < 29 + 256:
        return bytes([first | 29]) + extended + bytes([size - 29])
    return bytes([first | 30]) + extended + struct.pack("!H", size - 285)


class Typed:
    """An unsigned integer of a fixed MaxMind type (5 uint16, 6 uint32, 9 uint64): the metadata
    must use the specified ones."""

    def __init__(self, type_number, value):
        self.type_number, self.value = type_number, value


def encode(value):
    if isinstance(value, Typed):
        v = value.value
        raw = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
        return _control(value.type_number, len(raw)) + raw
    if isinstance(value, str):
        raw = value.encode()
        return _control(2, len(raw)) + raw
    if isinstance(value, bool):
        return _control(14, 1 if value else 0)
    if isinstance(value, int):
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
        type_number = 5 if value < 1 << 16 else 6 if value < 1 << 32 else 9
        return _control(type_number, len(raw)) + raw
    if isinstance(value, dict):
        return _control(7, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    raise TypeError(type(value))


def write_mmdb(path, networks, database_type="netfeed-test"):
    """networks: [(network text, dict)], IPv4 only."""
    data, offsets = b"", []
    for _, value in networks:
        offsets.append(len(data))
        data += encode(value)
    nodes = [[None, None]]
    for i, (text, _) in enumerate(networks):
        net = ipaddress.IPv4Network(text)
        bits, node = int(net.network_address), 0
        for depth in range(net.prefixlen):
            bit = (bits >> (31 - depth)) & 1
            if depth == net.prefixlen - 1:
                nodes[node][bit] = ("data", i)
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                node = nodes[node][bit][1]
    count = len(nodes)

    def record(child):
        if child is None:
            return count  # no data
        kind, index = child
        return index if kind == "node" else count + 16 + offsets[index]

    tree = b"".join(record(l).to_bytes(3, "big") + record(r).to_bytes(3, "big") for l, r in nodes)
    metadata = {"node_count": Typed(6, count), "record_size": Typed(5, 24),
                "ip_version": Typed(5, 4), "database_type": database_type, "languages": ["en"],
                "binary_format_major_version": Typed(5, 2),
                "binary_format_minor_version": Typed(5, 0),
                "build_epoch": Typed(9, int(time.time())),
                "description": {"en": "netfeed test data"}}
    with open(path, "wb") as f:
        f.write(tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + encode(metadata))
