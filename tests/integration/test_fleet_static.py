"""Static sharding (agent.shard: i/N): three agents with the same device list and shards 1/3,
2/3, 3/3 poll nxapi-sim's switches over loopback into one `netfeed broker`, each agent to a
topic of its own. Every switch is polled, by exactly one agent, and that agent is the one whose
shard is the Java client's murmur2 partition of the device name (computed by kafka-python, not
by us) plus one. A fourth agent with agent.poll_tags polls only the devices whose tags match."""
import json
import os
import shutil
import signal
import tempfile
import time
import unittest
import urllib.request

from netfeed_harness import Agent, Broker, Process, free_port, java_partition, kcat_consume, lab_program

SIM = lab_program("nxapi-sim")
SWITCHES = 9
NAMES = [f"leaf{i:02d}.par{1 + i % 2}" for i in range(1, SWITCHES + 1)]
SITES = {name: name.rsplit(".", 1)[1] for name in NAMES}


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class StaticSharding(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_fleet_static_")
        self.children = []
        ready = os.path.join(self.dir, "ready.json")
        self.control, self.port = free_port(), free_port()
        sim = Process([SIM, "--ready-file", ready, "--switches", str(SWITCHES), "--address",
                       "127.0.62.1", "--spread", "addresses", "--port", str(self.port),
                       "--control", f"127.0.0.1:{self.control}"])
        self.children.append(sim)
        self.assertTrue(sim.wait_for("ready", 30), sim.output())
        self.topics = [f"fleet.shard{i}" for i in (1, 2, 3)] + ["fleet.par1"]
        self.broker = Broker(topics=self.topics, partitions=1)
        self.children.append(self.broker)

    def tearDown(self):
        for child in reversed(self.children):
            child.stop(signal.SIGTERM, timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def agent(self, share, topic):
        devices = "\n".join(
            f"  - {{name: {name}, address: 127.0.62.{i + 1}, site: {SITES[name]}, "
            f"credentials: sim, collectors: [nxapi]}}" for i, name in enumerate(NAMES))
        agent = Agent(f"""
agent: {{http: {{enabled: false}}, {share}}}
kafka: {{brokers: {self.broker.bootstrap}}}
credentials:
  sim: {{username: admin, password: admin}}
devices:
{devices}
collectors:
  - type: nxapi
    scheme: http
    port: {self.port}
    interval: 1s
    first_poll_spread: 200ms
    timeout: 2s
    commands: [show version]
routes:
  - {{kinds: [nxapi], topic: {topic}}}
""", workdir=tempfile.mkdtemp(dir=self.dir))
        self.children.append(agent)
        return agent

    def devices_in(self, topic):
        return [json.loads(r.value)["device"] for r in kcat_consume(self.broker.bootstrap, topic,
                                                                   timeout=20)]

    def sim_requests(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.control}/stats", timeout=5) as r:
            return {s["index"]: s["requests"] for s in json.loads(r.read())["switches"]}

    def test_three_shards_poll_every_device_exactly_once(self):
        agents = [self.agent(f"shard: {i}/3", f"fleet.shard{i}") for i in (1, 2, 3)]
        for i, agent in enumerate(agents, 1):
            expected = sum(1 for n in NAMES if java_partition(n.encode(), 3) + 1 == i)
            self.assertTrue(agent.wait_for(f"this agent polls {expected} of the {SWITCHES}", 10),
                            agent.output())
        time.sleep(4)
        for agent in agents:
            self.assertEqual(agent.stop(), 0, agent.output())
        owner = {}
        for i in (1, 2, 3):
            for device in set(self.devices_in(f"fleet.shard{i}")):
                self.assertNotIn(device, owner, f"{device} polled by shards {owner.get(device)} and {i}")
                owner[device] = i
        print(f"\ndevice -> shard: {dict(sorted(owner.items()))}")
        self.assertEqual(set(owner), set(NAMES), "every device polled by some agent")
        for name in NAMES:
            self.assertEqual(owner[name], java_partition(name.encode(), 3) + 1,
                             f"{name}: kafka-python's murmur2 partition + 1")
        # No switch was asked twice as often as another: nobody polled a device twice per round.
        requests = self.sim_requests()
        self.assertGreater(min(requests.values()), 0, requests)
        self.assertLessEqual(max(requests.values()), 2 * min(requests.values()) + 1, requests)

    def test_poll_tags_keep_only_matching_devices(self):
        agent = self.agent("poll_tags: {site: par1}", "fleet.par1")
        par1 = [n for n in NAMES if SITES[n] == "par1"]
        self.assertTrue(agent.wait_for(f"this agent polls {len(par1)} of the {SWITCHES}", 10),
                        agent.output())
        time.sleep(3)
        self.assertEqual(agent.stop(), 0, agent.output())
        self.assertEqual(set(self.devices_in("fleet.par1")), set(par1))


if __name__ == "__main__":
    unittest.main()
