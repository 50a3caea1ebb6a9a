"""The systemd notify protocol against a test NOTIFY_SOCKET, as systemd would run a Type=notify
service with WatchdogSec: READY=1 once the listeners are up (a datagram sent right after it is
delivered), WATCHDOG=1 pings while the pipeline moves, no pings while a sink is stuck (a file
sink writing into a FIFO whose reader stopped reading: write() blocks, as on a hung mount),
pings again once it moves, RELOADING=1/READY=1 around SIGHUP with STATUS saying why a bad
config was refused, and STOPPING=1 on SIGTERM."""
import os
import select
import signal
import socket
import tempfile
import time
import unittest

from netfeed_harness import NETFEED, Process

WATCHDOG_SECONDS = 2  # pings every second; a thread quiet for 2 s is stuck


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NotifySocket:
    """The AF_UNIX datagram socket systemd listens on; keeps every message with its arrival time."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []  # (time, {name: value})
        self.cursor = 0  # wait_for looks at the messages after the last one it matched

    def pump(self, seconds):
        deadline = time.time() + seconds
        while True:
            left = deadline - time.time()
            if left <= 0:
                return
            ready, _, _ = select.select([self.sock], [], [], left)
            if ready:
                data = self.sock.recv(4096).decode()
                fields = dict(line.split("=", 1) for line in data.split("\n") if "=" in line)
                self.messages.append((time.time(), fields))

    def wait_for(self, predicate, timeout):
        """The first message after the last match for which predicate(fields) holds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            while self.cursor < len(self.messages):
                when, fields = self.messages[self.cursor]
                self.cursor += 1
                if predicate(fields):
                    return when, fields
            self.pump(min(0.1, max(0.0, deadline - time.time())))
        return None

    def pings_between(self, start, end):
        return [t for t, f in self.messages if f.get("WATCHDOG") == "1" and start <= t <= end]


class SdNotify(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netfeed_notify_")
        self.notify = NotifySocket(os.path.join(self.dir, "notify"))
        self.fifo = os.path.join(self.dir, "out.fifo")
        os.mkfifo(self.fifo)
        # A reader, so that the sink's open() returns; it reads only when the test says so.
        self.reader = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.port = free_udp_port()
        self.config = os.path.join(self.dir, "netfeed.yaml")
        self.write_config(self.port)
        env = dict(os.environ, NOTIFY_SOCKET=os.path.join(self.dir, "notify"),
                   WATCHDOG_USEC=str(WATCHDOG_SECONDS * 1000000))
        self.agent = Process([NETFEED, "run", "-c", self.config], env=env)
        self.sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def tearDown(self):
        self.agent.stop(signal.SIGKILL)
        self.sender.close()
        os.close(self.reader)
        self.notify.sock.close()

    def write_config(self, port, extra=""):
        with open(self.config, "w") as f:
            f.write(f"""
agent: {{http: {{enabled: false}}, sink_queue_capacity: 1000, queue_capacity: 1000}}
collectors:
  - type: syslog
    udp: {{listen: ['127.0.0.1:{port}']}}
    tcp: {{enabled: false}}
sinks:
  - {{type: file, name: out, path: out.fifo}}
routes:
  - {{sink: out}}
{extra}""")

    def read_fifo(self, seconds):
        """Everything the sink wrote within `seconds`."""
        data = b""
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                chunk = os.read(self.reader, 65536)
            except BlockingIOError:
                chunk = b""
            if chunk:
                data += chunk
            else:
                self.notify.pump(0.05)
        return data

    def send(self, text):
        self.sender.sendto(f"<13>Dec  6 10:00:00 r1 app: {text}".encode(), ("127.0.0.1", self.port))

    def test_ready_watchdog_stuck_reload_stop(self):
        ready = self.notify.wait_for(lambda f: f.get("READY") == "1", 30)
        self.assertIsNotNone(ready, "no READY=1:\n" + self.agent.output())
        # Sent the moment READY=1 arrived: the UDP listener must already be there.
        self.send("first-after-ready")
        self.assertIn(b"first-after-ready", self.read_fifo(3), self.agent.output())
        self.assertIn("running", ready[1].get("STATUS", ""))

        # Healthy: a ping about every WATCHDOG_USEC / 2.
        start = time.time()
        self.read_fifo(3)
        self.assertGreaterEqual(len(self.notify.pings_between(start, time.time())), 2)

        # A reload that fails validation keeps running and says so.
        self.write_config(self.port, extra="bogus_section: 1\n")
        self.agent.proc.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait_for(lambda f: f.get("RELOADING") == "1", 10))
        refused = self.notify.wait_for(lambda f: f.get("READY") == "1", 10)
        self.assertIsNotNone(refused)
        self.assertIn("reload failed", refused[1].get("STATUS", ""))
        self.assertIn("bogus_section", refused[1].get("STATUS", ""))
        self.write_config(self.port)
        self.agent.proc.send_signal(signal.SIGHUP)
        reloaded = self.notify.wait_for(lambda f: f.get("READY") == "1", 10)
        self.assertIsNotNone(reloaded)
        self.assertIn("running", reloaded[1].get("STATUS", ""))

        # Stuck: stop reading and send far more than the pipe holds (64 KiB).
        line = "x" * 900
        for i in range(400):
            self.send(f"fill-{i} {line}")
            if i % 50 == 0:
                self.notify.pump(0.02)
        stuck = self.notify.wait_for(lambda f: f.get("STATUS", "").startswith("stuck"), 15)
        self.assertIsNotNone(stuck, "the pipeline was never reported stuck:\n" + self.agent.output())
        self.assertIn("sink out", stuck[1]["STATUS"])
        self.notify.pump(2 * WATCHDOG_SECONDS)
        self.assertEqual(self.notify.pings_between(stuck[0] + 0.1, time.time()), [],
                         "watchdog pings went on while the sink was stuck")

        # Moving again: pings resume.
        moving_from = time.time()
        self.read_fifo(3)
        self.assertGreaterEqual(len(self.notify.pings_between(moving_from, time.time())), 1,
                                "no pings after the sink moved again:\n" + self.agent.output())

        self.agent.proc.send_signal(signal.SIGTERM)
        stopping = self.notify.wait_for(lambda f: f.get("STOPPING") == "1", 10)
        self.assertIsNotNone(stopping)
        deadline = time.time() + 30
        while self.agent.proc.poll() is None and time.time() < deadline:
            self.read_fifo(0.5)  # the drain may still write
        self.assertEqual(self.agent.proc.poll(), 0, self.agent.output())


if __name__ == "__main__":
    unittest.main()
