"""``portal bench``: print the performance figures of docs/performance.md in one run (nothing is asserted).

Parts, in order (skip any with ``--skip``):

* build: the portal with N resources against a plain MkDocs build of as many pages;
* imports: each function's cold import time against ``import boto3`` plus one client;
* api: sign-in, who-am-I, help-submit, save-step and Request New Password (existing against unknown
  address, the API and the worker) latency p50/p99, in-process against moto;
* local: help-form submissions through the local HTTP server, saving after every write and debounced;
* page: bytes transferred for the home page on a first visit, and the JavaScript of four kinds of page
  (Chromium, local stack);
* edge: the access rule's time per request, the edge function under node and the Python gate.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

PARTS = ("build", "imports", "api", "local", "page", "edge")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("bench", help="measure and print performance figures (docs/performance.md)")
    parser.add_argument("--count", type=int, default=None, help="calls per API measurement (default: 200, quick: 30)")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="resource counts to build (1000 10000)")
    parser.add_argument("--quick", action="store_true", help="small sizes and counts: a check that it all runs")
    parser.add_argument("--skip", nargs="+", choices=PARTS, default=[], metavar="PART", help=f"skip parts: {PARTS}")
    parser.set_defaults(run=run)


def machine() -> str:
    """The machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1_048_576:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(args: argparse.Namespace) -> int:
    from infra.local.site import find_repo_root

    repo = find_repo_root()
    count = args.count or (30 if args.quick else 200)
    sizes = args.sizes or ([100, 1000] if args.quick else [1000, 10000])
    print(f"machine: {machine()}", flush=True)
    if "build" not in args.skip:
        from infra.bench import build

        _section(f"build: portal against plain MkDocs at {' and '.join(f'{s:,}' for s in sizes)} resources")
        build.main(["--sizes", *map(str, sizes)])
    if "imports" not in args.skip:
        from infra.bench import imports

        _section("cold import of each function (fresh interpreter, median of 5)")
        _print(imports.run(repo, 3 if args.quick else 5))
    if "api" not in args.skip:
        from infra.bench import api

        _section(f"API latency in-process against moto ({count} calls each)")
        _print(api.run(repo, count))
    if "local" not in args.skip:
        from infra.bench import local

        # Saving after every write rewrites the whole state file each time: half the count keeps it short.
        writes = max(1, count // 2)
        _section(f"local stack writes through HTTP ({writes} help submissions per line)")
        _print(local.run(repo, writes))
    if {"page", "edge"} - set(args.skip):
        with tempfile.TemporaryDirectory(prefix="portal-bench-site-") as work:
            site = built_site(repo, Path(work) / "site")
            if "page" not in args.skip:
                from infra.bench import page

                _section("home page, first visit, bytes transferred")
                _print(page.run(repo, site))
            if "edge" not in args.skip:
                from infra.bench import edge

                _section("edge access rule, time per request")
                _print(edge.run(site, 10_000 if args.quick else 100_000))
    return 0


def _print(lines: list[str]) -> None:
    for line in lines:
        print("  " + line, flush=True)


def built_site(repo_root: Path, target: Path) -> Path:
    """A real ``mkdocs build`` of the portal into ``target``."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(repo_root / "mkdocs.yml"), site_dir=str(target))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return target
