"""Restart-safe collector state under agent.state_dir (fault test 4 of issue 12): NetFlow v9 and
IPFIX templates learnt by one agent decode the DATA-ONLY packets sent to the next one, after a
SIGTERM and after a kill -9 (once the state file was written); a changed template sent after
the restart replaces the loaded one; a second `netfeed replay` of a data-only capture decodes
with the templates of the first; and SNMP counter rates continue in the first poll after a
restart. Flows are numbered (src_port) and read back one by one with kcat from a separate
`netfeed broker`, so what the first agent delivered outlives it."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import flow_packets as fp
from netfeed_harness import (NETFEED, Agent, Broker, Process, free_port, http_get, kcat_consume,
                             lab_program, metric_total)
from traffic import PcapWriter, ethernet, ip_packet, udp_segment

EXPORTER = "127.0.2.9"
V9_SOURCE, IPFIX_DOMAIN = 7, 9
TEMPLATE = 300  # the same id in v9 and IPFIX
FLOWS_PER_PACKET = 20


def send_from(port, *packets):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((EXPORTER, 0))
        for p in packets:
            s.sendto(p, ("127.0.0.1", port))
            time.sleep(0.002)


def records(first, tag, count=FLOWS_PER_PACKET):
    """Flows numbered first..first+count-1 in their source port; the test's tag in the
    destination port; octets and packets derived from the number."""
    return b"".join(fp.v4_record("10.20.0.1", "10.20.0.2", n, tag, 6, 0x10, 1000 + n, 1 + n % 7,
                                 3, 4) for n in range(first, first + count))


def v9_data(first, tag, sequence):
    return fp.v9_packet([fp.flowset(TEMPLATE, records(first, tag))], sequence, source_id=V9_SOURCE)


def ipfix_data(first, tag, sequence):
    return fp.ipfix_packet([fp.flowset(TEMPLATE, records(first, tag))], sequence,
                           domain=IPFIX_DOMAIN)


def templates_and_data(first, tag):
    """v9 source 7 and IPFIX domain 9, each a template and one data set, in one packet each."""
    return [fp.v9_packet([fp.v9_template(TEMPLATE), fp.flowset(TEMPLATE, records(first, tag))], 1,
                         source_id=V9_SOURCE),
            fp.ipfix_packet([fp.ipfix_template(TEMPLATE),
                             fp.flowset(TEMPLATE, records(first + 1000, tag))], 1,
                            domain=IPFIX_DOMAIN)]


def agent_config(state_dir, broker, port, http):
    return f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}, state_dir: {state_dir}}}
kafka: {{brokers: {broker}}}
devices:
  - {{name: edge-r9, address: {EXPORTER}}}
collectors:
  - {{type: netflow, name: flows, listen: ['127.0.0.1:{port}'], held_timeout: 60s}}
routes:
  - {{kinds: [flow], topic: netfeed.flow, partitions: 4}}
"""


def compare(test, sent, got, what):
    """sent: {number: (bytes, packets)}; got: flow values. One by one, with a printed tally."""
    by_number = {}
    duplicated = 0
    for v in got:
        duplicated += v["src_port"] in by_number
        by_number[v["src_port"]] = v
    missing = sorted(set(sent) - set(by_number))
    print(f"{what}: sent {len(sent)} / read back {len(by_number)} / missing {len(missing)} / "
          f"duplicated {duplicated}", flush=True)
    test.assertEqual(missing, [], f"{what}: flows not decoded")
    test.assertEqual(duplicated, 0, what)
    for n, (octets, packets) in sent.items():
        v = by_number[n]
        test.assertEqual((v["bytes"], v["packets"], v["device"]), (octets, packets, "edge-r9"),
                         f"{what}: flow {n}")


def expected(first, count=FLOWS_PER_PACKET):
    return {n: (1000 + n, 1 + n % 7) for n in range(first, first + count)}


class NetflowTemplatesSurviveARestart(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = Broker(topics=["netfeed.flow"], partitions=4)

    @classmethod
    def tearDownClass(cls):
        cls.broker.stop()

    def setUp(self):
        self.state = tempfile.mkdtemp(prefix="netfeed_state_")
        self.tag = free_port()  # tells this test's flows from the others' on the shared topic

    def tearDown(self):
        shutil.rmtree(self.state, ignore_errors=True)

    def start_agent(self):
        port, http = free_port(), free_port()
        agent = Agent(agent_config(self.state, self.broker.bootstrap, port, http))
        agent.port, agent.http = port, http
        return agent

    def metrics(self, agent):
        status, text = http_get(f"http://127.0.0.1:{agent.http}/metrics")
        self.assertEqual(status, 200)
        return text

    def wait_metric(self, agent, name, at_least, timeout=20, **labels):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if metric_total(self.metrics(agent), name, **labels) >= at_least:
                return
            time.sleep(0.1)
        self.fail(f"{name} {labels} stayed below {at_least}:\n{agent.output()}")

    def flows(self, count, timeout=30):
        deadline = time.time() + timeout
        while True:
            got = [json.loads(r.value) for r in kcat_consume(self.broker.bootstrap, "netfeed.flow")]
            got = [v for v in got if v.get("dst_port") == self.tag]
            if len(got) >= count or time.time() > deadline:
                return got
            time.sleep(0.3)

    def learn_then_restart(self, how):
        """Agent one learns both templates (and decodes their data), then is stopped `how`;
        agent two starts on the same state_dir. Returns agent two."""
        first = self.start_agent()
        try:
            send_from(first.port, *templates_and_data(1, self.tag))
            got = self.flows(2 * FLOWS_PER_PACKET)
            compare(self, expected(1) | expected(1001), got, "before the restart")
            self.wait_metric(first, "netfeed_state_saves_total", 1, collector="flows")
        finally:
            if how == "kill":
                first.stop(signal.SIGKILL)
            else:
                self.assertEqual(first.stop(), 0, first.output())
        path = os.path.join(self.state, "flows", "templates.json")
        with open(path) as f:
            saved = json.load(f)
        self.assertEqual(len(saved["templates"]), 2, saved)
        second = self.start_agent()
        self.assertTrue(second.wait_for("restored 2 templates of 2 exporters", 10),
                        second.output())
        return second

    def check_data_only(self, how):
        second = self.learn_then_restart(how)
        try:
            # DATA-ONLY packets: nothing may wait for a template.
            send_from(second.port, v9_data(2001, self.tag, 2), ipfix_data(3001, self.tag, 2))
            got = [v for v in self.flows(4 * FLOWS_PER_PACKET) if v["src_port"] > 2000]
            compare(self, expected(2001) | expected(3001), got, f"after {how}")
            self.assertEqual({v["flow_version"] for v in got}, {9, 10})
            self.assertEqual(metric_total(self.metrics(second), "netfeed_netflow_held_bytes"), 0)
        finally:
            self.assertEqual(second.stop(), 0, second.output())

    def test_templates_survive_sigterm(self):
        self.check_data_only("sigterm")

    def test_templates_survive_kill_9_once_saved(self):
        self.check_data_only("kill")

    def test_a_changed_template_sent_after_the_restart_replaces_the_loaded_one(self):
        second = self.learn_then_restart("sigterm")
        try:
            # The exporter was reconfigured meanwhile: template 300 is now addresses, ports,
            # protocol and octets in 4 bytes (no packets). Data decoded with the old template
            # would read garbage; with the new one it reads these values.
            fields = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (1, 4)]
            body = b"".join(socket.inet_aton("10.20.0.1") + socket.inet_aton("10.20.0.2") +
                            n.to_bytes(2, "big") + self.tag.to_bytes(2, "big") + b"\x06" +
                            (5000 + n).to_bytes(4, "big") for n in range(4001, 4011))
            send_from(second.port,
                      fp.v9_packet([fp.v9_template(TEMPLATE, fields), fp.flowset(TEMPLATE, body)],
                                   3, source_id=V9_SOURCE))
            got = [v for v in self.flows(2 * FLOWS_PER_PACKET + 10) if v["src_port"] > 4000]
            self.assertEqual(sorted(v["src_port"] for v in got), list(range(4001, 4011)))
            for v in got:
                self.assertEqual(v["bytes"], 5000 + v["src_port"], v)
                self.assertNotIn("packets", v)
            # The IPFIX domain's loaded template is untouched by the v9 change.
            send_from(second.port, ipfix_data(5001, self.tag, 2))
            got = [v for v in self.flows(3 * FLOWS_PER_PACKET + 10) if v["src_port"] > 5000]
            compare(self, expected(5001), got, "IPFIX beside the changed v9 template")
            # And the change is what the next restart loads.
            self.wait_metric(second, "netfeed_state_saves_total", 1, collector="flows")
        finally:
            self.assertEqual(second.stop(), 0, second.output())
        with open(os.path.join(self.state, "flows", "templates.json")) as f:
            saved = {(t["version"], t["id"]): t for t in json.load(f)["templates"]}
        self.assertEqual([f[:2] for f in saved[(9, TEMPLATE)]["fields"]], [list(f) for f in fields])

    def test_a_corrupt_state_file_is_counted_and_set_aside(self):
        os.makedirs(os.path.join(self.state, "flows"))
        path = os.path.join(self.state, "flows", "templates.json")
        with open(path, "w") as f:
            f.write('{"format": "netfeed-netflow-state", "version": 1, "templ')
        agent = self.start_agent()
        try:
            self.assertEqual(metric_total(self.metrics(agent), "netfeed_state_load_errors_total",
                                          collector="flows"), 1)
            self.assertIn("ignoring saved templates", agent.output())
            # It still works: templates and data decode as on a first start.
            send_from(agent.port, *templates_and_data(6001, self.tag))
            got = [v for v in self.flows(2 * FLOWS_PER_PACKET) if 6000 < v["src_port"] < 8000]
            compare(self, expected(6001) | expected(7001), got, "after a corrupt state file")
        finally:
            self.assertEqual(agent.stop(), 0, agent.output())
        self.assertTrue(os.path.exists(path + ".corrupt"))
        with open(path) as f:
            self.assertEqual(len(json.load(f)["templates"]), 2)


def write_capture(path, port, packets, start):
    with PcapWriter(path) as w:
        for i, p in enumerate(packets):
            w.write(start + i * 0.01,
                    ethernet(ip_packet(EXPORTER, "127.0.0.1", 17, udp_segment(40000, port, p)),
                             False))


class ReplayKeepsTemplates(unittest.TestCase):
    def test_a_second_replay_of_data_only_packets_decodes_with_the_first_ones_templates(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_replay_state_")
        try:
            port, tag = 2055, 4242
            with open(os.path.join(workdir, "config.yaml"), "w") as f:
                f.write(f"""
agent: {{http: {{enabled: false}}, state_dir: state}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
devices:
  - {{name: edge-r9, address: {EXPORTER}}}
collectors:
  - {{type: netflow, name: flows, listen: ['127.0.0.1:{port}'], bind: false}}
sinks:
  - {{type: file, name: out, path: flows.jsonl}}
routes:
  - {{kinds: [flow], sink: out}}
""")
            now = time.time()
            write_capture(os.path.join(workdir, "first.pcap"), port, templates_and_data(1, tag),
                          now - 60)
            write_capture(os.path.join(workdir, "second.pcap"), port,
                          [v9_data(2001, tag, 2), ipfix_data(3001, tag, 2)], now - 30)
            results = []
            for capture in ("first.pcap", "second.pcap"):
                out = os.path.join(workdir, "flows.jsonl")
                if os.path.exists(out):
                    os.remove(out)
                result = subprocess.run([NETFEED, "replay", capture, "-c", "config.yaml"],
                                        cwd=workdir, capture_output=True, text=True, timeout=120)
                self.assertEqual(result.returncode, 0, result.stderr)
                with open(out) as f:
                    results.append([json.loads(line) for line in f if line.strip()])
                results[-1].append(result.stderr)
            first_log, second_log = results[0].pop(), results[1].pop()
            compare(self, expected(1) | expected(1001), results[0], "first replay")
            self.assertIn("restored 2 templates of 2 exporters", second_log)
            compare(self, expected(2001) | expected(3001), results[1],
                    "second replay, data only")
            self.assertIn("no saved templates", first_log)
            self.assertTrue(os.path.exists(os.path.join(workdir, "state", "flows",
                                                        "templates.json")))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


class SnmpRatesSurviveARestart(unittest.TestCase):
    """snmp-sim's live device (lab/snmp_sim): its counters move at known rates and its sysUpTime
    runs on while the agent restarts between two polls."""

    INTERVAL = 10  # long enough that a slow restart stays within twice of it

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_snmp_state_")
        self.broker = Broker(topics=["before", "after"], partitions=2)
        self.sim_port = free_port()
        self.sim = self.start_sim()

    def tearDown(self):
        self.sim.stop(signal.SIGTERM, timeout=10)
        self.broker.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_sim(self):
        sim = Process([lab_program("snmp-sim"), "--port", str(self.sim_port), "--devices", "2",
                       "--community", "live{}", "--address", "127.0.23.1", "--spread", "addresses"])
        self.assertTrue(sim.wait_for("snmp-sim ready", 20), sim.output())
        return sim

    def agent(self, topic):
        http = free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}, state_dir: {self.dir}/state}}
kafka: {{brokers: {self.broker.bootstrap}}}
credentials:
  live1: {{community: live1}}
devices:
  - {{name: live, address: 127.0.23.2, credentials: live1, collectors: [poller]}}
collectors:
  - type: snmp
    name: poller
    interval: {self.INTERVAL}s
    first_poll_spread: 0s
    timeout: 1s
    profiles: [system, interfaces]
    port: {self.sim_port}
routes:
  - {{kinds: [snmp], topic: {topic}, partitions: 2}}
  - {{kinds: [status], topic: {topic}, partitions: 2}}
""")
        agent.http = http
        return agent

    def first_poll(self, topic, timeout=30):
        """The interface rows of the first poll in `topic` (all 48 of them)."""
        deadline = time.time() + timeout
        while True:
            rows = [json.loads(r.value) for r in kcat_consume(self.broker.bootstrap, topic)]
            rows = [r for r in rows if r.get("snmp_table") == "interfaces"]
            if rows:
                first = min(r["time"] for r in rows)
                rows = [r for r in rows if r["time"] == first]
                if len(rows) >= 48 or time.time() > deadline:
                    return rows
            elif time.time() > deadline:
                self.fail(f"no interface rows in {topic}")
            time.sleep(0.3)

    def saved_once(self, agent):
        deadline = time.time() + 20
        while time.time() < deadline:
            _, text = http_get(f"http://127.0.0.1:{agent.http}/metrics")
            if metric_total(text, "netfeed_state_saves_total", collector="poller") >= 1:
                return
            time.sleep(0.2)
        self.fail("the baselines were never saved:\n" + agent.output())

    def test_the_first_poll_after_a_restart_has_rates(self):
        first = self.agent("before")
        try:
            rows = self.first_poll("before")
            self.saved_once(first)
        finally:
            self.assertEqual(first.stop(), 0, first.output())
        # A first poll without baselines has no rates: what the restart must change.
        self.assertEqual(len(rows), 48)
        self.assertFalse([r for r in rows if "if_hc_in_octets_rate" in r])

        second = self.agent("after")
        try:
            self.assertTrue(second.wait_for("restored counter baselines of 1 devices", 10),
                            second.output())
            rows = self.first_poll("after")
        finally:
            self.assertEqual(second.stop(), 0, second.output())
        self.assertEqual(len(rows), 48)
        # Device 1, port i carries (1 + (31 + 17 i) % 97) Mbit/s in; ports 12, 24 ... are down.
        for r in rows:
            i = r["if_index"]
            rate = 0 if i % 12 == 0 else (1 + (31 + 17 * i) % 97) * 125000
            self.assertIn("if_hc_in_octets_rate", r, i)
            self.assertAlmostEqual(r["if_hc_in_octets_rate"], rate, delta=0.3 * rate + 1)
        print(f"snmp: {len(rows)} rows in the first poll after the restart, all with rates",
              flush=True)

    def test_a_device_restart_meanwhile_gives_no_rate(self):
        # A real reboot takes longer than the device had been up before it is polled again:
        # sysUpTime then goes back. Give the first simulator that head start (the rule does not
        # catch a device that restarted and was up longer than before: see the README).
        time.sleep(8)
        first = self.agent("before")
        try:
            self.first_poll("before")
            self.saved_once(first)
        finally:
            self.assertEqual(first.stop(), 0, first.output())
        # The device restarts while the agent is down: its sysUpTime starts again from 0.
        self.sim.stop(signal.SIGTERM, timeout=10)
        self.sim = self.start_sim()
        second = self.agent("after")
        try:
            self.assertTrue(second.wait_for("restored counter baselines of 1 devices", 10),
                            second.output())
            rows = self.first_poll("after")
        finally:
            self.assertEqual(second.stop(), 0, second.output())
        self.assertEqual(len(rows), 48)
        self.assertFalse([r for r in rows if "if_hc_in_octets_rate" in r])


class FilePositionsDefaultUnderStateDir(unittest.TestCase):
    def test_positions_go_under_the_state_dir_and_a_restart_reads_only_new_lines(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_files_state_")
        try:
            log = os.path.join(workdir, "router.log")
            out = os.path.join(workdir, "lines.jsonl")
            config = f"""
agent: {{http: {{enabled: false}}, state_dir: {workdir}/state}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - type: syslog
    name: tail
    udp: {{enabled: false}}
    tcp: {{enabled: false}}
    files: {{paths: ['{log}'], start_at_end: false, poll_interval: 100ms}}
sinks:
  - {{type: file, name: out, path: {out}}}
routes:
  - {{kinds: [syslog], sink: out}}
"""

            def lines():
                if not os.path.exists(out):
                    return []
                with open(out) as f:
                    return [json.loads(line)["message"] for line in f if line.strip()]

            def run_until(count):
                agent = Agent(config, workdir=workdir)
                deadline = time.time() + 20
                while len(lines()) < count and time.time() < deadline:
                    time.sleep(0.1)
                self.assertEqual(agent.stop(), 0, agent.output())
                return agent

            with open(log, "w") as f:
                f.writelines(f"line {n}\n" for n in range(5))
            agent = run_until(5)
            positions = os.path.join(workdir, "state", "tail", "file-positions.json")
            self.assertIn(f"positions in {positions}", agent.output())
            with open(positions) as f:
                self.assertEqual([e["path"] for e in json.load(f)["files"]], [log])
            with open(log, "a") as f:
                f.writelines(f"line {n}\n" for n in range(5, 8))
            run_until(8)
            # Each line once: the second run started at the saved position, not at the top.
            self.assertEqual([int(m.split()[-1]) for m in lines()], list(range(8)), lines())
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
