"""The loop the lab senders share: call a step function at a fixed low rate until a maximum
duration has passed or the process is told to stop (SIGTERM, SIGINT), then exit quietly.

A lab sender must never outlive the lab or flood the agent, so both limits live here once."""
import signal
import sys
import time


class _Stop(Exception):
    pass


_stopping = False


def _stop(signum, frame):
    # Only the first signal interrupts: a Ctrl-C and the lab script's SIGTERM may both come.
    global _stopping
    if not _stopping:
        _stopping = True
        raise _Stop()


def run_paced(step, rate, duration):
    """Calls step(n) for n = 0, 1, ... about `rate` times a second (a float > 0) for at most
    `duration` seconds (0: until a signal). Returns the number of steps done."""
    # Started in the background by a non-interactive shell, SIGINT arrives ignored: install
    # handlers for both so that either signal ends the loop between two steps.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    period = 1.0 / rate
    start = time.monotonic()
    n = 0
    try:
        while duration <= 0 or time.monotonic() - start < duration:
            step(n)
            n += 1
            # Sleep to the step's slot, not for a fixed period, so slow steps do not drift.
            delay = start + n * period - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    except _Stop:
        pass
    except BrokenPipeError:
        pass
    sys.stdout.flush()
    return n


def host_port(text):
    """'127.0.0.1:5514' -> ('127.0.0.1', 5514)."""
    host, _, port = text.rpartition(":")
    return host, int(port)
