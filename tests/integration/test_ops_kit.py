"""The operations kit in packaging/: the Grafana dashboard and the Prometheus alert rules parse,
and every metric their PromQL names is one a real agent exports (compared with a scrape of
/metrics from an agent with every collector configured, agent.state_dir set, and devices that
fail so that the per-device error series exist)."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

from every_plugin_agent import EveryPluginAgent
from netfeed_harness import NETFEED, SOURCE_DIR

DASHBOARD = os.path.join(SOURCE_DIR, "packaging", "grafana", "netfeed-dashboard.json")
ALERTS = os.path.join(SOURCE_DIR, "packaging", "prometheus", "netfeed-alerts.yaml")
ALERT_TESTS = os.path.join(SOURCE_DIR, "packaging", "prometheus", "netfeed-alerts.test.yaml")
OPERATIONS = os.path.join(SOURCE_DIR, "docs", "OPERATIONS.md")

# Series Prometheus makes itself for every scrape target; no agent exports them.
PROMETHEUS_SYNTHETIC = {"up"}
# Names the kit uses that the agent does not export yet. Keep it empty: a name missing from the
# agent is a broken panel or an alert that never fires.
EXPECTED_NOT_YET_EXPORTED = set()

# What an operator looks for first; the dashboard must show each of them.
DASHBOARD_MUST_SHOW = {
    "netfeed_component_received_total", "netfeed_component_sent_total",
    "netfeed_component_dropped_total", "netfeed_udp_kernel_drops", "netfeed_queue_depth",
    "netfeed_queue_capacity", "netfeed_kafka_delivery_latency_seconds_bucket",
    "netfeed_spool_bytes", "netfeed_spool_records", "netfeed_spool_oldest_age_seconds",
    "netfeed_snmp_poll_duration_seconds_bucket", "netfeed_snmp_errors_total",
    "netfeed_nxapi_poll_duration_seconds_bucket", "netfeed_nxapi_errors_total",
    "process_cpu_seconds_total", "process_resident_memory_bytes", "netfeed_build_info",
}
ALERTS_MUST_HAVE = {
    "NetfeedAgentDown", "NetfeedDroppingRecords", "NetfeedKernelUdpDrops", "NetfeedSpoolGrowing",
    "NetfeedSpoolNearlyFull", "NetfeedKafkaNotDelivering", "NetfeedSnmpDeviceUnreachable",
    "NetfeedNxapiDeviceUnreachable",
}

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "bool", "offset", "inf", "nan"}


def metric_names(expr):
    """The metric names a PromQL expression reads (function names, keywords, label names and
    label values, ranges and Grafana variables left out)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", "", e)
    e = re.sub(r"\[[^\]]*\]", "", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w.$])[A-Za-z_:][A-Za-z0-9_:]*", e):
        if e[m.end():].lstrip().startswith("("):
            continue  # a function call
        if m.group(0).lower() in KEYWORDS:
            continue
        names.add(m.group(0))
    return names


def dashboard_exprs(dashboard):
    out = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            out.append((panel["title"], target["expr"]))
    return out


def alert_rules(rules):
    return [rule for group in rules["groups"] for rule in group["rules"]]


class MetricNameParsing(unittest.TestCase):
    """The extraction the whole comparison rests on."""

    def test_functions_labels_ranges_and_variables_are_not_metrics(self):
        self.assertEqual(
            metric_names('histogram_quantile(0.99, sum by (instance, le) (rate('
                         'netfeed_kafka_delivery_latency_seconds_bucket{job=~"$job"}'
                         '[$__rate_interval])))'),
            {"netfeed_kafka_delivery_latency_seconds_bucket"})
        self.assertEqual(
            metric_names('a_total{x="y"} / on (instance) group_left b > 0.8 and c unless d'),
            {"a_total", "b", "c", "d"})
        self.assertEqual(metric_names("time() - process_start_time_seconds{j=\"1e3\"} > 1e3"),
                         {"process_start_time_seconds"})


class OpsKitFiles(unittest.TestCase):
    def test_dashboard_is_grafana_json_with_its_variables(self):
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        self.assertEqual(variables["DS_PROMETHEUS"]["type"], "datasource")
        self.assertEqual(variables["DS_PROMETHEUS"]["query"], "prometheus")
        self.assertIn("job", variables)
        self.assertIn("instance", variables)
        ids = [p["id"] for p in dashboard["panels"]]
        self.assertEqual(len(ids), len(set(ids)), "panel ids must be unique")
        used = set()
        for panel in dashboard["panels"]:
            self.assertIn("gridPos", panel, panel["title"])
            if panel["type"] == "row":
                continue
            self.assertEqual(panel["datasource"]["uid"], "${DS_PROMETHEUS}", panel["title"])
            self.assertTrue(panel["targets"], panel["title"])
            for target in panel["targets"]:
                # Every query follows the job and instance the viewer picked.
                self.assertIn('instance=~"$instance"', target["expr"], panel["title"])
                self.assertIn('job=~"$job"', target["expr"], panel["title"])
                used |= metric_names(target["expr"])
        self.assertEqual(DASHBOARD_MUST_SHOW - used, set())

    def test_alert_rules_are_prometheus_rule_groups(self):
        with open(ALERTS) as f:
            rules = yaml.safe_load(f)
        names = []
        for rule in alert_rules(rules):
            names.append(rule["alert"])
            self.assertTrue(metric_names(rule["expr"]), rule["alert"])
            self.assertRegex(rule["for"], r"^\d+[smh]$", rule["alert"])
            self.assertIn(rule["labels"]["severity"], {"critical", "warning", "info"})
            self.assertTrue(rule["annotations"]["summary"], rule["alert"])
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(ALERTS_MUST_HAVE - set(names), set())

    @unittest.skipUnless(shutil.which("promtool"), "promtool (Debian package prometheus) is not "
                                                   "installed; the PromQL syntax check is skipped")
    def test_promtool_accepts_the_rules_and_every_dashboard_query(self):
        result = subprocess.run(["promtool", "check", "rules", ALERTS], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        # The alerts' own unit tests: which fire on series shaped like the agent's, which do not.
        result = subprocess.run(["promtool", "test", "rules", ALERT_TESTS], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        # The dashboard's queries as recording rules, Grafana's variables filled in, so that
        # promtool parses each of them.
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        records = []
        for i, (title, expr) in enumerate(dashboard_exprs(dashboard)):
            for variable, value in (("$__rate_interval", "5m"), ("$job", ".*"),
                                    ("$instance", ".*")):
                expr = expr.replace(variable, value)
            records.append({"record": f"netfeed:dashboard_query_{i}", "expr": expr})
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            yaml.safe_dump({"groups": [{"name": "dashboard", "rules": records}]}, f)
            path = f.name
        try:
            result = subprocess.run(["promtool", "check", "rules", path], capture_output=True,
                                    text=True, timeout=60)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        finally:
            os.unlink(path)


class OperationsDocNamesRealOptions(unittest.TestCase):
    def test_every_agent_and_kafka_option_named_exists(self):
        with open(OPERATIONS) as f:
            text = f.read()
        paths = sorted(set(re.findall(r"`((?:agent|kafka)(?:\.[a-z_]+)+)`", text)))
        self.assertGreater(len(paths), 10)
        # One config setting each of them to a map: a real option then fails on its type,
        # a name the agent does not know fails as an unknown key. One validate run lists all.
        config = {}
        for path in paths:
            if any(other.startswith(path + ".") for other in paths):
                continue  # a parent of another name: its children are checked
            node = config
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = {"not": "a value"}
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            yaml.safe_dump(config, f)
        try:
            result = subprocess.run([NETFEED, "validate", "-c", f.name], capture_output=True,
                                    text=True, timeout=60)
        finally:
            os.unlink(f.name)
        self.assertEqual(result.returncode, 2, result.stdout)
        unknown = [line for line in result.stderr.splitlines() if "unknown" in line]
        self.assertEqual(unknown, [], "docs/OPERATIONS.md names options the agent does not have")


class KitNamesOnlyExportedMetrics(unittest.TestCase):
    """One agent with every plugin type (every_plugin_agent.py: its SNMP and NX-API devices do
    not answer, so that the per-device error counters exist, and agent.state_dir is set for the
    spool)."""

    @classmethod
    def setUpClass(cls):
        cls.every = EveryPluginAgent()

    @classmethod
    def tearDownClass(cls):
        cls.every.stop()

    def exported(self):
        """Sample names of /metrics, once the failing devices' error counters showed up."""
        text = self.every.metrics()
        names = {m.group(1) for m in re.finditer(r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", text,
                                                  re.MULTILINE)}
        return names, text

    def used_names(self):
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        with open(ALERTS) as f:
            rules = yaml.safe_load(f)
        used = {}
        for title, expr in dashboard_exprs(dashboard):
            for name in metric_names(expr):
                used.setdefault(name, f"dashboard panel '{title}'")
        for rule in alert_rules(rules):
            for name in metric_names(rule["expr"]):
                used.setdefault(name, f"alert {rule['alert']}")
        return used

    def test_every_metric_the_kit_names_is_exported(self):
        exported, text = self.exported()
        used = self.used_names()
        missing = {name: where for name, where in used.items()
                   if name not in exported and name not in PROMETHEUS_SYNTHETIC
                   and name not in EXPECTED_NOT_YET_EXPORTED}
        self.maxDiff = None
        self.assertEqual(missing, {}, "names the kit uses that the agent does not export")

    def test_label_values_the_alerts_match_on_exist(self):
        # The alerts select series by these labels: a renamed value would silence them.
        _, text = self.exported()
        self.assertRegex(text, r'netfeed_snmp_errors_total\{[^}]*device="rtr1"[^}]*'
                               r'error="(timeout|open_failed|send_failed)"')
        self.assertRegex(text, r'netfeed_nxapi_errors_total\{[^}]*device="sw1"[^}]*'
                               r'error="connection"')
        self.assertRegex(text, r'netfeed_component_received_total\{stage="sink",component="kafka",'
                               r'type="kafka"\}')
        self.assertRegex(text, r'netfeed_udp_kernel_drops\{component="syslog",listen=')


if __name__ == "__main__":
    unittest.main()
