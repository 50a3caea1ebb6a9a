"""The stdout and file sinks: one JSON line per record, nothing else on stdout."""
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import NETFEED, free_port


class DebugSinks(unittest.TestCase):
    def test_stdout_and_file_sinks_write_one_json_line_per_record(self):
        workdir = tempfile.mkdtemp(prefix="netfeed_sinks_")
        config = os.path.join(workdir, "netfeed.yaml")
        with open(config, "w") as f:
            f.write(f"""
agent: {{http: {{enabled: false}}}}
kafka: {{embedded_listen: '127.0.0.1:{free_port()}'}}
collectors:
  - {{type: generator, count: 20, rate: 0, devices: [r1]}}
sinks:
  - {{type: stdout, name: console, with_delivery: true}}
  - {{type: file, name: archive, path: out/records.jsonl}}
routes:
  - {{sink: console}}
  - {{sink: archive, topic: archived}}
""")
        os.mkdir(os.path.join(workdir, "out"))
        proc = subprocess.Popen([NETFEED, "run", "-c", config], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 20, err)  # logs went to stderr, not stdout
        wrapped = [json.loads(line) for line in lines]
        self.assertEqual({w["topic"] for w in wrapped}, {"netfeed.test"})
        self.assertEqual({w["key"] for w in wrapped}, {"r1"})
        self.assertEqual(sorted(w["value"]["seq"] for w in wrapped), list(range(20)))
        with open(os.path.join(workdir, "out", "records.jsonl")) as f:
            archived = [json.loads(line) for line in f]
        self.assertEqual(sorted(r["seq"] for r in archived), list(range(20)))
        self.assertIn("stopped: 20 records accepted, 40 delivered to sinks, 0 dropped", err)


if __name__ == "__main__":
    unittest.main()
