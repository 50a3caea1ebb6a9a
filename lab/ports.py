#!/usr/bin/env python3
"""Port helpers for scripts/lab.sh, which has no portable way to ask the kernel these itself.

  ports.py free tcp|udp ADDRESS     prints a port that was free on ADDRESS a moment ago
  ports.py busy tcp:9092 udp:5514   prints each of the given 127.0.0.1 ports that is in use
"""
import socket
import sys

KINDS = {"tcp": socket.SOCK_STREAM, "udp": socket.SOCK_DGRAM}


def can_bind(kind, address, port):
    with socket.socket(socket.AF_INET, KINDS[kind]) as s:
        if kind == "tcp":
            # A port in TIME_WAIT from the previous lab is free for the agent's listener, which
            # sets SO_REUSEADDR too.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return None
        return s.getsockname()[1]


def main(argv):
    if len(argv) == 4 and argv[1] == "free" and argv[2] in KINDS:
        port = can_bind(argv[2], argv[3], 0)
        if port is None:
            sys.exit(f"ports.py: cannot bind {argv[3]}")
        print(port)
        return
    if len(argv) >= 2 and argv[1] == "busy":
        for spec in argv[2:]:
            kind, _, port = spec.partition(":")
            if can_bind(kind, "127.0.0.1", int(port)) is None:
                print(spec)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
