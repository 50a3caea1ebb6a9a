#!/usr/bin/env python3
"""Lab syslog sender: realistic Cisco IOS and NX-OS lines over UDP, each from its device's own
loopback address (so the agent names the device by source address), at a few lines a second.

  syslog_sender.py --target 127.0.0.1:5514 --device lab-ios-core1,127.0.80.3,ios \
                   --device lab-nx-leaf1,127.0.80.1,nxos --rate 2 --duration 3600
"""
import argparse
import random
import socket
import time

from sender_pacing import host_port, run_paced

LOCAL7 = 23  # the facility IOS and NX-OS use unless told otherwise

# (facility-severity-mnemonic, text); {if} is an interface number, {peer} an address.
IOS_MESSAGES = [
    ("LINEPROTO-5-UPDOWN",
     "Line protocol on Interface GigabitEthernet1/0/{if}, changed state to {updown}"),
    ("LINK-3-UPDOWN", "Interface GigabitEthernet1/0/{if}, changed state to {updown}"),
    ("SYS-5-CONFIG_I", "Configured from console by admin on vty0 ({admin})"),
    ("SEC_LOGIN-5-LOGIN_SUCCESS",
     "Login Success [user: admin] [Source: {admin}] [localport: 22] at {clock}"),
    ("BGP-5-ADJCHANGE", "neighbor {peer} {updown_bgp}"),
    ("OSPF-5-ADJCHG",
     "Process 1, Nbr {peer} on GigabitEthernet1/0/{if} from LOADING to FULL, Loading Done"),
    ("SSH-5-SSH2_USERAUTH",
     "User 'admin' authentication for SSH2 Session from {admin} (tty = 0) using crypto cipher "
     "'aes256-ctr', hmac 'hmac-sha2-256' Succeeded"),
    ("DUAL-5-NBRCHANGE",
     "EIGRP-IPv4 100: Neighbor {peer} (GigabitEthernet1/0/{if}) is up: new adjacency"),
]
NXOS_MESSAGES = [
    ("ETHPORT-5-IF_UP", "Interface Ethernet1/{if} is up in mode trunk"),
    ("ETHPORT-5-IF_DOWN_LINK_FAILURE", "Interface Ethernet1/{if} is down (Link failure)"),
    ("ETHPORT-5-SPEED", "Interface Ethernet1/{if}, operational speed changed to 25 Gbps"),
    ("VSHD-5-VSHD_SYSLOG_CONFIG_I", "Configured from vty by admin on {admin}@pts/0"),
    ("BGP-5-ADJCHANGE", " bgp- [8312] (default) neighbor {peer} {updown_bgp}"),
    ("DAEMON-3-SYSTEM_MSG",
     "error: maximum authentication attempts exceeded for invalid user root from {admin} "
     "port 51122 ssh2 - dcos_sshd[21734]"),
    ("PLATFORM-2-PS_FAIL", "Power supply 2 failed or shut down (Serial number SIM0000000{unit})"),
    ("LLDP-5-SERVER_ADDED",
     "Server with Chassis ID 5254.0000.{unit}01 Port ID Ethernet1/45 on local port "
     "Ethernet1/45 has been discovered"),
]


def fill(text, rng, now):
    return text.format(**{
        "if": rng.randint(1, 11), "updown": rng.choice(["up", "down"]),
        "updown_bgp": rng.choice(["Up", "Down - BGP Notification sent, hold time expired"]),
        "peer": f"10.255.0.{rng.randint(1, 8)}", "admin": f"10.10.1.{rng.randint(2, 40)}",
        "clock": time.strftime("%H:%M:%S UTC %a %b %d %Y", now), "unit": rng.randint(1, 2)})


def ios_line(seq, triplet, text, now):
    # IOS with `service timestamps log datetime msec show-timezone` and sequence numbers.
    severity = int(triplet.split("-")[-2])
    stamp = time.strftime("%b %e %H:%M:%S", now) + f".{int(time.time() * 1000) % 1000:03d}"
    return f"<{LOCAL7 * 8 + severity}>{seq}: *{stamp} UTC: %{triplet}: {text}"


def nxos_line(hostname, triplet, text, now):
    # NX-OS 9.3 `logging server` output: the year first, the host name before the triplet.
    severity = int(triplet.split("-")[-2])
    stamp = time.strftime("%Y %b %e %H:%M:%S", now)
    return f"<{LOCAL7 * 8 + severity}>{stamp} UTC: {hostname} %{triplet}: {text}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="agent's syslog HOST:PORT (UDP)")
    parser.add_argument("--device", action="append", required=True,
                        help="NAME,ADDRESS,ios|nxos: a device sending from ADDRESS")
    parser.add_argument("--rate", type=float, default=2.0, help="lines per second, all devices")
    parser.add_argument("--duration", type=float, default=3600, help="seconds; 0 = until stopped")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    target = host_port(args.target)
    devices = []
    for spec in args.device:
        name, address, style = spec.split(",")
        if style not in ("ios", "nxos"):
            parser.error(f"--device {spec}: style must be ios or nxos")
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((address, 0))
        devices.append((name, style, sock))

    def step(n):
        name, style, sock = devices[n % len(devices)]
        now = time.gmtime()
        if style == "ios":
            triplet, text = rng.choice(IOS_MESSAGES)
            line = ios_line(n + 1, triplet, fill(text, rng, now), now)
        else:
            triplet, text = rng.choice(NXOS_MESSAGES)
            line = nxos_line(name, triplet, fill(text, rng, now), now)
        sock.sendto(line.encode(), target)

    sent = run_paced(step, args.rate, args.duration)
    print(f"syslog_sender: {sent} lines sent", flush=True)


if __name__ == "__main__":
    main()
