"""Helpers of the durability fault tests: a restartable `netfeed broker` on a fixed port, numbered
syslog lines over TCP, a streaming kcat consumer, and the sent / read back / missing / duplicated
comparison each test prints."""
import re
import signal
import socket
import subprocess
import threading
import time

from netfeed_harness import (NETFEED, Process, http_get, is_netfeed_record, metric_total,
                             validate_record)

TOPIC = "netfeed.syslog"
NUMBER = re.compile(r"line=(\d+)\b")


class FixedPortBroker(Process):
    """`netfeed broker` on a port chosen by the test, so that it can be restarted on it."""

    def __init__(self, port):
        self.port = port
        self.bootstrap = f"127.0.0.1:{port}"
        super().__init__([NETFEED, "broker", "--port", str(port), "--partitions", "4",
                          "--topic", TOPIC])
        if not self.wait_for("listening on", 30):
            raise RuntimeError("broker did not start:\n" + self.output())


class StreamingConsumer:
    """kcat reading the topic from the beginning as records arrive; keeps the line numbers."""

    def __init__(self, bootstrap):
        self.numbers = []
        self.ids = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            ["kcat", "-b", bootstrap, "-C", "-t", TOPIC, "-o", "beginning", "-q", "-u",
             "-f", "%h\t%s\n"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        for line in self.proc.stdout:
            match = NUMBER.search(line)
            if not match:
                continue
            headers, value = line.rstrip("\n").split("\t", 1)
            if is_netfeed_record(headers, value):
                validate_record(value)  # raises in this thread: the test sees numbers missing
            ident = next((h.split("=", 1)[1] for h in headers.split(",")
                          if h.startswith("netfeed_id=")), None)
            with self._lock:
                self.numbers.append(int(match.group(1)))
                self.ids.append(ident)

    def count(self):
        with self._lock:
            return len(self.numbers)

    def wait_for_numbers(self, wanted, timeout):
        """Waits until every number in `wanted` was read (or the timeout)."""
        wanted = set(wanted)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                if wanted <= set(self.numbers):
                    return True
            time.sleep(0.2)
        return False

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._thread.join(5)
        self.proc.stdout.close()
        with self._lock:
            return list(self.numbers), list(self.ids)


class SyslogSender:
    """Numbered RFC 3164 lines over one TCP connection (TCP: a line the agent read is accepted)."""

    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.next = 0

    def send(self, count):
        lines = []
        for _ in range(count):
            lines.append(f"<13>Dec  6 10:00:00 r1 app: durability line={self.next} end\n")
            self.next += 1
        self.sock.sendall("".join(lines).encode())

    def send_at_rate(self, seconds, per_second, stop_event=None):
        """Sends for `seconds` at about `per_second` lines a second, in 20 small bursts a second."""
        end = time.time() + seconds
        burst = max(1, per_second // 20)
        while time.time() < end and not (stop_event and stop_event.is_set()):
            self.send(burst)
            time.sleep(0.05)

    def close(self):
        self.sock.close()


class BackgroundSender(threading.Thread):
    """Keeps a SyslogSender going until stopped (records flow while the test makes faults)."""

    def __init__(self, sender, per_second):
        super().__init__(daemon=True)
        self.sender = sender
        self.per_second = per_second
        self.stop_event = threading.Event()

    def run(self):
        self.sender.send_at_rate(3600, self.per_second, self.stop_event)

    def stop(self):
        self.stop_event.set()
        self.join(10)


def metric(http_port, name, **labels):
    status, body = http_get(f"http://127.0.0.1:{http_port}/metrics")
    return metric_total(body, name, **labels) if status == 200 else -1


def wait_metric(http_port, name, good, timeout, **labels):
    """Waits until good(value of the metric) holds; returns the last reading."""
    deadline = time.time() + timeout
    last = metric(http_port, name, **labels)
    while not good(last) and time.time() < deadline:
        time.sleep(0.2)
        last = metric(http_port, name, **labels)
    return last


def compare(test, label, sent, numbers):
    """Prints sent / read back / missing / duplicated and returns (missing, duplicated) sets."""
    seen = set(numbers)
    missing = sorted(set(range(sent)) - seen)
    duplicated = len(numbers) - len(seen)
    print(f"\n{label}: sent {sent} / read back {len(numbers)} / missing {len(missing)} / "
          f"duplicated {duplicated}", flush=True)
    return missing, duplicated


def freeze(process):
    process.proc.send_signal(signal.SIGSTOP)


def thaw(process):
    process.proc.send_signal(signal.SIGCONT)
