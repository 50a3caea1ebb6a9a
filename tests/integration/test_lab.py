"""The one-command lab end to end: scripts/lab.sh runs non-interactively on free ports; within
60 s of its start kcat reads records of every kind (syslog, flow, snmp, trap, nxapi) from the
agent's embedded broker, each joined with config/lab-inventory.csv for its sending device, and
flows carry the interface names snmp-sim's table gives their ifIndexes. SIGINT to the script
then stops every process it started (its session is empty within a few seconds)."""
import csv
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import LAB_BIN, NETFEED, SOURCE_DIR, free_port, kcat_consume

SCRIPT = os.path.join(SOURCE_DIR, "scripts", "lab.sh")
INVENTORY = os.path.join(SOURCE_DIR, "config", "lab-inventory.csv")
KINDS = ("syslog", "flow", "snmp", "trap", "nxapi")
# Who sends what in the lab (scripts/lab.sh, config/lab.yaml).
SENDERS = {"syslog": {"lab-nx-leaf1", "lab-nx-leaf2", "lab-ios-core1", "lab-ios-edge1"},
           "flow": {"lab-ios-core1", "lab-ios-edge1"},
           "snmp": {"lab-nx-leaf1", "lab-nx-leaf2", "lab-ios-core1", "lab-ios-edge1"},
           "trap": {"lab-nx-leaf1", "lab-nx-leaf2", "lab-ios-core1", "lab-ios-edge1"},
           "nxapi": {"lab-nx-leaf1", "lab-nx-leaf2"}}
# The traps come one every 5 s in turn from the four devices, so within the test's window only
# some of them have sent one; every other kind must show every sender.
MUST_SEE_ALL = {"syslog", "flow", "snmp", "nxapi"}


def inventory_rows():
    with open(INVENTORY, newline="") as f:
        return {row["hostname"]: row for row in csv.DictReader(f, skipinitialspace=True)}


class LabScript:
    """scripts/lab.sh in a session of its own, as a terminal's job would be: the script leads
    its process group, and every process it starts stays in its session. Output goes to a
    file."""

    def __init__(self, args, env):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, text, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            if text in self.output():
                return True
            time.sleep(0.2)
        return text in self.output()


def session_members(sid):
    out = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@unittest.skipUnless(os.access(os.path.join(LAB_BIN, "nxapi-sim"), os.X_OK) and
                     os.access(os.path.join(LAB_BIN, "snmp-sim"), os.X_OK),
                     "nxapi-sim and snmp-sim are not built (targets nxapi-sim snmp-sim)")
@unittest.skipUnless(shutil.which("snmptrap") and shutil.which("kcat"), "needs snmptrap and kcat")
class LabInOneCommand(unittest.TestCase):
    def test_every_kind_enriched_within_60s_and_ctrl_c_stops_everything(self):
        kafka = free_port()
        bootstrap = f"127.0.0.1:{kafka}"
        args = ["bash", SCRIPT, "--duration", "120", "--kafka-port", str(kafka),
                "--http-port", str(free_port()), "--syslog-port", str(free_port()),
                "--flow-port", str(free_port()), "--trap-port", str(free_port())]
        env = dict(os.environ, NETFEED_BIN=NETFEED, NETFEED_LAB_BIN=LAB_BIN)
        started = time.time()
        lab = LabScript(args, env)
        sid = lab.proc.pid
        try:
            self.assertTrue(lab.wait_for("netfeed lab is running", 45), lab.output()[-3000:])
            for kind in KINDS:
                self.assertIn(f"kcat -b {bootstrap} -C -t netfeed.{kind}", lab.output())

            rows = inventory_rows()
            seen = {kind: {} for kind in KINDS}  # kind -> device -> one record
            named_flow = None
            while time.time() - started < 60:
                for kind in KINDS:
                    for r in kcat_consume(bootstrap, f"netfeed.{kind}", timeout=5):
                        value = json.loads(r.value)
                        seen[kind].setdefault(value["device"], value)
                        if kind == "flow" and "in_if_name" in value and named_flow is None:
                            named_flow = value
                complete = all(set(seen[k]) >= SENDERS[k] for k in MUST_SEE_ALL)
                if complete and seen["trap"] and named_flow is not None:
                    break
                time.sleep(1)
            elapsed = time.time() - started
            for kind in KINDS:
                self.assertTrue(seen[kind], f"no {kind} record in {elapsed:.0f} s\n" +
                                lab.output()[-3000:])
                self.assertLessEqual(set(seen[kind]), SENDERS[kind], kind)
                if kind in MUST_SEE_ALL:
                    self.assertEqual(set(seen[kind]), SENDERS[kind], kind)
                for device, value in seen[kind].items():
                    row = rows[device]
                    self.assertEqual(value["kind"], kind)
                    self.assertIs(value["inventory_match"], True, value)
                    for column in ("site", "role", "vendor", "model", "rack"):
                        self.assertEqual(value[f"inventory_{column}"], row[column], (kind, value))
                    self.assertNotIn("inventory_owner", value)  # not among the chosen columns
            self.assertLess(elapsed, 60, "records of every kind took longer than 60 s")

            # Interface names on flows come from snmp-sim's ifName of the exporter's ifIndex.
            self.assertIsNotNone(named_flow, "no flow carries in_if_name")
            self.assertEqual(named_flow["in_if_name"], f"Gi1/0/{named_flow['in_if']}")
            self.assertEqual(named_flow["out_if_name"], f"Gi1/0/{named_flow['out_if']}")
            self.assertIn("proto_name", named_flow)
            self.assertIn(seen["nxapi"]["lab-nx-leaf1"]["command"],
                          ("show version", "show environment"))
        finally:
            # Ctrl-C as the script sees it when it runs in the background: SIGINT to it alone.
            if lab.proc.poll() is None:
                os.kill(lab.proc.pid, signal.SIGINT)
            try:
                code = lab.proc.wait(30)
            except subprocess.TimeoutExpired:
                code = None
            deadline = time.time() + 5
            while session_members(sid) and time.time() < deadline:
                time.sleep(0.1)
            left = session_members(sid)
            listing = subprocess.run(["ps", "-o", "pid,pgid,args", "-s", str(sid)],
                                     capture_output=True, text=True).stdout
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            if code is None:
                lab.proc.wait(10)
            output = lab.output()
            lab.log.close()
        self.assertEqual(left, [], "processes left after SIGINT:\n" + listing)
        self.assertEqual(code, 130, output[-3000:])
        # The agent was told to stop once, so it drained its queues instead of exiting at once.
        self.assertIn("stopping: draining queues", output)
        self.assertNotIn("without draining", output)


if __name__ == "__main__":
    unittest.main()
