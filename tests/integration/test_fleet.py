"""The fleet over a Kafka consumer group (agent.fleet): agents with the same fleet name split
nxapi-sim's switches and snmp-sim's routers through the group on `netfeed.fleet.<name>` of one standalone `netfeed
broker` (librdkafka's mock cluster, which implements the group protocol). Each agent polls the
devices whose murmur2 partition (computed here by kafka-python) it holds, at the fleet's
wall-clock slots (phase = murmur2(name) mod interval, the same on every agent).

One run, three phases, every poll read back from Kafka at the end:
1. three agents: every switch polled, by one agent per slot;
2. one agent killed with SIGKILL: its switches are polled again by the others within the
   session timeout plus one interval (plus the group's rejoin), still once per slot;
3. a fourth agent joins: the shares move (the status records say so) with no slot polled
   twice and, after the fleet settled, no slot skipped."""
import json
import os
import re
import shutil
import signal
import tempfile
import time
import unittest
from collections import defaultdict
from datetime import datetime

from netfeed_harness import Agent, Broker, Process, free_port, java_partition, kcat_consume, lab_program

SIM = lab_program("nxapi-sim")
SWITCHES = 12
PARTITIONS = 12
INTERVAL_MS = 2000
SESSION_MS = 3000
SNMP_DEVICES = 6
NAMES = [f"leaf{i:02d}.fra1" for i in range(1, SWITCHES + 1)]
ROUTERS = [f"rtr{i:02d}.fra1" for i in range(1, SNMP_DEVICES + 1)]
ALL = NAMES + ROUTERS


def slot_of(name, ms):
    from kafka.partitioner.default import murmur2
    phase = (murmur2(name.encode()) & 0x7FFFFFFF) % INTERVAL_MS
    return (ms - phase) // INTERVAL_MS


def epoch_ms(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class ConsumerGroupFleet(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_fleet_")
        self.children = []
        ready = os.path.join(self.dir, "ready.json")
        self.port = free_port()
        sim = Process([SIM, "--ready-file", ready, "--switches", str(SWITCHES), "--address",
                       "127.0.63.1", "--spread", "addresses", "--port", str(self.port)])
        self.children.append(sim)
        self.assertTrue(sim.wait_for("ready", 30), sim.output())
        snmp = Process([lab_program("snmp-sim"), "--port", "0", "--devices", str(SNMP_DEVICES),
                        "--address", "127.0.65.1", "--spread", "addresses", "--community",
                        "public", "--interfaces", "2", "--no-entity"])
        self.children.append(snmp)
        self.assertTrue(snmp.wait_for("snmp-sim ready", 20), snmp.output())
        self.snmp_port = int(re.search(r"ready: \d+ devices, [\d.]+:(\d+)",
                                       snmp.output()).group(1))
        self.broker = Broker(topics=["netfeed.fleet.lab", "netfeed.fleet.lab.templates", "fleet.nxapi",
                                     "fleet.snmp", "fleet.status"],
                             partitions=PARTITIONS)
        self.children.append(self.broker)

    def tearDown(self):
        for child in reversed(self.children):
            child.stop(signal.SIGKILL if getattr(child, "killed", False) else signal.SIGTERM,
                       timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def agent(self):
        devices = "\n".join(
            f"  - {{name: {name}, address: 127.0.63.{i + 1}, credentials: sim, "
            f"collectors: [nxapi]}}" for i, name in enumerate(NAMES))
        devices += "\n" + "\n".join(
            f"  - {{name: {name}, address: 127.0.65.{i + 1}, credentials: ro, "
            f"collectors: [snmp]}}" for i, name in enumerate(ROUTERS))
        agent = Agent(f"""
agent:
  http: {{enabled: false}}
  fleet: {{name: lab, session_timeout: {SESSION_MS}ms}}
kafka: {{brokers: {self.broker.bootstrap}}}
credentials:
  sim: {{username: admin, password: admin}}
  ro: {{community: public}}
devices:
{devices}
collectors:
  - type: nxapi
    scheme: http
    port: {self.port}
    interval: {INTERVAL_MS}ms
    timeout: 1s
    commands: [show version]
  - type: snmp
    port: {self.snmp_port}
    interval: {INTERVAL_MS}ms
    timeout: 1s
    retries: 0
    profiles: [system]
routes:
  - {{kinds: [nxapi], topic: fleet.nxapi}}
  - {{kinds: [snmp], topic: fleet.snmp}}
  - {{kinds: [status], topic: fleet.status}}
""", workdir=tempfile.mkdtemp(dir=self.dir))
        self.children.append(agent)
        return agent

    def settled(self, agents, timeout=40):
        """Waits until the newest status records of `agents` split every switch between them."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            latest = {}
            for r in kcat_consume(self.broker.bootstrap, "fleet.status", timeout=10):
                v = json.loads(r.value)
                if v.get("collector") == "fleet":
                    latest[v["agent"]] = v
            ids = {f"-{a.proc.pid}" for a in agents}
            live = {k: v for k, v in latest.items() if any(k.endswith(i) for i in ids)}
            owned = [d for v in live.values() for d in v["devices"]]
            if len(live) == len(agents) and sorted(owned) == sorted(ALL):
                return live
            time.sleep(1)
        self.fail(f"the fleet did not settle on {len(agents)} agents: {latest}")

    def test_three_agents_kill_one_then_a_fourth_joins(self):
        agents = [self.agent() for _ in range(3)]
        shares = self.settled(agents)
        for v in shares.values():
            for d in v["devices"]:
                self.assertIn(java_partition(d.encode(), PARTITIONS), v["partitions"],
                              f"{d} polled by an agent that does not hold its partition")
        time.sleep(3 * INTERVAL_MS / 1000)  # a few rounds with three agents

        victim = agents.pop(0)
        victim_devices = next(v["devices"] for k, v in shares.items()
                              if k.endswith(f"-{victim.proc.pid}"))
        victim.proc.send_signal(signal.SIGKILL)
        victim.killed = True
        killed_at = time.time() * 1000
        self.settled(agents)
        time.sleep(3 * INTERVAL_MS / 1000)

        agents.append(self.agent())
        joined_at = time.time() * 1000
        self.settled(agents)
        time.sleep(3 * INTERVAL_MS / 1000)
        for a in agents:
            self.assertEqual(a.stop(), 0, a.output())

        polls = defaultdict(list)
        for topic in ("fleet.nxapi", "fleet.snmp"):
            for r in kcat_consume(self.broker.bootstrap, topic, timeout=20):
                v = json.loads(r.value)
                polls[v["device"]].append(epoch_ms(v["time"]))
        self.assertEqual(set(polls), set(ALL), "every switch and router polled")

        # Once per slot, across the whole run: no rebalance made two agents poll one slot.
        for name, times in polls.items():
            slots = [slot_of(name, t) for t in sorted(times)]
            doubles = sorted({s for s in slots if slots.count(s) > 1})
            self.assertEqual(doubles, [], f"{name}: slots polled twice: {doubles}")

        # The killed agent's switches: polled again within session timeout + interval (+ the
        # group's rejoin and the status read-back slack).
        limit = SESSION_MS + INTERVAL_MS + 6000
        takeover = {n: min([t for t in polls[n] if t > killed_at], default=None) for n in victim_devices}
        print(f"\ntakeover after SIGKILL (ms): "
              f"{ {n: (t - killed_at if t else None) for n, t in takeover.items()} }")
        for name in victim_devices:
            after = [t for t in polls[name] if t > killed_at]
            self.assertTrue(after, f"{name} never polled after its agent was killed")
            self.assertLess(min(after) - killed_at, limit,
                            f"{name}: first poll {min(after) - killed_at:.0f} ms after the kill")

        # The join moved devices without skipping: from the join on, every slot of every switch
        # has its poll, apart from the slots that began while the group was rebalancing.
        for name, times in polls.items():
            slots = sorted({slot_of(name, t) for t in times if t > joined_at})
            self.assertTrue(slots, f"{name}: not polled after the fourth agent joined")
            missing = [s for s in range(slots[0], slots[-1] + 1) if s not in slots]
            self.assertLessEqual(len(missing), 1, f"{name}: slots missed after the join: {missing}")
        print(f"\nkilled agent's switches: {victim_devices}; polls per switch: "
              f"{ {n: len(t) for n, t in sorted(polls.items())} }")


if __name__ == "__main__":
    unittest.main()
