"""The geoip enricher end to end: a MaxMind database written by the test (mmdb_writer.py, read
by the real libmaxminddb in the agent), NetFlow v9 flows over loopback, records read back with
kcat: public addresses get country and AS, private ones nothing; a broken database file fails
`netfeed validate` with its name."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

from flow_packets import V4_FIELDS, flowset, v4_record, v9_packet, v9_template
from mmdb_writer import write_mmdb
from netfeed_harness import NETFEED, Agent, free_port, kcat_consume


class GeoipEndToEnd(unittest.TestCase):
    def test_public_addresses_get_country_and_as(self):
        d = tempfile.mkdtemp(prefix="netfeed_geoip_")
        agent = None
        try:
            write_mmdb(os.path.join(d, "test.mmdb"), [
                ("8.8.8.0/24", {"country": {"iso_code": "US"},
                                "autonomous_system_number": 15169,
                                "autonomous_system_organization": "GOOGLE"}),
                ("1.1.1.0/24", {"country": {"iso_code": "AU"},
                                "autonomous_system_number": 13335,
                                "autonomous_system_organization": "CLOUDFLARENET"}),
                ("81.0.0.0/8", {"country": {"iso_code": "DE"}}),
            ])
            kafka, flow_port = free_port(), free_port()
            agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
collectors:
  - {{type: netflow, listen: ['127.0.0.1:{flow_port}']}}
enrichers:
  - {{type: geoip, kinds: [flow], databases: [test.mmdb]}}
routes:
  - {{kinds: [flow], topic: geo.flow}}
""", workdir=d)
            records = [v4_record("8.8.8.8", "10.1.2.3", 53, 40000, 17, 0, 100, 1, 1, 2),
                       v4_record("192.168.1.5", "1.1.1.1", 40001, 443, 6, 0x12, 100, 1, 1, 2),
                       v4_record("81.2.3.4", "9.9.9.9", 40002, 443, 6, 0x10, 100, 1, 1, 2)]
            packet = v9_packet([v9_template(256, V4_FIELDS),
                                flowset(256, b"".join(records))], sequence=1)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(packet, ("127.0.0.1", flow_port))
            got = kcat_consume(f"127.0.0.1:{kafka}", "geo.flow", expected=3, timeout=30)
            flows = {json.loads(r.value)["src_port"]: json.loads(r.value) for r in got}
            self.assertEqual(len(flows), 3, agent.output()[-2000:])
            google = flows[53]
            self.assertEqual((google["src_country"], google["src_asn"], google["src_as_org"]),
                             ("US", 15169, "GOOGLE"))
            self.assertNotIn("dst_country", google)  # 10.1.2.3 is private
            cloudflare = flows[40001]
            self.assertNotIn("src_country", cloudflare)
            self.assertEqual((cloudflare["dst_country"], cloudflare["dst_asn"]), ("AU", 13335))
            germany = flows[40002]
            self.assertEqual(germany["src_country"], "DE")
            self.assertNotIn("src_asn", germany)  # the database has no AS for it
            self.assertNotIn("dst_country", germany)  # 9.9.9.9 is not in the database
        finally:
            if agent is not None:
                self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])
            shutil.rmtree(d, ignore_errors=True)

    def test_a_broken_database_fails_validate(self):
        d = tempfile.mkdtemp(prefix="netfeed_geoip_")
        try:
            with open(os.path.join(d, "broken.mmdb"), "wb") as f:
                f.write(b"not a maxmind database")
            config = os.path.join(d, "netfeed.yaml")
            with open(config, "w") as f:
                f.write(f"kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}\n"
                        "enrichers:\n  - {type: geoip, databases: [broken.mmdb]}\n")
            out = subprocess.run([NETFEED, "validate", "-c", config], capture_output=True,
                                 text=True, timeout=30)
            self.assertEqual(out.returncode, 2, out.stderr)
            self.assertIn("cannot open MaxMind database", out.stderr)
            self.assertIn("broken.mmdb", out.stderr)
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
