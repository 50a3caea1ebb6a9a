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


# --- The template classes that break collectors (issue 15), for the tshark cross-check. ---
# Each builder returns whole export packets; field lists are (element, length) or, for IPFIX,
# (element, length, enterprise). Values are packed by the callers in template order.

REVERSE_PEN = 29305  # RFC 5103 section 6.1


def ipfix_template_fields(template_id, fields):
    """An IPFIX template set whose fields may be enterprise-specific (RFC 7011 3.2)."""
    body = struct.pack("!HH", template_id, len(fields))
    for field in fields:
        element, length = field[0], field[1]
        pen = field[2] if len(field) > 2 else 0
        if pen:
            body += struct.pack("!HHI", element | 0x8000, length, pen)
        else:
            body += struct.pack("!HH", element, length)
    return flowset(2, body)


def ip(text):
    return ipaddress.ip_address(text).packed


def varlen(data):
    """An IPFIX variable-length field (RFC 7011 7): 1-byte length, or 255 and 2 bytes."""
    if len(data) < 255:
        return bytes([len(data)]) + data
    return b"\xff" + struct.pack("!H", len(data)) + data


def v9_edge_packet(sequence, export_secs, source_id=7):
    """NetFlow v9 from a dual-stack router and a Cisco ASA (NSEL): a template with both address
    families, one with zero-length fields, the ASA guide's IPv4 flow-create and IPv6 teardown
    templates, and ASA 8.2's legacy NAT ids. Header Count is every record (RFC 3954 5.1)."""
    export_ms = export_secs * 1000
    sets, records = [], 0
    dual = [(8, 4), (12, 4), (27, 16), (28, 16), (15, 4), (62, 16), (7, 2), (11, 2), (4, 1),
            (1, 4), (2, 4)]
    zero = [(8, 4), (95, 0), (12, 4), (7, 2), (11, 2), (82, 0), (1, 4), (2, 4), (4, 1)]
    asa_create = [(148, 4), (8, 4), (7, 2), (10, 2), (12, 4), (11, 2), (14, 2), (4, 1), (176, 1),
                  (177, 1), (225, 4), (226, 4), (227, 2), (228, 2), (233, 1), (33002, 2),
                  (323, 8), (152, 8), (33000, 12), (33001, 12), (40000, 20)]
    asa_teardown6 = [(148, 4), (27, 16), (7, 2), (28, 16), (11, 2), (4, 1), (281, 16), (282, 16),
                     (233, 1), (33002, 2), (323, 8), (231, 4), (232, 4), (40000, 65)]
    legacy = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (40001, 4), (40002, 4), (40003, 2),
              (40004, 2), (40005, 1)]
    for template_id, fields in ((256, dual), (257, zero), (263, asa_create), (264, asa_teardown6),
                                (265, legacy)):
        sets.append(v9_template(template_id, fields))
        records += 1

    data = ip("10.0.0.1") + ip("10.0.0.2") + bytes(32) + ip("10.0.0.254") + bytes(16) + \
        struct.pack("!HHBII", 1024, 80, 6, 4000, 5)
    data += bytes(8) + ip("2001:db8::a") + ip("2001:db8::b") + bytes(4) + ip("fe80::1") + \
        struct.pack("!HHBII", 2048, 443, 17, 300, 2)
    sets.append(flowset(256, data))
    data = ip("10.1.0.1") + ip("10.1.0.2") + struct.pack("!HHIIB", 5000, 53, 99, 1, 17)
    data += ip("10.1.0.3") + ip("10.1.0.4") + struct.pack("!HHIIB", 5001, 123, 76, 1, 17)
    sets.append(flowset(257, data))
    data = struct.pack("!I", 0xa1b2c3) + ip("10.3.0.5") + struct.pack("!HH", 51515, 3) + \
        ip("198.51.100.7") + struct.pack("!HHBBB", 443, 4, 6, 0, 0) + ip("203.0.113.5") + \
        ip("198.51.100.7") + struct.pack("!HHBHQQ", 30001, 443, 1, 0, export_ms - 250,
                                         export_ms - 300) + \
        struct.pack("!III", 0x1c9d2e3f, 1, 0) + bytes(12) + b"alice".ljust(20, b"\0")
    sets.append(flowset(263, data))
    data = struct.pack("!I", 77) + ip("2001:db8:1::5") + struct.pack("!H", 1234) + \
        ip("2001:db8:2::7") + struct.pack("!HB", 80, 6) + ip("2001:db8:3::5") + \
        ip("2001:db8:2::7") + struct.pack("!BHQII", 2, 2030, export_ms - 5, 1500, 64000) + \
        (b"u" * 64).ljust(65, b"\0")
    sets.append(flowset(264, data))
    data = ip("10.4.0.1") + ip("10.4.0.2") + struct.pack("!HHB", 999, 25, 6) + \
        ip("203.0.113.9") + ip("10.4.0.2") + struct.pack("!HHB", 41000, 25, 3)
    sets.append(flowset(265, data))
    records += 2 + 2 + 1 + 1 + 1
    return v9_header(records, sequence, source_id, unix_secs=export_secs) + b"".join(sets)


def ipfix_edge_packet(sequence, export_secs, domain=8):
    """IPFIX from a biflow probe and a Cisco AVC exporter: IPv6 elements before IPv4 ones, an
    RFC 5103 biflow with reverse elements, applicationId (RFC 6759) fixed and variable-length,
    observationTimeMilliseconds and a variable-length userName."""
    sets = []
    sets.append(ipfix_template_fields(400, [(27, 16), (28, 16), (8, 4), (12, 4), (4, 1), (1, 8),
                                            (2, 8)]))
    sets.append(ipfix_template_fields(401, [
        (8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (1, 8), (2, 8), (6, 1), (5, 1),
        (1, 8, REVERSE_PEN), (2, 8, REVERSE_PEN), (6, 1, REVERSE_PEN), (5, 1, REVERSE_PEN),
        (239, 1)]))
    sets.append(ipfix_template_fields(402, [(8, 4), (12, 4), (4, 1), (95, 4), (323, 8),
                                            (371, 65535)]))
    sets.append(ipfix_template_fields(403, [(8, 4), (12, 4), (4, 1), (95, 65535)]))
    export_ms = export_secs * 1000
    sets.append(flowset(400, bytes(32) + ip("192.168.0.1") + ip("192.168.0.2") +
                        struct.pack("!BQQ", 6, 1200, 3)))
    sets.append(flowset(401, ip("10.2.0.1") + ip("10.2.0.2") +
                        struct.pack("!HHBQQBBQQBBB", 40001, 22, 6, 5120, 40, 0x1b, 0x10, 81920,
                                    60, 0x1a, 0x28, 1)))
    sets.append(flowset(402, ip("10.5.0.1") + ip("10.5.0.9") + struct.pack("!BI", 6, (3 << 24) | 80)
                        + struct.pack("!Q", export_ms - 40) + varlen(b"bob")))
    sets.append(flowset(403, ip("10.5.0.2") + ip("10.5.0.9") + b"\x11" +
                        varlen(b"\x0d\x00\x00\x01\xc5")))
    return ipfix_packet(sets, sequence, domain, export_time=export_secs)
