"""Fault test 5 of the Kafka spool: a full spool applies the configured overflow policy, and
every record it could not keep is counted (sent + dropped == accepted), the right ones missing."""
import shutil
import tempfile
import time
import unittest

from durability_harness import (FixedPortBroker, StreamingConsumer, SyslogSender, compare,
                                metric, wait_metric)
from netfeed_harness import Agent, free_port

COUNT = 1500


def dropped(stats, reason):
    return sum(v for k, v in stats["dropped_by_reason"].items() if f'reason="{reason}"' in k)


class SpoolOverflow(unittest.TestCase):
    def run_full_spool(self, policy):
        """Fills a 64 KiB spool with Kafka unreachable and librdkafka's queue limited to 50
        records, then lets the broker come; returns (numbers read back, stats, metrics)."""
        work = tempfile.mkdtemp(prefix="netfeed_overflow_")
        self.addCleanup(shutil.rmtree, work, True)
        broker_port, syslog_port, http_port = free_port(), free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, stats_file: stats.json, state_dir: {work}/state}}
kafka:
  brokers: '127.0.0.1:{broker_port}'
  check_topics: false
  properties: {{queue.buffering.max.messages: '50'}}
  spool: {{max_bytes: 65536, segment_bytes: 8192, overflow: {policy}}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{listen: ['127.0.0.1:{syslog_port}'], idle_timeout: 10m}}
""", workdir=work)
        broker = consumer = None
        try:
            sender = SyslogSender(syslog_port)
            for _ in range(COUNT // 100):
                sender.send(100)
            sender.close()
            reason = "spool_full" if policy == "refuse_newest" else "spool_overflow"
            accepted = wait_metric(http_port, "netfeed_records_accepted_total",
                                   lambda v: v >= COUNT, 30)
            self.assertEqual(accepted, COUNT)
            time.sleep(2)  # the sink spools what the pipeline queues hold
            lost = metric(http_port, "netfeed_component_dropped_total", reason=reason)
            self.assertGreater(lost, 0, agent.output()[-2000:])
            self.assertLessEqual(metric(http_port, "netfeed_spool_bytes"), 65536)
            broker = FixedPortBroker(broker_port)
            consumer = StreamingConsumer(broker.bootstrap)
            wait_metric(http_port, "netfeed_spool_records", lambda v: v == 0, 60)
            delivered = wait_metric(http_port, "netfeed_component_sent_total",
                                    lambda v: v >= COUNT - lost, 30, stage="sink")
            deadline = time.time() + 30
            while consumer.count() < delivered and time.time() < deadline:
                time.sleep(0.2)
            time.sleep(0.5)
            numbers = consumer.stop()[0]
        finally:
            if consumer and consumer.proc.poll() is None:
                consumer.stop()
            self.assertEqual(agent.stop(), 0)
            if broker:
                broker.stop()
        stats = agent.stats()
        missing, duplicated = compare(self, f"spool full, {policy}", COUNT, numbers)
        print(f"{reason} counted {lost:.0f}", flush=True)
        self.assertEqual(stats["accepted"], COUNT)
        self.assertEqual(stats["sent"] + stats["dropped"], stats["accepted"], stats)
        self.assertEqual(dropped(stats, reason), len(missing), stats)
        self.assertEqual(duplicated, 0)
        return missing

    def test_5a_refuse_newest_keeps_the_oldest_records(self):
        missing = self.run_full_spool("refuse_newest")
        self.assertEqual(missing, list(range(COUNT - len(missing), COUNT)),
                         "exactly the newest lines are missing")

    def test_5b_drop_oldest_keeps_the_newest_records(self):
        missing = self.run_full_spool("drop_oldest")
        self.assertNotIn(COUNT - 1, missing, "the newest line is delivered")
        self.assertLess(max(missing), COUNT - 100, "only old lines are missing")


if __name__ == "__main__":
    unittest.main()
