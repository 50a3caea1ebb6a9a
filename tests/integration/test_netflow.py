"""NetFlow/IPFIX end to end: a real exporter (softflowd) and hand-built export packets sent over
loopback UDP -> the agent -> the embedded broker -> kcat. Flows are named after the exporting
device, keyed by it and on its Java partition; late templates, sampling, sequence gaps and bad
packets behave as documented (collectors/netflow/README.md)."""
import json
import os
import socket
import subprocess
import tempfile
import time
import unittest

import flow_packets as fp
import traffic
from netfeed_harness import (Agent, free_port, http_get, java_partition, kcat_consume,
                             metric_total as counter)

EXPORTER = "127.0.2.1"  # where the hand-built packets come from


def send_from(source, port, *packets):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        for p in packets:
            s.sendto(p, ("127.0.0.1", port))


class NetflowEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port, cls.kafka, cls.http = free_port(), free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
devices:
  - {{name: softflowd-lab, address: 127.0.0.1, site: lab}}
  - {{name: edge-r7, address: {EXPORTER}, site: lab}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{cls.port}'], held_timeout: 2s}}
routes:
  - {{kinds: [flow], topic: netfeed.flow, partitions: 6}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()

    def flows(self, predicate, expected, timeout=30):
        deadline = time.time() + timeout
        while True:
            records = kcat_consume(self.bootstrap, "netfeed.flow")
            found = [(r, json.loads(r.value)) for r in records]
            found = [(r, v) for r, v in found if predicate(v)]
            if len(found) >= expected or time.time() > deadline:
                return found
            time.sleep(0.3)

    def metrics(self):
        status, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertEqual(status, 200)
        return text

    def softflowd_export(self, version, dport_base):
        """softflowd reads a capture of FLOWS (ports shifted so each run is told apart) and exports
        them to the agent's socket. Returns the flows it was given."""
        workdir = tempfile.mkdtemp(prefix="netfeed_nf_live_")
        capture = os.path.join(workdir, "traffic.pcap")
        original = list(traffic.FLOWS)
        try:
            traffic.FLOWS[:] = [(s, d, p, sp + dport_base if sp else 0, dp + dport_base if dp else 0,
                                 n, size, tos)
                                for s, d, p, sp, dp, n, size, tos in original]
            flows = list(traffic.FLOWS)
            traffic.write_traffic(capture)
        finally:
            traffic.FLOWS[:] = original
        subprocess.run(["softflowd", "-r", capture, "-n", f"127.0.0.1:{self.port}", "-v", version,
                        "-D"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                       check=True)
        return flows

    def check_softflowd(self, version, dport_base):
        given = self.softflowd_export(version, dport_base)
        # v5 carries IPv4 only: softflowd leaves the IPv6 flows out of it.
        tcp_udp = [f for f in given if f[2] in (6, 17) and (version != "5" or ":" not in f[0])]
        wanted = {(f[0], f[1], f[3], f[4]) for f in tcp_udp}
        got = self.flows(lambda v: (v.get("src_addr"), v.get("dst_addr"), v.get("src_port"),
                                    v.get("dst_port")) in wanted and v["flow_version"] == int(version),
                         len(wanted))
        self.assertEqual({(v["src_addr"], v["dst_addr"], v["src_port"], v["dst_port"])
                          for _, v in got}, wanted)
        self.assertEqual(len(got), len(wanted), "a flow arrived twice")
        for record, value in got:
            self.assertEqual(value["device"], "softflowd-lab")
            self.assertEqual(value["sampler_address"], "127.0.0.1")
            self.assertEqual(record.key, "softflowd-lab")
            self.assertEqual(record.partition, java_partition(b"softflowd-lab", 6))
            self.assertEqual(record.headers.get("kind"), "flow")
        packets = {(f[0], f[1], f[3], f[4]): f[5] for f in tcp_udp}
        for _, value in got:
            key = (value["src_addr"], value["dst_addr"], value["src_port"], value["dst_port"])
            self.assertEqual(value["packets"], packets[key], key)
            self.assertGreater(value["bytes"], 0)
            self.assertLessEqual(value["time_flow_start_ns"], value["time_flow_end_ns"])

    def test_softflowd_v9_live(self):
        self.check_softflowd("9", 1)

    def test_softflowd_ipfix_live(self):
        self.check_softflowd("10", 2)

    def test_softflowd_v5_live(self):
        self.check_softflowd("5", 3)

    def test_data_before_template_is_decoded_when_the_template_comes(self):
        records = b"".join(fp.v4_record("10.9.0.1", "10.9.0.2", 7000 + i, 80, 6, 0x12, 1000 + i,
                                        3, 5, 6) for i in range(4))
        send_from(EXPORTER, self.port, fp.v9_packet([fp.flowset(400, records)], 1, source_id=7))
        time.sleep(0.5)
        self.assertEqual(self.flows(lambda v: v.get("src_addr") == "10.9.0.1", 1, timeout=1), [])
        send_from(EXPORTER, self.port, fp.v9_packet([fp.v9_template(400)], 2, source_id=7))
        got = self.flows(lambda v: v.get("src_addr") == "10.9.0.1", 4)
        self.assertEqual(sorted(v["src_port"] for _, v in got), [7000, 7001, 7002, 7003])
        for record, v in got:
            self.assertEqual(v["device"], "edge-r7")
            self.assertEqual(record.key, "edge-r7")
            self.assertEqual((v["in_if"], v["out_if"], v["packets"]), (5, 6, 3))
            self.assertEqual(v["observation_domain_id"], 7)
        deadline = time.time() + 10
        while counter(self.metrics(), "netfeed_netflow_held_flows_decoded_total") < 4:
            self.assertLess(time.time(), deadline, "held flows not counted")
            time.sleep(0.5)

    def test_sampling_from_options_data_scales_counts(self):
        options = fp.v9_options_template(500, [(1, 4)], [(34, 4), (35, 1)])
        options_data = fp.flowset(500, b"\0\0\0\0" + (100).to_bytes(4, "big") + b"\x02")
        data = fp.flowset(501, fp.v4_record("10.8.0.1", "10.8.0.2", 9000, 53, 17, 0, 640, 4, 1, 2))
        send_from(EXPORTER, self.port,
                  fp.v9_packet([options, fp.v9_template(501), options_data], 1, source_id=8),
                  fp.v9_packet([data], 2, source_id=8))
        (record, v), = self.flows(lambda v: v.get("src_addr") == "10.8.0.1", 1)
        self.assertEqual(v["sampling_rate"], 100)
        self.assertEqual((v["bytes"], v["packets"]), (640, 4))
        self.assertEqual((v["bytes_scaled"], v["packets_scaled"]), (64000, 400))

    def test_sequence_gaps_are_counted_as_lost(self):
        template = fp.ipfix_template(600)
        before = counter(self.metrics(), "netfeed_netflow_sequence_lost_total")
        one = fp.v4_record("10.7.0.1", "10.7.0.2", 1, 2, 6, 0, 10, 1, 1, 2)
        # IPFIX counts data records: 0 (2 records), 2 (1 record), then 10: 7 records lost.
        send_from(EXPORTER, self.port,
                  fp.ipfix_packet([template, fp.flowset(600, one + one)], 0, domain=9),
                  fp.ipfix_packet([fp.flowset(600, one)], 2, domain=9),
                  fp.ipfix_packet([fp.flowset(600, one)], 10, domain=9))
        self.flows(lambda v: v.get("src_addr") == "10.7.0.1", 4)
        deadline = time.time() + 10
        while counter(self.metrics(), "netfeed_netflow_sequence_lost_total") - before != 7:
            self.assertLess(time.time(), deadline,
                            "lost: " + str(counter(self.metrics(),
                                                   "netfeed_netflow_sequence_lost_total") - before))
            time.sleep(0.5)

    def test_ipfix_template_withdrawal_stops_decoding(self):
        record = fp.v4_record("10.6.0.1", "10.6.0.2", 1, 2, 6, 0, 10, 1, 1, 2)
        send_from(EXPORTER, self.port,
                  fp.ipfix_packet([fp.ipfix_template(700), fp.flowset(700, record)], 0, domain=11),
                  fp.ipfix_packet([fp.ipfix_withdrawal(700)], 1, domain=11),
                  fp.ipfix_packet([fp.flowset(700, record)], 1, domain=11))
        got = self.flows(lambda v: v.get("src_addr") == "10.6.0.1", 2, timeout=4)
        self.assertEqual(len(got), 1, "data after the withdrawal was decoded with the old template")

    def test_bad_packets_are_counted_and_the_next_good_one_decodes(self):
        garbage = [b"", b"\x00\x09", b"\x00\x05\x00\x1e" + b"\0" * 20, os.urandom(300),
                   fp.v9_header(1, 1, 12) + b"\x00\x00\xff\xff", b"\x00\x0a\x00\x10" + b"\0" * 12
                   + b"\x00\x02\x00\x08\x00\x01\x00\x00"]
        send_from(EXPORTER, self.port, *garbage)
        record = fp.v4_record("10.5.0.1", "10.5.0.2", 1, 2, 6, 0, 10, 1, 1, 2)
        send_from(EXPORTER, self.port,
                  fp.v9_packet([fp.v9_template(800), fp.flowset(800, record)], 5, source_id=13))
        self.assertEqual(len(self.flows(lambda v: v.get("src_addr") == "10.5.0.1", 1)), 1)
        deadline = time.time() + 10
        while True:
            errors = counter(self.metrics(), "netfeed_component_errors_total", component="netflow")
            if errors >= 3:
                break
            self.assertLess(time.time(), deadline, f"decode errors counted: {errors}")
            time.sleep(0.5)
        self.assertIsNone(self.agent.proc.poll(), "the agent died on bad input")



class NetflowPipelineFull(unittest.TestCase):
    """A burst far beyond a one-record pipeline queue: the flows refused are counted as
    queue_full and said in the log (once, rate-limited); accepted + dropped = decoded."""

    def test_a_full_pipeline_counts_and_logs_the_flows_it_drops(self):
        port, http = free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}, queue_capacity: 1, batch_size: 1}}
kafka: {{embedded_listen: '127.0.0.1:0'}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{port}']}}
""")
        try:
            records = b"".join(fp.v4_record("10.8.0.1", "10.8.0.2", 9000 + i, 80, 6, 0x12, 100,
                                            1, 1, 2) for i in range(20))
            packets = [fp.v9_packet([fp.v9_template(410)], 1, source_id=3)]
            packets += [fp.v9_packet([fp.flowset(410, records)], 2 + k, source_id=3)
                        for k in range(200)]
            send_from("127.0.0.1", port, *packets)
            self.assertTrue(agent.wait_for("pipeline full: dropping flow records", 20),
                            agent.output()[-2000:])
            deadline = time.time() + 20
            while True:
                _, text = http_get(f"http://127.0.0.1:{http}/metrics")
                dropped = counter(text, "netfeed_component_dropped_total", component="netflow",
                                  reason="queue_full")
                sent = counter(text, "netfeed_component_sent_total", stage="collector",
                               component="netflow")
                # Every data packet received carries 20 flows; the template packet none.
                decoded = 20 * (counter(text, "netfeed_component_received_total",
                                        component="netflow") - 1)
                if dropped > 0 and sent + dropped >= decoded > 0 or time.time() > deadline:
                    break
                time.sleep(0.5)
            print(f"\ndecoded {decoded:.0f}, accepted {sent:.0f}, dropped queue_full {dropped:.0f}")
            self.assertGreater(dropped, 0)
            self.assertEqual(sent + dropped, decoded)
        finally:
            agent.stop()


class NetflowReceiveWorkers(unittest.TestCase):
    """`workers: 3`: three SO_REUSEPORT sockets on one port, each drained by its own thread.
    Eight exporters (each its own template and sequence numbers) send at once; every flow
    reaches Kafka exactly once, no exporter's sequence numbers show a gap (the kernel keeps an
    exporter on one socket, so its packets stay in order), and the threads exist."""

    def test_several_workers_take_every_exporter_in_order(self):
        port, http, kafka = free_port(), free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{port}'], workers: 3}}
routes:
  - {{kinds: [flow], topic: netfeed.flow, partitions: 3}}
""")
        try:
            self.assertTrue(agent.wait_for("3 receive workers on SO_REUSEPORT sockets", 10),
                            agent.output()[-2000:])
            names = []
            for task in os.listdir(f"/proc/{agent.proc.pid}/task"):
                with open(f"/proc/{agent.proc.pid}/task/{task}/comm") as f:
                    names.append(f.read().strip())
            self.assertEqual(sorted(n for n in names if n.startswith("netflow-rx")),
                             ["netflow-rx0", "netflow-rx1", "netflow-rx2"])
            exporters = [f"127.0.9.{i}" for i in range(1, 9)]
            sockets = []
            for address in exporters:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((address, 0))
                sockets.append(s)
            packets, flows = 40, 10
            try:
                for e, s in enumerate(sockets):
                    s.sendto(fp.v9_packet([fp.v9_template(420)], 0, source_id=e), ("127.0.0.1", port))
                time.sleep(0.3)
                # Interleaved: every exporter's packet k before any exporter's k+1.
                for k in range(1, packets + 1):
                    for e, s in enumerate(sockets):
                        records = b"".join(
                            fp.v4_record("10.9.0.1", "10.9.0.2", 1000 * e + k, 10 + i, 6, 0x18,
                                         100, 1, 1, 2) for i in range(flows))
                        s.sendto(fp.v9_packet([fp.flowset(420, records)], k, source_id=e),
                                 ("127.0.0.1", port))
            finally:
                for s in sockets:
                    s.close()
            expected = len(exporters) * packets * flows
            deadline = time.time() + 30
            while True:
                values = [json.loads(r.value) for r in kcat_consume(f"127.0.0.1:{kafka}",
                                                                    "netfeed.flow")]
                if len(values) >= expected or time.time() > deadline:
                    break
                time.sleep(0.5)
            seen = {(v["sampler_address"], v["src_port"], v["dst_port"]) for v in values}
            self.assertEqual(len(values), expected)
            self.assertEqual(len(seen), expected)  # each flow once
            self.assertEqual({v["sampler_address"] for v in values}, set(exporters))
            _, text = http_get(f"http://127.0.0.1:{http}/metrics")
            self.assertEqual(counter(text, "netfeed_netflow_sequence_lost_total"), 0)
            self.assertEqual(counter(text, "netfeed_component_received_total",
                                     component="netflow"), len(exporters) * (packets + 1))
        finally:
            agent.stop()


if __name__ == "__main__":
    unittest.main()
