"""Kafka going wrong: every record is still accounted for, with a reason an operator can read."""
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import NETFEED, Agent, free_port, http_get, kcat_consume


def dropped(stats, reason):
    return sum(v for k, v in stats["dropped_by_reason"].items() if f'reason="{reason}"' in k)


class KafkaFailures(unittest.TestCase):
    def test_missing_topic_on_a_cluster_that_does_not_create_topics_stops_the_start(self):
        port = free_port()
        refusing = subprocess.Popen([NETFEED, "broker", "--port", str(port), "--refuse-topic",
                                     "absent.topic"], stdout=subprocess.PIPE, text=True)
        try:
            self.assertIn("listening on", refusing.stdout.readline())
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                f.write(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{brokers: 127.0.0.1:{port}}}
collectors:
  - {{type: generator, count: 5}}
routes:
  - {{topic: absent.topic}}
""")
            result = subprocess.run([NETFEED, "run", "-c", f.name], capture_output=True,
                                    text=True, timeout=60)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(f"cannot start: topic absent.topic does not exist on the Kafka cluster "
                          f"at 127.0.0.1:{port}", result.stderr)
            self.assertIn("kafka-topics.sh", result.stderr)
        finally:
            refusing.terminate()
            refusing.wait(30)
            refusing.stdout.close()

    def test_too_large_records_are_named_counted_and_the_rest_delivered(self):
        port = free_port()
        agent = Agent(f"""
agent: {{http: {{enabled: false}}, stats_file: stats.json}}
kafka: {{embedded_listen: '127.0.0.1:{port}', message_max_bytes: 1000}}
collectors:
  - {{type: generator, name: big, count: 5, rate: 0, message_bytes: 2000, devices: [big-r1]}}
  - {{type: generator, name: small, count: 5, rate: 0, message_bytes: 10, devices: [small-r1]}}
""")
        try:
            records = kcat_consume(f"127.0.0.1:{port}", "netfeed.test", expected=5, timeout=30)
            time.sleep(1)
        finally:
            self.assertEqual(agent.stop(), 0)
        self.assertEqual(len(records), 5)
        self.assertTrue(all(r.key == "small-r1" for r in records))
        stats = agent.stats()
        self.assertEqual(stats["accepted"], 10)
        self.assertEqual(stats["sent"], 5)
        self.assertEqual(dropped(stats, "too_large"), 5, stats)
        self.assertIn("from big-r1 for topic netfeed.test is larger than kafka.message_max_bytes "
                      "(1000): dropped and counted (reason too_large)", agent.output())

    def test_unreachable_brokers_show_in_health_and_records_fail_with_the_reason(self):
        dead = free_port()  # nothing listens there
        http_port = free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http_port}'}}, stats_file: stats.json}}
kafka: {{brokers: 127.0.0.1:{dead}, delivery_timeout: 2s}}
collectors:
  - {{type: generator, count: 10, rate: 0}}
""")
        try:
            self.assertIn(f"cannot check topic netfeed.test on 127.0.0.1:{dead}", agent.output())
            deadline = time.time() + 20
            status, body = http_get(f"http://127.0.0.1:{http_port}/healthz")
            while status == 200 and time.time() < deadline:
                time.sleep(0.2)
                status, body = http_get(f"http://127.0.0.1:{http_port}/healthz")
            self.assertEqual(status, 503)
            self.assertIn("all Kafka brokers are down", body)
            self.assertTrue(agent.wait_for("delivery to topic netfeed.test failed", 20),
                            agent.output())
        finally:
            self.assertEqual(agent.stop(), 0)
        stats = agent.stats()
        self.assertEqual(stats["accepted"], 10)
        self.assertEqual(stats["sent"], 0)
        self.assertEqual(dropped(stats, "delivery_failed"), 10, stats)

    def test_sigterm_with_brokers_down_ends_within_the_shutdown_timeout(self):
        dead = free_port()
        agent = Agent(f"""
agent: {{http: {{enabled: false}}, stats_file: stats.json, shutdown_timeout: 2s}}
kafka: {{brokers: 127.0.0.1:{dead}, delivery_timeout: 5m}}
collectors:
  - {{type: generator, count: 10, rate: 0}}
""")
        time.sleep(1)
        began = time.time()
        self.assertEqual(agent.stop(signal.SIGTERM), 0)
        self.assertLess(time.time() - began, 10, "the drain did not respect shutdown_timeout")
        stats = agent.stats()
        self.assertEqual(stats["accepted"], 10)
        self.assertEqual(dropped(stats, "shutdown_timeout"), 10, stats)
        self.assertIn("10 records were not confirmed by the sink before the shutdown deadline",
                      agent.output())


if __name__ == "__main__":
    unittest.main()
