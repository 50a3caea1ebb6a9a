#!/usr/bin/python3
"""Load sanity check for nxapi-sim (not a test): starts it with many switches, logs in once per
switch, then times poll rounds of 3 commands per switch over keep-alive connections (one per
switch, spread over a few client threads) and prints the simulator's CPU time for the rounds.

    lab/nxapi_sim/load_check.py BUILD/lab/bin/nxapi-sim [--switches 500] [--rounds 3]
        [--threads 1] [--tls] [--sim-threads 1] [--batch]

--batch sends the 3 commands as one JSON-RPC batch request per switch instead of 3 requests.
"""
import argparse
import base64
import http.client
import json
import os
import ssl
import subprocess
import tempfile
import threading
import time

COMMANDS = ["show version", "show interface", "show inventory"]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--switches", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="client threads")
    parser.add_argument("--sim-threads", type=int, default=1)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--batch", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ready = os.path.join(tmp, "ready.json")
        command = [args.binary, "--switches", str(args.switches), "--ready-file", ready,
                   "--threads", str(args.sim_threads)]
        context = None
        if args.tls:
            make_ca = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-test-ca.sh")
            subprocess.run([make_ca, tmp], check=True)
            command += ["--tls", "--cert", os.path.join(tmp, "server.pem"),
                        "--key", os.path.join(tmp, "server.key")]
            context = ssl.create_default_context(cafile=os.path.join(tmp, "ca.pem"))
        sim = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            assert sim.stdout.readline().startswith("ready")
            with open(ready) as f:
                ports = [s["port"] for s in json.load(f)["switches"]]
            auth = "Basic " + base64.b64encode(b"admin:admin").decode()
            conns, cookies = [], []
            for port in ports:
                if context:
                    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10,
                                                       context=context)
                else:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("POST", "/ins", json.dumps({"jsonrpc": "2.0", "method": "cli",
                             "params": {"cmd": "show version", "version": 1}, "id": 1}),
                             {"Content-Type": "application/json-rpc", "Authorization": auth})
                response = conn.getresponse()
                response.read()
                cookies.append(response.getheader("Set-Cookie").split(";")[0])
                conns.append(conn)
            calls = [{"jsonrpc": "2.0", "method": "cli", "params": {"cmd": c, "version": 1},
                      "id": k + 1} for k, c in enumerate(COMMANDS)]
            bodies = [json.dumps(calls)] if args.batch else [json.dumps(c) for c in calls]

            def poll(indices, received):
                total = 0
                for i in indices:
                    for body in bodies:
                        conns[i].request("POST", "/ins", body, {"Content-Type": "application/json-rpc",
                                                                "Cookie": cookies[i]})
                        response = conns[i].getresponse()
                        data = response.read()
                        assert response.status == 200, response.status
                        total += len(data)
                received.append(total)

            for r in range(args.rounds):
                before_cpu, before = cpu_seconds(sim.pid), time.monotonic()
                received = []
                threads = [threading.Thread(target=poll, args=(range(t, len(ports), args.threads), received))
                           for t in range(args.threads)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                wall, cpu = time.monotonic() - before, cpu_seconds(sim.pid) - before_cpu
                requests = len(ports) * len(bodies)
                print(f"round {r + 1}: {requests} requests, {sum(received) / 1e6:.1f} MB in "
                      f"{wall:.2f} s wall; simulator CPU {cpu:.2f} s "
                      f"({cpu / requests * 1e6:.0f} us/request, {cpu / wall * 100:.0f}% of a core)")
        finally:
            sim.terminate()
            sim.wait(timeout=10)


if __name__ == "__main__":
    main()
