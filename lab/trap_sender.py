#!/usr/bin/env python3
"""Lab SNMP trap sender: sends SNMPv2c traps that Cisco IOS and NX-OS devices send (linkDown,
linkUp, the config-change event, a BGP backward transition) with net-snmp's own `snmptrap`,
each from its device's loopback address (`--clientaddr`), a trap every few seconds.

  trap_sender.py --target 127.0.0.1:1162 --community lab --device lab-ios-core1,127.0.80.3,ios \
                 --rate 0.2 --duration 3600 --state-dir /tmp/lab
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

from sender_pacing import run_paced

IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
LOC_IF_REASON = "1.3.6.1.4.1.9.2.2.1.1.20"     # OLD-CISCO-INTERFACES-MIB, sent by IOS
CCM_HISTORY_EVENT = "1.3.6.1.4.1.9.9.43.1.1.6.1"
BGP_PEER = "1.3.6.1.2.1.15.3.1"
TRAP_OIDS = {"linkDown": "1.3.6.1.6.3.1.1.5.3", "linkUp": "1.3.6.1.6.3.1.1.5.4",
             "ciscoConfigManEvent": "1.3.6.1.4.1.9.9.43.2.0.1",
             "bgpBackwardTransition": "1.3.6.1.2.1.15.7.2"}


def link_trap(style, rng, event_index):
    down = rng.random() < 0.5
    port = rng.randint(1, 11)
    name = f"GigabitEthernet1/0/{port}" if style == "ios" else f"Ethernet1/{port}"
    varbinds = [f"{IF_ENTRY}.1.{port}", "i", str(port),
                f"{IF_ENTRY}.2.{port}", "s", name,
                f"{IF_ENTRY}.3.{port}", "i", "6",           # ethernetCsmacd
                f"{IF_ENTRY}.7.{port}", "i", "1",           # admin up
                f"{IF_ENTRY}.8.{port}", "i", "2" if down else "1"]
    if style == "ios":
        varbinds += [f"{LOC_IF_REASON}.{port}", "s", "Link failure" if down else "up"]
    else:
        varbinds += [f"{IF_NAME}.{port}", "s", name]
    return ("linkDown" if down else "linkUp"), varbinds


def config_trap(style, rng, event_index):
    # commandLine (1) changed running (3) -> running (3), as `configure terminal` does.
    return "ciscoConfigManEvent", [f"{CCM_HISTORY_EVENT}.3.{event_index}", "i", "1",
                                   f"{CCM_HISTORY_EVENT}.4.{event_index}", "i", "3",
                                   f"{CCM_HISTORY_EVENT}.5.{event_index}", "i", "3"]


def bgp_trap(style, rng, event_index):
    peer = f"10.255.0.{rng.randint(1, 8)}"
    return "bgpBackwardTransition", [f"{BGP_PEER}.14.{peer}", "x", "0400",  # hold timer expired
                                     f"{BGP_PEER}.2.{peer}", "i", "1"]       # idle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="agent's trap HOST:PORT (UDP)")
    parser.add_argument("--community", default="lab")
    parser.add_argument("--device", action="append", required=True,
                        help="NAME,ADDRESS,ios|nxos: a device sending from ADDRESS")
    parser.add_argument("--rate", type=float, default=0.2, help="traps per second, all devices")
    parser.add_argument("--duration", type=float, default=3600, help="seconds; 0 = until stopped")
    parser.add_argument("--state-dir", default=None,
                        help="where snmptrap may keep its files (default: a temporary directory)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="netfeed_lab_traps_")
    os.makedirs(os.path.join(state_dir, "cert_indexes"), exist_ok=True)
    # No MIB files are loaded (numeric OIDs only) and no user snmp.conf or persistent state is
    # read or written outside state_dir.
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=state_dir, SNMPCONFPATH=state_dir,
               HOME=state_dir)
    devices = [spec.split(",") for spec in args.device]
    boot = time.monotonic() - rng.randint(3600, 30 * 86400)
    kinds = [link_trap, link_trap, config_trap, bgp_trap]

    def step(n):
        name, address, style = devices[n % len(devices)]
        trap, varbinds = rng.choice(kinds)(style, rng, n + 1)
        uptime = str(int((time.monotonic() - boot) * 100))
        done = subprocess.run(["snmptrap", "-v", "2c", "-c", args.community,
                               f"--clientaddr={address}", args.target, uptime, TRAP_OIDS[trap],
                               *varbinds], env=env, capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            print(f"trap_sender: snmptrap from {name} failed: {done.stderr.strip()}",
                  file=sys.stderr, flush=True)

    sent = run_paced(step, args.rate, args.duration)
    print(f"trap_sender: {sent} traps sent", flush=True)


if __name__ == "__main__":
    main()
