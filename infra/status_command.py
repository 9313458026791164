"""``portal status post|clear|show``: the Service Health notice, changed without rebuilding the site.

The notice lives in the site's public ``status.json``; every page's banner and the Service Health
page read it from the CDN, so it works while the API is down.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from infra.site_files import add_target_options


def register(subcommands: Any) -> None:
    """Add ``status`` (post, clear, show) to the ``portal`` command."""
    status = subcommands.add_parser("status", help="post or clear the Service Health notice")
    actions = status.add_subparsers(title="actions", metavar="ACTION", required=True)
    post = actions.add_parser(
        "post",
        help="show a notice in the banner of every page and on Service Health",
        description="Replace the current notice (the old one moves to the page's recent notices).",
    )
    post.add_argument("--level", required=True, choices=["info", "warning", "outage"], help="how serious it is")
    post.add_argument("--message", required=True, help="one line for resellers, e.g. what is affected and until when")
    post.add_argument("--until", help="hide the notice after this time, ISO 8601 with a zone, e.g. 2027-01-05T18:00Z")
    add_target_options(post)
    post.set_defaults(run=run, action="post")
    clear = actions.add_parser("clear", help="remove the notice: all services are running normally")
    add_target_options(clear)
    clear.set_defaults(run=run, action="clear")
    show = actions.add_parser("show", help="print the current status file")
    add_target_options(show)
    show.set_defaults(run=run, action="show")


def run(args: argparse.Namespace) -> int:
    """Read the status file, apply the action, write it back; 1 with a message on any problem."""
    import datetime as dt

    from infra.site_files import CACHE_SHORT, SiteTargetError, open_target
    from site_builder.status import (
        STATUS_PATH,
        ServiceStatus,
        StatusError,
        clear_notice,
        parse_until,
        post_notice,
    )

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        target = open_target(args)
        raw = target.read(STATUS_PATH)
        current = ServiceStatus.from_bytes(raw) if raw else None
        if args.action == "show":
            print(raw.decode("utf-8") if raw else "No status file yet (all clear).")
            return 0
        if args.action == "post":
            updated = post_notice(current, args.level, args.message, parse_until(args.until), now)
        else:
            updated = clear_notice(current, now)
        target.write(STATUS_PATH, updated.to_bytes(), "application/json", CACHE_SHORT)
    except (SiteTargetError, StatusError) as error:
        print(f"portal status {args.action}: {error}", file=sys.stderr)
        return 1
    if updated.notice:
        print(f"Posted a {updated.notice.level} notice to {target.describe()}/{STATUS_PATH}")
    else:
        print(f"Cleared the notice in {target.describe()}/{STATUS_PATH}: all services running normally")
    return 0
