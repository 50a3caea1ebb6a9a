"""Builds NetFlow v9 and IPFIX export packets byte by byte for the flow tests (RFC 3954,
RFC 7011). Pure Python, no third-party modules."""
import ipaddress
import struct
import time

# A common IPv4 record: (type, length).
V4_FIELDS = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (6, 1), (1, 8), (2, 8), (10, 4), (14, 4)]
V4_RECORD = "!4s4sHHBBQQII"


def v9_header(count, sequence, source_id=1, uptime_ms=100000, unix_secs=None):
    return struct.pack("!HHIIII", 9, count, uptime_ms, unix_secs or int(time.time()), sequence,
                       source_id)


def flowset(set_id, body):
    pad = (-len(body)) % 4
    return struct.pack("!HH", set_id, 4 + len(body) + pad) + body + b"\0" * pad


def v9_template(template_id, fields=V4_FIELDS):
    return flowset(0, struct.pack("!HH", template_id, len(fields)) +
                   b"".join(struct.pack("!HH", t, n) for t, n in fields))


def v9_options_template(template_id, scope, options):
    """scope and options: lists of (type, length)."""
    body = struct.pack("!HHH", template_id, 4 * len(scope), 4 * len(options))
    body += b"".join(struct.pack("!HH", t, n) for t, n in scope + options)
    return flowset(1, body)


def v4_record(src, dst, sport, dport, proto, flags, octets, packets, in_if, out_if):
    return struct.pack(V4_RECORD, ipaddress.ip_address(src).packed,
                       ipaddress.ip_address(dst).packed, sport, dport, proto, flags, octets,
                       packets, in_if, out_if)


def v9_packet(sets, sequence, source_id=1, count=None):
    return v9_header(count if count is not None else len(sets), sequence, source_id) + b"".join(sets)


def ipfix_packet(sets, sequence, domain=1, export_time=None):
    body = b"".join(sets)
    return struct.pack("!HHIII", 10, 16 + len(body), export_time or int(time.time()), sequence,
                       domain) + body


def ipfix_template(template_id, fields=V4_FIELDS):
    return flowset(2, struct.pack("!HH", template_id, len(fields)) +
                   b"".join(struct.pack("!HH", t, n) for t, n in fields))


def ipfix_withdrawal(template_id):
    return flowset(2, struct.pack("!HH", template_id, 0))
