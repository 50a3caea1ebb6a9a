"""The embedded broker's retention is not silent: a burst larger than what a one-partition topic
keeps in memory (about 5 MiB) makes the agent count the discarded records and log one line that
names the remedy. The count is checked against the broker's own log start offset, read by
kafka-python (an independent client); a small load beforehand shows neither."""
import socket
import time
import unittest

from netfeed_harness import Agent, free_port, http_get, metric_total

TOPIC = "burst"
LINE = "<189>1: Nov 23 10:00:00 UTC: %SYS-5-CONFIG_I: " + "x" * 1400 + " seq {n}"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send_lines(port, first, count, per_second):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        start = time.time()
        for n in range(first, first + count):
            s.sendto(LINE.format(n=n).encode(), ("127.0.0.1", port))
            if n % 100 == 0:
                ahead = (n - first) / per_second - (time.time() - start)
                if ahead > 0:
                    time.sleep(ahead)


def low_watermark(bootstrap):
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        return consumer.beginning_offsets([TopicPartition(TOPIC, 0)])[TopicPartition(TOPIC, 0)]
    finally:
        consumer.close()


class EmbeddedRetention(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.udp, cls.kafka, cls.http = free_udp_port(), free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{cls.udp}'], receive_buffer_bytes: 8388608}}
    tcp: {{enabled: false}}
routes:
  - {{kinds: [syslog], topic: {TOPIC}, partitions: 1}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()

    def metrics(self):
        return http_get(f"http://127.0.0.1:{self.http}/metrics")[1]

    def delivered(self):
        return metric_total(self.metrics(), "netfeed_kafka_delivered_total", topic=TOPIC)

    def wait_delivered(self, count, timeout=30):
        deadline = time.time() + timeout
        while self.delivered() < count and time.time() < deadline:
            time.sleep(0.2)
        return self.delivered()

    def test_burst_beyond_the_window_is_counted_and_logged(self):
        # Control: 200 records fit in the window; after a few samples, nothing is discarded.
        send_lines(self.udp, 0, 200, 2000)
        self.assertEqual(self.wait_delivered(200), 200)
        time.sleep(5)
        metrics = self.metrics()
        self.assertIn(f'netfeed_embedded_broker_discarded_records_total{{topic="{TOPIC}"}} 0',
                      metrics)
        self.assertEqual(metric_total(metrics, "netfeed_embedded_broker_records_held",
                                      topic=TOPIC), 200)
        self.assertNotIn("embedded broker: topic", self.agent.output())

        # About 1.5 kB of JSON a record: 16,000 records are ~24 MB against a 5 MiB window.
        sent = 16000
        send_lines(self.udp, 200, sent, 4000)
        delivered = self.wait_delivered(200 + sent)
        print(f"\nsent {200 + sent}, delivered {delivered:.0f}")
        self.assertGreater(delivered, 200 + sent * 0.9)  # UDP: allow a few kernel drops

        self.assertTrue(self.agent.wait_for(f"embedded broker: topic {TOPIC} holds only about",
                                            15), self.agent.output()[-3000:])
        warning = [l for l in self.agent.output().splitlines() if "embedded broker: topic" in l]
        self.assertEqual(len(warning), 1, warning)  # rate-limited: one line per topic and minute
        self.assertIn("kafka.default_partitions", warning[0])
        self.assertIn("kafka.brokers", warning[0])

        # The counter equals the broker's log start offset, read by another client.
        deadline = time.time() + 15
        while True:
            low = low_watermark(self.bootstrap)
            counted = metric_total(self.metrics(),
                                   "netfeed_embedded_broker_discarded_records_total", topic=TOPIC)
            if counted == low or time.time() > deadline:
                break
            time.sleep(1)
        print(f"broker log start offset {low}, counted as discarded {counted:.0f}")
        self.assertGreater(low, 0)
        self.assertEqual(counted, low)
        held = metric_total(self.metrics(), "netfeed_embedded_broker_records_held", topic=TOPIC)
        self.assertEqual(held + counted, delivered)


if __name__ == "__main__":
    unittest.main()
