"""What the polling benchmarks (nxapi_poll.py, snmp_poll.py) share: loopback ports, a process's
or thread's CPU time and peak memory from /proc, child processes with their own log, and the
agent's Prometheus metrics."""
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_udp_sender(workdir):
    """Compiles bench/udp_sender.c into workdir; its path, or None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        return None
    binary = os.path.join(workdir, "udp_sender")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "udp_sender.c")
    subprocess.run([compiler, "-O2", "-o", binary, source], check=True, timeout=120)
    return binary


def write_datagrams(path, datagrams):
    """The `datagrams` input of udp_sender: each datagram as a big-endian u16 length + bytes."""
    with open(path, "wb") as f:
        for d in datagrams:
            f.write(struct.pack("!H", len(d)) + d)


def cpu_seconds(pid, task=None):
    """User + system CPU of a process, or of one of its threads (task id)."""
    path = f"/proc/{pid}/stat" if task is None else f"/proc/{pid}/task/{task}/stat"
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def vm_hwm_mib(pid):
    """Peak resident memory (VmHWM) in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def thread_id(pid, name):
    """The task id of the thread the program named `name` (pthread_setname_np), or None."""
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                if f.read().strip() == name:
                    return task
        except OSError:
            pass
    return None


class Child:
    """A process writing to its own log file, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, args, log, env=None):
        self.log = open(log, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def metrics(url):
    """Every sample of a Prometheus text page: {'name{labels}': value}."""
    values = {}
    for line in urllib.request.urlopen(url, timeout=5).read().decode().splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, value = line.rsplit(" ", 1)
        values[name] = float(value)
    return values


def total(values, name, *labels):
    """The sum of metric `name` over the samples whose labels contain every one of `labels`."""
    return sum(v for k, v in values.items()
               if (k == name or k.startswith(name + "{")) and all(l in k for l in labels))


def time_acknowledged(pid, read_sent, records, start_timeout=30, finish_timeout=300):
    """Times an agent's delivery from its first acknowledged record to its `records`-th.

    `read_sent()` returns the agent's acknowledged count (OSError while it is not up yet).
    Returns (records timed, seconds, agent CPU seconds): the clock starts at the first
    acknowledgement, so start-up is not counted.
    """
    deadline = time.time() + start_timeout
    while True:
        try:
            first = read_sent()
            if first > 0:
                break
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError(f"no record was acknowledged within {start_timeout} s")
        time.sleep(0.002)
    cpu_before = cpu_seconds(pid)
    start = time.time()
    while read_sent() < records:
        if time.time() - start > finish_timeout:
            raise RuntimeError(f"not all records were acknowledged within {finish_timeout} s")
        time.sleep(0.01)
    return records - first, time.time() - start, cpu_seconds(pid) - cpu_before
