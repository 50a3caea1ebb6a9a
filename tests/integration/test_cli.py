"""The command line as an operator uses it: validate, version, help, /metrics, /healthz, SIGHUP."""
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import NETFEED, SOURCE_DIR, Agent, free_port, http_get, kcat_consume


def run(*args):
    return subprocess.run([NETFEED, *args], capture_output=True, text=True, timeout=60)


def write(text):
    fd, path = tempfile.mkstemp(suffix=".yaml", prefix="netfeed_cli_")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class Validate(unittest.TestCase):
    def test_shipped_config_is_valid(self):
        result = run("validate", "-c", os.path.join(SOURCE_DIR, "config", "netfeed.yaml"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(": OK:", result.stdout)

    def test_each_mistake_is_one_line_with_line_and_column(self):
        path = write("agent:\n"
                     "  log_levl: debug\n"
                     "  io_threads: many\n"
                     "  http:\n"
                     "    listen: 127.0.0.1:99999\n"
                     "inventory:\n"
                     "  path: no-such-inventory.csv\n")
        result = run("validate", "-c", path)
        self.assertEqual(result.returncode, 2)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 4, result.stderr)
        self.assertEqual(lines[0], f"{path}:2:3: agent.log_levl: unknown key; did you mean 'log_level'?")
        self.assertEqual(lines[1], f"{path}:3:15: agent.io_threads: expected a whole number, got 'many'")
        self.assertTrue(lines[2].startswith(f"{path}:5:13: agent.http.listen: bad port '99999'"), lines[2])
        inventory = os.path.join(os.path.dirname(path), "no-such-inventory.csv")
        self.assertEqual(lines[3], f"{path}:7:9: inventory.path: file {inventory} does not exist "
                                   "or is not a regular file")

    # A new user's first config with eight mistakes across every stage (sections, cross-checks,
    # plugin options): one run shows them all, in file order.
    EIGHT_MISTAKES = ("agent:\n"
                      "  queue_capacty: 1000\n"
                      "  log_level: verbose\n"
                      "inventory:\n"
                      "  path: missing.csv\n"
                      "credentials:\n"
                      "  ro: {community: public}\n"
                      "devices:\n"
                      "  - {name: r1, address: 10.0.0.1, credentials: ro, collectors: [snmp]}\n"
                      "  - {name: r1, address: 10.0.0.2}\n"
                      "  - {name: r3, address: 10.0.0.300}\n"
                      "  - {name: r4, address: 10.0.0.4, collectors: [snpm]}\n"
                      "collectors:\n"
                      "  - type: syslog\n"
                      "    udp: {listen: ['0.0.0.0:70000']}\n"
                      "  - type: snmp\n"
                      "    interval: -30s\n")

    def eight_mistakes_expected(self, path):
        csv = os.path.join(os.path.dirname(path), "missing.csv")
        return [
            f"{path}:2:3: agent.queue_capacty: unknown key; did you mean 'queue_capacity'?",
            f"{path}:3:14: agent.log_level: 'verbose' is not one of: trace, debug, info, warn, error, off",
            f"{path}:5:9: inventory.path: file {csv} does not exist or is not a regular file",
            f"{path}:10:12: devices[1].name: device name 'r1' is already used by devices[0]",
            f"{path}:11:25: devices[2].address: '10.0.0.300' is not an IPv4 or IPv6 address",
            f"{path}:12:48: devices[3].collectors[0]: no collector named 'snpm' under collectors:; "
            "did you mean 'snmp'?",
            f"{path}:15:20: collectors[0].udp.listen[0]: bad port '70000' in '0.0.0.0:70000': a port "
            "is a number from 1 to 65535 (0 picks a free one)",
            f"{path}:17:15: collectors[1].interval: a duration cannot be negative, got '-30s'",
        ]

    def test_eight_mistakes_in_one_run(self):
        path = write(self.EIGHT_MISTAKES)
        result = run("validate", "-c", path)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stderr.strip().splitlines(), self.eight_mistakes_expected(path))
        # `run` refuses it with the same full list before it starts anything.
        started = subprocess.run([NETFEED, "run", "-c", path], capture_output=True, text=True,
                                 timeout=60)
        self.assertEqual(started.returncode, 2)
        self.assertEqual(started.stderr.strip().splitlines(), self.eight_mistakes_expected(path))

    def test_missing_config_file(self):
        result = run("validate", "-c", "/nonexistent/netfeed.yaml")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.strip(), "/nonexistent/netfeed.yaml: cannot read config "
                         "file: No such file or directory (give the path with -c FILE)")

    def test_run_refuses_a_bad_config_the_same_way(self):
        path = write("kafka:\n  compresion: lz4\n")
        result = subprocess.run([NETFEED, "run", "-c", path], capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.strip(),
                         f"{path}:2:3: kafka.compresion: unknown key; did you mean 'compression'?")


class Commands(unittest.TestCase):
    def test_version_and_help(self):
        self.assertRegex(run("version").stdout, r"^netfeed \d+\.\d+\.\d+")
        help_text = run("--help").stdout
        for command in ("run", "validate", "options", "broker", "version"):
            self.assertIn(command, help_text)

    def test_options_json_lists_every_plugin(self):
        schema = json.loads(run("options", "--json").stdout)
        self.assertIn("kafka", schema["sinks"])
        self.assertIn("generator", schema["collectors"])


class RunningAgent(unittest.TestCase):
    def config(self, kafka_port, http_port, collectors):
        return f"""
agent:
  http: {{listen: '127.0.0.1:{http_port}'}}
  log_level: info
kafka: {{embedded_listen: '127.0.0.1:{kafka_port}'}}
collectors:
{collectors}
"""

    def test_metrics_health_and_sighup_reload(self):
        kafka_port, http_port = free_port(), free_port()
        agent = Agent(self.config(kafka_port, http_port,
                                  "  - {type: generator, name: a, count: 50, rate: 0, devices: [dev-a]}"))
        try:
            bootstrap = f"127.0.0.1:{kafka_port}"
            self.assertEqual(len(kcat_consume(bootstrap, "netfeed.test", expected=50)), 50)
            status, body = http_get(f"http://127.0.0.1:{http_port}/healthz")
            self.assertEqual((status, body), (200, "ok\n"))
            status, metrics = http_get(f"http://127.0.0.1:{http_port}/metrics")
            self.assertEqual(status, 200)
            # The emitter counts what the pipeline accepted from the collector, once.
            self.assertRegex(metrics, r'netfeed_component_sent_total\{stage="collector",'
                                      r'component="a",type="generator"\} 50\n')
            self.assertNotIn("netfeed_pipeline_accepted_total", metrics)
            self.assertIn('netfeed_kafka_delivered_total{topic="netfeed.test"} 50', metrics)
            self.assertIn('netfeed_kafka_partitioner_choices_total{topic="netfeed.test",strategy="murmur2"} 50',
                          metrics)
            self.assertIn("netfeed_kafka_delivery_latency_seconds_bucket", metrics)
            self.assertIn('netfeed_queue_depth{queue="input",sink=""} 0', metrics)

            # A broken config on SIGHUP: the agent says why and keeps running as it was.
            # Mistakes of two stages (a section, a plugin's options) are both listed.
            agent.rewrite_config("agent: {io_threads: lots}\n"
                                 "collectors:\n  - {type: generator, name: a, count: 0}\n")
            agent.proc.send_signal(signal.SIGHUP)
            self.assertTrue(agent.wait_for("reload failed", 20), agent.output())
            self.assertTrue(agent.wait_for("collectors[0].count", 5), agent.output())
            self.assertIn("agent.io_threads: expected a whole number, got 'lots'", agent.output())
            self.assertIn("collectors[0].count: 0 is out of range", agent.output())
            self.assertEqual(http_get(f"http://127.0.0.1:{http_port}/healthz")[0], 200)

            # A good one adds a collector; the unchanged one keeps running (no second 50).
            agent.rewrite_config(self.config(
                kafka_port, http_port,
                "  - {type: generator, name: a, count: 50, rate: 0, devices: [dev-a]}\n"
                "  - {type: generator, name: b, count: 30, rate: 0, devices: [dev-b]}"))
            agent.proc.send_signal(signal.SIGHUP)
            self.assertTrue(agent.wait_for("reloaded:", 20), agent.output())
            records = kcat_consume(bootstrap, "netfeed.test", expected=80)
            time.sleep(1)
            records = kcat_consume(bootstrap, "netfeed.test")
            keys = [r.key for r in records]
            self.assertEqual(keys.count("dev-a"), 50)
            self.assertEqual(keys.count("dev-b"), 30)
        finally:
            self.assertEqual(agent.stop(), 0, agent.output()[-2000:])
        self.assertIn("stopped: 80 records accepted, 80 delivered to sinks, 0 dropped", agent.output())


if __name__ == "__main__":
    unittest.main()
