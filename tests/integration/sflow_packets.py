"""Builds sFlow v5 datagrams field by field from sflow.org's sflow_version_5.txt (XDR: 32-bit
big-endian units, opaque data padded to 4 bytes) for the sFlow tests, and the sampled packet
headers inside them. Pure Python, no third-party modules."""
import ipaddress
import struct

import traffic


def u32(v):
    return struct.pack("!I", v & 0xFFFFFFFF)


def u64(v):
    return struct.pack("!Q", v)


def opaque(data):
    return data + b"\0" * ((-len(data)) % 4)


def address(text):
    a = ipaddress.ip_address(text)
    return u32(1 if a.version == 4 else 2) + a.packed


def tagged(fmt, body, enterprise=0):
    """A sample or a record: data_format (enterprise << 12 | format), length, body."""
    return u32((enterprise << 12) | fmt) + u32(len(body)) + body


def datagram(samples, agent="192.0.2.1", sub_agent=0, sequence=1, uptime_ms=3600000):
    return (u32(5) + address(agent) + u32(sub_agent) + u32(sequence) + u32(uptime_ms) +
            u32(len(samples)) + b"".join(samples))


def flow_sample(records, sequence=1, source_index=1, sampling_rate=1000, sample_pool=0,
                drops=0, input_if=1, output_if=2):
    """Compact flow sample (format 1): source id and interfaces in one word each."""
    body = (u32(sequence) + u32(source_index & 0xFFFFFF) + u32(sampling_rate) +
            u32(sample_pool) + u32(drops) + u32(input_if) + u32(output_if) +
            u32(len(records)) + b"".join(records))
    return tagged(1, body)


def expanded_flow_sample(records, sequence=1, source_index=1, sampling_rate=1000,
                         sample_pool=0, drops=0, input_if=1, output_if=2):
    """Expanded flow sample (format 3): 32-bit ifIndex values."""
    body = (u32(sequence) + u32(0) + u32(source_index) + u32(sampling_rate) + u32(sample_pool) +
            u32(drops) + u32(0) + u32(input_if) + u32(0) + u32(output_if) + u32(len(records)) +
            b"".join(records))
    return tagged(3, body)


def counter_sample(records, sequence=1, source_index=1):
    return tagged(2, u32(sequence) + u32(source_index & 0xFFFFFF) + u32(len(records)) +
                  b"".join(records))


def expanded_counter_sample(records, sequence=1, source_index=1):
    return tagged(4, u32(sequence) + u32(0) + u32(source_index) + u32(len(records)) +
                  b"".join(records))


def raw_header(frame, frame_length=None, protocol=1, stripped=4, max_header=128):
    """Raw packet header record (1): the first max_header bytes of the frame."""
    header = frame[:max_header]
    length = frame_length if frame_length is not None else len(frame) + stripped
    return tagged(1, u32(protocol) + u32(length) + u32(stripped) + u32(len(header)) +
                  opaque(header))


def sampled_ipv4(src, dst, proto, sport, dport, tcp_flags=0, tos=0, length=0):
    return tagged(3, u32(length) + u32(proto) + ipaddress.ip_address(src).packed +
                  ipaddress.ip_address(dst).packed + u32(sport) + u32(dport) + u32(tcp_flags) +
                  u32(tos))


def sampled_ipv6(src, dst, proto, sport, dport, tcp_flags=0, priority=0, length=0):
    return tagged(4, u32(length) + u32(proto) + ipaddress.ip_address(src).packed +
                  ipaddress.ip_address(dst).packed + u32(sport) + u32(dport) + u32(tcp_flags) +
                  u32(priority))


def extended_switch(src_vlan, dst_vlan, src_priority=0, dst_priority=0):
    return tagged(1001, u32(src_vlan) + u32(src_priority) + u32(dst_vlan) + u32(dst_priority))


def extended_router(next_hop, src_mask, dst_mask):
    return tagged(1002, address(next_hop) + u32(src_mask) + u32(dst_mask))


def extended_gateway(next_hop, router_as, src_as, src_peer_as, path, communities=(),
                     local_pref=100):
    """path: AS numbers of one AS_SEQUENCE segment (empty: no segment)."""
    segments = [] if not path else [u32(2) + u32(len(path)) + b"".join(u32(a) for a in path)]
    return tagged(1003, address(next_hop) + u32(router_as) + u32(src_as) + u32(src_peer_as) +
                  u32(len(segments)) + b"".join(segments) + u32(len(communities)) +
                  b"".join(u32(c) for c in communities) + u32(local_pref))


GENERIC_FIELDS = ("if_index", "if_type", "if_speed", "if_direction", "if_status", "in_octets",
                  "in_ucast", "in_mcast", "in_bcast", "in_discards", "in_errors", "in_unknown",
                  "out_octets", "out_ucast", "out_mcast", "out_bcast", "out_discards",
                  "out_errors", "promiscuous")


def generic_interface(**c):
    """Generic interface counters (counter record 1); c holds GENERIC_FIELDS."""
    body = b""
    for name in GENERIC_FIELDS:
        v = c[name]
        body += u64(v) if name in ("if_speed", "in_octets", "out_octets") else u32(v)
    return tagged(1, body)


ETHERNET_FIELDS = ("alignment_errors", "fcs_errors", "single_collision_frames",
                   "multiple_collision_frames", "sqe_test_errors", "deferred_transmissions",
                   "late_collisions", "excessive_collisions", "internal_mac_transmit_errors",
                   "carrier_sense_errors", "frame_too_longs", "internal_mac_receive_errors",
                   "symbol_errors")


def ethernet_interface(values):
    """Ethernet interface counters (counter record 2): 13 dot3Stats values in ETHERNET_FIELDS
    order."""
    return tagged(2, b"".join(u32(v) for v in values))


def frame(src, dst, proto, sport=0, dport=0, tcp_flags=0x18, tos=0, ttl=64, vlan=None,
          payload_bytes=200):
    """An Ethernet frame (optionally 802.1Q tagged) carrying TCP, UDP or ICMP."""
    payload = b"\x5a" * payload_bytes
    if proto == 6:
        l4 = traffic.tcp_segment(sport, dport, tcp_flags, payload)
    elif proto == 17:
        l4 = traffic.udp_segment(sport, dport, payload)
    else:
        l4 = traffic.icmp_echo(payload)
    ipv6 = ipaddress.ip_address(src).version == 6
    eth = traffic.ethernet(traffic.ip_packet(src, dst, proto, l4, tos=tos, ttl=ttl), ipv6)
    if vlan is not None:
        eth = eth[:12] + struct.pack("!HH", 0x8100, vlan) + eth[12:]
    return eth
