"""Metric names against the instrumentation spec (docs/specs/component.md, "Plugin metrics"):
one agent runs every collector, enricher and sink type the plugin registry knows, and every
metric its /metrics shows must be listed in docs/specs/metrics.json with the type and labels it
has there; every listed name must follow the naming rules; and the list must name exactly the
metrics written in the sources."""
import glob
import json
import os
import re
import subprocess
import unittest

from every_plugin_agent import EveryPluginAgent
from netfeed_harness import NETFEED, SOURCE_DIR

SPEC = os.path.join(SOURCE_DIR, "docs", "specs", "metrics.json")

# Strings in the sources that look like metric names and are not (a Kafka header name).
NOT_METRICS = {"netfeed_id"}
# Prometheus's own process metrics keep their standard names (no netfeed_ prefix).
PROCESS_METRIC = re.compile(r"^process_[a-z][a-z0-9_]*$")
NAME = re.compile(r"^netfeed_[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Units spelled other than in base units, which the rules forbid.
NON_BASE_UNITS = re.compile(r"_(ms|msec|millis|milliseconds|us|microseconds|ns|minutes|hours|"
                            r"kb|kib|mb|mib|gb|bits|percent)(_|$)")


def load_spec():
    with open(SPEC) as f:
        return json.load(f)


def plugin_types():
    """{group: {type, ...}} of the registry, as `netfeed options --json` describes it."""
    out = subprocess.run([NETFEED, "options", "--json"], capture_output=True, text=True,
                         timeout=60, check=True)
    return {group: set(plugins) for group, plugins in json.loads(out.stdout).items()}


def parse_exposition(text):
    """({family: type}, [(sample name, {label: value})]) of a Prometheus text exposition."""
    types = {}
    samples = []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
        elif line and not line.startswith("#"):
            m = re.match(r"^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})? ", line)
            if m is None:
                raise AssertionError("not a sample line: " + line)
            labels = dict(re.findall(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"',
                                     m.group(3) or ""))
            samples.append((m.group(1), labels))
    return types, samples


def family_of(sample, types):
    """The family a sample belongs to (a histogram's _bucket, _sum and _count samples)."""
    if sample in types:
        return sample
    for suffix in ("_bucket", "_sum", "_count"):
        if sample.endswith(suffix) and types.get(sample[: -len(suffix)]) == "histogram":
            return sample[: -len(suffix)]
    return sample


class SpecList(unittest.TestCase):
    """The list itself, without an agent."""

    def test_every_listed_name_follows_the_rules(self):
        spec = load_spec()
        prefixes = spec["prefixes"]
        problems = []
        for name, entry in spec["metrics"].items():
            kind, owner = entry["type"], entry["owner"]
            if owner not in prefixes:
                problems.append(f"{name}: owner {owner} has no prefixes entry")
                continue
            if owner == "process":
                if not PROCESS_METRIC.match(name):
                    problems.append(f"{name}: a process metric is named process_...")
            elif not NAME.match(name):
                problems.append(f"{name}: not netfeed_<owner>_<what> in snake case")
            elif not any(name.startswith(f"netfeed_{p}_") for p in prefixes[owner]):
                problems.append(f"{name}: does not start with a prefix of {owner}: "
                                f"{prefixes[owner]}")
            if kind not in ("counter", "gauge", "histogram"):
                problems.append(f"{name}: unknown type {kind}")
            if (kind == "counter") != name.endswith("_total"):
                problems.append(f"{name}: a counter, and only a counter, ends in _total")
            if kind == "histogram" and not re.search(r"_(seconds|bytes)$", name):
                problems.append(f"{name}: a histogram ends in its unit")
            if NON_BASE_UNITS.search(name):
                problems.append(f"{name}: units are base units (_seconds, _bytes)")
            labels = entry["labels"]
            plugin = owner not in ("agent", "process")
            # Counters and histograms: the base labels first; a gauge may name just its
            # component (and the resource it describes).
            base = labels[:3] == ["stage", "component", "type"]
            follows = base or (kind == "gauge" and labels[:1] == ["component"])
            if plugin and not follows and not entry.get("legacy_labels"):
                problems.append(f"{name}: a plugin metric carries the base labels (or component "
                                f"for a resource gauge), or says why not in legacy_labels")
        self.assertEqual(problems, [])

    def test_the_list_names_exactly_the_metrics_in_the_sources(self):
        written = set()
        for folder in ("agent", "collectors", "enrichers", "sinks"):
            for path in glob.glob(os.path.join(SOURCE_DIR, folder, "**", "*.cpp"),
                                  recursive=True):
                with open(path) as f:
                    for m in re.finditer(r'"((?:netfeed|process)_[a-z0-9_]+)"', f.read()):
                        written.add(m.group(1))
        written -= NOT_METRICS
        listed = set(load_spec()["metrics"])
        self.assertGreater(len(written), 40)
        self.assertEqual(sorted(written - listed), [], "in the sources, not in metrics.json")
        self.assertEqual(sorted(listed - written), [], "in metrics.json, not in the sources")

    def test_the_removed_second_counters_stay_removed(self):
        # What the component counters already count (component.md: never a second counter).
        listed = set(load_spec()["metrics"])
        for name in ("netfeed_pipeline_accepted_total", "netfeed_syslog_truncated_total"):
            self.assertNotIn(name, listed)


class EveryPluginOnOneAgent(unittest.TestCase):
    """Every plugin type the registry knows on one agent (every_plugin_agent.py)."""

    @classmethod
    def setUpClass(cls):
        cls.every = EveryPluginAgent()
        try:
            cls.text = cls.every.metrics()
        except Exception:
            cls.every.stop()
            raise
        cls.types, cls.samples = parse_exposition(cls.text)

    @classmethod
    def tearDownClass(cls):
        cls.every.stop()

    def test_the_agent_runs_every_plugin_type_of_the_registry(self):
        configured = self.every.section_types()
        registry = plugin_types()
        self.assertEqual({g: registry.get(g, set()) for g in configured}, configured,
                         "a plugin type this test does not start: add it to the config")
        # Each of them has its component counters on /metrics: it was started.
        started = {(labels["stage"], labels["type"]) for name, labels in self.samples
                   if name == "netfeed_component_received_total"}
        stage = {"collectors": "collector", "enrichers": "enricher", "sinks": "sink"}
        for group, types in configured.items():
            for t in types:
                self.assertIn((stage[group], t), started)

    def test_every_exported_metric_is_in_the_spec_with_its_type(self):
        listed = load_spec()["metrics"]
        unlisted = sorted(set(self.types) - set(listed))
        self.assertEqual(unlisted, [], "exported but not in docs/specs/metrics.json")
        wrong = {name: (kind, listed[name]["type"]) for name, kind in self.types.items()
                 if listed[name]["type"] != kind}
        self.assertEqual(wrong, {}, "exported with another type than the spec says")
        self.assertGreater(len(self.types), 50)

    def test_every_exported_series_has_the_labels_the_spec_lists(self):
        listed = load_spec()["metrics"]
        wrong = set()
        for sample, labels in self.samples:
            family = family_of(sample, self.types)
            keys = [k for k in labels if not (k == "le" and sample.endswith("_bucket"))]
            if family in listed and keys != listed[family]["labels"]:
                wrong.add((family, tuple(keys)))
        self.assertEqual(sorted(wrong), [], "labels other than the spec lists")

    def test_syslog_truncation_and_collector_sent_are_counted_once(self):
        # Sent by the emitter (both syslog messages), no second per-collector count.
        self.assertRegex(self.text, r'netfeed_component_sent_total\{stage="collector",'
                                    r'component="syslog",type="syslog"\} 2\n')
        self.assertRegex(self.text, r'netfeed_component_sent_total\{stage="collector",'
                                    r'component="generator",type="generator"\} 5\n')
        self.assertNotIn("netfeed_pipeline_accepted_total", self.text)
        self.assertNotIn("netfeed_syslog_truncated_total", self.text)


if __name__ == "__main__":
    unittest.main()
