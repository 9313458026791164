"""How ``portal serve`` is stopped: Ctrl+C, ``kill -INT`` and ``kill -TERM`` all end it cleanly.

A shell without job control (a script running ``portal serve &``) starts background jobs with
SIGINT ignored, and Python leaves an inherited "ignore" in place: Ctrl+C and ``kill -INT`` would do
nothing, and only ``kill -9`` (which saves nothing) would stop the server. So the server installs
its own handlers for both signals, whatever it inherited.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise ``KeyboardInterrupt`` in the main thread, once.

    The first signal interrupts whatever the main thread is doing (serving, or starting up), so
    the caller's clean-up runs: the state is saved and the port released. A signal that comes
    during that clean-up (an impatient second Ctrl+C) is noted and ignored, so it cannot cut the
    save short. The handlers that were there before come back on leaving.
    """
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            print("Still stopping: saving the state first.", file=sys.stderr, flush=True)
            return
        stopping = True
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
