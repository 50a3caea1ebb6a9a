"""End to end through the real agent and a real Kafka client (kcat, kafka-python):
records arrive once, on the Java client's partition for their key, with the documented headers."""
import json
import signal
import subprocess
import time
import unittest
import zlib

from netfeed_harness import (Agent, Broker, free_port, java_partition, kcat_consume, kcat_metadata,
                             validate_record)

DEVICES = [f"lab-r{i:02d}" for i in range(1, 13)]


def devices_yaml():
    return "devices:\n" + "".join(
        f"  - {{name: {d}, address: 127.0.1.{i + 1}, site: lab}}\n" for i, d in enumerate(DEVICES))


class EmbeddedBrokerEndToEnd(unittest.TestCase):
    def test_every_record_once_on_its_java_partition_with_headers(self):
        port = free_port()
        count = 3000
        agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{port}'}}
{devices_yaml()}
collectors:
  - {{type: generator, count: {count}, rate: 0}}
routes:
  - {{kinds: [test], topic: netfeed.test, partitions: 6}}
""")
        try:
            self.assertIn(f"kcat -b 127.0.0.1:{port} -C -t netfeed.test", agent.output())
            bootstrap = f"127.0.0.1:{port}"
            records = kcat_consume(bootstrap, "netfeed.test", expected=count, timeout=60)
            self.assertEqual(len(records), count, agent.output()[-2000:])
            seqs = sorted(json.loads(r.value)["seq"] for r in records)
            self.assertEqual(seqs, list(range(count)), "a record is missing or doubled")
            for r in records:
                value = json.loads(r.value)
                self.assertEqual(r.key, value["device"])
                self.assertEqual(r.partition, java_partition(r.key.encode(), 6),
                                 f"key {r.key} is not on the Java client's partition")
                self.assertEqual(r.headers, {"kind": "test", "device": r.key, "schema_version": "2"})
            self.assertEqual({r.key for r in records}, set(DEVICES))

            meta = kcat_metadata(bootstrap)
            topics = {t["topic"]: len(t["partitions"]) for t in meta["topics"]}
            self.assertEqual(topics.get("netfeed.test"), 6)
        finally:
            self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

    def test_crc32_utf16_and_unkeyed_records(self):
        port = free_port()
        agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{port}', sticky_batch_records: 50}}
{devices_yaml()}
collectors:
  - {{type: generator, count: 240, rate: 0}}
routes:
  - {{name: crc, topic: t.crc32, partitions: 5, partitioner: crc32}}
  - {{name: u16, topic: t.utf16, partitions: 7, key_encoding: utf-16}}
  - {{name: unkeyed, topic: t.unkeyed, partitions: 4, key: '{{no_such_field}}'}}
""")
        try:
            bootstrap = f"127.0.0.1:{port}"
            crc = kcat_consume(bootstrap, "t.crc32", expected=240)
            self.assertEqual(len(crc), 240)
            for r in crc:
                # librdkafka's consistent partitioner is the plain CRC-32 (zlib's) modulo count.
                self.assertEqual(r.partition, zlib.crc32(r.key.encode()) % 5, r.key)

            from kafka import KafkaConsumer, TopicPartition
            consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                     enable_auto_commit=False, consumer_timeout_ms=5000)
            partitions = [TopicPartition("t.utf16", p) for p in range(7)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            got = []
            deadline = time.time() + 30
            while len(got) < 240 and time.time() < deadline:
                for batch in consumer.poll(timeout_ms=1000).values():
                    got.extend(batch)
            consumer.close()
            self.assertEqual(len(got), 240)
            for msg in got:
                value = json.loads(msg.value)  # what any kafka-python consumer does
                validate_record(value)
                self.assertEqual(msg.key, value["device"].encode("utf-16"))
                self.assertEqual(msg.partition, java_partition(msg.key, 7))

            # No key: sticky partitioning fills one partition with at most 50 records, then
            # moves to another one.
            unkeyed = kcat_consume(bootstrap, "t.unkeyed", expected=240)
            self.assertEqual(len(unkeyed), 240)
            self.assertTrue(all(r.key == "" for r in unkeyed))
            by_seq = sorted((json.loads(r.value)["seq"], r.partition) for r in unkeyed)
            runs = []
            for _, partition in by_seq:
                if runs and runs[-1][0] == partition:
                    runs[-1][1] += 1
                else:
                    runs.append([partition, 1])
            self.assertGreaterEqual(len(runs), 5, runs)
            self.assertTrue(all(length <= 50 for _, length in runs), runs)
            self.assertGreater(len({p for p, _ in runs}), 1, runs)
        finally:
            agent.stop()


class ShutdownUnderLoad(unittest.TestCase):
    def test_sigterm_under_load_loses_nothing_accepted(self):
        # A broker outside the agent, so what the agent delivered can be read after it exits.
        broker = Broker(topics=["netfeed.test"], partitions=4)
        try:
            # linger keeps records inside librdkafka when SIGTERM comes: the drain must flush them.
            agent = Agent(f"""
agent:
  http: {{enabled: false}}
  queue_capacity: 2000
  sink_queue_capacity: 2000
  stats_file: stats.json
kafka:
  brokers: {broker.bootstrap}
  linger: 400ms
{devices_yaml()}
collectors:
  - {{type: generator, count: 100000000, rate: 20000}}
""")
            time.sleep(1.5)
            self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-3000:])
            stats = agent.stats()
            accepted = stats["accepted"]
            self.assertGreater(accepted, 10000, agent.output()[-2000:])
            self.assertEqual(stats["dropped"], 0, stats)
            self.assertEqual(stats["sent"], accepted, stats)
            records = kcat_consume(broker.bootstrap, "netfeed.test", expected=accepted, timeout=60)
            seqs = sorted(json.loads(r.value)["seq"] for r in records)
            self.assertEqual(len(seqs), accepted)
            self.assertEqual(seqs, list(range(accepted)), "a record is missing or doubled")
        finally:
            broker.stop()


if __name__ == "__main__":
    unittest.main()
