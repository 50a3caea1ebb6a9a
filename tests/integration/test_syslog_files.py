"""Tailed log files through the whole agent: lines appended, rotated by rename and truncated,
while the agent runs and while it is stopped, each reach Kafka exactly once."""
import json
import os
import signal
import tempfile
import time
import unittest

from netfeed_harness import Agent, Broker, kcat_consume

NXOS = "2021 Nov  6 16:16:05 lax-cor-r1 %SYSLOG-2-SYSTEM_MSG : line {n}\twith a tab"


class TailedFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_files_")
        self.logs = os.path.join(self.dir, "logs")
        os.mkdir(self.logs)
        self.path = os.path.join(self.logs, "lax-cor-r1.log")
        self.written = 0
        self.broker = Broker(topics=["netfeed.syslog"], partitions=3)

    def tearDown(self):
        self.broker.stop()

    def write(self, count, path=None):
        with open(path or self.path, "a") as f:
            for _ in range(count):
                f.write(NXOS.format(n=self.written) + "\n")
                self.written += 1

    def start_agent(self):
        return Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{brokers: {self.broker.bootstrap}}}
devices:
  - {{name: lax-cor-r1, address: 10.0.0.1}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{enabled: false}}
    files:
      paths: ['{self.logs}/*.log']
      start_at_end: false
      state_file: {self.dir}/positions.json
      poll_interval: 100ms
""", workdir=self.dir)

    def delivered(self, expected):
        records = kcat_consume(self.broker.bootstrap, "netfeed.syslog", expected=expected,
                               timeout=30)
        return [json.loads(r.value) for r in records]

    def test_append_rotate_truncate_while_running_and_while_stopped(self):
        self.write(5)
        agent = self.start_agent()
        self.write(5)
        time.sleep(0.5)
        # logrotate "create": rename, then a new file; lines written to the old one just before
        self.write(3)
        os.rename(self.path, self.path + ".1")
        self.write(4)
        time.sleep(0.5)
        # copytruncate: the file is emptied in place
        os.truncate(self.path, 0)
        self.write(2)
        time.sleep(0.5)
        self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

        # While stopped: more lines, then a rotation by rename
        self.write(3)
        os.rename(self.path, self.path + ".2")
        self.write(2)
        agent = self.start_agent()
        time.sleep(1)
        self.write(1)
        time.sleep(0.5)
        self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

        # While stopped: truncated, then written shorter than the saved position
        os.truncate(self.path, 0)
        self.write(1)
        agent = self.start_agent()
        time.sleep(1)
        self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

        # While stopped: truncated, then written past the saved position again
        os.truncate(self.path, 0)
        self.write(20)
        agent = self.start_agent()
        time.sleep(1)
        self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

        records = self.delivered(self.written)
        numbers = sorted(int(r["message"].split()[1]) for r in records)
        self.assertEqual(numbers, list(range(self.written)), "a line is missing or doubled")
        for r in records:
            self.assertEqual(r["device"], "lax-cor-r1")
            self.assertEqual(r["device_address"], "10.0.0.1")
            self.assertEqual(r["syslog_format"], "nxos")
            self.assertEqual(r["transport"], "file")
            self.assertIn("\twith a tab", r["message"])


if __name__ == "__main__":
    unittest.main()
