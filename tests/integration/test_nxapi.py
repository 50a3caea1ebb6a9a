"""NX-API polling end to end: nxapi-sim (lab/nxapi_sim, many simulated Nexus switches on
loopback, HTTP and HTTPS) -> the agent's nxapi collector -> the embedded broker -> kcat.

Checked against the simulator's documented deterministic content (lab/nxapi_sim/README.md):
both request formats, JSON-RPC version 1 and 1.2, one and several inventory rows, exploded
tables keyed by their natural key, number conversion, one basic-auth login per switch per
session (the simulator's /stats), a re-login after the cookies expire, every error case
(bad command, permission, 401, 403, 500, malformed, truncated, closed, slow, wrong password)
as error records and metrics while the other commands keep coming, HTTPS with verification on
(the test CA), off, and failing with the wrong CA; and the example config
config/examples/nxapi-classic.yaml pointed at the simulator (collectors/nxapi/README.md)."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.request

from netfeed_harness import (Agent, Process, SOURCE_DIR, free_port, http_get, kcat_consume,
                             lab_program, metric_total)

INTERVAL = 2  # seconds between polls of a device
SIM = lab_program("nxapi-sim")
MAKE_CA = os.path.join(SOURCE_DIR, "lab", "nxapi_sim", "make-test-ca.sh")
USER, PASSWORD = "admin", "admin"  # the simulator's defaults: a vendor default, warned about

# Switch index on the plain-HTTP simulator -> (device name, what is special about it).
HTTP_SWITCHES = [
    ("rpc12", "jsonrpc 1.2"), ("rpc1", "jsonrpc 1"), ("ins-even", "ins_api"),
    ("ins-odd", "ins_api"), ("badcmd", "bad and refused commands"), ("f401", "fault 401"),
    ("f403", "fault 403"), ("f500", "fault 500"), ("fmalformed", "fault malformed"),
    ("ftruncated", "fault truncated"), ("fclose", "fault close"), ("fslow", "fault slow"),
    ("wrongpw", "wrong password"),
]
FAULTS = {"f401": "401", "f403": "403", "f500": "500", "fmalformed": "malformed",
          "ftruncated": "truncated", "fclose": "close", "fslow": "slow"}
EXPECTED_ERRORS = {  # device -> (command, error_type)
    "f401": ("show version", "unauthorized"), "f403": ("show version", "forbidden"),
    "f500": ("show version", "http_error"), "fmalformed": ("show version", "malformed"),
    "ftruncated": ("show version", "truncated"), "fclose": ("show version", "connection"),
    "fslow": ("show version", "timeout"), "wrongpw": ("show version", "unauthorized"),
}


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


def start_sim(args, ready):
    proc = Process([SIM, "--ready-file", ready, *args])
    if not proc.wait_for("ready", 30):
        raise RuntimeError("nxapi-sim did not start:\n" + proc.output())
    with open(ready) as f:
        return proc, json.load(f)


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class NxapiPollingEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_nxapi_")
        cls.children = []
        cls.agent = None
        try:
            cls.start_sims()
            cls.start_agent()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start_sims(cls):
        ca, wrong_ca = os.path.join(cls.dir, "ca"), os.path.join(cls.dir, "wrong-ca")
        for d in (ca, wrong_ca):
            subprocess.run([MAKE_CA, d, "--spread-addresses", "3"], check=True, timeout=60,
                           capture_output=True)
        cls.ca_file, cls.wrong_ca_file = os.path.join(ca, "ca.pem"), os.path.join(wrong_ca, "ca.pem")
        cls.control = free_port()
        cls.http_port = free_port()
        http, cls.http_ready = start_sim(
            ["--switches", str(len(HTTP_SWITCHES)), "--address", "127.0.60.1", "--spread",
             "addresses", "--port", str(cls.http_port), "--control", f"127.0.0.1:{cls.control}",
             "--cookie-ttl", "600"], os.path.join(cls.dir, "http.json"))
        cls.children.append(http)
        cls.tls_control = free_port()
        cls.tls_port = free_port()
        tls, cls.tls_ready = start_sim(
            ["--switches", "3", "--address", "127.0.0.1", "--spread", "addresses", "--port",
             str(cls.tls_port), "--tls", "--cert", os.path.join(ca, "server.pem"), "--key",
             os.path.join(ca, "server.key"), "--hostname-prefix", "tls-sw", "--control",
             f"127.0.0.1:{cls.tls_control}"], os.path.join(cls.dir, "tls.json"))
        cls.children.append(tls)
        names = [n for n, _ in HTTP_SWITCHES]
        for name, kind in FAULTS.items():
            fault = {"switch": names.index(name), "kind": kind, "count": -1}
            if kind == "slow":
                fault["delay_ms"] = 2500
            post(f"http://127.0.0.1:{cls.control}/fault", fault)

    @classmethod
    def start_agent(cls):
        cls.kafka, cls.http = free_port(), free_port()
        devices = []
        for i, (name, _) in enumerate(HTTP_SWITCHES):
            creds = "wrong" if name == "wrongpw" else "sim"
            devices.append(f"  - {{name: {name}, address: 127.0.60.{i + 1}, credentials: {creds}, "
                           f"collectors: [nxapi]}}")
        devices.append("  - {name: tls-verified, address: 127.0.0.1, credentials: sim, "
                       "collectors: [nxapi-tls]}")
        devices.append("  - {name: tls-unverified, address: 127.0.0.2, credentials: sim, "
                       "collectors: [nxapi-tls]}")
        devices.append("  - {name: tls-wrong-ca, address: 127.0.0.3, credentials: sim, "
                       "collectors: [nxapi-wrong-ca]}")
        common = f"interval: {INTERVAL}s\n    first_poll_spread: 1s\n    timeout: 1s"
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
credentials:
  sim: {{username: {USER}, password: {PASSWORD}}}
  wrong: {{username: {USER}, password: not-the-password}}
devices:
{chr(10).join(devices)}
collectors:
  - type: nxapi
    scheme: http
    port: {cls.http_port}
    {common}
    commands:
      - show version
      - show inventory
      - {{command: show interface, explode: true, numbers: true}}
      - {{command: show lldp neighbors, explode: true}}
    device_overrides:
      - {{device: rpc1, jsonrpc_version: 1}}
      - {{device: ins-even, format: ins_api}}
      - {{device: ins-odd, format: ins_api}}
      - {{device: badcmd, commands: [show version, show bogus, show running-config, show inventory]}}
  - type: nxapi
    name: nxapi-tls
    port: {cls.tls_port}
    ca_file: {cls.ca_file}
    {common}
    commands: [show version]
    device_overrides:
      - {{device: tls-unverified, tls_verify: false}}
  - type: nxapi
    name: nxapi-wrong-ca
    port: {cls.tls_port}
    ca_file: {cls.wrong_ca_file}
    {common}
    commands: [show version]
routes:
  - {{kinds: [nxapi], partitions: 2}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        if cls.agent is not None:
            cls.agent.stop()
        for child in reversed(cls.children):
            child.stop(signal.SIGTERM, timeout=20)
        shutil.rmtree(cls.dir, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------
    def records(self, topic, until=None, timeout=60):
        deadline = time.time() + timeout
        while True:
            got = [json.loads(r.value) | {"_key": r.key}
                   for r in kcat_consume(self.bootstrap, topic, timeout=10)]
            if until is None or until(got) or time.time() >= deadline:
                return got
            time.sleep(1)

    def polls_of(self, topic, device, polls):
        def enough(got):
            return len({r["time"] for r in got if r["device"] == device}) >= polls
        got = self.records(topic, until=enough)
        mine = [r for r in got if r["device"] == device]
        self.assertGreaterEqual(len({r["time"] for r in mine}), polls,
                                f"{polls} polls of {device} on {topic}: {mine[:3]}")
        return mine

    def stats(self, control):
        with urllib.request.urlopen(f"http://127.0.0.1:{control}/stats", timeout=5) as r:
            return {s["index"]: s for s in json.loads(r.read())["switches"]}

    def metrics(self):
        status, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertEqual(status, 200)
        return text

    # -- tests -----------------------------------------------------------------------------
    def test_show_version_in_both_formats_and_versions(self):
        for i, name in enumerate(["rpc12", "rpc1", "ins-even", "ins-odd"]):
            rec = self.polls_of("nxapi.show_version", name, 1)[0]
            self.assertEqual(rec["kind"], "nxapi")
            self.assertEqual(rec["_key"], name)
            self.assertEqual(rec["command"], "show version")
            self.assertEqual(rec["device_address"], f"127.0.60.{i + 1}")
            self.assertEqual(rec["body"]["host_name"], f"sim-sw{i + 1:03d}", name)
            self.assertEqual(rec["body"]["proc_board_id"], f"SIM{i + 1:08d}", name)
            self.assertEqual(rec["body"]["nxos_ver_str"], "9.3(10)")

    def test_single_and_multi_row_inventory_are_both_arrays(self):
        for i, name in enumerate(["rpc12", "rpc1", "ins-even", "ins-odd"]):
            rec = self.polls_of("nxapi.show_inventory", name, 1)[0]
            rows = rec["body"]["TABLE_inv"]["ROW_inv"]
            self.assertIsInstance(rows, list, name)
            self.assertEqual(len(rows), 1 if i % 2 == 0 else 3, name)
            self.assertEqual(rows[0]["serialnum"], f"SIM{i + 1:08d}")

    def test_exploded_interfaces_keyed_by_name_with_numbers(self):
        recs = self.polls_of("nxapi.show_interface", "rpc12", 2)
        first = sorted({r["time"] for r in recs})[0]
        rows = {r["interface"]: r for r in recs if r["time"] == first}
        self.assertEqual(len(rows), 49)
        eth = rows["Ethernet1/1"]
        self.assertEqual(eth["_key"], "rpc12|Ethernet1/1")
        self.assertEqual(eth["row_key"], "Ethernet1/1")
        self.assertIsInstance(eth["eth_mtu"], int, "numbers: true turns '9216' into 9216")
        self.assertIsInstance(eth["eth_inbytes"], int)
        self.assertEqual(eth["desc"], "uplink 1")
        self.assertEqual(rows["Ethernet1/48"]["state"], "down")
        self.assertIn("mgmt0", rows)
        # Counters grow between polls (the simulator's counters move with time).
        later = sorted({r["time"] for r in recs})[-1]
        eth_later = [r for r in recs if r["time"] == later and r["interface"] == "Ethernet1/1"][0]
        self.assertGreater(eth_later["eth_inbytes"], eth["eth_inbytes"])

    def test_exploded_lldp_none_one_and_two_rows(self):
        got = self.records("nxapi.show_lldp_neighbors",
                           until=lambda g: {"rpc1", "ins-even"} <= {r["device"] for r in g})
        by = {}
        for r in got:
            by.setdefault(r["device"], []).append(r)
        self.assertNotIn("rpc12", by, "switch 0 has no neighbours: no rows")
        first = sorted({r["time"] for r in by["rpc1"]})[0]
        one = [r for r in by["rpc1"] if r["time"] == first]
        self.assertEqual([r["_key"] for r in one], ["rpc1|sim-sw003|Ethernet1/45"])
        first = sorted({r["time"] for r in by["ins-even"]})[0]
        two = sorted(r["_key"] for r in by["ins-even"] if r["time"] == first)
        self.assertEqual(two, ["ins-even|sim-sw004|Ethernet1/45", "ins-even|sim-sw005|Ethernet1/46"])

    def test_one_login_per_switch_then_cookies(self):
        for name in ("rpc12", "rpc1", "ins-even", "ins-odd"):
            self.polls_of("nxapi.show_version", name, 3)
        stats = self.stats(self.control)
        for i in range(4):
            s = stats[i]
            self.assertEqual(s["logins"], 1, s)
            self.assertGreaterEqual(s["requests"], 3, s)
            self.assertEqual(s["cookie_hits"], s["requests"] - 1, s)
        self.assertEqual(self.stats(self.tls_control)[0]["logins"], 1)
        self.assertGreaterEqual(metric_total(self.metrics(), "netfeed_nxapi_logins_total"), 4)

    def test_expired_cookies_mean_one_new_login_and_no_error(self):
        # The badcmd switch (index 4): the switches 0..3 keep their one login for the test above.
        self.polls_of("nxapi.show_version", "badcmd", 1)
        before = self.stats(self.control)[4]
        post(f"http://127.0.0.1:{self.control}/expire-cookies", {"switch": 4})
        deadline = time.time() + 30
        while time.time() < deadline:
            now = self.stats(self.control)[4]
            if now["requests"] >= before["requests"] + 2:
                break
            time.sleep(0.5)
        # The first request after the expiry gets a 401 and is sent again at once with basic
        # auth: one new login, and the poll still delivers.
        self.assertEqual(now["logins"], before["logins"] + 1, (before, now))
        self.assertGreaterEqual(now["requests"], before["requests"] + 2)
        errors = self.records("nxapi.errors")
        self.assertFalse([e for e in errors if e["device"] == "badcmd" and
                          e["error_type"] not in ("bad_command", "permission_denied")],
                         "a re-login is silent")

    def test_every_error_case_is_an_error_record_and_a_metric(self):
        want = set(EXPECTED_ERRORS) | {"badcmd"}
        got = self.records("nxapi.errors",
                           until=lambda g: want <= {r["device"] for r in g}, timeout=60)
        by = {}
        for r in got:
            by.setdefault(r["device"], []).append(r)
        for device, (command, error_type) in EXPECTED_ERRORS.items():
            self.assertIn(device, by, f"no error record for {device}")
            types = {(r["command"], r["error_type"]) for r in by[device]}
            self.assertIn((command, error_type), types, device)
            rec = [r for r in by[device]
                   if r["error_type"] == error_type and r["command"] == command][0]
            self.assertEqual(rec["_key"], f"{device}|{command}")
            self.assertTrue(rec["error"], rec)
            self.assertEqual(rec["kind"], "nxapi")
            # Every command of the device failed the same way (one request carries them all).
            self.assertEqual({r["command"] for r in by[device] if r["time"] == rec["time"]},
                             {"show version", "show inventory", "show interface",
                              "show lldp neighbors"}, device)
        self.assertEqual([r["http_status"] for r in by["f500"]][0], 500)
        self.assertEqual([r["http_status"] for r in by["f403"]][0], 403)
        # One bad command does not stop the others.
        bad = {(r["command"], r["error_type"]) for r in by["badcmd"]}
        self.assertEqual(bad, {("show bogus", "bad_command"),
                               ("show running-config", "permission_denied")})
        self.assertEqual([r["error_code"] for r in by["badcmd"] if r["command"] == "show bogus"][0],
                         "-32602")
        good = self.records("nxapi.show_inventory",
                            until=lambda g: "badcmd" in {r["device"] for r in g})
        self.assertIn("badcmd", {r["device"] for r in good})
        metrics = self.metrics()
        for device, (command, error_type) in EXPECTED_ERRORS.items():
            self.assertGreater(metric_total(metrics, "netfeed_nxapi_errors_total", device=device,
                                            error=error_type), 0, device)
        self.assertGreater(metric_total(metrics, "netfeed_nxapi_errors_total", device="badcmd",
                                        command="show bogus", error="bad_command"), 0)
        # Logged when it starts, not every poll.
        out = self.agent.output()
        self.assertIn("device f500", out)
        self.assertLessEqual(len(re.findall(r"device f500 .*show version: http_error", out)), 1)
        # The slow switch costs its own timeout only: the healthy ones poll on time.
        self.polls_of("nxapi.show_version", "rpc12", 3)

    def test_https_verified_unverified_and_wrong_ca(self):
        verified = self.polls_of("nxapi.show_version", "tls-verified", 1)[0]
        self.assertEqual(verified["body"]["host_name"], "tls-sw001")
        unverified = self.polls_of("nxapi.show_version", "tls-unverified", 1)[0]
        self.assertEqual(unverified["body"]["host_name"], "tls-sw002")
        errors = self.records("nxapi.errors",
                              until=lambda g: "tls-wrong-ca" in {r["device"] for r in g})
        mine = [r for r in errors if r["device"] == "tls-wrong-ca"]
        self.assertTrue(mine, "the wrong CA must fail verification")
        self.assertEqual(mine[0]["error_type"], "tls")
        verified_errors = [r for r in errors if r["device"] in ("tls-verified", "tls-unverified")]
        self.assertEqual(verified_errors, [])
        self.assertEqual(self.stats(self.tls_control)[2]["commands"], 0,
                         "no command reaches a switch whose certificate failed")

    def test_start_warnings_once_each(self):
        out = self.agent.output()
        self.assertEqual(out.count("plain http to"), 1, out)
        self.assertIn("plain http to rpc12, rpc1", out)
        self.assertEqual(out.count("tls_verify is false for tls-unverified"), 1)
        self.assertNotIn("tls_verify is false for tls-verified", out)
        self.assertEqual(out.count("vendor default password in use on rpc12"), 1)
        self.assertNotIn("not-the-password", out)


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class ClassicPipelineExample(unittest.TestCase):
    """config/examples/nxapi-classic.yaml with its addresses, port and broker pointed at
    loopback: show version and show inventory of each switch on their own topics, keyed by
    hostname, read back with kcat."""

    def test_example_config(self):
        d = tempfile.mkdtemp(prefix="netfeed_nxapi_classic_")
        sim = agent = None
        try:
            port = free_port()
            sim, _ = start_sim(["--switches", "2", "--address", "127.0.61.1", "--spread",
                                "addresses", "--port", str(port), "--user", "netfeed",
                                "--password", "classic-secret"], os.path.join(d, "ready.json"))
            with open(os.path.join(SOURCE_DIR, "config", "examples", "nxapi-classic.yaml")) as f:
                text = f.read()
            kafka, http = free_port(), free_port()
            text = (text.replace("192.0.2.11", "127.0.61.1").replace("192.0.2.12", "127.0.61.2")
                        .replace("port: 80", f"port: {port}")
                        .replace("interval: 5m", "interval: 2s\n    first_poll_spread: 0s")
                        .replace("127.0.0.1:9273", f"127.0.0.1:{http}")
                        .replace("embedded: true", f"embedded_listen: '127.0.0.1:{kafka}'"))
            self.assertIn(f"port: {port}", text)
            os.environ["NXAPI_PASSWORD"] = "classic-secret"
            agent = Agent(text, workdir=d)
            bootstrap = f"127.0.0.1:{kafka}"
            for topic, check in (("nxapi.show_version", "host_name"),
                                 ("nxapi.show_inventory", "TABLE_inv")):
                got = kcat_consume(bootstrap, topic, expected=2, timeout=30)
                keys = {r.key for r in got}
                self.assertEqual(keys, {"dc1-core-sw1", "dc1-core-sw2"}, topic)
                for r in got:
                    value = json.loads(r.value)
                    self.assertEqual(value["command"], topic.split(".", 1)[1].replace("_", " "))
                    self.assertIn(check, value["body"])
            self.assertEqual(kcat_consume(bootstrap, "nxapi.errors", timeout=5), [])
            self.assertIn("plain http to dc1-core-sw1, dc1-core-sw2", agent.output())
            self.assertNotIn("classic-secret", agent.output())
        finally:
            os.environ.pop("NXAPI_PASSWORD", None)
            if agent is not None:
                agent.stop()
            if sim is not None:
                sim.stop()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
