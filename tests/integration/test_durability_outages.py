"""Fault tests 1 and 2 of the Kafka spool: the broker frozen for 30 s, killed and restarted on the
same port, and unreachable for longer than delivery_timeout, while numbered records flow. Every
record is compared one by one: 0 missing."""
import shutil
import signal
import tempfile
import time
import unittest

from durability_harness import (BackgroundSender, FixedPortBroker, StreamingConsumer,
                                SyslogSender, compare, freeze, thaw, wait_metric)
from netfeed_harness import Agent, free_port, http_get


def agent_config(broker_port, syslog_port, http_port, state_dir, delivery_timeout="5m"):
    return f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, stats_file: stats.json, state_dir: {state_dir}}}
kafka: {{brokers: '127.0.0.1:{broker_port}', delivery_timeout: {delivery_timeout}, linger: 1ms}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{listen: ['127.0.0.1:{syslog_port}'], idle_timeout: 10m}}
"""


class BrokerOutages(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_durability_")
        self.broker_port, self.syslog_port, self.http_port = free_port(), free_port(), free_port()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_agent(self, delivery_timeout="5m"):
        return Agent(agent_config(self.broker_port, self.syslog_port, self.http_port,
                                  self.dir + "/state", delivery_timeout), workdir=self.dir)

    def test_1_frozen_30s_then_killed_and_restarted_on_the_same_port(self):
        broker = FixedPortBroker(self.broker_port)
        agent = self.start_agent()
        consumer = StreamingConsumer(broker.bootstrap)
        sender = SyslogSender(self.syslog_port)
        flow = BackgroundSender(sender, 200)
        second = None
        try:
            flow.start()
            time.sleep(2)
            freeze(broker)  # SIGSTOP: connections hang, nothing is acknowledged
            time.sleep(15)
            status, body = http_get(f"http://127.0.0.1:{self.http_port}/healthz")
            print(f"\n/healthz during the freeze: {status} {body.strip()}", flush=True)
            self.assertEqual(status, 200, body)
            self.assertIn("spooling:", body)
            time.sleep(15)
            thaw(broker)
            # Everything sent so far arrives once the broker runs again.
            sent_before_kill = sender.next
            self.assertTrue(consumer.wait_for_numbers(range(sent_before_kill), 60),
                            f"{consumer.count()} read of {sent_before_kill}")
            # Kill -9 the broker: its memory is gone. Quiesce for the kill itself only, so that
            # what the old broker acknowledged was read before it disappears.
            flow.stop()
            first_run = sender.next
            self.assertTrue(consumer.wait_for_numbers(range(first_run), 30))
            numbers_a, ids_a = consumer.stop()
            broker.stop(signal.SIGKILL)
            flow = BackgroundSender(sender, 200)
            flow.start()  # records flow while no broker listens
            time.sleep(4)
            broker = FixedPortBroker(self.broker_port)
            second = StreamingConsumer(broker.bootstrap)
            time.sleep(3)
            flow.stop()
            sent = sender.next
            self.assertTrue(second.wait_for_numbers(range(first_run, sent), 90),
                            agent.output()[-3000:])
        finally:
            flow.stop()
            sender.close()
            numbers_b, ids_b = second.stop() if second else ([], [])
            if consumer.proc.poll() is None:
                consumer.stop()
            self.assertEqual(agent.stop(), 0)
            broker.stop()
        missing, duplicated = compare(self, "frozen 30 s, killed and restarted", sent,
                                      numbers_a + numbers_b)
        self.assertEqual(missing, [])
        stats = agent.stats()
        self.assertEqual(stats["accepted"], sent)
        self.assertEqual(stats["dropped"], 0, stats)
        # A duplicate is only ever a record produced again: its netfeed_id says so.
        ids = [i for i in ids_a + ids_b if i]
        self.assertEqual(len(ids), len(numbers_a) + len(numbers_b))
        self.assertEqual(len(set(ids)), sent, "one netfeed_id per accepted line")

    def test_2_unreachable_longer_than_delivery_timeout(self):
        broker = FixedPortBroker(self.broker_port)
        agent = self.start_agent(delivery_timeout="2s")
        consumer = StreamingConsumer(broker.bootstrap)
        sender = SyslogSender(self.syslog_port)
        flow = BackgroundSender(sender, 200)
        try:
            flow.start()
            time.sleep(1)
            freeze(broker)
            time.sleep(6)  # three times delivery_timeout
            thaw(broker)
            time.sleep(1)
            flow.stop()
            sent = sender.next
            self.assertTrue(consumer.wait_for_numbers(range(sent), 60))
            self.assertEqual(wait_metric(self.http_port, "netfeed_spool_records",
                                         lambda v: v == 0, 10), 0)
        finally:
            flow.stop()
            sender.close()
            numbers, _ = consumer.stop()
            self.assertEqual(agent.stop(), 0)
            broker.stop()
        missing, _ = compare(self, "unreachable 6 s with delivery_timeout 2s", sent, numbers)
        self.assertEqual(missing, [])
        stats = agent.stats()
        self.assertEqual(stats["accepted"], sent)
        self.assertEqual(stats["sent"], sent)
        self.assertEqual(stats["dropped"], 0, stats)


if __name__ == "__main__":
    unittest.main()
