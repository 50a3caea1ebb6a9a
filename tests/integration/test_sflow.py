"""sFlow v5 end to end and against tshark. Datagrams built from the spec (sflow_packets.py):
- sent over loopback UDP to the agent -> the embedded broker -> kcat: flow samples come out as
  `flow` records keyed and partitioned like NetFlow's, counter samples as `snmp` interfaces rows
  with the SNMP poller's names and key; sequence gaps and malformed datagrams are counted;
- written to a capture that `netfeed replay` and tshark's sFlow dissector both read: every field
  tshark decodes from it must equal ours (fields that only describe the encoding are listed)."""
import ipaddress
import json
import os
import socket
import subprocess
import tempfile
import time
import unittest

import sflow_packets as sp
import traffic
from netfeed_harness import (NETFEED, Agent, free_port, http_get, java_partition, kcat_consume,
                             metric_total)

AGENT = "127.0.3.1"  # the sFlow agent: the datagrams' source and their agent address
CAPTURE_PORT = 26343

COUNTERS = dict(if_index=7, if_type=6, if_speed=25_000_000_000, if_direction=1, if_status=1,
                in_octets=(1 << 40) + 5, in_ucast=1000, in_mcast=20, in_bcast=30, in_discards=4,
                in_errors=5, in_unknown=0xFFFFFFFF, out_octets=987654321, out_ucast=2000,
                out_mcast=21, out_bcast=31, out_discards=6, out_errors=7, promiscuous=0)


def flow_samples(base_sequence=1):
    """Samples covering every flow record read: raw headers (Ethernet with a VLAN tag, IPv6,
    ICMP, an IPv4 header without Ethernet), extended switch/router/gateway, and sampled
    IPv4/IPv6 data without a header, in compact and expanded samples."""
    tcp4 = sp.frame("192.0.2.10", "198.51.100.20", 6, 51234, 443, tcp_flags=0x18, tos=0x28,
                    ttl=57, vlan=100)
    udp6 = sp.frame("2001:db8::10", "2001:db8:1::20", 17, 40000, 53, tos=0xb8, ttl=33,
                    payload_bytes=60)
    icmp4 = sp.frame("192.0.2.12", "203.0.113.5", 1, ttl=250, payload_bytes=56)
    raw_ip = traffic.ip_packet("10.9.8.7", "10.6.5.4", 17, traffic.udp_segment(5060, 5061,
                                                                               b"x" * 40))
    s = base_sequence
    return [
        sp.flow_sample([sp.raw_header(tcp4), sp.extended_switch(100, 200, 3, 5),
                        sp.extended_router("10.0.0.254", 24, 16),
                        sp.extended_gateway("203.0.113.9", 65000, 64500, 64501,
                                            [64501, 3356, 15169], [0xFDE80001, 0xFDE80002], 150)],
                       sequence=s, source_index=3, sampling_rate=512, sample_pool=51200,
                       drops=2, input_if=3, output_if=5),
        sp.expanded_flow_sample([sp.raw_header(udp6)], sequence=s + 1, source_index=70000,
                                sampling_rate=2048, sample_pool=4096, input_if=70000,
                                output_if=70001),
        sp.flow_sample([sp.raw_header(icmp4, max_header=64)], sequence=s + 2, sampling_rate=100,
                       input_if=4, output_if=6),
        sp.flow_sample([sp.raw_header(raw_ip, protocol=11, stripped=0)], sequence=s + 3,
                       sampling_rate=10, input_if=8, output_if=9),
        sp.flow_sample([sp.sampled_ipv4("198.51.100.1", "198.51.100.2", 6, 80, 40000,
                                        tcp_flags=0x12, length=1400)],
                       sequence=s + 4, sampling_rate=1000, input_if=10, output_if=11),
        sp.expanded_flow_sample([sp.sampled_ipv6("2001:db8::1", "2001:db8::2", 17, 123, 124,
                                                 length=76)],
                                sequence=s + 5, sampling_rate=1000, input_if=12, output_if=13),
    ]


def counter_samples(base_sequence=1):
    return [
        sp.counter_sample([sp.generic_interface(**COUNTERS),
                           sp.ethernet_interface(range(1, 14))],
                          sequence=base_sequence, source_index=7),
        sp.expanded_counter_sample([sp.ethernet_interface([0] * 13)], sequence=base_sequence + 1,
                                   source_index=9),
    ]


def send(port, *datagrams):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((AGENT, 0))
        for d in datagrams:
            s.sendto(d, ("127.0.0.1", port))
            time.sleep(0.01)


class SflowEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port, cls.kafka, cls.http = free_port(), free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
devices:
  - {{name: leaf7, address: {AGENT}, site: lab}}
collectors:
  - {{type: sflow, listen: ['127.0.0.1:{cls.port}']}}
routes:
  - {{kinds: [flow], topic: netfeed.flow, partitions: 6}}
  - {{kinds: [snmp], topic: netfeed.snmp, partitions: 3}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"
        flows = flow_samples()
        # Sequence 1, then 2, then 5: datagrams 3 and 4 lost. One malformed datagram between.
        send(cls.port,
             sp.datagram(flows[:3], agent=AGENT, sequence=1),
             sp.datagram(flows[3:] + counter_samples(), agent=AGENT, sequence=2),
             sp.datagram([sp.flow_sample([sp.extended_switch(1, 2)])], agent=AGENT,
                         sequence=5)[:-4],  # cut short: refused
             sp.datagram([], agent=AGENT, sequence=5))

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()

    def read(self, topic, expected):
        records = kcat_consume(self.bootstrap, topic, expected=expected, timeout=30)
        return [(r, json.loads(r.value)) for r in records]

    def test_flow_records(self):
        got = self.read("netfeed.flow", 6)
        self.assertEqual(len(got), 6, self.agent.output())
        by_port = {v.get("dst_port"): (r, v) for r, v in got}
        r, f = by_port[443]
        self.assertEqual(r.key, "leaf7")
        self.assertEqual(r.partition, java_partition(b"leaf7", 6))
        expected = {
            "kind": "flow", "device": "leaf7", "flow_source": "sflow5", "sampler_address": AGENT,
            "sequence_num": 1, "observation_domain_id": 0, "src_addr": "192.0.2.10",
            "dst_addr": "198.51.100.20", "src_port": 51234, "proto": 6, "tcp_flags": 0x18,
            "ip_tos": 0x28, "ip_ttl": 57, "etype": 0x0800, "vlan_id": 100,
            "bytes": 4 + len(sp.frame("192.0.2.10", "198.51.100.20", 6, 51234, 443, vlan=100)),
            "packets": 1, "sampling_rate": 512, "in_if": 3, "out_if": 5, "src_vlan": 100,
            "dst_vlan": 200, "src_priority": 3, "dst_priority": 5, "next_hop": "10.0.0.254",
            "src_net": 24, "dst_net": 16, "bgp_next_hop": "203.0.113.9", "src_as": 64500,
            "dst_as": 15169, "next_hop_as": 64501, "src_peer_as": 64501,
            "as_path": [64501, 3356, 15169], "bgp_communities": [0xFDE80001, 0xFDE80002],
            "local_pref": 150, "sample_pool": 51200, "sample_drops": 2,
            "src_mac": "02:00:00:00:00:01", "dst_mac": "02:00:00:00:00:02"}
        self.assertEqual({k: f.get(k) for k in expected}, expected)
        self.assertEqual(f["bytes_scaled"], f["bytes"] * 512)
        self.assertEqual(f["packets_scaled"], 512)
        self.assertNotIn("flow_version", f)
        _, v6 = by_port[53]
        self.assertEqual((v6["src_addr"], v6["proto"], v6["in_if"], v6["out_if"], v6["ip_tos"],
                          v6["etype"]), ("2001:db8::10", 17, 70000, 70001, 0xb8, 0x86DD))
        icmp = [v for _, v in got if v.get("proto") == 1][0]
        self.assertEqual((icmp["icmp_type"], icmp["icmp_code"], icmp["ip_ttl"]), (8, 0, 250))
        _, raw_ip = by_port[5061]
        self.assertEqual((raw_ip["src_addr"], raw_ip["etype"]), ("10.9.8.7", 0x0800))
        self.assertNotIn("src_mac", raw_ip)
        _, sampled4 = by_port[40000]
        self.assertEqual((sampled4["bytes"], sampled4["tcp_flags"], sampled4["sequence_num"]),
                         (1400, 0x12, 2))
        _, sampled6 = by_port[124]
        self.assertEqual((sampled6["src_addr"], sampled6["bytes"]), ("2001:db8::1", 76))

    def test_counter_rows(self):
        got = self.read("netfeed.snmp", 2)
        self.assertEqual(len(got), 2, self.agent.output())
        rows = {v["if_index"]: (r, v) for r, v in got}
        r, row = rows[7]
        self.assertEqual(r.key, "leaf7|interfaces|if_index=7")
        self.assertEqual(r.partition, java_partition(b"leaf7|interfaces|if_index=7", 3))
        expected = {
            "kind": "snmp", "device": "leaf7", "snmp_table": "interfaces", "if_index": 7,
            "if_type": 6, "if_speed": 4294967295, "if_high_speed": 25000,
            "if_admin_status": 1, "if_oper_status": 2, "if_hc_in_octets": (1 << 40) + 5,
            "if_in_octets": 5, "if_in_ucast_pkts": 1000, "if_in_multicast_pkts": 20,
            "if_in_broadcast_pkts": 30, "if_in_discards": 4, "if_in_errors": 5,
            "if_hc_out_octets": 987654321, "if_out_octets": 987654321,
            "if_out_ucast_pkts": 2000, "if_out_multicast_pkts": 21,
            "if_out_broadcast_pkts": 31, "if_out_discards": 6, "if_out_errors": 7,
            "if_promiscuous_mode": 2, "if_direction": 1, "dot3_stats_alignment_errors": 1,
            "dot3_stats_symbol_errors": 13, "counter_source": "sflow5"}
        self.assertEqual({k: row.get(k) for k in expected}, expected)
        self.assertNotIn("if_in_unknown_protos", row)  # all ones: the agent does not keep it
        _, ethernet_only = rows[9]
        self.assertEqual(ethernet_only["dot3_stats_fcs_errors"], 0)
        self.assertNotIn("if_oper_status", ethernet_only)

    def test_gaps_and_malformed_datagrams_are_counted(self):
        deadline = time.time() + 20
        while True:
            status, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
            self.assertEqual(status, 200)
            lost = metric_total(text, "netfeed_sflow_sequence_lost_total", agent=AGENT,
                                sub_agent="0")
            bad = metric_total(text, "netfeed_component_errors_total", error_type="truncated")
            if (lost, bad) == (2, 1) or time.time() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual(lost, 2, text)
        self.assertEqual(bad, 1, text)


def sflow_layers(capture):
    """tshark's sFlow layer of every packet, duplicate keys kept as lists."""
    def pairs(items):
        out = {}
        for key, value in items:
            if key in out:
                if not isinstance(out[key], list) or not out.get("__dup__" + key):
                    out[key] = [out[key]]
                    out["__dup__" + key] = True
                out[key].append(value)
            else:
                out[key] = value
        return {k: v for k, v in out.items() if not k.startswith("__dup__")}

    text = subprocess.run(["tshark", "-r", capture, "-d", f"udp.port=={CAPTURE_PORT},sflow",
                           "-T", "json"], capture_output=True, text=True, check=True).stdout
    return [p["_source"]["layers"]["sflow"] for p in json.loads(text, object_pairs_hook=pairs)]


def as_list(v):
    return v if isinstance(v, list) else [v]


# Fields tshark shows that describe the encoding, not the traffic: formats, lengths, counts,
# enterprise numbers, per-sample sequence numbers and source ids (ours are per datagram).
STRUCTURAL = {
    "sflow.enterprise", "sflow_245.sampletype", "sflow_5.sample_length",
    "sflow_245.flow_record_format", "sflow_5.flow_data_length", "sflow_245.counters_record_format",
    "sflow.flow_sample.flow_record", "sflow.counters_sample.counters_records",
    "sflow.flow_sample.sequence_number", "sflow.counters_sample.sequence_number",
    "sflow.flow_sample.source_id_class", "sflow.flow_sample.index",
    "sflow.flow_sample.source_id_type", "sflow.flow_sample.source_id_index",
    "sflow.counters_sample.source_id_type", "sflow.counters_sample.source_id_index",
    "sflow.counters_sample.source_id_class", "sflow.counters_sample.index",
    "sflow_245.header_protocol", "sflow_245.header.payload_stripped",
    "sflow_245.header.sampled_header_length", "sflow_245.header", "sflow_245.dstASentries",
    "sflow.as_type", "sflow_245.communityEntries", "sflow.flow_sample.input_interface_format",
    "sflow.flow_sample.output_interface.format", "sflow.flow_sample.output_interface_format",
    "sflow_245.as",  # the agent's own AS: ours only as dst_as when the path is empty
}


class TsharkFlow:
    """Our expected fields from one tshark flow sample; `seen` collects every tshark field
    looked at, so the test can tell which ones nobody compared."""

    def __init__(self, sample):
        self.seen = set()
        self.f = {}
        self.walk(sample)

    def take(self, node, key):
        self.seen.add(key)
        return node[key]

    def walk(self, s):
        take = lambda k: self.take(s, k)  # noqa: E731
        self.f["sampling_rate"] = int(take("sflow.flow_sample.sampling_rate"))
        self.f["sample_pool"] = int(take("sflow.flow_sample.sample_pool"))
        self.f["sample_drops"] = int(take("sflow.flow_sample.dropped_packets"))
        if "sflow.flow_sample.input_interface" in s:
            self.f["in_if"] = int(take("sflow.flow_sample.input_interface"), 0)
            self.f["out_if"] = int(s["sflow.flow_sample.output_interface_tree"]
                                   ["sflow.flow_sample.output_interface_value"])
            self.seen.add("sflow.flow_sample.output_interface")
            self.seen.add("sflow.flow_sample.output_interface_tree")
        else:
            self.f["in_if"] = int(take("sflow.flow_sample.input_interface_value"))
            self.f["out_if"] = int(take("sflow.flow_sample.output_interface_value"))
        for key, record in s.items():
            if not isinstance(record, dict) or key.endswith("_tree"):
                continue  # a field's own subtree (interface format/value) was read above
            self.seen.add(key)
            for k in record:
                self.seen.add(f"{key}/{k}")
            if key == "Raw packet header":
                self.raw_header(record)
            elif key == "Extended switch data":
                for ours, theirs in (("src_vlan", "sflow_245.vlan.in"),
                                     ("src_priority", "sflow_245.pri.in"),
                                     ("dst_vlan", "sflow_245.vlan.out"),
                                     ("dst_priority", "sflow_245.pri.out")):
                    self.f[ours] = int(record[theirs])
            elif key == "Extended router data":
                self.f["next_hop"] = record["sflow_245.nexthop"]
                self.f["src_net"] = int(record["sflow_245.nexthop.src_mask"])
                self.f["dst_net"] = int(record["sflow_245.nexthop.dst_mask"])
            elif key == "Extended gateway data":
                self.f["bgp_next_hop"] = record["sflow_245.nexthop"]
                self.f["src_as"] = int(record["sflow_245.srcAS"])
                self.f["src_peer_as"] = int(record["sflow_245.peerAS"])
                path = [int(a) for a in as_list(record["sflow.as_type_tree"]["sflow_245.dstAS"])]
                self.f["as_path"] = path
                self.f["next_hop_as"] = path[0]
                self.f["dst_as"] = path[-1]
                self.f["bgp_communities"] = [
                    int(c) for c in
                    as_list(record["sflow_245.communityEntries_tree"]["sflow_245.dstAS"])]
                self.f["local_pref"] = int(record["sflow_245.localpref"])
            elif key in ("IPv4 data", "IPv6 data"):
                v6 = key == "IPv6 data"
                self.f["bytes"] = int(record["sflow_245.ip.length"])
                self.f["proto"] = int(record["sflow.ip_protocol"])
                self.f["src_addr"] = record["sflow_245.ipv6_src" if v6 else "sflow_245.ipv4_src"]
                self.f["dst_addr"] = record["sflow_245.ipv6_dst" if v6 else "sflow_245.ipv4_dst"]
                self.f["src_port"] = int(record["sflow_245.ip.source_port"])
                self.f["dst_port"] = int(record["sflow.ip.destination_port"])
                # Not compared: tcp_flags and tos/priority. The spec makes each a 32-bit
                # unsigned int (the value in its low byte, as hsflowd writes it and pmacct and
                # goflow2 read it); Wireshark's dissector (packet-sflow.c) reads the flag and
                # precedence bits from the word's first byte, which is 0 for every real value.
                # test_flow_records checks ours (0x12) end to end instead.
                self.f["etype"] = 0x86DD if v6 else 0x0800
            else:
                raise AssertionError(f"a record the test does not compare: {key}")

    def raw_header(self, record):
        self.f["bytes"] = int(record["sflow_245.header.frame_length"])
        tree = record.get("sflow_245.header_tree", {})
        eth, vlan = tree.get("eth"), tree.get("vlan")
        if eth:
            self.f["src_mac"], self.f["dst_mac"] = eth["eth.src"], eth["eth.dst"]
            self.f["etype"] = int(vlan["vlan.etype"] if vlan else eth["eth.type"], 16)
        if vlan:
            self.f["vlan_id"] = int(vlan["vlan.id"])
        if "ip" in tree:
            ip = tree["ip"]
            self.f.update(src_addr=ip["ip.src"], dst_addr=ip["ip.dst"], proto=int(ip["ip.proto"]),
                          ip_tos=int(ip["ip.dsfield"], 16), ip_ttl=int(ip["ip.ttl"]))
            self.f.setdefault("etype", 0x0800)
        if "ipv6" in tree:
            ip = tree["ipv6"]
            self.f.update(src_addr=ip["ipv6.src"], dst_addr=ip["ipv6.dst"],
                          proto=int(ip["ipv6.nxt"]), ip_tos=int(ip["ipv6.tclass"], 16),
                          ip_ttl=int(ip["ipv6.hlim"]))
        for l4 in ("tcp", "udp"):
            if l4 in tree:
                self.f["src_port"] = int(tree[l4][f"{l4}.srcport"])
                self.f["dst_port"] = int(tree[l4][f"{l4}.dstport"])
        if "tcp" in tree:
            self.f["tcp_flags"] = int(tree["tcp"]["tcp.flags"], 16) & 0x1FF
        if "icmp" in tree:
            self.f["icmp_type"] = int(tree["icmp"]["icmp.type"])
            self.f["icmp_code"] = int(tree["icmp"]["icmp.code"])


COUNTER_FIELDS = {
    "sflow_245.ifindex": "if_index", "sflow_245.iftype": "if_type",
    "sflow_245.ifdirection": "if_direction", "sflow_245.ifinoct": "if_hc_in_octets",
    "sflow_245.ifinpkt": "if_in_ucast_pkts", "sflow_245.ifinmcast": "if_in_multicast_pkts",
    "sflow_245.ifinbcast": "if_in_broadcast_pkts", "sflow_245.ifindisc": "if_in_discards",
    "sflow_245.ifinerr": "if_in_errors", "sflow_245.ifinunk": "if_in_unknown_protos",
    "sflow_245.ifoutoct": "if_hc_out_octets", "sflow_245.ifoutpkt": "if_out_ucast_pkts",
    "sflow_245.ifoutmcast": "if_out_multicast_pkts",
    "sflow_245.ifoutbcast": "if_out_broadcast_pkts", "sflow_245.ifoutdisc": "if_out_discards",
    "sflow_245.ifouterr": "if_out_errors",
}


def tshark_counters(sample):
    row = {}
    for key, record in sample.items():
        if not isinstance(record, dict):
            continue
        for theirs, value in record.items():
            if theirs in COUNTER_FIELDS:
                if int(value) != 0xFFFFFFFF:  # all ones: unknown, left out by ours
                    row[COUNTER_FIELDS[theirs]] = int(value)
            elif theirs.startswith("sflow_245.dot3Stats"):
                name = theirs[len("sflow_245.dot3Stats"):]
                snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
                snake = snake.replace("f_c_s", "fcs").replace("s_q_e", "sqe")
                row["dot3_stats_" + snake] = int(value)
            elif theirs == "sflow_245.ifspeed":
                row["if_high_speed"] = int(value) // 1_000_000
                row["if_speed"] = min(int(value), 0xFFFFFFFF)
            elif theirs == "sflow_245.ifadmin_status":
                row["if_admin_status"] = 1 if int(value) else 2
            elif theirs == "sflow_245.ifoper_status":
                row["if_oper_status"] = 1 if int(value) else 2
            elif theirs == "sflow_245.ifpromisc":
                row["if_promiscuous_mode"] = 1 if int(value) == 1 else 2
            elif theirs not in STRUCTURAL:
                raise AssertionError(f"a counter field the test does not compare: {theirs}")
    return row


class SflowAgainstTshark(unittest.TestCase):
    def test_every_field_tshark_decodes_equals_ours(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_sflow_tshark_")
        capture = os.path.join(workdir, "sflow.pcap")
        flows = flow_samples(base_sequence=10)
        datagrams = [sp.datagram(flows[:3], agent=AGENT, sequence=100, sub_agent=3),
                     sp.datagram(flows[3:] + counter_samples(20), agent="2001:db8::99",
                                 sequence=7)]
        with traffic.PcapWriter(capture) as w:
            for i, d in enumerate(datagrams):
                w.write(1.7e9 + i, traffic.ethernet(traffic.ip_packet(
                    AGENT, "127.0.0.1", 17, traffic.udp_segment(40000, CAPTURE_PORT, d)), False))
        out = os.path.join(workdir, "records.jsonl")
        config = os.path.join(workdir, "netfeed.yaml")
        with open(config, "w") as f:
            f.write(f"""
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - {{type: sflow, listen: ['127.0.0.1:{CAPTURE_PORT}'], bind: false}}
sinks:
  - {{type: file, name: out, path: {out}}}
routes:
  - {{kinds: [flow, snmp], sink: out}}
""")
        result = subprocess.run([NETFEED, "replay", capture, "-c", config], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out) as f:
            ours = [json.loads(line) for line in f]
        our_flows = [r for r in ours if r["kind"] == "flow"]
        our_rows = [r for r in ours if r["kind"] == "snmp"]

        theirs_flows, theirs_rows = [], []
        for layer in sflow_layers(capture):
            header = {"sampler_address": layer.get("sflow_245.agent") or
                      layer["sflow_245.agent.v6"],
                      "observation_domain_id": int(layer["sflow_245.sub_agent_id"]),
                      "sequence_num": int(layer["sflow_245.sequence_number"])}
            for key, sample in layer.items():
                if key.startswith(("Flow sample", "Expanded flow sample")):
                    t = TsharkFlow(sample)
                    unread = {k for k in sample if k not in t.seen and k not in STRUCTURAL}
                    self.assertEqual(unread, set(), f"tshark fields nobody compared in {key}")
                    theirs_flows.append({**header, **t.f})
                elif key.startswith(("Counters sample", "Expanded counters sample")):
                    row = tshark_counters(sample)
                    row["sampler_address"] = header["sampler_address"]
                    row["sequence_num"] = header["sequence_num"]
                    theirs_rows.append(row)
        self.assertEqual(len(theirs_flows), 6)
        self.assertEqual(len(theirs_rows), 2)
        self.assertEqual(len(our_flows), len(theirs_flows), result.stderr)
        self.assertEqual(len(our_rows), len(theirs_rows), result.stderr)
        # Flow samples of one datagram come out in order; datagrams in capture order.
        for expected, got in zip(theirs_flows, our_flows):
            differing = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
            self.assertEqual(differing, {}, "fields that differ from tshark: {field: (tshark, "
                                            f"ours)}}\nours: {got}")
            self.assertEqual(got["flow_source"], "sflow5")
            if "sampling_rate" in expected and "bytes" in expected:
                self.assertEqual(got["bytes_scaled"], expected["bytes"] * expected["sampling_rate"])
        for expected, got in zip(theirs_rows, our_rows):
            differing = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
            self.assertEqual(differing, {}, f"counter fields that differ from tshark\nours: {got}")
        self.assertEqual(ipaddress.ip_address(our_flows[-1]["sampler_address"]).version, 6)


if __name__ == "__main__":
    unittest.main()
