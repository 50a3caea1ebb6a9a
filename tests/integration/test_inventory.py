"""The inventory enricher in the real agent: the CSV rewritten (and once broken) while records
flow, read back with kcat: none lost, none half-enriched, versions only move forward; device
naming by secondary address and no-match over real syslog datagrams (also as connect_json);
`netfeed validate` prints
the CSV findings with file and line."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import (NETFEED, Agent, free_port, kcat_consume, record_validators,
                             validate_record)

DEVICES = {"127.0.1.1": "lax-cor-r1", "127.0.1.2": "sfo-cor-r1", "127.0.1.3": "nyc-cor-r1"}


def devices_yaml():
    return "devices:\n" + "".join(
        f"  - {{name: {name}, address: {addr}}}\n" for addr, name in DEVICES.items())


def write_replacing(path, text):
    """As editors save: a new file renamed over the old one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def inventory_version(v):
    rows = "".join(f"{name}, v{v}, copy-v{v}, 123 Main St\n" for name in DEVICES.values())
    return "hostname, version, copy, street\n" + rows


def send_udp(port, text, source):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.sendto(text.encode(), ("127.0.0.1", port))


class InventoryEndToEnd(unittest.TestCase):
    def test_reload_while_records_flow(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_inventory_")
        csv = os.path.join(workdir, "inventory.csv")
        write_replacing(csv, inventory_version(0))
        port = free_port()
        count = 6000
        config = f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{port}'}}
inventory: {{path: inventory.csv}}
{devices_yaml()}
collectors:
  - {{type: generator, count: {count}, rate: 1000}}
enrichers:
  - {{type: inventory, columns: [version, copy, street]}}
routes:
  - {{kinds: [test], topic: inv.test}}
"""
        agent = Agent(config, workdir=workdir)
        try:
            for v in range(1, 9):
                time.sleep(0.5)
                if v == 4:
                    # A broken save: no key column. The old table must stay in use.
                    write_replacing(csv, "name, version\nlax-cor-r1, broken\n")
                    time.sleep(0.5)
                if v == 6:
                    agent.proc.send_signal(signal.SIGHUP)  # a reload builds a fresh enricher
                write_replacing(csv, inventory_version(v))
            self.assertTrue(agent.wait_for(f"generator emitted {count} records", 30),
                            agent.output()[-3000:])
            records = kcat_consume(f"127.0.0.1:{port}", "inv.test", expected=count, timeout=60)
            values = sorted((json.loads(r.value) for r in records), key=lambda v: v["seq"])
            self.assertEqual([v["seq"] for v in values], list(range(count)),
                             "a record is missing or doubled")
            versions = []
            for v in values:
                self.assertTrue(v["inventory_match"], v)
                version = v["inventory_version"]
                self.assertEqual(v["inventory_copy"], "copy-" + version, f"half-enriched: {v}")
                self.assertEqual(v["inventory_street"], "123 Main St")
                versions.append(int(version[1:]))
            # The worker enriches in seq order, so the versions it used never go back.
            self.assertEqual(versions, sorted(versions))
            self.assertEqual(versions[0], 0)
            self.assertEqual(versions[-1], 8, agent.output()[-3000:])
            self.assertGreaterEqual(len(set(versions)), 5, "the reloads were not seen while flowing")
            log = agent.output()
            self.assertIn("no key column 'hostname'", log)
            self.assertIn("keeping the inventory loaded before", log)
        finally:
            self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

    def test_secondary_addresses_and_no_match_over_syslog(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_inventory_")
        with open(os.path.join(workdir, "inventory.csv"), "w") as f:
            f.write("hostname, site, addresses\n"
                    "lax-cor-r1, lax, 127.0.2.1\n"
                    "edge-r9, sfo, \"127.0.2.9; 127.0.2.10\"\n")
        port, udp = free_port(), free_port()
        agent = Agent(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{port}'}}
{devices_yaml()}
collectors:
  - {{type: syslog, udp: {{listen: ['127.0.0.1:{udp}']}}}}
enrichers:
  - {{type: inventory, path: inventory.csv, addresses_column: addresses, columns: [site]}}
routes:
  - {{kinds: [syslog], topic: inv.syslog}}
  - {{kinds: [syslog], topic: inv.connect, format: connect_json}}
""", workdir=workdir)
        try:
            sends = {"127.0.1.1": "from the listed management address",
                     "127.0.2.1": "from a loopback of a listed device",
                     "127.0.2.10": "from a second address of an unlisted device",
                     "127.0.3.3": "from nobody we know"}
            for source, text in sends.items():
                send_udp(udp, f"<190>Nov 23 01:00:00 host app: {text}", source)
            records = kcat_consume(f"127.0.0.1:{port}", "inv.syslog", expected=4, timeout=30)
            got = {json.loads(r.value)["message"]: json.loads(r.value) for r in records}
            self.assertEqual(len(got), 4, agent.output()[-2000:])
            listed = got[sends["127.0.1.1"]]
            self.assertEqual(listed["device"], "lax-cor-r1")
            self.assertEqual(listed["inventory_site"], "lax")
            # The device list names 127.0.1.1 only; 127.0.2.1 is lax-cor-r1 by the inventory.
            loop = got[sends["127.0.2.1"]]
            self.assertEqual(loop["device"], "lax-cor-r1")
            self.assertEqual(loop["device_address"], "127.0.2.1")
            self.assertTrue(loop["inventory_match"])
            edge = got[sends["127.0.2.10"]]
            self.assertEqual(edge["device"], "edge-r9")
            self.assertEqual(edge["inventory_site"], "sfo")
            nobody = got[sends["127.0.3.3"]]
            self.assertEqual(nobody["device"], "127.0.3.3")
            self.assertFalse(nobody["inventory_match"])
            self.assertNotIn("inventory_site", nobody)
            # The schema of this config types the enricher's fields, and the records match it.
            enriched = record_validators(agent.config_path)["syslog"].schema["properties"]
            self.assertEqual(enriched["inventory_site"]["type"], "string")
            self.assertEqual(enriched["inventory_match"]["type"], "boolean")
            for value in got.values():
                validate_record(value, config=agent.config_path)

            # The same records as Kafka Connect's JsonConverter (schemas.enable=true) reads them.
            connect = kcat_consume(f"127.0.0.1:{port}", "inv.connect", expected=4, timeout=30)
            self.assertEqual(len(connect), 4)
            for r in connect:
                message = json.loads(r.value)
                self.assertEqual(set(message), {"schema", "payload"})
                schema, payload = message["schema"], message["payload"]
                self.assertEqual((schema["type"], schema["name"]), ("struct", "netfeed.syslog"))
                fields = {f["field"]: f for f in schema["fields"]}
                self.assertEqual(set(fields), set(payload), "schema and payload disagree")
                self.assertEqual(fields["inventory_match"]["type"], "boolean")
                self.assertEqual(fields["severity"]["type"], "int64")
                self.assertFalse(fields["device"]["optional"])
                for name, value in payload.items():
                    if value is None:
                        self.assertTrue(fields[name]["optional"], name)
                flat = got[payload["message"]]
                self.assertEqual(payload["device"], flat["device"])
                self.assertEqual(payload.get("inventory_site"), flat.get("inventory_site"))
        finally:
            self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])

    def test_validate_prints_the_csv_findings(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_inventory_")
        csv = os.path.join(workdir, "inventory.csv")
        with open(csv, "w") as f:
            f.write("hostname, street\n"
                    "lax-cor-r1, 123 Main St, Los Angeles, 90001\n"
                    "sfo-cor-r1\n"
                    "lax-cor-r1, 9 Other St\n")
        config = os.path.join(workdir, "netfeed.yaml")
        with open(config, "w") as f:
            f.write(f"""
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
inventory: {{path: inventory.csv}}
enrichers:
  - {{type: inventory}}
""")
        out = subprocess.run([NETFEED, "validate", "-c", config], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = [l for l in out.stderr.splitlines() if l.startswith("warning:")]
        self.assertEqual(len(lines), 3, out.stderr)
        self.assertIn(f"warning: {csv}:2: enrichers[0]: 4 fields but the header names 2; the "
                      "extra fields are named column_3 to column_4 (1 row like this)", lines[0])
        self.assertIn(f"{csv}:3: enrichers[0]: 1 field but the header names 2", lines[1])
        self.assertIn(f"{csv}:4: enrichers[0]: duplicate key 'lax-cor-r1' (first at line 2)",
                      lines[2])

        with open(csv, "w") as f:
            f.write("name, street\nx, y\n")
        out = subprocess.run([NETFEED, "validate", "-c", config], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("no key column 'hostname'", out.stderr)


if __name__ == "__main__":
    unittest.main()
