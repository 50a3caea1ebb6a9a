"""Metric names against the instrumentation spec (docs/specs/component.md, "Plugin metrics"):
one agent runs every collector, enricher and sink type the plugin registry knows, and every
metric its /metrics shows must be listed in docs/specs/metrics.json with the type and labels it
has there; every listed name must follow the naming rules; and the list must name exactly the
metrics written in the sources."""
import glob
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unittest

from mmdb_writer import write_mmdb
from netfeed_harness import NETFEED, SOURCE_DIR, Agent, free_port, http_get

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


def write_empty_pcap(path):
    # A classic pcap file header and no packet: the capture input starts and ends at once.
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


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
    """Every plugin type the registry knows, each with a minimal configuration; the SNMP and
    NX-API devices do not answer, so that their per-device error series exist too."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_metric_names_")
        d = cls.dir
        write_mmdb(os.path.join(d, "test.mmdb"), [("8.8.8.0/24", {"country": {"iso_code": "US"}})])
        with open(os.path.join(d, "inventory.csv"), "w") as f:
            f.write("hostname, site\nr1, lab\n")
        write_empty_pcap(os.path.join(d, "empty.pcap"))
        os.makedirs(os.path.join(d, "out"))
        # An SNMP "device" that takes requests and never answers: its polls time out.
        cls.silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        cls.silent.bind(("127.0.0.1", 0))
        snmp_port = cls.silent.getsockname()[1]
        nxapi_port = free_port()  # nothing listens: connection refused
        cls.http = free_port()
        kafka = free_port()
        udp = [free_port() for _ in range(4)]
        cls.syslog_udp = udp[0]
        cls.config = f"""
agent:
  http: {{listen: '127.0.0.1:{cls.http}'}}
  state_dir: {os.path.join(d, "state")}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  ro: {{community: public}}
  nx: {{username: netfeed, password: not-admin}}
devices:
  - {{name: rtr1, address: 127.0.0.1, credentials: ro, collectors: [snmp]}}
  - {{name: sw1, address: 127.0.0.2, credentials: nx, collectors: [nxapi]}}
collectors:
  - {{type: generator, count: 5, rate: 0, devices: [r1]}}
  - type: syslog
    udp: {{listen: ['127.0.0.1:{udp[0]}']}}
    tcp: {{listen: ['127.0.0.1:{udp[0]}']}}
  - {{type: netflow, listen: ['127.0.0.1:{udp[1]}']}}
  - {{type: snmp_trap, listen: ['127.0.0.1:{udp[2]}']}}
  - {{type: sflow, listen: ['127.0.0.1:{udp[3]}']}}
  - {{type: pcap, file: {os.path.join(d, 'empty.pcap')}}}
  - type: snmp
    port: {snmp_port}
    interval: 1s
    first_poll_spread: 0s
    timeout: 200ms
    retries: 0
  - type: nxapi
    scheme: http
    port: {nxapi_port}
    interval: 1s
    first_poll_spread: 0s
    timeout: 1s
    commands: [show version]
enrichers:
  - {{type: inventory, path: {os.path.join(d, 'inventory.csv')}, columns: [site]}}
  - {{type: interfaces, kinds: [flow]}}
  - {{type: protocol, kinds: [flow]}}
  - {{type: geoip, kinds: [flow], databases: [{os.path.join(d, 'test.mmdb')}]}}
sinks:
  - {{type: stdout, name: console}}
  - {{type: file, name: archive, path: {os.path.join(d, 'out', 'records.jsonl')}}}
routes:
  - {{kinds: [test], sink: console}}
  - {{kinds: [test], sink: archive}}
  - {{topic: netfeed.all}}
"""
        cls.agent = Agent(cls.config, workdir=d)
        # One message on each syslog transport, so that their counters move too.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"<13>Nov 23 01:02:03 host1 app: over udp", ("127.0.0.1", udp[0]))
        with socket.create_connection(("127.0.0.1", udp[0])) as s:
            s.sendall(b"<13>Nov 23 01:02:03 host1 app: over tcp\n")
        cls.types, cls.samples, cls.text = cls.scrape()

    @classmethod
    def scrape(cls):
        """/metrics once the failing devices' error series and both syslog messages show."""
        deadline = time.time() + 30
        while True:
            status, text = http_get(f"http://127.0.0.1:{cls.http}/metrics")
            types, samples = parse_exposition(text)
            ready = {"netfeed_snmp_errors_total", "netfeed_nxapi_errors_total"} <= set(types)
            if status == 200 and ready and re.search(
                    r'netfeed_component_received_total\{stage="collector",component="syslog",'
                    r'type="syslog"\} 2\n', text):
                return types, samples, text
            if time.time() >= deadline:
                raise AssertionError("the agent never showed every series:\n" + text[-3000:] +
                                     "\n" + cls.agent.output()[-2000:])
            time.sleep(0.5)

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()
        cls.silent.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_the_agent_runs_every_plugin_type_of_the_registry(self):
        configured = {
            "collectors": set(re.findall(r"type: (\w+)", self.config.split("enrichers:")[0])),
            "enrichers": set(re.findall(r"type: (\w+)",
                                        self.config.split("enrichers:")[1].split("sinks:")[0])),
            "sinks": set(re.findall(r"type: (\w+)", self.config.split("sinks:")[1])) | {"kafka"},
        }
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
