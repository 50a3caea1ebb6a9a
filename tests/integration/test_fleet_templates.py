"""Shared flow state in a fleet: a NetFlow v9 exporter behind a "load balancer" sends its template
to agent A only and its data to agent B only. B decodes the data from the first packet, because
A published the template to `netfeed.fleet.<name>.templates` and B read it. An agent outside the
fleet that gets the same data packet cannot decode it (the control). Then B restarts: it reads
the template back from the topic and decodes again from its first packet."""
import json
import os
import shutil
import signal
import socket
import tempfile
import time
import unittest

import flow_packets as fp
from netfeed_harness import Agent, Broker, free_port, kcat_consume

EXPORTER = "127.0.64.1"
SOURCE_ID = 77
TEMPLATE_ID = 333


def send_from(port, packet):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((EXPORTER, 0))
        s.sendto(packet, ("127.0.0.1", port))


def data_packet(sequence, first_port):
    records = b"".join(fp.v4_record("10.64.0.1", "10.64.0.2", first_port + i, 443, 6, 0x18,
                                    5000 + i, 5, 1, 2) for i in range(3))
    return fp.v9_packet([fp.flowset(TEMPLATE_ID, records)], sequence, source_id=SOURCE_ID)


class FleetSharedTemplates(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_fleet_tpl_")
        self.children = []
        self.broker = Broker(topics=["netfeed.fleet.flows", "netfeed.fleet.flows.templates",
                                     "flows.a", "flows.b", "flows.c"], partitions=4)
        self.children.append(self.broker)

    def tearDown(self):
        for child in reversed(self.children):
            child.stop(signal.SIGTERM, timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def agent(self, topic, fleet=True):
        port = free_port()
        fleet_line = "  fleet: {name: flows, session_timeout: 3s}\n" if fleet else ""
        agent = Agent(f"""
agent:
  http: {{enabled: false}}
{fleet_line}kafka: {{brokers: {self.broker.bootstrap}}}
devices:
  - {{name: edge-lb-1, address: {EXPORTER}}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{port}'], held_timeout: 2s}}
routes:
  - {{kinds: [flow], topic: {topic}}}
""", workdir=tempfile.mkdtemp(dir=self.dir))
        agent.port = port
        self.children.append(agent)
        return agent

    def flows(self, topic, expected, timeout=15):
        deadline = time.time() + timeout
        while True:
            found = [json.loads(r.value) for r in kcat_consume(self.broker.bootstrap, topic,
                                                               timeout=10)]
            if len(found) >= expected or time.time() > deadline:
                return found
            time.sleep(0.5)

    def shared_entries(self):
        return [r for r in kcat_consume(self.broker.bootstrap, "netfeed.fleet.flows.templates",
                                        timeout=10)
                if r.key == f"{EXPORTER}|v9|{SOURCE_ID}|{TEMPLATE_ID}"]

    def test_template_learnt_by_one_agent_decodes_data_at_another(self):
        a, b = self.agent("flows.a"), self.agent("flows.b")
        control = self.agent("flows.c", fleet=False)

        send_from(a.port, fp.v9_packet([fp.v9_template(TEMPLATE_ID)], 1, source_id=SOURCE_ID))
        deadline = time.time() + 15
        while not self.shared_entries() and time.time() < deadline:
            time.sleep(0.5)
        self.assertTrue(self.shared_entries(), "A published the template\n" + a.output())
        time.sleep(2)  # B's reader takes it in (it polls the topic continuously)

        send_from(b.port, data_packet(2, 20000))
        send_from(control.port, data_packet(2, 20000))
        got = self.flows("flows.b", 3)
        self.assertEqual(len(got), 3, "B decoded the data with A's template\n" + b.output())
        self.assertEqual(sorted(v["src_port"] for v in got), [20000, 20001, 20002])
        self.assertEqual(sorted(v["bytes"] for v in got), [5000, 5001, 5002])
        self.assertTrue(all(v["device"] == "edge-lb-1" for v in got))
        # Outside the fleet the same packet waits for a template that never comes.
        time.sleep(3)  # past held_timeout
        self.assertEqual(self.flows("flows.c", 1, timeout=2), [],
                         "an agent outside the fleet must not decode it")

        # B restarts: the template comes back from the topic, not from the exporter.
        self.assertEqual(b.stop(), 0, b.output())
        self.children.remove(b)
        b2 = self.agent("flows.b")
        time.sleep(3)
        send_from(b2.port, data_packet(3, 21000))
        got = [v for v in self.flows("flows.b", 6) if v["src_port"] >= 21000]
        self.assertEqual(sorted(v["src_port"] for v in got), [21000, 21001, 21002],
                         "the restarted agent decodes from its first packet\n" + b2.output())


if __name__ == "__main__":
    unittest.main()
