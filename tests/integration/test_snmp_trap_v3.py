"""SNMPv3 traps and informs end to end: Debian's snmptrap -v3 and snmpinform -v3 (USM, SHA and
AES; authNoPriv and authPriv) -> the agent's trap receiver -> the embedded broker -> kcat.
Traps are secured with the sender's engine ID (configured in v3_engine_ids), informs with the
receiver's own (snmpinform discovers it: the receiver answers its probe with a Report, then
acknowledges the inform). Wrong passphrases, an unknown user and an unconfigured receiver are
counted by reason and deliver nothing (collectors/snmp_trap/README.md)."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import Agent, free_port, http_get, kcat_consume, metric_total as counter

AUTH, PRIV = "trap-auth-passphrase", "trap-priv-passphrase"
SENDER_ENGINE = "8000000001020304"
RECEIVER_ENGINE = "80001f880465656e6574666565642d7472617073"


class SnmpV3Traps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="netfeed_trapv3_")
        # The tools keep their engine boots and discovered engines here, not in ~/.snmp.
        cls.env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=cls.dir, HOME=cls.dir)
        cls.port, cls.plain_port = free_port(), free_port()
        cls.kafka, cls.http = free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
credentials:
  v3-priv: {{username: trap-priv, auth_protocol: sha, auth_passphrase: {AUTH},
             priv_protocol: aes, priv_passphrase: {PRIV}}}
  v3-auth: {{username: trap-auth, auth_protocol: sha, auth_passphrase: {AUTH}}}
devices:
  - {{name: lab-r1, address: 127.0.0.1, site: lab}}
collectors:
  - {{type: snmp_trap, name: v3, listen: ['127.0.0.1:{cls.port}'], v3_users: [v3-priv, v3-auth],
      v3_engine_ids: ['0x{SENDER_ENGINE}'], engine_id: '{RECEIVER_ENGINE}'}}
  - {{type: snmp_trap, name: plain, listen: ['127.0.0.1:{cls.plain_port}']}}
routes:
  - {{kinds: [trap], topic: netfeed.trap, partitions: 2}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def tool(self, name, *args, port=None):
        return subprocess.run([name, "-m", "", "-v", "3", "-t", "2", "-r", "1", *args],
                              env=self.env, capture_output=True, text=True, timeout=30)

    def user_args(self, user="trap-priv", auth=AUTH, priv=PRIV, level="authPriv"):
        args = ["-u", user, "-l", level, "-a", "SHA", "-A", auth]
        if level == "authPriv":
            args += ["-x", "AES", "-X", priv]
        return args

    def traps(self, uptime, expected=1, timeout=30):
        deadline = time.time() + timeout
        while True:
            found = [json.loads(r.value) for r in kcat_consume(self.bootstrap, "netfeed.trap")]
            found = [v for v in found if v.get("uptime") == uptime]
            if len(found) >= expected or time.time() > deadline:
                return found
            time.sleep(0.3)

    def metric(self, name, **labels):
        _, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
        return counter(text, name, **labels)

    def wait_metric(self, name, minimum, timeout=15, **labels):
        deadline = time.time() + timeout
        while True:
            value = self.metric(name, **labels)
            if value >= minimum or time.time() > deadline:
                return value
            time.sleep(0.3)

    def test_authpriv_trap_from_a_configured_engine(self):
        out = self.tool("snmptrap", "-e", "0x" + SENDER_ENGINE, *self.user_args(),
                        f"127.0.0.1:{self.port}", "4801", "1.3.6.1.6.3.1.1.5.3",
                        "1.3.6.1.2.1.2.2.1.1.7", "i", "7", "1.3.6.1.2.1.2.2.1.2.7", "s", "Gi0/7")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(4801)
        self.assertEqual(len(got), 1)
        v = got[0]
        self.assertEqual(v["snmp_version"], "3")
        self.assertFalse(v["inform"])
        self.assertEqual(v["snmp_user"], "trap-priv")
        self.assertEqual(v["snmp_security_level"], "authPriv")
        self.assertEqual(v["snmp_engine_id"], SENDER_ENGINE)
        self.assertEqual(v["trap_name"], "linkDown")
        self.assertEqual(v["if_index"], 7)
        self.assertEqual(v["if_descr"], "Gi0/7")
        self.assertEqual(v["device"], "lab-r1")

    def test_authnopriv_trap(self):
        out = self.tool("snmptrap", "-e", SENDER_ENGINE,
                        *self.user_args("trap-auth", level="authNoPriv"),
                        f"127.0.0.1:{self.port}", "4802", "1.3.6.1.6.3.1.1.5.1")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.traps(4802)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["snmp_security_level"], "authNoPriv")
        self.assertEqual(got[0]["snmp_user"], "trap-auth")
        self.assertEqual(got[0]["trap_name"], "coldStart")

    def test_informs_discover_the_engine_and_are_acknowledged(self):
        reports = self.metric("netfeed_snmp_trap_v3_reports_total")
        acked = self.metric("netfeed_snmp_trap_informs_acknowledged_total", component="v3")
        for uptime, args in ((4803, self.user_args()),
                             (4804, self.user_args("trap-auth", level="authNoPriv"))):
            out = self.tool("snmpinform", *args, f"127.0.0.1:{self.port}", str(uptime),
                            "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.3", "i", "3")
            # snmpinform exits 0 only once the (authenticated) Response came back.
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            got = self.traps(uptime)
            self.assertEqual(len(got), 1)
            self.assertTrue(got[0]["inform"])
            self.assertEqual(got[0]["snmp_engine_id"], RECEIVER_ENGINE)
            self.assertEqual(got[0]["trap_name"], "linkUp")
        self.assertGreaterEqual(self.wait_metric("netfeed_snmp_trap_informs_acknowledged_total",
                                                 acked + 2, component="v3"), acked + 2)
        self.assertGreater(self.metric("netfeed_snmp_trap_v3_reports_total"), reports)
        self.assertGreater(self.metric("netfeed_component_dropped_total", component="v3",
                                       reason="v3_discovery"), 0)

    def test_wrong_passphrases_and_unknown_users_are_counted(self):
        def dropped(reason):
            return self.metric("netfeed_component_dropped_total", component="v3", reason=reason)
        before = {r: dropped(r) for r in ("v3_wrong_digest", "v3_decryption_error",
                                          "v3_unknown_user")}
        target = f"127.0.0.1:{self.port}"
        self.tool("snmptrap", "-e", SENDER_ENGINE, *self.user_args(auth="not-the-passphrase"),
                  target, "4805", "1.3.6.1.6.3.1.1.5.3")
        self.tool("snmptrap", "-e", SENDER_ENGINE, *self.user_args(priv="not-the-passphrase"),
                  target, "4806", "1.3.6.1.6.3.1.1.5.3")
        self.tool("snmptrap", "-e", SENDER_ENGINE, *self.user_args(user="nobody"),
                  target, "4807", "1.3.6.1.6.3.1.1.5.3")
        # An inform with a wrong passphrase gets a Report (wrongDigest) instead of an answer.
        out = self.tool("snmpinform", *self.user_args("trap-auth", auth="not-the-passphrase",
                                                      level="authNoPriv"),
                        target, "4808", "1.3.6.1.6.3.1.1.5.3")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("Authentication failure", out.stderr + out.stdout)
        self.assertGreaterEqual(self.wait_metric("netfeed_component_dropped_total",
                                                 before["v3_wrong_digest"] + 2, component="v3",
                                                 reason="v3_wrong_digest"),
                                before["v3_wrong_digest"] + 2)
        _, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertGreater(dropped("v3_decryption_error"), before["v3_decryption_error"],
                           [l for l in text.splitlines() if "dropped_total" in l])
        self.assertGreater(dropped("v3_unknown_user"), before["v3_unknown_user"])
        # Nothing of these was delivered, and the receiver still works.
        for uptime in (4805, 4806, 4807, 4808):
            self.assertEqual(self.traps(uptime, timeout=1), [], uptime)
        out = self.tool("snmptrap", "-e", SENDER_ENGINE, *self.user_args(), target, "4809",
                        "1.3.6.1.6.3.1.1.5.1")
        self.assertEqual(len(self.traps(4809)), 1)
        for secret in (AUTH, PRIV):
            self.assertNotIn(secret, self.agent.output())

    def test_a_receiver_without_v3_users_counts_v3_as_not_supported(self):
        before = self.metric("netfeed_component_dropped_total", component="plain",
                             reason="v3_not_supported")
        self.tool("snmptrap", "-e", SENDER_ENGINE, *self.user_args(),
                  f"127.0.0.1:{self.plain_port}", "4810", "1.3.6.1.6.3.1.1.5.1")
        self.assertGreaterEqual(self.wait_metric("netfeed_component_dropped_total", before + 1,
                                                 component="plain", reason="v3_not_supported"),
                                before + 1)
        self.assertEqual(self.traps(4810, timeout=1), [])


if __name__ == "__main__":
    unittest.main()
