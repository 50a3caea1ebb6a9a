"""SNMP traps end to end: the net-snmp tools (snmptrap, snmpinform) send v1 and v2c traps and
informs over loopback UDP (IPv4 and IPv6) -> the agent -> the embedded broker -> kcat. Traps are
named after the sending device, keyed by it and on its Java partition; informs are really
acknowledged (snmpinform waits for the answer); a wrong community and garbage are counted and
not delivered (collectors/snmp_trap/README.md)."""
import json
import os
import socket
import subprocess
import time
import unittest

from netfeed_harness import (Agent, free_port, http_get, java_partition, kcat_consume,
                             metric_total as counter)

# No MIB files here: numeric OIDs, and no MIB loading at all.
TOOL_ENV = dict(os.environ, MIBS="")
SNMP = ["-m", ""]


def tool(*args, timeout=20):
    return subprocess.run(list(args), env=TOOL_ENV, capture_output=True, text=True, timeout=timeout)


class SnmpTrapEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port, cls.filtered_port, cls.v6_port = free_port(), free_port(), free_port()
        cls.kafka, cls.http = free_port(), free_port()
        # The community is a secret: it comes from the environment, not the file.
        os.environ["NETFEED_TEST_TRAP_COMMUNITY"] = "n3tfeed"
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
devices:
  - {{name: lab-r1, address: 127.0.0.1, site: lab}}
  - {{name: edge-r2, address: 127.0.2.2, site: lab}}
  - {{name: agent-r3, address: 127.0.3.3, site: lab}}
  - {{name: v6-r4, address: '::1', site: lab}}
collectors:
  - {{type: snmp_trap, name: traps, listen: ['127.0.0.1:{cls.port}']}}
  - {{type: snmp_trap, name: filtered, listen: ['127.0.0.1:{cls.filtered_port}'],
      communities: ['${{NETFEED_TEST_TRAP_COMMUNITY}}']}}
  - {{type: snmp_trap, name: traps6, listen: ['[::1]:{cls.v6_port}']}}
routes:
  - {{kinds: [trap], topic: netfeed.trap, partitions: 6}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()

    def traps(self, predicate, expected, timeout=30):
        deadline = time.time() + timeout
        while True:
            found = [(r, json.loads(r.value)) for r in kcat_consume(self.bootstrap, "netfeed.trap")]
            found = [(r, v) for r, v in found if predicate(v)]
            if len(found) >= expected or time.time() > deadline:
                return found
            time.sleep(0.3)

    def metrics(self):
        status, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertEqual(status, 200)
        return text

    def wait_counter(self, name, minimum, timeout=15, **labels):
        deadline = time.time() + timeout
        while True:
            value = counter(self.metrics(), name, **labels)
            if value >= minimum or time.time() > deadline:
                return value
            time.sleep(0.3)

    def check_keyed(self, record, value, device):
        self.assertEqual(value["device"], device)
        self.assertEqual(record.key, device)
        self.assertEqual(record.partition, java_partition(device.encode(), 6))
        self.assertEqual(record.headers.get("kind"), "trap")
        self.assertNotIn("community", value)
        self.assertNotIn("public", record.value)

    def test_v1_link_down(self):
        out = tool("snmptrap", *SNMP, "-v", "1", "-c", "public", f"127.0.0.1:{self.port}",
                   "1.3.6.1.4.1.9.1.1", "127.0.0.1", "2", "0", "4711",
                   "1.3.6.1.2.1.2.2.1.1.7", "i", "7", "1.3.6.1.2.1.2.2.1.2.7", "s", "Gi0/7")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(lambda v: v.get("uptime") == 4711, 1)
        self.assertEqual(len(got), 1)
        record, v = got[0]
        self.check_keyed(record, v, "lab-r1")
        self.assertEqual(v["snmp_version"], "1")
        self.assertEqual(v["trap_oid"], "1.3.6.1.6.3.1.1.5.3")
        self.assertEqual(v["trap_name"], "linkDown")
        self.assertEqual(v["enterprise"], "1.3.6.1.4.1.9.1.1")
        self.assertEqual(v["agent_address"], "127.0.0.1")
        self.assertEqual((v["generic_trap"], v["specific_trap"]), (2, 0))
        self.assertEqual((v["if_index"], v["if_descr"]), (7, "Gi0/7"))
        self.assertFalse(v["inform"])
        self.assertEqual(v["varbinds"][0], {"oid": "1.3.6.1.2.1.2.2.1.1.7", "name": "ifIndex",
                                            "type": "integer", "value": 7})

    def test_v1_enterprise_specific_named_by_agent_address(self):
        # From an address no device has; the trap's agent-addr names agent-r3.
        out = tool("snmptrap", *SNMP, "--clientaddr=127.0.5.5", "-v", "1", "-c", "public",
                   f"127.0.0.1:{self.port}", "1.3.6.1.4.1.9.9.43.2", "127.0.3.3", "6", "1",
                   "4712")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(lambda v: v.get("uptime") == 4712, 1)
        self.assertEqual(len(got), 1)
        record, v = got[0]
        self.check_keyed(record, v, "agent-r3")
        self.assertEqual(v["device_address"], "127.0.5.5")
        self.assertEqual(v["trap_oid"], "1.3.6.1.4.1.9.9.43.2.0.1")
        self.assertEqual(v["trap_name"], "ciscoConfigManEvent")

    def test_v2c_link_up_with_interface_varbinds(self):
        out = tool("snmptrap", *SNMP, "--clientaddr=127.0.2.2", "-v", "2c", "-c", "public",
                   f"127.0.0.1:{self.port}", "4713", "1.3.6.1.6.3.1.1.5.4",
                   "1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.2.2.1.7.3", "i", "1",
                   "1.3.6.1.2.1.2.2.1.8.3", "i", "1", "1.3.6.1.2.1.31.1.1.1.1.3", "s", "Gi0/3")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(lambda v: v.get("uptime") == 4713, 1)
        self.assertEqual(len(got), 1)
        record, v = got[0]
        self.check_keyed(record, v, "edge-r2")
        self.assertEqual(v["snmp_version"], "2c")
        self.assertEqual(v["trap_name"], "linkUp")
        self.assertEqual((v["if_index"], v["if_admin_status"], v["if_oper_status"], v["if_name"]),
                         (3, 1, 1, "Gi0/3"))
        self.assertIsInstance(v["request_id"], int)
        self.assertEqual([b.get("name") for b in v["varbinds"]],
                         ["sysUpTime", "snmpTrapOID", "ifIndex", "ifAdminStatus", "ifOperStatus",
                          "ifName"])

    def test_v2c_cold_start_over_ipv6(self):
        out = tool("snmptrap", *SNMP, "-v", "2c", "-c", "public", f"udp6:[::1]:{self.v6_port}",
                   "4714", "1.3.6.1.6.3.1.1.5.1")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(lambda v: v.get("uptime") == 4714, 1)
        self.assertEqual(len(got), 1)
        record, v = got[0]
        self.check_keyed(record, v, "v6-r4")
        self.assertEqual(v["device_address"], "::1")
        self.assertEqual(v["trap_name"], "coldStart")

    def test_inform_is_acknowledged(self):
        before = counter(self.metrics(), "netfeed_snmp_trap_informs_acknowledged_total")
        start = time.time()
        out = tool("snmpinform", *SNMP, "-v", "2c", "-c", "public", "-t", "2", "-r", "1",
                   f"127.0.0.1:{self.port}", "4715", "1.3.6.1.6.3.1.1.5.3",
                   "1.3.6.1.2.1.2.2.1.1.9", "i", "9")
        # snmpinform exits 0 only when the Response came back (else "Timeout" and 1).
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertLess(time.time() - start, 2.0, "answered at once, not after a retry")
        got = self.traps(lambda v: v.get("uptime") == 4715, 1)
        self.assertEqual(len(got), 1, "one record per inform")
        record, v = got[0]
        self.check_keyed(record, v, "lab-r1")
        self.assertTrue(v["inform"])
        self.assertEqual(v["trap_name"], "linkDown")
        self.assertEqual(v["if_index"], 9)
        self.assertGreaterEqual(
            self.wait_counter("netfeed_snmp_trap_informs_acknowledged_total", before + 1),
            before + 1)

    def test_inform_over_ipv6_is_acknowledged(self):
        out = tool("snmpinform", *SNMP, "-v", "2c", "-c", "public", "-t", "2", "-r", "1",
                   f"udp6:[::1]:{self.v6_port}", "4716", "1.3.6.1.6.3.1.1.5.4")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(len(self.traps(lambda v: v.get("uptime") == 4716, 1)), 1)

    def test_wrong_community_is_counted_not_delivered(self):
        dropped = dict(component="filtered", reason="bad_community")
        before = counter(self.metrics(), "netfeed_component_dropped_total", **dropped)
        for community, uptime in (("public", 4720), ("n3tfeed", 4721)):
            out = tool("snmptrap", *SNMP, "-v", "2c", "-c", community,
                       f"127.0.0.1:{self.filtered_port}", str(uptime), "1.3.6.1.6.3.1.1.5.1")
            self.assertEqual(out.returncode, 0, out.stderr)
        # A refused inform gets no answer: snmpinform times out.
        out = tool("snmpinform", *SNMP, "-v", "2c", "-c", "wrong", "-t", "1", "-r", "0",
                   f"127.0.0.1:{self.filtered_port}", "4722", "1.3.6.1.6.3.1.1.5.1")
        self.assertNotEqual(out.returncode, 0)
        self.assertEqual(len(self.traps(lambda v: v.get("uptime") == 4721, 1)), 1)
        self.assertEqual(
            self.wait_counter("netfeed_component_dropped_total", before + 2, **dropped),
            before + 2)
        self.assertEqual(self.traps(lambda v: v.get("uptime") in (4720, 4722), 1, timeout=2), [])
        self.assertNotIn("n3tfeed", self.agent.output())
        self.assertIn("unknown community from 127.0.0.1", self.agent.output())

    def test_garbage_is_counted(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.2.2", 0))
            s.sendto(b"hello, not snmp", ("127.0.0.1", self.port))
            s.sendto(bytes.fromhex("3081ae020101040670"), ("127.0.0.1", self.port))  # cut
            s.sendto(bytes.fromhex("300702010504027878"), ("127.0.0.1", self.port))  # version 6
        for reason in ("not_snmp", "truncated", "unknown_version"):
            self.assertGreaterEqual(
                self.wait_counter("netfeed_component_dropped_total", 1, component="traps",
                                  reason=reason), 1, reason)
        # The receiver keeps going.
        out = tool("snmptrap", *SNMP, "-v", "2c", "-c", "public", f"127.0.0.1:{self.port}",
                   "4730", "1.3.6.1.6.3.1.1.5.2")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(lambda v: v.get("uptime") == 4730, 1)
        self.assertEqual(got[0][1]["trap_name"], "warmStart")


if __name__ == "__main__":
    unittest.main()
