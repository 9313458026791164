"""Writes through the local HTTP server: help-form submissions against ``portal serve``'s stack.

The stack serves on a free port with the demo data (an empty site: only ``/api/*`` is asked), and each
submission goes over HTTP, so a figure includes the server, the handler, moto and saving the state
file, which grows by three items and an email per submission. It runs once per save setting:
saving after every write (``save_delay_ms=0``, what the stack did before it debounced) and the
default delay.
"""

from __future__ import annotations

import http.client
import json
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from infra.bench.stats import summary
from infra.local.saving import DEFAULT_SAVE_DELAY_MS

CLIENTS = 4


def run(repo_root: Path, count: int = 100, delays: tuple[int, ...] = (0, DEFAULT_SAVE_DELAY_MS, 1000)) -> list[str]:
    """Latency of ``count`` submissions from one client, then throughput of ``count`` from ``CLIENTS``.

    ``delays`` are the ``save_delay_ms`` values to measure (0: save after every write).
    """
    import logging

    # The server logs a line per request: not what is measured here.
    server_log = logging.getLogger("portal.local")
    level = server_log.level
    server_log.setLevel(logging.ERROR)
    try:
        return [line for delay in delays for line in _lines(repo_root, count, delay)]
    finally:
        server_log.setLevel(level)


def _lines(repo_root: Path, count: int, delay: int) -> list[str]:
    """The two printed lines of one save delay."""
    latencies, elapsed, saves, state_kb = _measure(repo_root, count, delay)
    return [
        summary(f"1 client, save delay {delay} ms", latencies),
        f"{f'{CLIENTS} clients, save delay {delay} ms':<34} n={count:<5} {count / elapsed:8.1f} writes/s  "
        f"{saves} saves for {2 * count} writes, state file {state_kb:,.0f} KB at the end",
    ]


def _measure(repo_root: Path, count: int, delay: int) -> tuple[list[float], float, int, float]:
    """(one client's latencies in ms, seconds for ``count`` writes from several clients, saves, state KB)."""
    from infra.local.stack import LocalStack

    class CountingStack(LocalStack):
        saves = 0

        def save_state(self) -> None:
            super().save_state()
            self.saves += 1

    with tempfile.TemporaryDirectory(prefix="portal-bench-local-") as work:
        state = Path(work) / "state.json"
        site = Path(work) / "site"
        site.mkdir()
        # An empty site that says every path is public, so the access gate does not fail closed.
        site.joinpath("access-manifest.json").write_text(
            json.dumps({"version": 1, "default": "public", "paths": {}, "prefixes": {}})
        )
        with CountingStack(repo_root, state, port=0, site_dir=site, save_delay_ms=delay) as stack:
            _forget_settings()
            _seed(stack)
            address = stack.url.split("//", 1)[1].rstrip("/")
            latencies = _submit(address, range(count))
            started = time.perf_counter()
            workers = [
                threading.Thread(target=_submit, args=(address, range(count + n, 2 * count, CLIENTS)))
                for n in range(CLIENTS)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.perf_counter() - started
            # The demo data's save, and the one at the stop, are not the writes'.
            saves = stack.saves - 1
        _forget_settings()
        return latencies, elapsed, saves, state.stat().st_size / 1024


def _seed(stack: Any) -> None:
    """The demo companies, users and application: a state file of the size people work with."""
    import boto3

    from infra.local.demo import seed_demo
    from infra.local.demo_applications import seed_demo_applications

    table = boto3.resource("dynamodb").Table("PortalTable")
    seed_demo(table)
    seed_demo_applications(table)
    stack.save_state()


def _submit(address: str, numbers: range) -> list[float]:
    """Send one help request per number over one connection; milliseconds of each."""
    connection = http.client.HTTPConnection(address, timeout=60)
    samples = []
    try:
        for number in numbers:
            form = {
                "name": "Bench Mark",
                "email": "bench@example.org",
                "company": "Bench Co",
                "topic": "other",
                "message": f"Benchmark request number {number}.",
            }
            headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
            started = time.perf_counter()
            connection.request("POST", "/api/help", json.dumps(form), headers)
            response = connection.getresponse()
            body = response.read()
            samples.append((time.perf_counter() - started) * 1000)
            if response.status != 201:
                raise RuntimeError(f"POST /api/help answered {response.status}: {body[:200]!r}")
    finally:
        connection.close()
    return samples


def _forget_settings() -> None:
    """Each stack has its own port and key: the handlers' cached settings must not carry over."""
    from portal import settings, wiring

    settings.settings.cache_clear()
    settings.access_key.cache_clear()
    wiring.reset()
