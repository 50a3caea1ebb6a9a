"""SNMP poller against agents that answer badly or with strong v3 security: GETBULK answers
that do not fit (snmp-sim --bulk-too-big answers tooBig, as some agents do, instead of cutting
the answer short), genErr on a column (snmp-sim --gen-err), and SNMPv3 SHA-256/AES-256 and
SHA-512/AES-128 users on a real snmpd. A tooBig device is still read completely (the poller
halves max_repetitions) and matches snmpbulkwalk field for field; a genErr is counted and
logged once and the rest of the device is still polled."""
import os
import re
import shutil
import signal
import tempfile
import time
import unittest

import test_snmp
from netfeed_harness import Agent, Process, free_port, http_get
from test_snmp import IF_COLUMNS, Walk, normalize
from test_snmp_sim import Sim

COMMUNITY = "errors-community"
AUTH, PRIV = "netfeed-sha2-auth", "netfeed-aes256-priv"


class SnmpErrorsAndStrongV3(unittest.TestCase):
    records = test_snmp.SnmpPollingEndToEnd.records
    latest_rows = test_snmp.SnmpPollingEndToEnd.latest_rows
    compare_table = test_snmp.SnmpPollingEndToEnd.compare_table
    status_of = test_snmp.SnmpPollingEndToEnd.status_of

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_snmp_errors_")
        persist = os.path.join(cls.dir, "persist")
        os.makedirs(persist)
        cls.env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=persist, HOME=cls.dir)
        cls.walk = Walk(cls.env)
        cls.children, cls.agent = [], None
        try:
            cls.start_peers()
            cls.start_agent()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start_peers(cls):
        cls.too_big = Sim("--frozen", "--bulk-too-big", "--community", COMMUNITY, "--address",
                          "127.0.23.1", "--spread", "addresses")
        cls.gen_err = Sim("--gen-err", "1.3.6.1.2.1.31.1.1.1.18", "--community", COMMUNITY,
                          "--address", "127.0.24.1", "--spread", "addresses")
        cls.children += [cls.too_big, cls.gen_err]
        cls.snmpd_port = free_port()
        conf = os.path.join(cls.dir, "snmpd.conf")
        with open(conf, "w") as f:
            f.write(f"""agentaddress udp:127.0.25.1:{cls.snmpd_port},udp:127.0.25.2:{cls.snmpd_port}
rocommunity {COMMUNITY} 127.0.0.0/8
createUser netfeed256 SHA-256 {AUTH} AES256 {PRIV}
rouser netfeed256 priv
createUser netfeed512 SHA-512 {AUTH} AES {PRIV}
rouser netfeed512 priv
[snmp] persistentDir {cls.dir}/persist
""")
        snmpd = Process(["snmpd", "-f", "-Lo", "-C", "-c", conf, "-p",
                         os.path.join(cls.dir, "snmpd.pid")], env=cls.env)
        cls.children.append(snmpd)
        cls.snmpd_target = f"127.0.25.1:{cls.snmpd_port}"
        deadline = time.time() + 30
        while not cls.walk(cls.snmpd_target, COMMUNITY, "1.3.6.1.2.1.1.5"):
            if time.time() > deadline:
                raise RuntimeError("snmpd did not answer:\n" + snmpd.output())
            time.sleep(0.3)

    @classmethod
    def start_agent(cls):
        kafka, cls.http = free_port(), free_port()
        cls.bootstrap = f"127.0.0.1:{kafka}"
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  v2c: {{community: {COMMUNITY}}}
  v3-256: {{username: netfeed256, auth_protocol: sha256, auth_passphrase: {AUTH},
            priv_protocol: aes256, priv_passphrase: {PRIV}}}
  v3-512: {{username: netfeed512, auth_protocol: sha512, auth_passphrase: {AUTH},
            priv_protocol: aes, priv_passphrase: {PRIV}}}
devices:
  - {{name: too-big, address: 127.0.23.1, credentials: v2c, collectors: [snmp]}}
  - {{name: gen-err, address: 127.0.24.1, credentials: v2c, collectors: [snmp]}}
  - {{name: sha256-aes256, address: 127.0.25.1, credentials: v3-256, collectors: [snmp]}}
  - {{name: sha512-aes, address: 127.0.25.2, credentials: v3-512, collectors: [snmp]}}
collectors:
  - type: snmp
    interval: 2s
    timeout: 1s
    retries: 1
    port: {cls.snmpd_port}
    profiles: [system, interfaces]
    device_overrides:
      - {{device: too-big, port: {cls.too_big.port}}}
      - {{device: gen-err, port: {cls.gen_err.port}}}
      - {{device: sha256-aes256, version: v3}}
      - {{device: sha512-aes, version: v3}}
routes:
  - {{kinds: [snmp], topic: netfeed.snmp, partitions: 4}}
  - {{kinds: [status], topic: netfeed.status, partitions: 1}}
""")

    @classmethod
    def tearDownClass(cls):
        if cls.agent is not None:
            cls.agent.stop()
        for child in reversed(cls.children):
            child.stop(signal.SIGTERM, timeout=20)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def errors(self, device, error):
        _, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        return test_snmp.metric(metrics, "netfeed_snmp_errors_total", device=device, error=error)

    def test_too_big_bulk_answers_lower_max_repetitions_and_the_table_is_complete(self):
        rows = self.latest_rows("too-big", "interfaces")
        self.assertEqual(len(rows), 48)
        compared = self.compare_table(rows, f"127.0.23.1:{self.too_big.port}", COMMUNITY,
                                      IF_COLUMNS, "if_index")
        self.assertEqual(compared, 48 * len(IF_COLUMNS))
        self.assertGreater(self.errors("too-big", "too_big"), 0)
        # Lowered once and kept: logged when it started, not once per poll.
        log = self.agent.output()
        self.assertEqual(len(re.findall(r"device too-big \(.*\): too_big", log)), 1, log)
        self.assertIn("max_repetitions lowered to", log)

    def test_gen_err_is_counted_logged_once_and_the_rest_is_polled(self):
        self.latest_rows("gen-err", "system", polls=2)
        self.assertGreater(self.errors("gen-err", "gen_err"), 1)
        got = self.records()
        # The interfaces table needs the ifXTable column that fails: no half rows of it.
        self.assertFalse([r for r in got if r["device"] == "gen-err" and
                          r["snmp_table"] == "interfaces"])
        log = self.agent.output()
        self.assertEqual(len(re.findall(r"device gen-err \(.*\): gen_err", log)), 1, log)

    def test_sha2_and_aes256_v3_polling(self):
        names = sorted(normalize(v) for v in
                       self.walk(self.snmpd_target, COMMUNITY, IF_COLUMNS["if_name"]).values())
        for device in ("sha256-aes256", "sha512-aes"):
            rows = self.latest_rows(device, "interfaces")
            self.assertEqual(sorted(r["if_name"] for r in rows), names, device)
            static = {k: IF_COLUMNS[k] for k in ("if_descr", "if_type", "if_mtu",
                                                 "if_admin_status", "if_high_speed")}
            self.compare_table(rows, self.snmpd_target, COMMUNITY, static, "if_index")
            system = self.latest_rows(device, "system")[0]
            self.assertEqual(system["sys_name"], normalize(self.walk(
                self.snmpd_target, COMMUNITY, "1.3.6.1.2.1.1.5")["1.3.6.1.2.1.1.5.0"]))
        for secret in (AUTH, PRIV):
            self.assertNotIn(secret, self.agent.output())


if __name__ == "__main__":
    unittest.main()
