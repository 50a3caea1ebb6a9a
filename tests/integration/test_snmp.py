"""SNMP polling end to end: a real snmpd (v2c and v3 authPriv) and snmpsimd serving recorded
Cisco and Linux devices on loopback UDP -> the agent's poller -> the embedded broker -> kcat.
Interface and entity rows are compared field for field with what snmpbulkwalk reads from the
same agents; a wrong community, a wrong v3 passphrase and a port where nothing answers give
status records, and the other devices are still polled on time (collectors/snmp/README.md)."""
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import Agent, Process, free_port, http_get, kcat_consume

EXAMPLES = "/usr/share/doc/snmpsim/examples/data"
MIB_DIR = os.path.join(os.environ.get("NETFEED_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tests", "data", "mibs")
INTERVAL = 3  # seconds between polls of a device

COMMUNITY = "lab-r0-community"
V3_AUTH, V3_PRIV = "netfeed-auth-pass", "netfeed-priv-pass"
WRONG_COMMUNITY, WRONG_AUTH = "no-such-community", "wrong-auth-pass"

IF_COLUMNS = {  # field -> OID of the column (the profile's data table, read independently here)
    "if_descr": "1.3.6.1.2.1.2.2.1.2", "if_type": "1.3.6.1.2.1.2.2.1.3",
    "if_mtu": "1.3.6.1.2.1.2.2.1.4", "if_speed": "1.3.6.1.2.1.2.2.1.5",
    "if_phys_address": "1.3.6.1.2.1.2.2.1.6", "if_admin_status": "1.3.6.1.2.1.2.2.1.7",
    "if_oper_status": "1.3.6.1.2.1.2.2.1.8", "if_last_change": "1.3.6.1.2.1.2.2.1.9",
    "if_in_octets": "1.3.6.1.2.1.2.2.1.10", "if_in_ucast_pkts": "1.3.6.1.2.1.2.2.1.11",
    "if_in_discards": "1.3.6.1.2.1.2.2.1.13", "if_in_errors": "1.3.6.1.2.1.2.2.1.14",
    "if_out_octets": "1.3.6.1.2.1.2.2.1.16", "if_out_ucast_pkts": "1.3.6.1.2.1.2.2.1.17",
    "if_out_discards": "1.3.6.1.2.1.2.2.1.19", "if_out_errors": "1.3.6.1.2.1.2.2.1.20",
    "if_name": "1.3.6.1.2.1.31.1.1.1.1", "if_in_multicast_pkts": "1.3.6.1.2.1.31.1.1.1.2",
    "if_in_broadcast_pkts": "1.3.6.1.2.1.31.1.1.1.3", "if_hc_in_octets": "1.3.6.1.2.1.31.1.1.1.6",
    "if_hc_in_ucast_pkts": "1.3.6.1.2.1.31.1.1.1.7", "if_hc_out_octets": "1.3.6.1.2.1.31.1.1.1.10",
    "if_hc_out_ucast_pkts": "1.3.6.1.2.1.31.1.1.1.11", "if_high_speed": "1.3.6.1.2.1.31.1.1.1.15",
    "if_alias": "1.3.6.1.2.1.31.1.1.1.18",
}
ENT_COLUMNS = {
    "ent_physical_descr": "1.3.6.1.2.1.47.1.1.1.1.2",
    "ent_physical_vendor_type": "1.3.6.1.2.1.47.1.1.1.1.3",
    "ent_physical_contained_in": "1.3.6.1.2.1.47.1.1.1.1.4",
    "ent_physical_class": "1.3.6.1.2.1.47.1.1.1.1.5",
    "ent_physical_name": "1.3.6.1.2.1.47.1.1.1.1.7",
    "ent_physical_hardware_rev": "1.3.6.1.2.1.47.1.1.1.1.8",
    "ent_physical_software_rev": "1.3.6.1.2.1.47.1.1.1.1.10",
    "ent_physical_serial_num": "1.3.6.1.2.1.47.1.1.1.1.11",
    "ent_physical_model_name": "1.3.6.1.2.1.47.1.1.1.1.13",
    "ent_physical_is_fru": "1.3.6.1.2.1.47.1.1.1.1.16",
}
HEX = re.compile(r"^([0-9A-Fa-f]{2} )*[0-9A-Fa-f]{2} ?$")


def metric(metrics, name, **labels):
    total = 0
    for line in metrics.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


class Walk:
    """snmpbulkwalk -On -Oq -Ot -Oe -OU: numeric OIDs, raw timeticks and enums, no units."""

    def __init__(self, env):
        self.env = env

    def __call__(self, target, community, oid):
        out = subprocess.run(["snmpbulkwalk", "-m", "", "-v2c", "-c", community, "-On", "-Oq",
                              "-Ot", "-Oe", "-OU", "-t", "2", "-r", "2", target, oid],
                             capture_output=True, timeout=60, env=self.env)
        values, key = {}, None
        # Bytes, split on LF only: values keep their CR (sysDescr holds CR LF).
        for line in out.stdout.decode("utf-8", "replace").rstrip("\n").split("\n"):
            m = re.match(r"^\.(\d+(?:\.\d+)+) (.*)$", line)
            if m and (key is None or not values[key].startswith('"') or
                      values[key].endswith('"') and len(values[key]) > 1):
                key = m.group(1)
                values[key] = m.group(2)
            elif key is not None:
                values[key] += "\n" + line  # a quoted value over several lines (sysDescr)
        return values


def normalize(text):
    """A walk value as our records write it."""
    if text.startswith('"') and text.endswith('"'):
        inner = text[1:-1]
        if inner and HEX.match(inner):
            return ":".join(b.lower() for b in inner.split())
        return inner.replace('\\"', '"')
    if text.startswith("."):
        return text[1:]  # an OID
    try:
        return int(text)
    except ValueError:
        return text


def ours(value):
    return value


class SnmpPollingEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_snmp_")
        cls.children = []
        persist = os.path.join(cls.dir, "persist")
        os.makedirs(persist)
        # The tools keep their own state in the temp dir too, never under /var/lib/snmp.
        cls.env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=persist, HOME=cls.dir)
        cls.walk = Walk(cls.env)
        cls.home_snmp = os.path.expanduser("~/.snmp")
        cls.before = cls.persistent_state()
        try:
            cls.start_peers()
            cls.start_agent()
        except Exception:
            cls.tearDownClass()
            raise

    @staticmethod
    def persistent_state():
        """What net-snmp would persist for the agent: <app>.conf for init_snmp("netfeed").
        (snmpapp.conf belongs to the command-line tools, which other tests run too.)"""
        state = {}
        for root in ("/var/lib/snmp", os.path.expanduser("~/.snmp")):
            for dirpath, _, files in os.walk(root):
                for f in files:
                    if f.startswith("netfeed"):
                        p = os.path.join(dirpath, f)
                        state[p] = os.stat(p).st_mtime_ns
        return state

    @classmethod
    def start_peers(cls):
        cls.snmpd_port, cls.sim_port, cls.dead_port = free_port(), free_port(), free_port()
        conf = os.path.join(cls.dir, "snmpd.conf")
        with open(conf, "w") as f:
            f.write(f"""agentaddress udp:127.0.1.1:{cls.snmpd_port},udp:127.0.1.2:{cls.snmpd_port},udp:127.0.1.3:{cls.snmpd_port},udp:127.0.1.4:{cls.snmpd_port}
rocommunity {COMMUNITY} 127.0.0.0/8
createUser netfeed SHA {V3_AUTH} AES {V3_PRIV}
rouser netfeed priv
createUser netfeed2 SHA {V3_AUTH} AES {V3_PRIV}
rouser netfeed2 priv
[snmp] persistentDir {cls.dir}/persist
""")
        snmpd = Process(["snmpd", "-f", "-Lo", "-C", "-c", conf, "-p",
                         os.path.join(cls.dir, "snmpd.pid")], env=cls.env)
        cls.children.append(snmpd)
        data = os.path.join(cls.dir, "data")
        os.makedirs(data)
        for src, community in (("cisco_16_switch.snmprec.gz", "cisco-switch"),
                               ("public.snmprec.gz", "linux-host")):
            with gzip.open(os.path.join(EXAMPLES, src), "rb") as r, \
                    open(os.path.join(data, community + ".snmprec"), "wb") as w:
                shutil.copyfileobj(r, w)
        os.chmod(cls.dir, 0o755)
        os.makedirs(os.path.join(cls.dir, "simcache"))
        os.chmod(os.path.join(cls.dir, "simcache"), 0o777)  # snmpsimd writes it as nobody
        for p in (data, *[os.path.join(data, f) for f in os.listdir(data)]):
            os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
        sim_args = ["snmpsimd", f"--data-dir={data}", "--logging-method=null",
                    f"--cache-dir={cls.dir}/simcache",
                    f"--agent-udpv4-endpoint=127.0.2.1:{cls.sim_port}",
                    f"--agent-udpv4-endpoint=127.0.2.2:{cls.sim_port}"]
        if os.geteuid() == 0:
            sim_args += ["--process-user=nobody", "--process-group=nogroup"]
        sim = Process(sim_args, env=cls.env)
        cls.children.append(sim)
        cls.snmpd_target = f"127.0.1.1:{cls.snmpd_port}"
        cls.sim_target = f"127.0.2.1:{cls.sim_port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            a = cls.walk(cls.snmpd_target, COMMUNITY, "1.3.6.1.2.1.1.5")
            b = cls.walk(cls.sim_target, "cisco-switch", "1.3.6.1.2.1.1.5")
            if a and b:
                return
            time.sleep(0.5)
        raise RuntimeError("snmpd or snmpsimd did not answer:\n" + snmpd.output() + sim.output())

    @classmethod
    def start_agent(cls):
        cls.kafka, cls.http = free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
credentials:
  v2c: {{community: {COMMUNITY}}}
  cisco: {{community: cisco-switch}}
  linux: {{community: linux-host}}
  wrong-community: {{community: {WRONG_COMMUNITY}}}
  v3: {{username: netfeed, auth_protocol: sha, auth_passphrase: {V3_AUTH},
        priv_protocol: aes, priv_passphrase: {V3_PRIV}}}
  v3-wrong: {{username: netfeed2, auth_protocol: sha, auth_passphrase: {WRONG_AUTH},
              priv_protocol: aes, priv_passphrase: {V3_PRIV}}}
devices:
  - {{name: snmpd-v2c, address: 127.0.1.1, credentials: v2c, collectors: [snmp]}}
  - {{name: snmpd-v3, address: 127.0.1.2, credentials: v3, collectors: [snmp]}}
  - {{name: snmpd-wrong-community, address: 127.0.1.3, credentials: wrong-community,
      collectors: [snmp]}}
  - {{name: snmpd-wrong-v3, address: 127.0.1.4, credentials: v3-wrong, collectors: [snmp]}}
  - {{name: sim-cisco, address: 127.0.2.1, credentials: cisco, collectors: [snmp]}}
  - {{name: sim-linux, address: 127.0.2.2, credentials: linux, collectors: [snmp]}}
  - {{name: dead, address: 127.0.3.1, credentials: v2c, collectors: [snmp]}}
collectors:
  - type: snmp
    interval: {INTERVAL}s
    timeout: 500ms
    retries: 1
    port: {cls.snmpd_port}
    profiles: [system, interfaces]
    # A user table and scalars written with MIB names from a module the tests ship.
    mib_dirs: [{MIB_DIR}]
    tables:
      - {{name: named_ifs, oid: NETFEED-TEST-MIB::nfTestIfEntry, index: [if_index],
          columns: {{descr: nfTestIfDescr, mtu: nfTestIfMtu}}}}
    scalars:
      - {{name: named_system, objects: {{descr: nfTestSysDescr.0, name: nfTestSysName.0}}}}
    device_overrides:
      - {{device: snmpd-v2c, profiles: [system, interfaces, named_ifs, named_system]}}
      - {{device: snmpd-v3, version: v3}}
      - {{device: snmpd-wrong-v3, version: v3}}
      - {{device: sim-cisco, port: {cls.sim_port}, profiles: [system, interfaces, entity, lldp]}}
      - {{device: sim-linux, port: {cls.sim_port}, version: v1}}
      - {{device: dead, port: {cls.dead_port}}}
routes:
  - {{kinds: [snmp], topic: netfeed.snmp, partitions: 4}}
  - {{kinds: [status], topic: netfeed.status, partitions: 1}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"
        cls.started = time.time()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "agent", None) is not None:
            cls.agent.stop()
        for child in reversed(cls.children):
            child.stop(signal.SIGTERM, timeout=20)
        shutil.rmtree(cls.dir, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------
    def records(self, topic="netfeed.snmp", until=None, timeout=60):
        deadline = time.time() + timeout
        while True:
            got = [json.loads(r.value) | {"_key": r.key}
                   for r in kcat_consume(self.bootstrap, topic, timeout=10)]
            if until is None or until(got) or time.time() >= deadline:
                return got
            time.sleep(1)

    def latest_rows(self, device, table, polls=1):
        """The rows of the device's newest complete poll of `table`, waiting for `polls` polls.
        The newest poll seen may still be arriving (its rows land on several partitions), so
        this waits for one poll more and takes the one before it."""
        def enough(got):
            times = {r["time"] for r in got if r["device"] == device and r["snmp_table"] == table}
            return len(times) >= polls + 1
        got = self.records(until=enough, timeout=60)
        rows = [r for r in got if r["device"] == device and r["snmp_table"] == table]
        self.assertTrue(rows, f"no {table} rows from {device}")
        times = sorted({r["time"] for r in rows})
        complete = times[-2] if len(times) >= 2 else times[-1]
        return [r for r in rows if r["time"] == complete]

    def compare_table(self, rows, target, community, columns, index_field, counters_tolerance=None):
        walked = {field: self.walk(target, community, oid) for field, oid in columns.items()}
        by_index = {r[index_field]: r for r in rows}
        indexes = {int(k.rsplit(".", 1)[1]) for w in walked.values() for k in w}
        self.assertEqual(set(by_index), indexes, "the same rows")
        compared = 0
        for field, values in walked.items():
            for oid, text in values.items():
                row = by_index[int(oid[len(columns[field]) + 1:])]
                expected = normalize(text)
                self.assertIn(field, row, f"{field} of row {row[index_field]}")
                got = row[field]
                if counters_tolerance is not None and field in counters_tolerance:
                    self.assertLessEqual(got, expected, field)
                    self.assertLessEqual(expected - got, counters_tolerance[field], field)
                else:
                    self.assertEqual(got, expected, f"{field} of row {row[index_field]}")
                compared += 1
        return compared

    # -- tests -----------------------------------------------------------------------------
    def test_interfaces_match_snmpbulkwalk_on_a_recorded_cisco_switch(self):
        rows = self.latest_rows("sim-cisco", "interfaces")
        compared = self.compare_table(rows, self.sim_target, "cisco-switch", IF_COLUMNS, "if_index")
        self.assertGreater(compared, 500)
        key = [r for r in rows if r["if_index"] == 1][0]["_key"]
        self.assertEqual(key, "sim-cisco|interfaces|if_index=1")

    def test_entity_matches_snmpbulkwalk(self):
        rows = self.latest_rows("sim-cisco", "entity")
        compared = self.compare_table(rows, self.sim_target, "cisco-switch", ENT_COLUMNS,
                                      "ent_physical_index")
        self.assertGreater(compared, 100)

    def test_system_group_and_v1_getnext_walks(self):
        system = self.latest_rows("sim-cisco", "system")[0]
        walked = self.walk(self.sim_target, "cisco-switch", "1.3.6.1.2.1.1")
        self.assertEqual(system["sys_descr"], normalize(walked["1.3.6.1.2.1.1.1.0"]))
        self.assertEqual(system["sys_object_id"], normalize(walked["1.3.6.1.2.1.1.2.0"]))
        self.assertEqual(system["sys_name"], normalize(walked["1.3.6.1.2.1.1.5.0"]))
        self.assertEqual(system["_key"], "sim-cisco|system")
        # The recorded Linux host is polled with SNMPv1 (GETNEXT): the same rows as a v2c walk.
        # Its recording makes the counters grow (a variation module): those are compared as
        # "not larger than a later walk".
        rows = self.latest_rows("sim-linux", "interfaces")
        if_table = {k: v for k, v in IF_COLUMNS.items() if v.startswith("1.3.6.1.2.1.2.")}
        counters = {k for k in if_table if k.startswith(("if_in_", "if_out_"))}
        self.compare_table(rows, f"127.0.2.2:{self.sim_port}", "linux-host",
                           {k: v for k, v in if_table.items() if k not in counters}, "if_index")
        self.compare_table(rows, f"127.0.2.2:{self.sim_port}", "linux-host",
                           {k: if_table[k] for k in counters}, "if_index",
                           {k: 2**32 for k in counters})

    def test_live_snmpd_v2c_and_v3_authpriv(self):
        for device in ("snmpd-v2c", "snmpd-v3"):
            rows = self.latest_rows(device, "interfaces")
            names = self.walk(self.snmpd_target, COMMUNITY, IF_COLUMNS["if_name"])
            self.assertEqual(sorted(r["if_name"] for r in rows),
                             sorted(normalize(v) for v in names.values()), device)
            # Counters move on a live agent (lo carries the broker's traffic too): ours were read
            # first, so they are not larger than a walk made afterwards.
            static = {k: v for k, v in IF_COLUMNS.items()
                      if k in ("if_descr", "if_type", "if_mtu", "if_name", "if_phys_address",
                               "if_admin_status", "if_high_speed")}
            self.compare_table(rows, self.snmpd_target, COMMUNITY, static, "if_index")
            tolerance = {"if_hc_in_octets": 2**40, "if_hc_out_octets": 2**40}
            self.compare_table(rows, self.snmpd_target, COMMUNITY,
                               {k: IF_COLUMNS[k] for k in tolerance}, "if_index", tolerance)
            system = self.latest_rows(device, "system")[0]
            self.assertIn("sys_up_time", system)

    def test_user_table_and_scalars_named_from_a_mib_file(self):
        rows = self.latest_rows("snmpd-v2c", "named_ifs")
        compared = self.compare_table(rows, self.snmpd_target, COMMUNITY,
                                      {"descr": "1.3.6.1.2.1.2.2.1.2", "mtu": "1.3.6.1.2.1.2.2.1.4"},
                                      "if_index")
        self.assertGreaterEqual(compared, 2)
        system = self.latest_rows("snmpd-v2c", "named_system")[0]
        walked = self.walk(self.snmpd_target, COMMUNITY, "1.3.6.1.2.1.1")
        self.assertEqual(system["descr"], normalize(walked["1.3.6.1.2.1.1.1.0"]))
        self.assertEqual(system["name"], normalize(walked["1.3.6.1.2.1.1.5.0"]))

    def test_counter_rates_after_two_polls(self):
        rows = self.latest_rows("sim-cisco", "interfaces", polls=2)
        # Recorded counters do not move: every rate is exactly 0.
        rated = [r for r in rows if "if_hc_in_octets_rate" in r]
        self.assertEqual(len(rated), len([r for r in rows if "if_hc_in_octets" in r]))
        self.assertGreater(len(rated), 50)
        self.assertTrue(all(r["if_hc_in_octets_rate"] == 0 for r in rated))
        self.assertTrue(all(r["if_in_octets_rate"] == 0 for r in rows if "if_in_octets" in r))
        live = self.latest_rows("snmpd-v2c", "interfaces", polls=2)
        self.assertTrue(all(r["if_hc_in_octets_rate"] >= 0 for r in live))

    def status_of(self, device, state, timeout=60):
        def seen(got):
            return any(r["device"] == device and r["state"] == state for r in got)
        got = self.records("netfeed.status", until=seen, timeout=timeout)
        found = [r for r in got if r["device"] == device]
        self.assertTrue(any(r["state"] == state for r in found), f"{device}: {found}")
        return [r for r in found if r["state"] == state][0]

    def test_wrong_community_is_a_timeout(self):
        status = self.status_of("snmpd-wrong-community", "unreachable")
        self.assertEqual(status["collector"], "snmp")
        self.assertIn("timeout", status["error"])
        self.assertEqual(status["_key"], "snmpd-wrong-community|snmp")

    def test_wrong_v3_passphrase_is_an_auth_failure(self):
        status = self.status_of("snmpd-wrong-v3", "auth_failed")
        self.assertIn("wrong_digest", status["error"])

    def test_dead_port_is_unreachable_and_others_stay_on_time(self):
        self.status_of("dead", "unreachable")
        # Meanwhile every live device kept its interval: count its system polls.
        time.sleep(max(0, self.started + 5 * INTERVAL - time.time()))
        got = self.records()
        elapsed = time.time() - self.started
        for device in ("sim-cisco", "snmpd-v2c", "snmpd-v3", "sim-linux"):
            polls = {r["time"] for r in got if r["device"] == device and r["snmp_table"] == "system"}
            self.assertGreaterEqual(len(polls), int(elapsed / INTERVAL) - 2, device)
        self.assertFalse([r for r in got if r["device"] in ("dead", "snmpd-wrong-community",
                                                             "snmpd-wrong-v3")])
        _, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertGreater(metric(metrics, "netfeed_snmp_errors_total", device="dead",
                                  error="timeout"), 1)
        self.assertGreater(metric(metrics, "netfeed_snmp_errors_total", device="snmpd-wrong-v3",
                                  error="wrong_digest"), 0)
        # Logged once when it started, not once per poll.
        log = self.agent.output()
        self.assertEqual(len(re.findall(r"device dead \(.*\): timeout", log)), 1, log)

    def test_interface_table_published(self):
        rows = self.latest_rows("sim-cisco", "interfaces")
        _, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertEqual(metric(metrics, "netfeed_snmp_interfaces_published", device="sim-cisco"),
                         len(rows))

    def test_no_secrets_in_logs_metrics_or_records_and_no_persistent_files(self):
        self.latest_rows("snmpd-v3", "system")
        _, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        records = json.dumps(self.records() + self.records("netfeed.status"))
        for secret in (COMMUNITY, V3_AUTH, V3_PRIV, WRONG_COMMUNITY, WRONG_AUTH):
            self.assertNotIn(secret, self.agent.output())
            self.assertNotIn(secret, metrics)
            self.assertNotIn(secret, records)
        after = self.persistent_state()
        changed = {p for p in after if self.before.get(p) != after[p]}
        self.assertFalse(changed, f"files written: {changed}")


if __name__ == "__main__":
    unittest.main()
