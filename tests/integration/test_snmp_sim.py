"""lab/snmp_sim (snmp-sim) against the net-snmp command-line tools, and the netfeed SNMP
collector against snmp-sim: the simulator answers snmpget/snmpbulkwalk/snmpwalk (v1 and v2c)
as an agent does (sorted walks, exceptions, no Counter64 in v1, no answer to a wrong
community, tooBig, genErr, counters that move), and the collector's interface and entity
records of a simulated device match snmpbulkwalk field for field (the comparison of
test_snmp.py)."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import test_snmp  # the comparison helpers; its test class is not collected from here
from netfeed_harness import Agent, Process, free_port, http_get, lab_program
from test_snmp import ENT_COLUMNS, IF_COLUMNS, Walk, normalize

IF_HC_IN = "1.3.6.1.2.1.31.1.1.1.6"
IF_IN = "1.3.6.1.2.1.2.2.1.10"


class Sim(Process):
    def __init__(self, *args):
        # Port 0: the simulator binds a free block of consecutive ports itself and names the
        # first in its ready line (a port picked here could be taken before it binds).
        super().__init__([lab_program("snmp-sim"), "--port", "0", *args])
        if not self.wait_for("snmp-sim ready", 20):
            raise RuntimeError("snmp-sim did not start:\n" + self.output())
        self.port = int(re.search(r"ready: \d+ devices, [\d.]+:(\d+)", self.output()).group(1))
        self.objects = int(re.search(r"(\d+) objects", self.output()).group(1))


def tool(name, *args, env=None):
    return subprocess.run([name, "-m", "", *args], capture_output=True, text=True, timeout=60,
                          env=env)


class SnmpSimAgainstNetSnmpTools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_snmpsim_")
        cls.env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=cls.dir, HOME=cls.dir)
        cls.sims = []
        try:
            cls.sim = cls.start("--devices", "3", "--community", "dev{}")
            cls.small = cls.start("--max-message", "484", "--community", "public")
            cls.broken = cls.start("--gen-err", "1.3.6.1.2.1.2.2.1.8", "--community", "public")
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start(cls, *args):
        sim = Sim(*args)
        cls.sims.append(sim)
        return sim

    @classmethod
    def tearDownClass(cls):
        for s in cls.sims:
            s.stop(signal.SIGTERM, timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def target(self, sim, device=0):
        return f"127.0.0.1:{sim.port + device}"

    def run_tool(self, name, *args):
        return tool(name, "-t", "2", "-r", "1", *args, env=self.env)

    def test_full_bulk_walk_is_sorted_and_complete(self):
        out = self.run_tool("snmpbulkwalk", "-v2c", "-c", "dev1", "-On", "-Cr30",
                            self.target(self.sim, 1), ".1")
        self.assertEqual(out.returncode, 0, out.stderr)
        oids = [tuple(map(int, line.split(" ", 1)[0][1:].split(".")))
                for line in out.stdout.splitlines()
                if line.startswith(".") and "No more variables" not in line]
        self.assertEqual(len(oids), self.sim.objects)
        self.assertEqual(oids, sorted(oids))
        self.assertEqual(len(set(oids)), len(oids))
        self.assertIn('.1.3.6.1.2.1.1.5.0 = STRING: "sim-1"', out.stdout)
        self.assertIn('.1.3.6.1.2.1.31.1.1.1.1.48 = STRING: "Gi1/0/48"', out.stdout)
        self.assertIn(".1.3.6.1.2.1.47.1.1.1.1.5.1 = INTEGER: 3", out.stdout)  # chassis
        # Each device has its own community and its own values.
        out = self.run_tool("snmpget", "-v2c", "-c", "dev2", "-Oqv", self.target(self.sim, 2),
                            "1.3.6.1.2.1.1.5.0")
        self.assertEqual(out.stdout.strip(), '"sim-2"')

    def test_get_exceptions_and_types(self):
        out = self.run_tool("snmpget", "-v2c", "-c", "dev0", "-On", self.target(self.sim),
                            "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.2.2.1.6.3", IF_HC_IN + ".2",
                            "1.3.6.1.2.1.2.2.1.5.1", "1.3.6.1.2.1.2.2.1.2.99",
                            "1.3.6.1.2.1.99.0")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertRegex(lines[0], r"^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks: \(\d+\)")
        self.assertEqual(lines[1], ".1.3.6.1.2.1.2.2.1.6.3 = Hex-STRING: 00 16 C7 00 00 03 ")
        self.assertRegex(lines[2], r"= Counter64: \d+$")
        self.assertEqual(lines[3], ".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 1000000000")
        self.assertIn("No Such Instance", lines[4])
        self.assertIn("No Such Object", lines[5])

    def test_v1_walk_has_no_counter64_and_a_missing_object_is_no_such_name(self):
        out = self.run_tool("snmpwalk", "-v1", "-c", "dev0", "-On", self.target(self.sim),
                            "1.3.6.1.2.1.31")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = [l for l in out.stdout.splitlines() if l.startswith(".")]
        self.assertEqual(len(lines), 48 * (19 - 8))
        self.assertNotIn("Counter64", out.stdout)
        out = self.run_tool("snmpget", "-v1", "-c", "dev0", "-Cf", self.target(self.sim),
                            "1.3.6.1.2.1.1.5.0", IF_HC_IN + ".1")
        self.assertIn("noSuchName", out.stderr)
        self.assertIn("Failed object: iso.3.6.1.2.1.31.1.1.1.6.1", out.stderr)

    def test_wrong_community_gets_no_answer(self):
        out = tool("snmpget", "-v2c", "-c", "dev1", "-t", "0.5", "-r", "0",
                   self.target(self.sim, 0), "1.3.6.1.2.1.1.5.0", env=self.env)
        self.assertIn("Timeout", out.stderr + out.stdout)
        out = self.run_tool("snmpget", "-v2c", "-c", "dev0", self.target(self.sim, 0),
                            "1.3.6.1.2.1.1.5.0")
        self.assertIn("sim-0", out.stdout)

    def test_counters_move_with_time_and_counter32_is_the_low_half(self):
        def read():
            out = self.run_tool("snmpget", "-v2c", "-c", "dev0", "-Oqv", self.target(self.sim),
                                IF_HC_IN + ".3", IF_IN + ".3", IF_HC_IN + ".12")
            return [int(v) for v in out.stdout.split()]
        hc1, low1, down1 = read()
        time.sleep(1.2)
        hc2, low2, down2 = read()
        self.assertEqual(low1, hc1 % 2**32)
        self.assertEqual(low2, hc2 % 2**32)
        # Port 3 of device 0 carries (1 + 3*17 % 97) Mbit/s = 52 Mbit/s = 6.5 MB/s.
        self.assertGreater(hc2 - hc1, 6_500_000 * 1.0)
        self.assertLess(hc2 - hc1, 6_500_000 * 3.0)
        self.assertEqual(down1, down2, "port 12 is down: its counters stand still")

    def test_too_big(self):
        # 40 objects cannot fit a 484-byte message: tooBig. A bulk walk still gets everything,
        # in shorter answers.
        oids = [f"1.3.6.1.2.1.2.2.1.2.{i}" for i in range(1, 41)]
        out = self.run_tool("snmpget", "-v2c", "-c", "public", self.target(self.small), *oids)
        self.assertIn("tooBig", out.stderr)
        out = self.run_tool("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Cr50",
                            self.target(self.small), "1.3.6.1.2.1.2.2.1")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len([l for l in out.stdout.splitlines() if l.startswith(".")]), 48 * 22)

    def test_gen_err(self):
        out = self.run_tool("snmpget", "-v2c", "-c", "public", self.target(self.broken),
                            "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.8.1")
        self.assertIn("genErr", out.stderr)
        self.assertIn("Failed object: iso.3.6.1.2.1.2.2.1.8.1", out.stderr)

    def test_sigterm_exits_cleanly_with_counts(self):
        sim = Sim("--community", "x")
        tool("snmpget", "-v2c", "-c", "x", "-t", "1", f"127.0.0.1:{sim.port}", "1.3.6.1.2.1.1.5.0",
             env=self.env)
        tool("snmpget", "-v2c", "-c", "y", "-t", "0.3", "-r", "0", f"127.0.0.1:{sim.port}",
             "1.3.6.1.2.1.1.5.0", env=self.env)
        self.assertEqual(sim.stop(signal.SIGTERM, timeout=10), 0)
        self.assertIn("requests 2, responses 1, wrong community 1", sim.output())


class NetfeedAgainstSnmpSim(unittest.TestCase):
    """The collector's records of simulated devices beside snmpbulkwalk (test_snmp.py's
    comparison): a frozen device field for field, a live one with counters read no later than a
    later walk and rates that match the simulated traffic."""

    records = test_snmp.SnmpPollingEndToEnd.records
    latest_rows = test_snmp.SnmpPollingEndToEnd.latest_rows
    compare_table = test_snmp.SnmpPollingEndToEnd.compare_table

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_snmpsim_")
        cls.env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=cls.dir, HOME=cls.dir)
        cls.walk = Walk(cls.env)
        cls.agent = None
        cls.frozen = Sim("--frozen", "--community", "frozen", "--address", "127.0.21.1",
                         "--spread", "addresses")
        cls.live = Sim("--devices", "2", "--community", "live{}", "--address", "127.0.22.1",
                       "--spread", "addresses")
        try:
            kafka, cls.http = free_port(), free_port()
            cls.bootstrap = f"127.0.0.1:{kafka}"
            cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  frozen: {{community: frozen}}
  live1: {{community: live1}}
devices:
  - {{name: frozen, address: 127.0.21.1, credentials: frozen, collectors: [snmp]}}
  - {{name: live, address: 127.0.22.2, credentials: live1, collectors: [snmp]}}
collectors:
  - type: snmp
    interval: 2s
    timeout: 1s
    retries: 1
    profiles: [system, interfaces, entity]
    device_overrides:
      - {{device: frozen, port: {cls.frozen.port}}}
      - {{device: live, port: {cls.live.port}}}
routes:
  - {{kinds: [snmp], topic: netfeed.snmp, partitions: 4}}
  - {{kinds: [status], topic: netfeed.status, partitions: 1}}
""")
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.agent is not None:
            cls.agent.stop()
        for s in (cls.frozen, cls.live):
            s.stop(signal.SIGTERM, timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_frozen_device_matches_snmpbulkwalk_field_for_field(self):
        target = f"127.0.21.1:{self.frozen.port}"
        rows = self.latest_rows("frozen", "interfaces")
        self.assertEqual(len(rows), 48)
        compared = self.compare_table(rows, target, "frozen", IF_COLUMNS, "if_index")
        self.assertEqual(compared, 48 * len(IF_COLUMNS))
        entity = self.latest_rows("frozen", "entity")
        self.assertEqual(len(entity), 52)
        compared = self.compare_table(entity, target, "frozen", ENT_COLUMNS, "ent_physical_index")
        self.assertEqual(compared, 52 * len(ENT_COLUMNS))
        system = self.latest_rows("frozen", "system")[0]
        self.assertEqual(system["sys_name"], "sim-0")
        self.assertEqual(system["_key"], "frozen|system")

    def test_live_device_counters_and_rates(self):
        target = f"127.0.22.2:{self.live.port}"
        rows = self.latest_rows("live", "interfaces", polls=2)
        static = {k: v for k, v in IF_COLUMNS.items()
                  if k in ("if_descr", "if_type", "if_mtu", "if_name", "if_phys_address",
                           "if_admin_status", "if_oper_status", "if_high_speed", "if_alias")}
        self.compare_table(rows, target, "live1", static, "if_index")
        tolerance = {"if_hc_in_octets": 2**32, "if_hc_out_octets": 2**32}
        self.compare_table(rows, target, "live1", {k: IF_COLUMNS[k] for k in tolerance},
                           "if_index", tolerance)
        # Device 1, port i carries (1 + (31 + 17 i) % 97) Mbit/s in; ports 12, 24 ... are down.
        for r in rows:
            i = r["if_index"]
            expected = 0 if i % 12 == 0 else (1 + (31 + 17 * i) % 97) * 125000
            self.assertIn("if_hc_in_octets_rate", r, i)
            self.assertAlmostEqual(r["if_hc_in_octets_rate"], expected, delta=0.3 * expected + 1)
        _, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertEqual(test_snmp.metric(metrics, "netfeed_snmp_interfaces_published",
                                          device="live"), 48)


if __name__ == "__main__":
    unittest.main()
