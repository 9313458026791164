"""``portal applications list | show | approve | decline``: the channel team's review from the command line.

Decisions go through the same domain code as the portal's review page (``portal.reviews``), so
the rules, the audit trail and the email to the Management Contact are the same. Locally the
command works on the state of ``portal serve`` (and its outbox); ``--table`` works on AWS.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

STATES = ("submitted", "incomplete", "decided")


def register(subcommands: Any) -> None:
    """Add ``applications`` and its actions to the ``portal`` command."""
    where = argparse.ArgumentParser(add_help=False)
    target = where.add_mutually_exclusive_group()
    target.add_argument(
        "--state",
        type=Path,
        default=Path(".portal/state.json"),
        help="local state file of portal serve (default: %(default)s)",
    )
    target.add_argument("--table", help="the DynamoDB table in AWS (uses your AWS credentials) instead of local state")
    where.add_argument(
        "--site-url", help="the portal's address, for links in emails (default: $PORTAL_SITE_URL or mkdocs.yml)"
    )
    parser = subcommands.add_parser("applications", help="review reseller applications (channel team)")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[where], help="list applications, the longest waiting first")
    listing.add_argument("--status", choices=STATES, default="submitted", help="which ones (default: %(default)s)")
    show = actions.add_parser("show", parents=[where], help="everything an application holds, with its history")
    show.add_argument("id", help="the application id")
    approve = actions.add_parser("approve", parents=[where], help="approve one category (emails the company)")
    approve.add_argument("id", help="the application id")
    approve.add_argument("--category", required=True, help="the category slug, e.g. scanners")
    approve.add_argument("--note", default="", help="a note for the applicant (optional)")
    decline = actions.add_parser("decline", parents=[where], help="decline one category (emails the company)")
    decline.add_argument("id", help="the application id")
    decline.add_argument("--category", required=True, help="the category slug, e.g. scanners")
    decline.add_argument("--reason", required=True, help="why, for the applicant")
    for action, name in ((listing, "list"), (show, "show"), (approve, "approve"), (decline, "decline")):
        action.set_defaults(run=run, action=name)


def run(args: argparse.Namespace) -> int:
    from infra.local.offline import ServerRunning, local_table
    from infra.local.site import RepositoryNotFound, find_repo_root
    from infra.local.state import StateFileError

    if args.table:
        import boto3

        return _act(args, boto3.resource("dynamodb").Table(args.table), args.site_url or _site_url(Path.cwd()))
    try:
        repo_root = find_repo_root()
        with local_table(repo_root, args.state) as table:
            return _act(args, table, args.site_url or _site_url(repo_root))
    except (RepositoryNotFound, ServerRunning, StateFileError) as error:
        print(f"portal applications: {error}", file=sys.stderr)
        return 1


def _site_url(repo_root: Path) -> str:
    configured = os.environ.get("PORTAL_SITE_URL")
    if configured:
        return configured
    try:
        found = re.search(r"^site_url:\s*(\S+)", (repo_root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    except OSError:
        found = None
    return found.group(1) if found else "http://127.0.0.1:8000/"


def _act(args: argparse.Namespace, table: Any, site_url: str) -> int:
    from portal.accounts import Accounts
    from portal.application_records import ApplicationRecords
    from portal.catalog import load_catalog
    from portal.errors import InvalidFields, PortalError
    from portal.mail import portal_mailer
    from portal.reviews import Reviews
    from portal.store import Store

    from infra import applications_report as report

    catalog = load_catalog()
    store = Store(table)
    reviews = Reviews(
        ApplicationRecords(store), Accounts(store), portal_mailer(catalog.contacts.mail_sender), catalog, site_url
    )
    try:
        if args.action == "list":
            return report.print_list(reviews, args.status)
        if args.action == "show":
            return report.print_one(reviews, args.id)
        return _decide(reviews, args)
    except InvalidFields as error:
        print(f"portal applications: {error.message}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem.field}: {problem.message}", file=sys.stderr)
        return 1
    except PortalError as error:
        print(f"portal applications: {error.message}", file=sys.stderr)
        return 1


def _decide(reviews: Any, args: argparse.Namespace) -> int:
    from portal.application_steps import Decision
    from portal.audit import Actor
    from portal.errors import FieldProblem, InvalidFields
    from portal.fields import field_problems, field_titles
    from pydantic import ValidationError

    current = reviews.application(args.id)
    note = args.note if args.action == "approve" else args.reason
    try:
        decision = Decision(version=current.version, category=args.category, decision=args.action, note=note.strip())
    except ValidationError as e:
        problems = field_problems(field_titles(Decision), e.errors())
        raise InvalidFields(
            [FieldProblem("--reason" if p.field == "note" else p.field, p.message) for p in problems]
        ) from e
    updated = reviews.decide(Actor.cli(), args.id, decision)
    state = updated.category(args.category)
    print(f"{args.id}: {args.category} {state.status.value}; the Management Contact was emailed.")
    return 0
