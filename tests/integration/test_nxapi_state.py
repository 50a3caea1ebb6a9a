"""Current-state topics fed by the NX-API collector: nxapi-sim switches polled for `show version`
(one record per switch, keyed by device) and `show interface` exploded (one record per interface,
keyed device|interface), routed with state: true to the collector's own topics. One switch is
removed from the device list and the agent reloaded; a kafka-python consumer, reading the topics
as a compacted topic would keep them, sees every key of that switch end in a tombstone (value
None) while the others keep their current values."""
import json
import os
import signal
import tempfile
import time
import unittest

from netfeed_harness import Agent, Broker, Process, free_port, lab_program, validate_record

SIM = lab_program("nxapi-sim")
SWITCHES = ["core-a", "core-b", "core-c"]
TOPICS = ["nxapi.show_version", "nxapi.show_interface"]
PARTITIONS = 3


def config(bootstrap, http_port, state_dir, sim_port, switches):
    devices = "".join(
        f"  - {{name: {name}, address: 127.0.62.{SWITCHES.index(name) + 1}, credentials: sim, "
        f"collectors: [nxapi]}}\n"
        for name in switches)
    return f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, state_dir: '{state_dir}'}}
kafka: {{brokers: ['{bootstrap}'], default_partitions: {PARTITIONS}}}
credentials:
  sim: {{username: netfeed, password: netfeed-lab}}
devices:
{devices}collectors:
  - type: nxapi
    scheme: http
    port: {sim_port}
    interval: 2s
    first_poll_spread: 0s
    timeout: 2s
    commands:
      - show version
      - {{command: show interface, explode: true}}
routes:
  - {{kinds: [nxapi], state: true}}
"""


def read_latest(bootstrap, topics):
    """Every key's last value per topic (None for a tombstone), from the beginning up to the
    end offsets at the time of the call (the switches go on being polled meanwhile)."""
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False)
    partitions = [TopicPartition(t, p) for t in topics for p in range(PARTITIONS)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    end = consumer.end_offsets(partitions)
    latest = {t: {} for t in topics}
    deadline = time.time() + 30
    while any(consumer.position(p) < end[p] for p in partitions) and time.time() < deadline:
        for tp, messages in consumer.poll(timeout_ms=500).items():
            for message in messages:
                if message.offset >= end[tp]:
                    continue
                value = None if message.value is None else json.loads(message.value)
                if value is not None:
                    validate_record(value)
                latest[message.topic][message.key.decode()] = value
    consumer.close()
    return latest


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class NxapiStateTopics(unittest.TestCase):
    def test_a_removed_switch_leaves_only_tombstones_on_its_state_topics(self):
        work = tempfile.mkdtemp(prefix="netfeed_nxapi_state_")
        sim_port = free_port()
        sim = Process([SIM, "--switches", str(len(SWITCHES)), "--address", "127.0.62.1",
                       "--spread", "addresses", "--port", str(sim_port), "--user", "netfeed",
                       "--password", "netfeed-lab", "--ready-file",
                       os.path.join(work, "ready.json")])
        self.assertTrue(sim.wait_for("ready", 30), sim.output())
        broker = Broker(topics=TOPICS, partitions=PARTITIONS)
        http_port = free_port()
        state_dir = os.path.join(work, "state")
        agent = Agent(config(broker.bootstrap, http_port, state_dir, sim_port, SWITCHES))
        try:
            # Every switch's version and interfaces are there before it is removed.
            deadline = time.time() + 60
            while True:
                latest = read_latest(broker.bootstrap, TOPICS)
                seen = {v["device"] for t in TOPICS for v in latest[t].values() if v}
                if seen == set(SWITCHES) or time.time() > deadline:
                    break
                time.sleep(1)
            self.assertEqual(seen, set(SWITCHES), agent.output()[-3000:])
            removed_interfaces = {k for k, v in latest["nxapi.show_interface"].items()
                                  if v and v["device"] == "core-b"}
            self.assertGreater(len(removed_interfaces), 1)
            self.assertTrue(all(k.startswith("core-b|Ethernet") or k.startswith("core-b|mgmt")
                                for k in removed_interfaces), removed_interfaces)

            agent.rewrite_config(config(broker.bootstrap, http_port, state_dir, sim_port,
                                        ["core-a", "core-c"]))
            agent.proc.send_signal(signal.SIGHUP)
            self.assertTrue(agent.wait_for("device core-b left the device list", 30),
                            agent.output()[-3000:])
            time.sleep(5)  # the tombstones leave behind core-b's last records; two more polls
            latest = read_latest(broker.bootstrap, TOPICS)

            version = latest["nxapi.show_version"]
            self.assertIn("core-b", version)
            self.assertIsNone(version["core-b"], "core-b's show version ends in a tombstone")
            self.assertEqual({k for k, v in version.items() if v is not None}, {"core-a", "core-c"})
            interfaces = latest["nxapi.show_interface"]
            core_b_keys = {k for k in interfaces if k.startswith("core-b|")}
            self.assertEqual(core_b_keys, removed_interfaces | core_b_keys)
            self.assertTrue(removed_interfaces <= core_b_keys)
            self.assertEqual({k for k in core_b_keys if interfaces[k] is not None}, set(),
                             "every interface key of core-b ends in a tombstone")
            current = {v["device"] for v in interfaces.values() if v is not None}
            self.assertEqual(current, {"core-a", "core-c"})
        finally:
            self.assertEqual(agent.stop(), 0, agent.output()[-3000:])
            broker.stop()
            sim.stop(signal.SIGTERM, timeout=20)


if __name__ == "__main__":
    unittest.main()
