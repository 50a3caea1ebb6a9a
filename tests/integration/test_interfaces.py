"""Interface names on flows end to end: the snmp collector polls a real snmpd for its interface
table, a NetFlow v9 export from the same device's address names ifIndexes, and the flow read
back with kcat carries in_if_name / out_if_name as snmpd's ifName says."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import sflow_packets as sp
from flow_packets import V4_FIELDS, flowset, v4_record, v9_packet, v9_template
from netfeed_harness import Agent, Process, free_port, kcat_consume

COMMUNITY = "interfaces-test"
DEVICE_ADDRESS = "127.0.5.1"


class InterfaceNamesEndToEnd(unittest.TestCase):
    def test_flow_interfaces_are_named_from_the_snmp_table(self):
        d = tempfile.mkdtemp(prefix="netfeed_interfaces_")
        env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=os.path.join(d, "persist"), HOME=d)
        snmpd = agent = None
        try:
            snmp_port, flow_port, kafka = free_port(), free_port(), free_port()
            sflow_port = free_port()
            conf = os.path.join(d, "snmpd.conf")
            with open(conf, "w") as f:
                f.write(f"agentaddress udp:{DEVICE_ADDRESS}:{snmp_port}\n"
                        f"rocommunity {COMMUNITY} 127.0.0.0/8\n"
                        f"[snmp] persistentDir {d}/persist\n")
            snmpd = Process(["snmpd", "-f", "-Lo", "-C", "-c", conf, "-p",
                             os.path.join(d, "snmpd.pid")], env=env)
            # What snmpd says the interfaces are called (ifName, 1.3.6.1.2.1.31.1.1.1.1).
            names = {}
            deadline = time.time() + 20
            while not names and time.time() < deadline:
                out = subprocess.run(["snmpwalk", "-v2c", "-c", COMMUNITY, "-On", "-Oq",
                                      f"{DEVICE_ADDRESS}:{snmp_port}", "1.3.6.1.2.1.31.1.1.1.1"],
                                     capture_output=True, text=True, env=env, timeout=10)
                for line in out.stdout.splitlines():
                    oid, _, value = line.partition(" ")
                    names[int(oid.rsplit(".", 1)[1])] = value.strip().strip('"')
                if not names:
                    time.sleep(0.5)
            self.assertTrue(names, "snmpd did not answer:\n" + snmpd.output())
            if_index = min(names)

            agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  v2c: {{community: {COMMUNITY}}}
devices:
  - {{name: leaf-1, address: {DEVICE_ADDRESS}, credentials: v2c, collectors: [snmp]}}
collectors:
  - {{type: snmp, interval: 2s, timeout: 1s, port: {snmp_port}, profiles: [interfaces]}}
  - {{type: netflow, listen: ['127.0.0.1:{flow_port}']}}
  - {{type: sflow, listen: ['127.0.0.1:{sflow_port}'], counters: false}}
enrichers:
  - {{type: interfaces, kinds: [flow]}}
  - {{type: protocol, kinds: [flow]}}
routes:
  - {{kinds: [snmp], topic: if.snmp}}
  - {{kinds: [flow], topic: if.flow}}
""", workdir=d)
            bootstrap = f"127.0.0.1:{kafka}"
            # The interface table is published with the first poll's rows.
            self.assertTrue(kcat_consume(bootstrap, "if.snmp", expected=1, timeout=30),
                            agent.output()[-2000:])
            time.sleep(0.5)
            record = v4_record("192.0.2.10", "198.51.100.20", 51000, 443, 6, 0x12, 1500, 3,
                               if_index, 999999)
            packet = v9_packet([v9_template(256, V4_FIELDS), flowset(256, record)], sequence=1)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((DEVICE_ADDRESS, 0))  # the exporter is the polled device
                s.sendto(packet, ("127.0.0.1", flow_port))
            flows = kcat_consume(bootstrap, "if.flow", expected=1, timeout=30)
            self.assertEqual(len(flows), 1, agent.output()[-2000:])
            flow = json.loads(flows[0].value)
            self.assertEqual(flow["device"], "leaf-1")
            self.assertEqual(flow["in_if"], if_index)
            self.assertEqual(flow["in_if_name"], names[if_index])
            self.assertNotIn("out_if_name", flow)  # 999999 is no interface of snmpd's
            self.assertEqual(flow["proto_name"], "tcp")
            self.assertEqual(flow["dst_service"], "https")
            self.assertEqual(flow["tcp_flags_text"], "SA")
            # An sFlow flow sample from the same switch: its output ifIndex is named too.
            frame = sp.frame("192.0.2.11", "198.51.100.21", 17, 40000, 53)
            datagram = sp.datagram([sp.flow_sample([sp.raw_header(frame)], input_if=999999,
                                                   output_if=if_index)], agent=DEVICE_ADDRESS)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((DEVICE_ADDRESS, 0))
                s.sendto(datagram, ("127.0.0.1", sflow_port))
            flows = kcat_consume(bootstrap, "if.flow", expected=2, timeout=30)
            sampled = [json.loads(f.value) for f in flows]
            sampled = [f for f in sampled if f.get("flow_source") == "sflow5"]
            self.assertEqual(len(sampled), 1, agent.output()[-2000:])
            self.assertEqual(sampled[0]["device"], "leaf-1")
            self.assertEqual(sampled[0]["out_if_name"], names[if_index])
            self.assertNotIn("in_if_name", sampled[0])
        finally:
            if agent is not None:
                self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])
            if snmpd is not None:
                snmpd.stop()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
