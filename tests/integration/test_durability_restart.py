"""Fault tests 3 and 6 of the Kafka spool: lines accepted while Kafka is unreachable survive a
kill -9 of the agent; a damaged or truncated spool segment is skipped, counted and the rest
delivered. Every line is compared one by one."""
import glob
import os
import shutil
import signal
import tempfile
import time
import unittest

from durability_harness import (FixedPortBroker, StreamingConsumer, SyslogSender, compare,
                                metric, wait_metric)
from netfeed_harness import Agent, free_port


def agent_config(broker_port, syslog_port, http_port, state_dir, spool=""):
    return f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, stats_file: stats.json, state_dir: {state_dir},
        shutdown_timeout: 2s}}
kafka: {{brokers: '127.0.0.1:{broker_port}', check_topics: false, linger: 1ms{spool}}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{listen: ['127.0.0.1:{syslog_port}'], idle_timeout: 10m}}
"""


class SpoolAcrossRestarts(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_durability_")
        self.state = os.path.join(self.dir, "state")
        self.broker_port, self.syslog_port, self.http_port = free_port(), free_port(), free_port()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_agent(self, spool=""):
        return Agent(agent_config(self.broker_port, self.syslog_port, self.http_port, self.state,
                                  spool), workdir=self.dir)

    def spool_while_unreachable(self, count, spool=""):
        """Runs the agent with no broker listening and sends `count` lines; returns the agent
        once the spool holds every one of them."""
        agent = self.start_agent(spool)
        sender = SyslogSender(self.syslog_port)
        sender.send(count)
        sender.close()
        spooled = wait_metric(self.http_port, "netfeed_spool_records", lambda v: v >= count, 30)
        self.assertEqual(spooled, count, agent.output()[-2000:])
        return agent

    def test_3_kill_9_while_kafka_is_unreachable_loses_nothing(self):
        count = 3000
        agent = self.spool_while_unreachable(count)
        agent.stop(signal.SIGKILL)
        broker = FixedPortBroker(self.broker_port)
        consumer = StreamingConsumer(broker.bootstrap)
        agent = self.start_agent()
        try:
            self.assertTrue(consumer.wait_for_numbers(range(count), 60),
                            agent.output()[-3000:])
            replayed = wait_metric(self.http_port, "netfeed_spool_replayed_total",
                                   lambda v: v >= count, 10)
        finally:
            numbers, ids = consumer.stop()
            self.assertEqual(agent.stop(), 0)
            broker.stop()
        missing, duplicated = compare(self, "kill -9 while unreachable, then restarted", count,
                                      numbers)
        self.assertEqual(missing, [])
        self.assertEqual(replayed, count)
        self.assertIn(f"{count} records from an earlier run are produced first", agent.output())
        self.assertEqual(len(set(ids)), count)
        stats = agent.stats()
        # Accepted in the first run: this run accepted nothing and sent nothing of its own.
        self.assertEqual(stats["accepted"], 0)
        self.assertEqual(stats["dropped"], 0, stats)

    def test_6_damaged_and_truncated_segments_are_skipped_counted_and_the_rest_delivered(self):
        count = 600
        agent = self.spool_while_unreachable(count, ", spool: {segment_bytes: 16384}")
        self.assertEqual(agent.stop(), 0)
        self.assertIn(f"{count} records stay in the Kafka spool", agent.output())
        segments = sorted(glob.glob(os.path.join(self.state, "spool", "*.seg")))
        segments = [s for s in segments if os.path.getsize(s) > 0]
        self.assertGreaterEqual(len(segments), 3, segments)
        # Garbage over the middle of the first segment, and the last one cut short.
        with open(segments[0], "r+b") as f:
            f.seek(5000)
            f.write(b"\xde\xad\xbe\xef" * 100)
        with open(segments[-1], "r+b") as f:
            f.truncate(os.path.getsize(segments[-1]) - 7)
        broker = FixedPortBroker(self.broker_port)
        consumer = StreamingConsumer(broker.bootstrap)
        agent = self.start_agent(", spool: {segment_bytes: 16384}")
        try:
            corrupt = wait_metric(self.http_port, "netfeed_component_dropped_total",
                                  lambda v: v > 0, 10, reason="spool_corrupt")
            expected = wait_metric(self.http_port, "netfeed_spool_replayed_total",
                                   lambda v: v >= count - corrupt, 30)
            time.sleep(1)
            numbers, _ = consumer.stop()
        finally:
            if consumer.proc.poll() is None:
                consumer.stop()
            self.assertEqual(agent.stop(), 0)
            broker.stop()
        missing, duplicated = compare(self, "damaged segment", count, numbers)
        print(f"spool_corrupt counted {corrupt:.0f}", flush=True)
        self.assertGreater(len(missing), 0)
        self.assertEqual(len(missing), corrupt, "every lost line is counted as spool_corrupt")
        self.assertEqual(expected, count - corrupt)
        self.assertIn(count - 1, missing, "the truncated tail was the last line")
        self.assertIn("damaged data in", agent.output())
        self.assertEqual(duplicated, 0)


if __name__ == "__main__":
    unittest.main()
