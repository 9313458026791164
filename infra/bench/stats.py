"""Small helpers to time things and print percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(samples: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the samples fall (nearest rank)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_calls(call: Callable[[int], object], count: int) -> list[float]:
    """Milliseconds of each of ``count`` calls (the call gets its index)."""
    samples = []
    for index in range(count):
        started = time.perf_counter()
        call(index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(name: str, samples: list[float]) -> str:
    return (
        f"{name:<34} n={len(samples):<5} p50={percentile(samples, 0.5):8.1f} ms  "
        f"p99={percentile(samples, 0.99):8.1f} ms  mean={statistics.fmean(samples):8.1f} ms"
    )
