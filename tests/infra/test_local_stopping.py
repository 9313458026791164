"""``portal serve`` stops on SIGINT and SIGTERM, whatever it inherited, and finishes its save."""

from __future__ import annotations

import os
import signal
import time

import pytest

from infra.local.stopping import stop_on_signals


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_the_first_signal_interrupts_a_second_one_cannot_cut_the_stop_short(stop: signal.Signals, capsys) -> None:
    previous = signal.signal(stop, signal.SIG_IGN)  # as a background job of a script starts
    try:
        with stop_on_signals():
            with pytest.raises(KeyboardInterrupt):
                os.kill(os.getpid(), stop)
                time.sleep(5)  # as serving waits: interrupted at once
            # Cleaning up (saving the state) now: an impatient second signal is noted, not raised.
            os.kill(os.getpid(), stop)
            assert "Still stopping" in capsys.readouterr().err
        assert signal.getsignal(stop) is signal.SIG_IGN, "the inherited handler is back"
    finally:
        signal.signal(stop, previous)
