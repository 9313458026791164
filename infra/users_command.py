"""``portal users import FILE.csv``: bring users over from the old portal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subcommands: Any) -> None:
    """Add ``users import`` to the ``portal`` command."""
    users = subcommands.add_parser("users", help="manage portal users")
    actions = users.add_subparsers(title="actions", metavar="ACTION", required=True)
    parser = actions.add_parser(
        "import",
        help="import users exported from the old portal (they must set a new password)",
        description=(
            "Create the users of a CSV file (columns: email, first_name, last_name, phone, company, role; "
            "optional: title, categories as slugs separated by ';'). Each user must set a new password "
            "with Request New Password before signing in. Rows with errors are reported with their line "
            "number and skipped; running the same file again creates nothing twice."
        ),
    )
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")
    parser.add_argument("--dry-run", action="store_true", help="check the file and report, change nothing")
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--state",
        type=Path,
        default=Path(".portal/state.json"),
        help="local state file of portal serve (default: %(default)s)",
    )
    target.add_argument("--table", help="the DynamoDB table in AWS (uses your AWS credentials) instead of local state")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from infra.local.offline import ServerRunning, local_table
    from infra.local.site import RepositoryNotFound, find_repo_root
    from infra.local.state import StateFileError

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"portal users import: cannot read {args.file}: {error}", file=sys.stderr)
        return 1
    if args.table:
        import boto3

        return _import(boto3.resource("dynamodb").Table(args.table), text, args.dry_run)
    try:
        repo_root = find_repo_root()
        with local_table(repo_root, args.state) as table:
            return _import(table, text, args.dry_run)
    except (RepositoryNotFound, ServerRunning, StateFileError) as error:
        print(f"portal users import: {error}", file=sys.stderr)
        return 1


def _import(table: Any, text: str, dry_run: bool) -> int:
    from portal.accounts import Accounts
    from portal.catalog import load_catalog
    from portal.store import Store
    from portal.user_import import import_users

    slugs = {c.slug for c in load_catalog().categories}
    report = import_users(Accounts(Store(table)), text, slugs, dry_run=dry_run)
    for line in report.created:
        print(f"created        {line}")
    for line in report.already_there:
        print(f"already there  {line}")
    for line in report.errors:
        print(f"error          {line}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0
