"""One agent running every plugin type of the registry with a minimal configuration, for the
tests that compare what /metrics exports with a list (test_metric_names: the instrumentation
spec; test_ops_kit: the dashboard and alerts). The SNMP and NX-API devices do not answer, so
that their per-device error series exist too; agent.state_dir is set, so the Kafka spool runs."""
import os
import shutil
import socket
import struct
import tempfile
import time

from mmdb_writer import write_mmdb
from netfeed_harness import Agent, free_port, http_get


def write_empty_pcap(path):
    # A classic pcap file header and no packet: the capture input starts and ends at once.
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


class EveryPluginAgent:
    # Series that show only once the devices failed and both syslog messages were taken.
    READY = ("netfeed_snmp_errors_total{", "netfeed_nxapi_errors_total{",
             'netfeed_component_received_total{stage="collector",component="syslog",'
             'type="syslog"} 2\n')

    def __init__(self):
        self.dir = d = tempfile.mkdtemp(prefix="netfeed_every_plugin_")
        write_mmdb(os.path.join(d, "test.mmdb"), [("8.8.8.0/24", {"country": {"iso_code": "US"}})])
        with open(os.path.join(d, "inventory.csv"), "w") as f:
            f.write("hostname, site\nr1, lab\n")
        write_empty_pcap(os.path.join(d, "empty.pcap"))
        os.makedirs(os.path.join(d, "out"))
        # An SNMP "device" that takes requests and never answers: its polls time out.
        self.silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.silent.bind(("127.0.0.1", 0))
        snmp_port = self.silent.getsockname()[1]
        nxapi_port = free_port()  # nothing listens: connection refused
        self.http = free_port()
        kafka = free_port()
        udp = [free_port() for _ in range(4)]
        self.config = f"""
agent:
  http: {{listen: '127.0.0.1:{self.http}'}}
  state_dir: {os.path.join(d, "state")}
kafka: {{embedded_listen: '127.0.0.1:{kafka}'}}
credentials:
  ro: {{community: public}}
  nx: {{username: netfeed, password: not-admin}}
devices:
  - {{name: rtr1, address: 127.0.0.1, credentials: ro, collectors: [snmp]}}
  - {{name: sw1, address: 127.0.0.2, credentials: nx, collectors: [nxapi]}}
collectors:
  - {{type: generator, count: 5, rate: 0, devices: [r1]}}
  - type: syslog
    udp: {{listen: ['127.0.0.1:{udp[0]}']}}
    tcp: {{listen: ['127.0.0.1:{udp[0]}']}}
  - {{type: netflow, listen: ['127.0.0.1:{udp[1]}']}}
  - {{type: snmp_trap, listen: ['127.0.0.1:{udp[2]}']}}
  - {{type: sflow, listen: ['127.0.0.1:{udp[3]}']}}
  - {{type: pcap, file: {os.path.join(d, 'empty.pcap')}}}
  - type: snmp
    port: {snmp_port}
    interval: 1s
    first_poll_spread: 0s
    timeout: 200ms
    retries: 0
  - type: nxapi
    scheme: http
    port: {nxapi_port}
    interval: 1s
    first_poll_spread: 0s
    timeout: 1s
    commands: [show version]
enrichers:
  - {{type: inventory, path: {os.path.join(d, 'inventory.csv')}, columns: [site]}}
  - {{type: interfaces, kinds: [flow]}}
  - {{type: protocol, kinds: [flow]}}
  - {{type: geoip, kinds: [flow], databases: [{os.path.join(d, 'test.mmdb')}]}}
sinks:
  - {{type: stdout, name: console}}
  - {{type: file, name: archive, path: {os.path.join(d, 'out', 'records.jsonl')}}}
routes:
  - {{kinds: [test], sink: console}}
  - {{kinds: [test], sink: archive}}
  - {{topic: netfeed.all}}
"""
        self.agent = Agent(self.config, workdir=d)
        # One message on each syslog transport, so that their counters move too.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"<13>Nov 23 01:02:03 host1 app: over udp", ("127.0.0.1", udp[0]))
        with socket.create_connection(("127.0.0.1", udp[0])) as s:
            s.sendall(b"<13>Nov 23 01:02:03 host1 app: over tcp\n")

    def section_types(self):
        """{collectors|enrichers|sinks: {type, ...}} this agent runs (kafka: from `kafka:`)."""
        head, rest = self.config.split("\nenrichers:")
        enrichers, sinks = rest.split("\nsinks:")
        collectors = head.split("\ncollectors:")[1]
        types = {}
        for group, text in (("collectors", collectors), ("enrichers", enrichers),
                            ("sinks", sinks.split("\nroutes:")[0])):
            types[group] = {line.split("type:")[1].split(",")[0].strip(" }")
                            for line in text.splitlines() if "type:" in line}
        types["sinks"].add("kafka")
        return types

    def metrics(self, timeout=30):
        """/metrics text once every series of READY shows."""
        deadline = time.time() + timeout
        while True:
            status, text = http_get(f"http://127.0.0.1:{self.http}/metrics")
            if status == 200 and all(part in text for part in self.READY):
                return text
            if time.time() >= deadline:
                raise AssertionError("the agent never showed every series:\n" + text[-3000:] +
                                     "\n" + self.agent.output()[-2000:])
            time.sleep(0.5)

    def stop(self):
        self.agent.stop()
        self.silent.close()
        shutil.rmtree(self.dir, ignore_errors=True)
