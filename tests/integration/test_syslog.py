"""Syslog end to end: real senders (logger, openssl s_client, raw sockets from several loopback
addresses) -> the agent -> the embedded broker -> kcat. Records are parsed, named after the
device in the device list, keyed by it and on its Java partition."""
import json
import os
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import Agent, free_port, http_get, java_partition, kcat_consume

DEVICES = {"127.0.1.1": "lax-cor-r1", "127.0.1.2": "lax-edge-r2", "127.0.1.3": "nyc-nx-1"}


def devices_yaml():
    return "devices:\n" + "".join(
        f"  - {{name: {name}, address: {addr}, site: {name[:3]}}}\n" for addr, name in DEVICES.items())


def send_udp(port, text, source="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.sendto(text.encode() if isinstance(text, str) else text, ("127.0.0.1", port))


def by_message(records):
    return {json.loads(r.value)["message"]: (r, json.loads(r.value)) for r in records}


class SyslogEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.udp, cls.tcp, cls.kafka, cls.http = free_port(), free_port(), free_port(), free_port()
        cls.agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{cls.http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
{devices_yaml()}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{cls.udp}', '[::1]:{cls.udp}']}}
    tcp: {{listen: ['127.0.0.1:{cls.tcp}', '[::1]:{cls.tcp}']}}
routes:
  - {{kinds: [syslog], topic: netfeed.syslog, partitions: 6}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()

    def consume_until(self, messages, timeout=30):
        deadline = time.time() + timeout
        while True:
            found = by_message(kcat_consume(self.bootstrap, "netfeed.syslog"))
            if all(m in found for m in messages) or time.time() > deadline:
                return found
            time.sleep(0.3)

    def test_logger_over_udp_and_tcp_in_every_framing(self):
        base = ["logger", "--server", "127.0.0.1", "-t", "netfeed-it"]
        subprocess.run(base + ["--port", str(self.udp), "--udp", "--rfc5424", "--msgid", "IT1",
                               "--sd-id", "netfeed@32473", "--sd-param", 'case="udp5424"',
                               "udp rfc5424 hello"], check=True)
        subprocess.run(base + ["--port", str(self.udp), "--udp", "--rfc3164", "udp bsd hello"],
                       check=True)
        subprocess.run(base + ["--port", str(self.tcp), "--tcp", "--octet-count",
                               "tcp octet-counted hello"], check=True)
        subprocess.run(base + ["--port", str(self.tcp), "--tcp", "tcp newline hello"], check=True)
        found = self.consume_until(["udp rfc5424 hello", "udp bsd hello",
                                    "tcp octet-counted hello", "tcp newline hello"])
        r, v = found["udp rfc5424 hello"]
        self.assertEqual(v["syslog_format"], "rfc5424")
        self.assertEqual(v["syslog_version"], 1)
        self.assertEqual(v["app_name"], "netfeed-it")
        self.assertEqual(v["msg_id"], "IT1")
        self.assertEqual(v["structured_data"]["netfeed@32473"], {"case": "udp5424"})
        self.assertEqual(v["transport"], "udp")
        self.assertEqual(v["device"], "127.0.0.1")  # not in the device list: its address
        self.assertEqual(r.key, "127.0.0.1")
        self.assertEqual(v["hostname"], socket.gethostname())
        r, v = found["udp bsd hello"]
        self.assertEqual(v["syslog_format"], "rfc3164")
        self.assertEqual(v["app_name"], "netfeed-it")
        self.assertEqual(found["tcp octet-counted hello"][1]["transport"], "tcp")
        self.assertEqual(found["tcp newline hello"][1]["transport"], "tcp")
        for message in ("udp rfc5424 hello", "udp bsd hello", "tcp octet-counted hello",
                        "tcp newline hello"):
            v = found[message][1]
            self.assertEqual(v["kind"], "syslog")
            self.assertEqual(v["severity_name"], "notice")  # logger's default user.notice
            self.assertEqual(v["facility_name"], "user")

    def test_vendor_dialects_are_split_into_fields(self):
        # One line of each class of issue #15, as the devices (or their relays) send it; from
        # 127.0.0.1, so the per-device counts of the test below stay as they are.
        lines = {
            "neighbor 192.0.2.7 Up (VRF: default)":
                "<189>2647: xr1 RP/0/RP0/CPU0:Oct 12 09:14:02.118 UTC: bgp[1084]: "
                "%ROUTING-BGP-5-ADJCHANGE : neighbor 192.0.2.7 Up (VRF: default)",
            "Interface TenGigE0/2/0/4, changed state to Down":
                "<187>94307: gw2.pop1 LC/0/2/CPU0:Jul  7 20:16:14.834 : ifmgr[214]: "
                "%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/2/0/4, changed state to Down",
            "Interface Ethernet1/7 is up":
                "2024-05-02T08:00:01+00:00 leaf1.example : 2024 May  2 08:00:01.120 UTC: "
                "%ETHPORT-5-IF_UP: Interface Ethernet1/7 is up",
            "access-list outside_in permitted tcp outside/192.0.2.9(51234) -> inside/10.0.0.5(443)":
                "<166>Jan 12 10:15:44 edge-fw: %ASA-6-106100: access-list outside_in permitted tcp "
                "outside/192.0.2.9(51234) -> inside/10.0.0.5(443)",
            "Accepted password for ops from 192.0.2.4 port 50122 ssh2":
                "<14>Jul 19 2023 07:01:02: fw01 sshd[811]: Accepted password for ops from "
                "192.0.2.4 port 50122 ssh2",
            "synchronized to 192.0.2.123, stratum 2":
                "2022 Feb  3 04:05:06 core1 ntpd[77]: synchronized to 192.0.2.123, stratum 2",
            "DHCPREQUEST for 192.0.2.50 on eth0 to 192.0.2.1 port 67":
                "<30>dhclient: DHCPREQUEST for 192.0.2.50 on eth0 to 192.0.2.1 port 67",
            "a later syslog protocol":
                "<13>2 2021-11-23T01:02:03Z host5424 app - - - a later syslog protocol",
        }
        for line in lines.values():
            send_udp(self.udp, line)
        found = self.consume_until(list(lines))
        self.assertEqual(sorted(m for m in lines if m in found), sorted(lines))
        v = {message: found[message][1] for message in lines}
        for record in v.values():
            self.assertNotIn("parse_error", record)

        xr = v["neighbor 192.0.2.7 Up (VRF: default)"]
        self.assertEqual((xr["syslog_format"], xr["hostname"], xr["node"], xr["sequence"]),
                         ("cisco_ios", "xr1", "RP/0/RP0/CPU0", 2647))
        self.assertEqual((xr["app_name"], xr["proc_id"]), ("bgp", "1084"))
        self.assertEqual((xr["cisco_facility"], xr["cisco_severity"], xr["cisco_mnemonic"]),
                         ("ROUTING-BGP", 5, "ADJCHANGE"))
        self.assertTrue(xr["time"].endswith("-10-12T09:14:02.118000Z"), xr["time"])
        lc = v["Interface TenGigE0/2/0/4, changed state to Down"]
        self.assertEqual((lc["node"], lc["hostname"], lc["cisco_facility"], lc["severity"]),
                         ("LC/0/2/CPU0", "gw2.pop1", "PKT_INFRA-LINK", 3))

        nx = v["Interface Ethernet1/7 is up"]
        self.assertEqual((nx["syslog_format"], nx["hostname"], nx["time"], nx["cisco_mnemonic"]),
                         ("nxos", "leaf1.example", "2024-05-02T08:00:01.120000Z", "IF_UP"))
        asa = v["access-list outside_in permitted tcp outside/192.0.2.9(51234) -> inside/10.0.0.5(443)"]
        self.assertEqual((asa["hostname"], asa["cisco_facility"], asa["cisco_mnemonic"]),
                         ("edge-fw", "ASA", "106100"))

        year_inside = v["Accepted password for ops from 192.0.2.4 port 50122 ssh2"]
        self.assertEqual((year_inside["syslog_format"], year_inside["hostname"],
                          year_inside["app_name"], year_inside["time"]),
                         ("rfc3164", "fw01", "sshd", "2023-07-19T07:01:02.000000Z"))
        year_first = v["synchronized to 192.0.2.123, stratum 2"]
        self.assertEqual((year_first["hostname"], year_first["app_name"], year_first["proc_id"],
                          year_first["time"]),
                         ("core1", "ntpd", "77", "2022-02-03T04:05:06.000000Z"))
        tag_only = v["DHCPREQUEST for 192.0.2.50 on eth0 to 192.0.2.1 port 67"]
        self.assertEqual((tag_only["app_name"], tag_only["facility_name"], tag_only["hostname"]),
                         ("dhclient", "daemon", ""))
        self.assertTrue(tag_only["time_from_agent"])

        v2 = v["a later syslog protocol"]
        self.assertEqual((v2["syslog_format"], v2["syslog_version"], v2["hostname"], v2["time"]),
                         ("rfc5424", 2, "host5424", "2021-11-23T01:02:03.000000Z"))

    def test_devices_are_named_keyed_and_partitioned_by_source_address(self):
        lines = {
            "127.0.1.1": "<189>123: *Mar  1 18:48:50.483 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.0.0.1)",
            "127.0.1.2": "<190>Nov 23 01:02:03 lax-edge-r2 mgd[1234]: UI_COMMIT: User 'admin' requested 'commit' operation",
            "127.0.1.3": "2021 Nov  6 06:16:05 nyc-nx-1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is down (Link failure)",
        }
        for source, line in lines.items():
            for i in range(3):
                send_udp(self.udp, line + f" #{i}", source)
        wanted = [line.split(": ", 2)[-1] for line in lines.values()]
        deadline = time.time() + 30
        while True:
            records = [r for r in kcat_consume(self.bootstrap, "netfeed.syslog")
                       if json.loads(r.value)["device"] in DEVICES.values()]
            if len(records) >= 9 or time.time() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual(len(records), 9, [r.value for r in records])
        for r in records:
            v = json.loads(r.value)
            self.assertEqual(r.key, v["device"])
            self.assertEqual(r.partition, java_partition(r.key.encode(), 6))
            self.assertEqual(v["device_address"],
                             [a for a, n in DEVICES.items() if n == v["device"]][0])
        cisco = [json.loads(r.value) for r in records if r.key == "lax-cor-r1"][0]
        self.assertEqual((cisco["cisco_facility"], cisco["cisco_severity"], cisco["cisco_mnemonic"]),
                         ("SYS", 5, "CONFIG_I"))
        self.assertEqual(cisco["sequence"], 123)
        self.assertEqual(cisco["time_sync"], "unsynchronized")
        nxos = [json.loads(r.value) for r in records if r.key == "nyc-nx-1"][0]
        self.assertEqual(nxos["syslog_format"], "nxos")
        self.assertEqual(nxos["time"], "2021-11-06T06:16:05.000000Z")
        self.assertEqual(nxos["cisco_mnemonic"], "IF_DOWN_LINK_FAILURE")

    def test_ipv6_senders_over_udp_and_tcp(self):
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.sendto(b"<14>Nov 23 01:02:03 v6host app: over udp6", ("::1", self.udp))
        with socket.create_connection(("::1", self.tcp)) as s:
            s.sendall(b"<14>Nov 23 01:02:03 v6host app: over tcp6\n")
        found = self.consume_until(["over udp6", "over tcp6"])
        for message, transport in (("over udp6", "udp"), ("over tcp6", "tcp")):
            self.assertIn(message, found)
            v = found[message][1]
            self.assertEqual(v["device_address"], "::1")
            self.assertEqual(v["transport"], transport)
            self.assertEqual(v["hostname"], "v6host")

    def test_unparsable_input_is_delivered_raw_with_a_parse_error(self):
        send_udp(self.udp, b"\x01\x02 complete garbage \xff that no parser knows", "127.0.1.1")
        deadline = time.time() + 20
        while True:
            garbage = [json.loads(r.value) for r in kcat_consume(self.bootstrap, "netfeed.syslog")
                       if "complete garbage" in json.loads(r.value)["message"]]
            if garbage or time.time() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual(len(garbage), 1)
        v = garbage[0]
        self.assertEqual(v["device"], "lax-cor-r1")
        self.assertTrue(v["parse_error"])
        self.assertEqual(v["syslog_format"], "unknown")
        self.assertIn("\ufffd", v["message"])  # the invalid byte, repaired, not dropped
        status, metrics = http_get(f"http://127.0.0.1:{self.http}/metrics")
        self.assertRegex(metrics, r'netfeed_component_errors_total\{stage="collector",component="syslog",'
                                  r'type="syslog",error_type="parse_error"\} [1-9]')


class SyslogTls(unittest.TestCase):
    def test_tls_with_openssl_s_client_and_octet_counting(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_tls_")
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                        "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        tls, kafka = free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{enabled: false}}
    tls: {{enabled: true, listen: ['127.0.0.1:{tls}'], cert_file: {cert}, key_file: {key}}}
""", workdir=workdir)
        try:
            # openssl s_client as a newline-framed sender
            subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{tls}", "-quiet",
                            "-no_ign_eof", "-verify_quiet"],
                           input=b"<34>1 2026-11-23T01:02:03.5Z host1 app 1 ID - tls newline hello\n",
                           capture_output=True, timeout=30)
            # Python's ssl module as an octet-counting sender (RFC 5425), verifying the cert
            context = ssl.create_default_context(cafile=cert)
            context.check_hostname = False
            with socket.create_connection(("127.0.0.1", tls), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as s:
                    for i in range(3):
                        msg = f"<165>1 2026-11-23T01:02:03Z host2 app - - - tls octet {i}".encode()
                        s.sendall(str(len(msg)).encode() + b" " + msg)
                    # A clean TLS close (close_notify both ways), as syslog senders do; closing
                    # the socket with unread session tickets would reset the connection.
                    s.unwrap()
            records = kcat_consume(f"127.0.0.1:{kafka}", "netfeed.syslog", expected=4, timeout=30)
        finally:
            agent.stop()
        messages = sorted(json.loads(r.value)["message"] for r in records)
        self.assertEqual(messages, ["tls newline hello", "tls octet 0", "tls octet 1", "tls octet 2"])
        for r in records:
            self.assertEqual(json.loads(r.value)["transport"], "tls")


class SyslogLimits(unittest.TestCase):
    def test_connection_limit_idle_timeout_and_truncation_are_counted(self):
        tcp, kafka, http = free_port(), free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{listen: '127.0.0.1:{http}'}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
collectors:
  - type: syslog
    udp: {{enabled: false}}
    tcp: {{listen: ['127.0.0.1:{tcp}'], max_connections: 2, idle_timeout: 1s,
           max_message_bytes: 500}}
""")
        try:
            a = socket.create_connection(("127.0.0.1", tcp))
            b = socket.create_connection(("127.0.0.1", tcp))
            time.sleep(0.3)
            c = socket.create_connection(("127.0.0.1", tcp))
            c.settimeout(5)
            self.assertEqual(c.recv(10), b"", "the third connection should be closed at once")
            a.sendall(b"<13>Nov 23 01:02:03 host1 app: " + b"x" * 2000 + b"\n")
            time.sleep(2.5)  # both a and b are idle past the timeout now
            b.settimeout(5)
            self.assertEqual(b.recv(10), b"", "an idle connection should be closed")
            records = kcat_consume(f"127.0.0.1:{kafka}", "netfeed.syslog", expected=1)
            for s in (a, b, c):
                s.close()
            status, metrics = http_get(f"http://127.0.0.1:{http}/metrics")
        finally:
            agent.stop()
        self.assertEqual(len(records), 1)
        v = json.loads(records[0].value)
        self.assertTrue(v["truncated"])
        self.assertLessEqual(len(v["message"]), 500)
        self.assertRegex(metrics, r'netfeed_syslog_connections_refused_total\{[^}]*\} 1\n')
        self.assertRegex(metrics, r'netfeed_syslog_idle_timeouts_total\{[^}]*\} 2\n')
        # Counted as a UDP datagram's truncation is: one counter for every transport.
        self.assertRegex(metrics, r'netfeed_component_errors_total\{[^}]*component="syslog"[^}]*'
                                  r'error_type="truncated"\} 1\n')
        self.assertNotIn("netfeed_syslog_truncated_total", metrics)
        self.assertIn("refusing a connection from 127.0.0.1", agent.output())


if __name__ == "__main__":
    unittest.main()
