"""The debounced saver: bursts of writes share a save, a failed save is retried, stop() ends it."""

from __future__ import annotations

import threading

import pytest

from infra.local.saving import DebouncedSaver


class CountingSave:
    """A save function that counts its calls, can fail on demand and tells when it ran."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail = False
        self.ran = threading.Event()

    def __call__(self) -> None:
        self.calls += 1
        failing = self.fail
        self.ran.set()
        if failing:
            raise OSError("No space left on device")

    def wait(self) -> None:
        """Wait (10 s at the most) until the saver has called this once more."""
        assert self.ran.wait(10), "no save came"
        self.ran.clear()


def test_a_burst_of_writes_shares_one_save() -> None:
    save = CountingSave()
    saver = DebouncedSaver(save, delay_ms=500)

    for _ in range(500):
        saver.schedule()
    save.wait()
    saver.stop()

    assert save.calls == 1


@pytest.mark.parametrize("first_fails", [False, True], ids=["after-a-save", "after-a-failed-save"])
def test_the_next_write_opens_a_new_window(first_fails: bool, caplog) -> None:
    save = CountingSave()
    save.fail = first_fails
    saver = DebouncedSaver(save, delay_ms=10)

    saver.schedule()
    save.wait()
    save.fail = False
    saver.schedule()
    save.wait()
    saver.stop()

    assert save.calls == 2
    # A failed save is logged with its cause; the data is still in memory for the next try.
    assert ("Could not save the state file" in caplog.text) is first_fails
    assert ("No space left on device" in caplog.text) is first_fails


def test_stop_drops_a_pending_save_and_later_writes_are_left_to_the_owner() -> None:
    save = CountingSave()
    saver = DebouncedSaver(save, delay_ms=60_000)

    saver.schedule()
    saver.stop()
    saver.schedule()

    assert save.calls == 0


def test_a_zero_delay_saves_in_the_callers_thread_before_returning() -> None:
    save = CountingSave()
    saver = DebouncedSaver(save, delay_ms=0)

    saver.schedule()
    saver.schedule()

    assert save.calls == 2


def test_a_negative_delay_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        DebouncedSaver(CountingSave(), delay_ms=-1)
