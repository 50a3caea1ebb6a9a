"""NetFlow v5, v9 and IPFIX from a real exporter (softflowd), decoded by the agent and by an
independent decoder (tshark) from the same capture: every field tshark decodes must be equal.

The exports are captured as softflowd sends them over loopback, written to a pcap, and fed to
`netfeed replay` (the same collector code as a live socket) and to `tshark -T json`."""
import datetime
import ipaddress
import json
import os
import struct
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

import flow_packets
import traffic
from netfeed_harness import NETFEED, free_port

PORT = 29055


def tshark_flows(capture):
    """Every data flow tshark decodes, with our field names, and its header fields."""
    out = subprocess.run(["tshark", "-r", capture, "-d", f"udp.port=={PORT},cflow", "-T", "json"],
                         capture_output=True, text=True, check=True).stdout
    flows = []
    sys_init_ms = None
    for packet in json.loads(out):
        cflow = packet["_source"]["layers"]["cflow"]
        version = int(cflow["cflow.version"])
        header = {
            "version": version,
            "sequence": int(cflow["cflow.sequence"]),
            "export_ms": parse_time_ms(cflow["cflow.timestamp"]),
            "uptime_ms": round(float(cflow.get("cflow.sysuptime", "0")) * 1000),
        }
        if version == 5:
            header["domain"] = (int(cflow["cflow.engine_type"]) << 8) | int(cflow["cflow.engine_id"])
            header["sampling"] = int(cflow.get("cflow.samplerate", "0"))
        else:
            header["domain"] = int(cflow.get("cflow.source_id", cflow.get("cflow.od_id", "0")))
        for raw in iter_flows(cflow):
            if "cflow.sys_init_time" in raw:
                sys_init_ms = round(parse_time(raw["cflow.sys_init_time"]) * 1000)
            if "cflow.srcaddr" not in raw and "cflow.srcaddrv6" not in raw:
                continue  # an options record (sampling, interface names)
            flows.append(normalise(raw, header, sys_init_ms))
    return flows


def iter_flows(node):
    for key, value in node.items():
        if isinstance(value, dict):
            if key.startswith("Flow ") or key.startswith("pdu "):
                yield value
            else:
                yield from iter_flows(value)


def parse_time_ms(text):
    """Whole milliseconds, cut (not rounded) as the v5 header's nanoseconds are read: exact
    integers, since a float of seconds since 1970 cannot hold nanoseconds."""
    head, fraction = text.replace(" UTC", "").split(".")
    t = datetime.datetime.strptime(head, "%b %d, %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    nanos = int(fraction.ljust(9, "0")[:9])
    return int(t.timestamp()) * 1000 + nanos // 1_000_000


def parse_time(text):
    # "Nov 23, 2026 03:33:38.000000000 UTC"
    head, fraction = text.replace(" UTC", "").split(".")
    t = datetime.datetime.strptime(head, "%b %d, %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() + int(fraction) / 10 ** len(fraction)


def signed32(n):
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n >= 1 << 31 else n


def normalise(raw, header, sys_init_ms):
    f = {}
    f["src_addr"] = raw.get("cflow.srcaddr") or raw.get("cflow.srcaddrv6")
    f["dst_addr"] = raw.get("cflow.dstaddr") or raw.get("cflow.dstaddrv6")
    for ours, theirs in (("src_port", "cflow.srcport"), ("dst_port", "cflow.dstport"),
                         ("proto", "cflow.protocol"), ("bytes", "cflow.octets"),
                         ("packets", "cflow.packets"), ("in_if", "cflow.inputint"),
                         ("out_if", "cflow.outputint"), ("src_as", "cflow.srcas"),
                         ("dst_as", "cflow.dstas"), ("src_net", "cflow.srcmask"),
                         ("dst_net", "cflow.dstmask"), ("direction", "cflow.direction"),
                         ("flow_end_reason", "cflow.flow_end_reason")):
        if theirs in raw:
            f[ours] = int(raw[theirs])
    for ours, theirs in (("tcp_flags", "cflow.tcpflags"), ("ip_tos", "cflow.tos")):
        if theirs in raw:
            f[ours] = int(raw[theirs], 16)
    if "cflow.icmp_type_code_ipv4" in raw or "cflow.icmp_type_code_ipv6" in raw:
        code = int(raw.get("cflow.icmp_type_code_ipv4") or raw["cflow.icmp_type_code_ipv6"], 16)
        f["icmp_type"], f["icmp_code"] = code >> 8, code & 0xFF
    next_hop = raw.get("cflow.nexthop") or raw.get("cflow.nexthopv6")
    if next_hop is not None:
        f["next_hop"] = next_hop
    f["sequence_num"] = header["sequence"]
    f["observation_domain_id"] = header["domain"]
    if "sampling" in header and header["sampling"]:
        f["sampling_rate"] = header["sampling"]
    times = raw.get("cflow.timedelta_tree", {})
    for ours, theirs in (("time_flow_start_ns", "cflow.timestart"),
                         ("time_flow_end_ns", "cflow.timeend")):
        if theirs not in times:
            continue
        relative_ms = round(float(times[theirs]) * 1000)
        if header["version"] == 10:
            # flowStart/EndSysUpTime: milliseconds after systemInitTimeMilliseconds. softflowd
            # writes times before its start as negative numbers; read them as signed, as ours does.
            absolute_ms = sys_init_ms + signed32(relative_ms)
        else:
            # v5/v9: milliseconds of uptime; the export header says what uptime was when.
            absolute_ms = header["export_ms"] - signed32(header["uptime_ms"] - relative_ms)
        f[ours] = absolute_ms * 1_000_000
    return f


def fix_v9_count(capture_in, capture_out):
    """softflowd puts only the data records in the v9 header's Count, which RFC 3954 defines as
    every record (templates and options too); tshark trusts Count and stops early. Our decoder
    does not need Count; to let tshark see every flow we write the RFC value into the copy both
    decoders read."""
    with open(capture_in, "rb") as f:
        data = bytearray(f.read())
    offset = 24  # after the pcap file header
    while offset + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, offset + 8)[0]
        payload = offset + 16 + 14 + 20 + 8  # Ethernet, IPv4, UDP as traffic.py writes them
        if struct.unpack_from("!H", data, payload)[0] == 9:
            struct.pack_into("!H", data, payload + 2,
                             count_records(data, payload, offset + 16 + caplen))
        offset += 16 + caplen
    with open(capture_out, "wb") as f:
        f.write(data)


def count_records(data, payload, end):
    """RFC 3954 Count: template records + options template records + data records. Data records
    are counted from each set's length and the template's record length."""
    templates = {}
    count = 0
    cursor = payload + 20
    while cursor + 4 <= end:
        set_id, length = struct.unpack_from("!HH", data, cursor)
        if length < 4:
            break
        body = bytes(data[cursor + 4:cursor + length])
        if set_id == 0:
            i = 0
            while i + 4 <= len(body):
                template_id, fields = struct.unpack_from("!HH", body, i)
                size = sum(struct.unpack_from("!H", body, i + 4 + 4 * k + 2)[0] for k in range(fields))
                templates[template_id] = size
                count += 1
                i += 4 + fields * 4
        elif set_id == 1:
            template_id, scope_len, option_len = struct.unpack_from("!HHH", body, 0)
            size = sum(struct.unpack_from("!H", body, 6 + 4 * k + 2)[0]
                       for k in range((scope_len + option_len) // 4))
            templates[template_id] = size
            count += 1
        elif set_id in templates and templates[set_id] > 0:
            count += len(body) // templates[set_id]
        cursor += length
    return count


def our_flows(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


# tshark's name -> ours, for the template classes of issue 15 (edge_flows_tshark below).
EDGE_INTEGERS = {
    "cflow.srcport": "src_port", "cflow.dstport": "dst_port", "cflow.protocol": "proto",
    "cflow.octets": "bytes", "cflow.packets": "packets", "cflow.inputint": "in_if",
    "cflow.outputint": "out_if", "cflow.flow_id": "flow_id",
    "cflow.icmp_ipv4_type": "icmp_type", "cflow.icmp_ipv4_code": "icmp_code",
    "cflow.post_naptsource_transport_port": "nat_src_port",
    "cflow.post_naptdestination_transport_port": "nat_dst_port",
    "cflow.firewall_event": "fw_event", "cflow.fw_ext_event": "fw_ext_event",
    "cflow.biflow_direction": "biflow_direction",
    # Cisco ASA's NF_F_FWD/REV_FLOW_DELTA_BYTES (IANA initiatorOctets, responderOctets).
    "cflow.initiator_octets": "bytes", "cflow.responder_octets": "reverse_bytes",
}
EDGE_HEX = {"cflow.tcpflags": "tcp_flags", "cflow.tos": "ip_tos"}
# RFC 5103 reverse elements: tshark names them as the forward ones and says "Reverse" in the
# label (its JSON output drops that, hence PDML).
EDGE_REVERSE = {"cflow.octets": "reverse_bytes", "cflow.packets": "reverse_packets",
                "cflow.tcpflags": "reverse_tcp_flags", "cflow.tos": "reverse_ip_tos"}
EDGE_ADDRESSES = {
    "cflow.srcaddr": "src_addr", "cflow.srcaddrv6": "src_addr",
    "cflow.dstaddr": "dst_addr", "cflow.dstaddrv6": "dst_addr",
    "cflow.nexthop": "next_hop", "cflow.nexthopv6": "next_hop",
    "cflow.post_natsource_ipv4_address": "nat_src_addr",
    "cflow.post_nat_source_ipv6_address": "nat_src_addr",
    "cflow.post_natdestination_ipv4_address": "nat_dst_addr",
    "cflow.post_nat_destination_ipv6_address": "nat_dst_addr",
}
EDGE_TIMES = {"cflow.observation_time_milliseconds": "observation_time_ns",
              "cflow.abstimestart": "time_flow_start_ns", "cflow.abstimeend": "time_flow_end_ns"}
EDGE_STRINGS = {"cflow.aaa_username": "username", "cflow.user_name": "username"}
EDGE_ACLS = {"cflow.ingress_acl_id": "ingress_acl_id", "cflow.egress_acl_id": "egress_acl_id"}
# Parts of a field tshark shows as fields of their own.
EDGE_IGNORED_PREFIXES = ("cflow.tcpflags.", "cflow.string_len", "cflow.padding")


def time_ns(text):
    head, fraction = text.replace(" UTC", "").split(".")
    t = datetime.datetime.strptime(" ".join(head.split()), "%b %d, %Y %H:%M:%S")
    t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1_000_000_000 + int(fraction.ljust(9, "0")[:9])


def edge_flows_tshark(capture):
    """Every data flow tshark decodes from the capture, with our names, read from PDML so that
    RFC 5103 reverse elements can be told from forward ones. Fails on a field it cannot name,
    so a field tshark decodes can never go unchecked."""
    out = subprocess.run(["tshark", "-r", capture, "-d", f"udp.port=={PORT},cflow", "-T", "pdml"],
                         capture_output=True, text=True, check=True).stdout
    flows = []
    for node in ElementTree.fromstring(out).iter("field"):
        if node.get("name") != "" or not node.get("show", "").startswith("Flow "):
            continue
        flow, addresses, unknown = {}, {}, []
        engine = None
        for field in node:
            name, show = field.get("name"), field.get("show")
            reverse = "(Reverse " in field.get("showname", "")
            if reverse and name in EDGE_REVERSE:
                ours = EDGE_REVERSE[name]
                flow[ours] = int(show, 16) if name in EDGE_HEX else int(show)
            elif name in EDGE_INTEGERS:
                flow[EDGE_INTEGERS[name]] = int(show)
            elif name in EDGE_HEX:
                flow[EDGE_HEX[name]] = int(show, 16)
            elif name in EDGE_ADDRESSES:
                addresses.setdefault(EDGE_ADDRESSES[name], []).append(show)
            elif name in EDGE_TIMES:
                flow[EDGE_TIMES[name]] = time_ns(show)
            elif name in EDGE_STRINGS:
                flow[EDGE_STRINGS[name]] = show
            elif name in EDGE_ACLS:
                words = field.get("value")
                if int(words, 16) != 0:  # all zero: the ASA applied no ACL of that direction
                    flow[EDGE_ACLS[name]] = "-".join(words[i:i + 8] for i in (0, 8, 16))
            elif name == "cflow.appl_id.classification_engine_id":
                engine = int(show)
            elif name == "cflow.appl_id.selector_id":
                flow["application_id"] = f"{engine}:{int(field.get('value'), 16)}"
            elif not name.startswith(EDGE_IGNORED_PREFIXES):
                unknown.append(name)
        for ours, shown in addresses.items():
            # A template with both families: the address that is set; all zero, the first.
            set_ = [a for a in shown if ipaddress.ip_address(a).packed.strip(b"\0")]
            flow[ours] = set_[0] if set_ else shown[0]
        flow["unknown"] = unknown
        flows.append(flow)
    return flows


class NetflowAgainstTshark(unittest.TestCase):
    def export(self, version, workdir):
        traffic_pcap = os.path.join(workdir, "traffic.pcap")
        traffic.write_traffic(traffic_pcap)
        capture = traffic.ExportCapture(PORT)
        proc = subprocess.Popen(["softflowd", "-r", traffic_pcap, "-n", f"127.0.0.1:{PORT}",
                                 "-v", version, "-D"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        datagrams = capture.collect(quiet_for=1.5, limit=30)
        proc.wait(30)
        self.assertTrue(datagrams, "softflowd exported nothing")
        export_pcap = os.path.join(workdir, f"export_v{version}.pcap")
        capture.write(export_pcap)
        if version == "9":
            fixed = os.path.join(workdir, "export_v9_count.pcap")
            fix_v9_count(export_pcap, fixed)
            export_pcap = fixed
        return export_pcap

    def replay(self, capture, workdir):
        out = os.path.join(workdir, "flows.jsonl")
        config = os.path.join(workdir, "netfeed.yaml")
        with open(config, "w") as f:
            f.write(f"""
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{PORT}'], bind: false}}
sinks:
  - {{type: file, name: out, path: {out}}}
routes:
  - {{kinds: [flow], sink: out}}
""")
        result = subprocess.run([NETFEED, "replay", capture, "-c", config], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return our_flows(out), result.stderr

    def cross_check(self, version):
        workdir = tempfile.mkdtemp(prefix=f"netfeed_nf{version}_")
        capture = self.export(version, workdir)
        theirs = tshark_flows(capture)
        ours, log = self.replay(capture, workdir)
        self.assertGreaterEqual(len(theirs), 6, "tshark decoded too little to compare")
        self.assertEqual(len(ours), len(theirs), f"flows: ours {len(ours)}, tshark {len(theirs)}\n{log}")
        unmatched = list(ours)
        for expected in theirs:
            key = (expected["src_addr"], expected["dst_addr"], expected.get("src_port"),
                   expected.get("dst_port"), expected["proto"])
            candidates = [o for o in unmatched
                          if (o.get("src_addr"), o.get("dst_addr"), o.get("src_port"),
                              o.get("dst_port"), o.get("proto")) == key]
            self.assertEqual(len(candidates), 1, f"no single flow of ours for {key}")
            got = candidates[0]
            unmatched.remove(got)
            differing = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
            self.assertEqual(differing, {}, f"fields that differ from tshark for {key}: "
                                            "{field: (tshark, ours)}")
            self.assertEqual(got["flow_version"], int(version))
            self.assertEqual(got["sampler_address"], "127.0.0.1")
            self.assertEqual(got["kind"], "flow")
        return ours

    def test_template_classes(self):
        """Both address families in one template, zero-length fields, RFC 5103 biflows, Cisco
        ASA NSEL (NAT, firewall events, ACL ids, usernames, ASA 8.2 ids), Cisco AVC
        application ids: every field tshark decodes equals ours, none left as hex."""
        workdir = tempfile.mkdtemp(prefix="netfeed_nfedge_")
        capture = os.path.join(workdir, "edge.pcap")
        now = int(time.time())
        with traffic.PcapWriter(capture) as w:
            for i, packet in enumerate([flow_packets.v9_edge_packet(1, now),
                                        flow_packets.ipfix_edge_packet(1, now)]):
                w.write(now + i, traffic.ethernet(traffic.ip_packet(
                    "127.0.0.1", "127.0.0.1", 17, traffic.udp_segment(40000, PORT, packet)), False))
        theirs = edge_flows_tshark(capture)
        ours, log = self.replay(capture, workdir)
        self.assertEqual(len(theirs), 11, "tshark did not decode every flow built")
        self.assertEqual(len(ours), len(theirs), log)
        for i, (expected, got) in enumerate(zip(theirs, ours)):
            self.assertEqual(expected.pop("unknown"), [], f"flow {i}: fields with no name here")
            differing = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
            self.assertEqual(differing, {}, f"flow {i}: {{field: (tshark, ours)}}")
            self.assertNotIn("extra", got, f"flow {i} kept fields as hex")
        # What tshark cannot say: the classes' own expectations.
        self.assertEqual([f["src_addr"] for f in ours[:2]], ["10.0.0.1", "2001:db8::a"])
        self.assertEqual(ours[7]["src_addr"], "192.168.0.1")
        self.assertEqual((ours[8]["bytes"], ours[8]["reverse_bytes"]), (5120, 81920))
        self.assertEqual(ours[4]["username"], "alice")
        self.assertEqual(ours[5]["username"], "u" * 64)
        self.assertNotIn("username", ours[6])

    def test_netflow_v5(self):
        ours = self.cross_check("5")
        self.assertTrue(all(":" not in f["src_addr"] for f in ours))  # v5 carries IPv4 only

    def test_netflow_v9(self):
        ours = self.cross_check("9")
        self.assertTrue(any(":" in f["src_addr"] for f in ours))

    def test_ipfix(self):
        ours = self.cross_check("10")
        self.assertTrue(any(":" in f["src_addr"] for f in ours))


if __name__ == "__main__":
    unittest.main()
