"""Current-state topics (routes with state: true): a device that leaves the device list gets a
tombstone for every key it sent, on a SIGHUP reload and across a restart, read back with kcat."""
import os
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import (Agent, Broker, free_port, http_get, java_partition, metric_total,
                             validate_record)

PARTITIONS = 4


def config(bootstrap, http_port, state_dir, devices):
    device_lines = "".join(
        f"  - {{name: {name}, address: 10.9.0.{i + 1}}}\n" for i, name in enumerate(devices))
    return (
        f"agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, state_dir: '{state_dir}'}}\n"
        f"kafka: {{brokers: ['{bootstrap}'], default_partitions: {PARTITIONS}}}\n"
        f"devices:\n{device_lines}"
        # 10 records per device, keyed device:n (the generator cycles through the devices).
        f"collectors:\n  - {{type: generator, kind: nxapi, count: {10 * len(devices)}, rate: 0}}\n"
        "routes:\n"
        "  - {kinds: [nxapi], topic: state.inventory, key: '{device}:{generator_device_seq}',"
        " state: true}\n")


def read_topic(bootstrap, topic, expected, timeout=60):
    """(partition, key, value or None) of every record, once `expected` arrived."""
    deadline = time.time() + timeout
    while True:
        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e",
                              "-q", "-Z", "-f", "%p\t%k\t%s\n"],
                             capture_output=True, text=True, timeout=30)
        rows = []
        for line in out.stdout.splitlines():
            partition, key, value = line.split("\t", 2)
            rows.append((int(partition), key, None if value == "NULL" else value))
        if len(rows) >= expected or time.time() >= deadline:
            for _, _, value in rows:
                if value is not None:
                    validate_record(value)
            return rows
        time.sleep(0.5)


class StateTopicTest(unittest.TestCase):
    def test_removed_devices_get_tombstones_on_reload_and_after_a_restart(self):
        broker = Broker(topics=["state.inventory"], partitions=PARTITIONS)
        state_dir = tempfile.mkdtemp(prefix="netfeed_state_")
        http_port = free_port()
        agent = Agent(config(broker.bootstrap, http_port, state_dir, ["sw-a", "sw-b", "sw-c"]))
        try:
            rows = read_topic(broker.bootstrap, "state.inventory", 30)
            self.assertEqual(len(rows), 30)
            self.assertTrue(all(value is not None for _, _, value in rows))

            # sw-b leaves the list: exactly its 10 keys get a tombstone, on their own partition.
            agent.rewrite_config(config(broker.bootstrap, http_port, state_dir, ["sw-a", "sw-c"]))
            agent.proc.send_signal(signal.SIGHUP)
            self.assertTrue(agent.wait_for("reloaded:", 20), agent.output())
            self.assertTrue(agent.wait_for("device sw-b left the device list", 20), agent.output())
            rows = read_topic(broker.bootstrap, "state.inventory", 40)
            tombstones = [(p, k) for p, k, v in rows if v is None]
            self.assertEqual(sorted(k for _, k in tombstones), sorted(f"sw-b:{n}" for n in range(10)))
            for partition, key in tombstones:
                self.assertEqual(partition, java_partition(key.encode(), PARTITIONS), key)
            metrics = http_get(f"http://127.0.0.1:{http_port}/metrics")[1]
            self.assertEqual(metric_total(metrics, "netfeed_state_tombstones_total"), 10)
            # Let the keys reach the state file before the agent stops.
            time.sleep(1.5)
        finally:
            self.assertEqual(agent.stop(), 0, agent.output()[-3000:])

        # sw-c is removed while the agent is down: the keys it sent survive in state_dir, so the
        # next start sends its tombstones, and none again for sw-b.
        seen = len(read_topic(broker.bootstrap, "state.inventory", 0))
        agent = Agent(config(broker.bootstrap, http_port, state_dir, ["sw-a"]))
        try:
            self.assertTrue(agent.wait_for("device sw-c left the device list", 20), agent.output())
            rows = read_topic(broker.bootstrap, "state.inventory", seen + 10 + 10)
            tombstones = sorted(k for _, k, v in rows if v is None)
            expected = sorted([f"sw-b:{n}" for n in range(10)] + [f"sw-c:{n}" for n in range(10)])
            self.assertEqual(tombstones, expected)
            self.assertNotIn("device sw-b left", agent.output())
        finally:
            self.assertEqual(agent.stop(), 0, agent.output()[-3000:])
            broker.stop()
        self.assertTrue(os.path.exists(os.path.join(state_dir, "state-topic-keys.json")))

    def test_a_consumer_reads_tombstones_as_null_values(self):
        """kafka-python, as a downstream compacting consumer would, sees value None."""
        from kafka import KafkaConsumer, TopicPartition
        broker = Broker(topics=["state.inventory"], partitions=PARTITIONS)
        state_dir = tempfile.mkdtemp(prefix="netfeed_state_")
        http_port = free_port()
        agent = Agent(config(broker.bootstrap, http_port, state_dir, ["sw-a", "sw-b"]))
        try:
            read_topic(broker.bootstrap, "state.inventory", 20)
            agent.rewrite_config(config(broker.bootstrap, http_port, state_dir, ["sw-b"]))
            agent.proc.send_signal(signal.SIGHUP)
            self.assertTrue(agent.wait_for("device sw-a left the device list", 20), agent.output())
            read_topic(broker.bootstrap, "state.inventory", 30)
            consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap,
                                     auto_offset_reset="earliest", enable_auto_commit=False,
                                     consumer_timeout_ms=5000)
            partitions = [TopicPartition("state.inventory", p) for p in range(PARTITIONS)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            latest = {}
            for message in consumer:
                if message.value is not None:
                    validate_record(message.value)
                latest[message.key.decode()] = message.value
            consumer.close()
            # What a compacted topic converges to: only sw-b's keys still have a value.
            current = sorted(k for k, v in latest.items() if v is not None)
            self.assertEqual(current, sorted(f"sw-b:{n}" for n in range(10)))
            self.assertEqual(sum(1 for v in latest.values() if v is None), 10)
        finally:
            self.assertEqual(agent.stop(), 0, agent.output()[-3000:])
            broker.stop()


if __name__ == "__main__":
    unittest.main()
