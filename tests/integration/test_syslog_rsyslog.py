"""The syslog parser beside an independent reader: the same lines go over UDP to the agent and to
rsyslogd (Debian's, default parser chain), and every field rsyslog extracts (host, program, pid,
time, message) must be the agent's too. Lines where we differ from rsyslog on purpose are
checked for both readings, with the reason."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
from datetime import datetime

from netfeed_harness import Agent, free_port, kcat_consume

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"

# Lines of the RFC 3164 variants issue #15 lists, plus a plain one: (line, its message).
AGREED = [
    ("<13>Nov 23 01:02:03 host1 myapp[42]: plain bsd line for the cross-check",
     "plain bsd line for the cross-check"),
    ("<30>dhclient: DHCPREQUEST for 192.0.2.50 on eth0 to 192.0.2.1 port 67",
     "DHCPREQUEST for 192.0.2.50 on eth0 to 192.0.2.1 port 67"),
    ("<30>dhclient[812]: bound to 192.0.2.50 -- renewal in 1680 seconds.",
     "bound to 192.0.2.50 -- renewal in 1680 seconds."),
    ("<14>Jul 19 2023 07:01:02: fw01 sshd[811]: Accepted password for ops from 192.0.2.4",
     "Accepted password for ops from 192.0.2.4"),
    ("<13>Nov 23 01:02:03: host1 app: colon glued to the clock", "colon glued to the clock"),
    ("<30>2022 Feb  3 04:05:06 core1 ntpd[77]: synchronized to 192.0.2.123, stratum 2",
     "synchronized to 192.0.2.123, stratum 2"),
]
# ASA `logging device-id hostname` glues the colon to the host: rsyslog takes "edge-fw" for the
# program; the ASA means its own name, so we take it for the host (only before a firewall triplet).
ASA = ("<166>Jan 12 2024 10:15:44 edge-fw: %ASA-6-106100: access-list outside_in permitted tcp "
       "outside/192.0.2.9(51234) -> inside/10.0.0.5(443)")
# A later RFC 5424 VERSION: rsyslog's pmrfc5424 takes only 1 and falls back to RFC 3164, taking
# "2" for the program; RFC 5424 section 9.1 keeps the header, so we read it.
VERSION_2 = "<13>2 2021-11-23T01:02:03Z host5424 app5424 77 - - a later syslog protocol"

SEPARATOR = "\x1f"


def rsyslog_config(workdir, port, out):
    fields = ["%hostname%", "%programname%", "%procid%", "%timereported:::date-rfc3339%", "%msg%"]
    return f"""global(workDirectory="{workdir}")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{port}")
template(name="fields" type="string" string="{SEPARATOR.join(fields)}\\n")
*.* action(type="omfile" file="{out}" template="fields")
"""


def instant(rfc3339):
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))


@unittest.skipUnless(os.path.exists(RSYSLOGD), "rsyslogd is not installed (scripts/install-deps.sh)")
class RsyslogCrossCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.udp, cls.kafka, cls.rsyslog_port = free_port(), free_port(), free_port()
        cls.out = os.path.join(cls.tmp.name, "rsyslog.out")
        conf = os.path.join(cls.tmp.name, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(rsyslog_config(cls.tmp.name, cls.rsyslog_port, cls.out))
        # TZ=UTC: rsyslog reads zone-less timestamps in its own zone, the agent in `timezone`.
        cls.rsyslog_log = open(os.path.join(cls.tmp.name, "rsyslogd.log"), "wb")
        cls.rsyslogd = subprocess.Popen(
            [RSYSLOGD, "-n", "-f", conf, "-i", os.path.join(cls.tmp.name, "rsyslogd.pid")],
            env={**os.environ, "TZ": "UTC"}, stdout=cls.rsyslog_log, stderr=subprocess.STDOUT)
        cls.agent = Agent(f"""
kafka: {{embedded_listen: '127.0.0.1:{cls.kafka}'}}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{cls.udp}']}}
    tcp: {{enabled: false}}
    timezone: UTC
routes:
  - {{kinds: [syslog], topic: netfeed.syslog, partitions: 2}}
""")
        cls.bootstrap = f"127.0.0.1:{cls.kafka}"
        time.sleep(1)  # rsyslogd binds its UDP port after reading the config
        lines = [line for line, _ in AGREED] + [ASA, VERSION_2]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for line in lines:
                s.sendto(line.encode(), ("127.0.0.1", cls.udp))
                s.sendto(line.encode(), ("127.0.0.1", cls.rsyslog_port))
        cls.theirs = cls.read_rsyslog(len(lines))
        records = kcat_consume(cls.bootstrap, "netfeed.syslog", expected=len(lines), timeout=30)
        cls.ours = [json.loads(r.value) for r in records]

    @classmethod
    def tearDownClass(cls):
        cls.agent.stop()
        cls.rsyslogd.terminate()
        cls.rsyslogd.wait(timeout=10)
        cls.rsyslog_log.close()
        cls.tmp.cleanup()

    @classmethod
    def read_rsyslog(cls, count, timeout=20):
        deadline = time.time() + timeout
        rows = []
        while time.time() < deadline:
            if os.path.exists(cls.out):
                with open(cls.out, encoding="utf-8") as f:
                    rows = [line.rstrip("\n").split(SEPARATOR) for line in f if line.strip()]
                if len(rows) >= count:
                    break
            time.sleep(0.2)
        return rows

    def pair(self, text):
        """Our record and rsyslog's row for the line whose message ends with `text`."""
        ours = [r for r in self.ours if r["message"].endswith(text)]
        theirs = [row for row in self.theirs if row[4].endswith(text)]
        self.assertEqual((len(ours), len(theirs)), (1, 1), (text, self.ours, self.theirs))
        return ours[0], dict(zip(["hostname", "program", "procid", "time", "msg"], theirs[0]))

    def test_every_field_rsyslog_reads_is_ours_too(self):
        for line, text in AGREED:
            with self.subTest(line=line):
                ours, theirs = self.pair(text)
                self.assertEqual(ours["syslog_format"], "rfc3164")
                self.assertNotIn("parse_error", ours)
                self.assertEqual(ours["app_name"], theirs["program"])
                self.assertEqual(ours.get("proc_id", ""),
                                 "" if theirs["procid"] == "-" else theirs["procid"])
                # rsyslog keeps the space after the TAG's colon in msg.
                self.assertEqual(ours["message"], theirs["msg"].removeprefix(" "))
                if ours["hostname"]:
                    self.assertEqual(ours["hostname"], theirs["hostname"])
                else:
                    # No host in the line: rsyslog names the sender, the agent leaves hostname
                    # empty and names the device by its address.
                    self.assertEqual(ours["device"], "127.0.0.1")
                if ours.get("time_from_agent"):
                    continue  # no timestamp in the line: both use their receive time
                if "Nov 23" in line:
                    # No year: both infer one, each by its own rule; the rest must agree.
                    self.assertEqual(ours["time"][4:],
                                     instant(theirs["time"]).strftime("-%m-%dT%H:%M:%S.000000Z"))
                else:
                    self.assertEqual(instant(ours["time"]), instant(theirs["time"]))

    def test_where_we_differ_on_purpose(self):
        ours, theirs = self.pair("inside/10.0.0.5(443)")
        self.assertEqual(theirs["program"], "edge-fw")  # rsyslog: a TAG
        self.assertEqual((ours["hostname"], ours["cisco_facility"], ours["cisco_mnemonic"]),
                         ("edge-fw", "ASA", "106100"))  # the ASA's own name, then its triplet
        self.assertEqual(instant(ours["time"]), instant(theirs["time"]))

        ours, theirs = self.pair("a later syslog protocol")
        # rsyslog: not RFC 5424, so RFC 3164 with "2" for the host
        self.assertEqual((theirs["hostname"], theirs["program"]), ("2", "2021-11-23T01"))
        self.assertEqual((ours["syslog_format"], ours["syslog_version"], ours["hostname"],
                          ours["app_name"], ours["proc_id"]),
                         ("rfc5424", 2, "host5424", "app5424", "77"))


if __name__ == "__main__":
    unittest.main()
