"""Saving the state file in the background: one save per window of writes, not one per write."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger("portal.local")

# How long after a write the state file is saved; every write of that window joins the same save.
DEFAULT_SAVE_DELAY_MS = 250


class DebouncedSaver:
    """Calls ``save`` from a background thread at most once per ``delay_ms`` after ``schedule()``.

    The first write after a save opens a window of ``delay_ms``; writes within it join the save at
    its end, and a write during a save opens the next window. So under a steady stream of writes the
    file is saved every ``delay_ms`` (plus the time a save takes), never starved. ``stop()`` ends
    the thread without saving: the owner saves one last time itself. With ``delay_ms`` 0,
    ``schedule()`` saves at once in the caller's thread.
    """

    def __init__(self, save: Callable[[], None], delay_ms: int = DEFAULT_SAVE_DELAY_MS) -> None:
        if delay_ms < 0:
            raise ValueError(f"The save delay cannot be negative ({delay_ms} ms)")
        self._save = save
        self.delay_ms = delay_ms
        self._condition = threading.Condition()
        self._pending = False
        self._stopping = False
        self._thread: threading.Thread | None = None

    def schedule(self) -> None:
        """Note that data changed: save it within ``delay_ms`` (at once when that is 0)."""
        if self.delay_ms == 0:
            self._save()
            return
        with self._condition:
            if self._stopping:
                return  # the owner is closing and saves one last time
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="portal-state-saver", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def stop(self) -> None:
        """End the background thread, waiting for a save in progress; a pending one is dropped."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._pending or self._stopping)
                # Let the rest of the window's writes join this save; stop() cuts the wait short.
                self._condition.wait_for(lambda: self._stopping, timeout=self.delay_ms / 1000)
                if self._stopping:
                    return
                self._pending = False
            try:
                self._save()
            except Exception:
                # The next write schedules another try, and the stop saves anyway.
                logger.exception("Could not save the state file; the next write or the stop tries again")
