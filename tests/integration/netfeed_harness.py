"""Runs the real netfeed binary, its embedded broker and kcat on loopback for integration tests.

Everything here talks to 127.0.0.1 only, is bounded in time, and cleans up after itself.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

NETFEED = os.environ.get("NETFEED_BIN", "netfeed")
SOURCE_DIR = os.environ.get("NETFEED_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
# Simulated devices built from lab/ (lab/CMakeLists.txt).
LAB_BIN = os.environ.get("NETFEED_LAB_BIN", os.path.join(os.path.dirname(NETFEED), "lab", "bin"))


def lab_program(name):
    """The path of a lab simulator built beside netfeed."""
    return os.path.join(LAB_BIN, name)


def free_port():
    """A port of 127.0.0.1 that was free a moment ago for TCP and for UDP both (bound to port 0,
    then released): tests use these for listeners of either kind, and a simulator's UDP socket
    must not be handed out again as a TCP port, or the other way round."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                try:
                    u.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no port of 127.0.0.1 is free for both TCP and UDP")


def java_partition(key: bytes, partitions: int) -> int:
    """The Java client's default partition for a key, computed by kafka-python (independent of us)."""
    from kafka.partitioner.default import murmur2
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class Process:
    """A child process whose stderr is collected line by line in the background."""

    def __init__(self, args, cwd=None, env=None):
        self.args = args
        self.lines = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self._threads = [threading.Thread(target=self._read, args=(s,), daemon=True)
                         for s in (self.proc.stdout, self.proc.stderr)]
        for t in self._threads:
            t.start()

    def _read(self, stream):
        for line in stream:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def output(self):
        with self._lock:
            return "\n".join(self.lines)

    def wait_for(self, text, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.output():
                return True
            if self.proc.poll() is not None:
                time.sleep(0.2)
                return text in self.output()
            time.sleep(0.05)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        for t in self._threads:
            t.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()
        return self.proc.returncode


class Broker(Process):
    """`netfeed broker`: the embedded broker on its own, so records outlive the agent."""

    def __init__(self, topics=(), partitions=4):
        self.port = free_port()
        args = [NETFEED, "broker", "--port", str(self.port), "--partitions", str(partitions)]
        for t in topics:
            args += ["--topic", t]
        super().__init__(args)
        if not self.wait_for("listening on", 30):
            raise RuntimeError("broker did not start:\n" + self.output())
        self.bootstrap = f"127.0.0.1:{self.port}"


class Agent(Process):
    """`netfeed run` with a config written to a temporary directory."""

    def __init__(self, config_text, workdir=None, extra_args=()):
        self.dir = workdir or tempfile.mkdtemp(prefix="netfeed_it_")
        self.config_path = os.path.join(self.dir, "netfeed.yaml")
        self.stats_path = os.path.join(self.dir, "stats.json")
        with open(self.config_path, "w") as f:
            f.write(config_text)
        super().__init__([NETFEED, "run", "-c", self.config_path, *extra_args])
        if not self.wait_for("running with", 30):
            self.stop(signal.SIGKILL)
            raise RuntimeError("agent did not start:\n" + self.output())

    def rewrite_config(self, config_text):
        with open(self.config_path, "w") as f:
            f.write(config_text)

    def stats(self):
        with open(self.stats_path) as f:
            return json.load(f)


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class Consumed:
    def __init__(self, partition, key, headers, value):
        self.partition = partition
        self.key = key
        self.headers = headers
        self.value = value


_validators = {}
_validators_lock = threading.Lock()


def record_validators(config=None):
    """A jsonschema validator per record kind, from `netfeed schema` (run once per process), or
    `netfeed schema -c config` (with the fields that config's enrichers add)."""
    with _validators_lock:
        if config not in _validators:
            from jsonschema import Draft202012Validator
            args = [NETFEED, "schema"] + (["-c", config] if config else [])
            out = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
            validators = {}
            for kind, schema in json.loads(out.stdout).items():
                Draft202012Validator.check_schema(schema)
                validators[kind] = Draft202012Validator(schema)
            _validators[config] = validators
        return _validators[config]


def validate_record(value, config=None):
    """Checks one record value (JSON text, or a decoded object) against the schema of its kind
    (with `config`'s enricher fields when given); raises AssertionError naming the field. A Kafka
    Connect envelope is checked by its payload, whose absent fields are nulls."""
    record = json.loads(value) if isinstance(value, (str, bytes)) else value
    if not isinstance(record, dict):
        raise AssertionError(f"a record is not a JSON object: {value!r:.300}")
    if "payload" in record and "schema" in record:
        record = {k: v for k, v in record["payload"].items() if v is not None
                  or k == "device_address"}
    validators = record_validators(config)
    kind = record.get("kind")
    if kind not in validators:
        raise AssertionError(f"record of unknown kind {kind!r}: {value!r:.300}")
    error = next(iter(validators[kind].iter_errors(record)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(record)"
        raise AssertionError(f"{kind} record does not match `netfeed schema`: {where}: "
                             f"{error.message}\n{json.dumps(record)[:600]}")


def is_netfeed_record(headers, value):
    """True for a value netfeed wrote (it sends a schema_version header); not for tombstones or
    what other producers (rsyslog, kcat) put on a topic."""
    return bool(value) and "schema_version" in headers


def kcat_consume(bootstrap, topic, expected=None, timeout=60):
    """Reads a topic from the beginning with kcat until `expected` records came (or the end of
    every partition when expected is None). Returns Consumed records."""
    fmt = "%p\\t%k\\t%h\\t%s\\n"
    deadline = time.time() + timeout
    records = []
    while True:
        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning",
                              "-e", "-q", "-f", fmt],
                             capture_output=True, text=True, timeout=max(5, deadline - time.time()))
        records = []
        for line in out.stdout.splitlines():
            partition, key, headers, value = line.split("\t", 3)
            header_map = dict(h.split("=", 1) for h in headers.split(",") if "=" in h)
            records.append(Consumed(int(partition), key, header_map, value))
        if expected is None or len(records) >= expected or time.time() >= deadline:
            for r in records:
                if is_netfeed_record(r.headers, r.value):
                    validate_record(r.value)
            return records
        time.sleep(0.5)


def metric_total(metrics_text, name, **labels):
    """Sum of a Prometheus metric over the label sets that have all of `labels`."""
    total = 0.0
    for line in metrics_text.splitlines():
        if not (line.startswith(name + "{") or line.startswith(name + " ")):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def kcat_metadata(bootstrap):
    out = subprocess.run(["kcat", "-b", bootstrap, "-L", "-J"], capture_output=True, text=True,
                         timeout=30, check=True)
    return json.loads(out.stdout)
