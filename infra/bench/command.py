"""``portal bench``: print performance figures (nothing is asserted; compare runs yourself)."""

from __future__ import annotations

import argparse
import platform
from typing import Any


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("bench", help="measure and print performance figures")
    parser.add_argument("--count", type=int, default=100, help="calls per API measurement (default: %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import os

    from infra.bench import api
    from infra.local.site import find_repo_root

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("API latency, in-process against moto:")
    for line in api.run(find_repo_root(), args.count):
        print("  " + line, flush=True)
    return 0
