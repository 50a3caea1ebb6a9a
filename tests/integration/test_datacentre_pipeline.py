"""The classic data-centre pipeline end to end: config/examples/datacentre-hardware.yaml pointed
at nxapi-sim on loopback. Each switch's `show inventory` is joined by hostname with
config/examples/inventory-datacentre.csv (hostname, street, city, zip) and read back with kcat
from the hardware topic, keyed by hostname; a CSV edit is seen by the next poll."""
import json
import os
import shutil
import signal
import tempfile
import time
import unittest

from netfeed_harness import Agent, Process, SOURCE_DIR, free_port, kcat_consume, lab_program

SIM = lab_program("nxapi-sim")
EXAMPLES = os.path.join(SOURCE_DIR, "config", "examples")
SWITCHES = {"dc1-leaf-01": ("192.0.2.21", "127.0.62.1"),
            "dc1-leaf-02": ("192.0.2.22", "127.0.62.2"),
            "dc2-spine-01": ("192.0.2.31", "127.0.62.3")}
EXPECTED = {"dc1-leaf-01": ("123 Main St", "Los Angeles", "90001"),
            "dc1-leaf-02": ("123 Main St", "Los Angeles", "90001"),
            "dc2-spine-01": ("1 Market St, Suite 500", "San Francisco", "94105")}


@unittest.skipUnless(os.access(SIM, os.X_OK), "nxapi-sim is not built (target nxapi-sim)")
class DatacentrePipeline(unittest.TestCase):
    def test_show_inventory_joined_with_the_csv_keyed_by_hostname(self):
        d = tempfile.mkdtemp(prefix="netfeed_datacentre_")
        sim = agent = None
        try:
            port = free_port()
            sim = Process([SIM, "--ready-file", os.path.join(d, "ready.json"), "--switches", "3",
                           "--address", "127.0.62.1", "--spread", "addresses", "--port",
                           str(port), "--user", "netfeed", "--password", "dc-secret"])
            self.assertTrue(sim.wait_for("ready", 30), sim.output())
            shutil.copy(os.path.join(EXAMPLES, "inventory-datacentre.csv"), d)
            with open(os.path.join(EXAMPLES, "datacentre-hardware.yaml")) as f:
                text = f.read()
            kafka, http = free_port(), free_port()
            for example, loopback in SWITCHES.values():
                text = text.replace(example, loopback)
            text = (text.replace("port: 80", f"port: {port}")
                        .replace("interval: 5m", "interval: 2s\n    first_poll_spread: 0s")
                        .replace("127.0.0.1:9273", f"127.0.0.1:{http}")
                        .replace("embedded: true", f"embedded_listen: '127.0.0.1:{kafka}'"))
            self.assertIn(f"port: {port}", text)
            os.environ["NXAPI_PASSWORD"] = "dc-secret"
            agent = Agent(text, workdir=d)
            bootstrap = f"127.0.0.1:{kafka}"
            got = kcat_consume(bootstrap, "dc.hardware", expected=3, timeout=30)
            first = {}
            for r in got:
                first.setdefault(r.key, json.loads(r.value))
            self.assertEqual(set(first), set(SWITCHES), agent.output()[-2000:])
            for host, value in first.items():
                self.assertEqual(value["device"], host)
                self.assertEqual(value["command"], "show inventory")
                self.assertIn("TABLE_inv", value["body"])
                self.assertTrue(value["inventory_match"], value)
                street, city, zip_code = EXPECTED[host]
                self.assertEqual(value["inventory_street"], street)
                self.assertEqual(value["inventory_city"], city)
                self.assertEqual(value["inventory_zip"], zip_code)
                self.assertNotIn("inventory_hostname", value)  # only the selected columns
            self.assertEqual(kcat_consume(bootstrap, "nxapi.errors", timeout=5), [])

            # The hand-kept file changes: a later poll carries the new address.
            csv = os.path.join(d, "inventory-datacentre.csv")
            with open(csv) as f:
                content = f.read()
            with open(csv + ".tmp", "w") as f:
                f.write(content.replace("dc2-spine-01, \"1 Market St, Suite 500\"",
                                        "dc2-spine-01, \"2 Market St\""))
            os.rename(csv + ".tmp", csv)
            deadline = time.time() + 30
            moved = False
            while time.time() < deadline and not moved:
                for r in kcat_consume(bootstrap, "dc.hardware", timeout=5):
                    value = json.loads(r.value)
                    if r.key == "dc2-spine-01" and value.get("inventory_street") == "2 Market St":
                        moved = True
                time.sleep(1)
            self.assertTrue(moved, agent.output()[-2000:])
            self.assertNotIn("dc-secret", agent.output())
        finally:
            os.environ.pop("NXAPI_PASSWORD", None)
            if agent is not None:
                self.assertEqual(agent.stop(signal.SIGTERM), 0, agent.output()[-2000:])
            if sim is not None:
                sim.stop()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
