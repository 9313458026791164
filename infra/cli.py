"""The ``portal`` command: one subcommand per module listed in ``COMMANDS``.

A command module is cheap to import (heavy imports happen inside its ``run``) and provides:

* ``register(subcommands)``: add its parser with ``subcommands.add_parser(...)`` and call
  ``parser.set_defaults(run=run)``, where ``run(args) -> int`` returns the exit status.

To add a command (``users import``, ``status post``, ``deploy``...), write such a module and list it
here.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

COMMANDS = (
    "infra.local.command",
    "infra.users_command",
    "infra.applications_command",
    "infra.bench.command",
    "infra.status_command",
    "infra.inventory_command",
    "infra.openapi",
    "infra.deploy.command",
)


def build_parser() -> argparse.ArgumentParser:
    """The ``portal`` parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="portal", description="Run and operate the reseller partner portal.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module_name in COMMANDS:
        importlib.import_module(module_name).register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``portal`` with ``argv`` (default: the process arguments) and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)-7s -  %(message)s",
    )
    # botocore announces at INFO where it found the (fake, local) credentials on every new client.
    logging.getLogger("botocore").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
