"""``portal inventory publish FILE.csv``: today's Channel Inventory Report, without a redeploy.

The file is checked as a whole first (columns, types, categories, distributors, one date); a
file with any problem is refused with every problem and its line number, and nothing is
written, so yesterday's report stays published. A good file is written as a new version and
the report's pointer is switched to it last. A file of an earlier day than the published report
is refused too (an old file picked by mistake would roll the report back) unless ``--allow-older``
says that is the intent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from infra.site_files import add_target_options


def register(subcommands: Any) -> None:
    """Add ``inventory publish`` to the ``portal`` command."""
    inventory = subcommands.add_parser("inventory", help="publish the daily Channel Inventory Report")
    actions = inventory.add_subparsers(title="actions", metavar="ACTION", required=True)
    publish = actions.add_parser(
        "publish",
        help="check a day's inventory CSV and publish it to the running site",
        description=(
            "Columns (header required, any order): as_of (YYYY-MM-DD, the same on every row), model, "
            "description, category (a slug of content/data/categories.yml), distributor (an id of "
            "content/data/distributors.yml), quantity (a whole number). A file with errors is refused "
            "and the published report stays as it is; so is a file of an earlier day than the published "
            "report, unless --allow-older."
        ),
    )
    publish.add_argument("file", type=Path, help="the CSV file (UTF-8)")
    publish.add_argument(
        "--content-dir", type=Path, help="the content folder with the categories and distributors (default: content/)"
    )
    publish.add_argument(
        "--check",
        action="store_true",
        help="run every check of a publish, the comparison with the published report's date included; publish nothing",
    )
    publish.add_argument(
        "--allow-older",
        action="store_true",
        help="publish even when the file's as_of date is earlier than the published report's",
    )
    add_target_options(publish)
    publish.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the CSV, then publish it; 1 (and nothing written) on any problem."""
    import datetime as dt
    import json

    from portal.catalog import ContentError, load_catalog

    from infra.site_files import CACHE_POINTER, CACHE_VERSIONED, SiteTargetError, open_target
    from site_builder.content_data import parse_entries
    from site_builder.distributors import Distributor
    from site_builder.inventory import POINTER, InventoryError, parse_inventory, report_files

    try:
        data = args.file.read_bytes()
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error}")
    try:
        text = data.decode("utf-8")  # a UTF-8 BOM decodes to U+FEFF, which the parser skips
    except UnicodeDecodeError as error:
        return _fail(
            f"{args.file} is not saved as UTF-8 ({_not_utf8(data, error)}). Save it as UTF-8 "
            '(in Excel: Save As, file type "CSV UTF-8 (Comma delimited)") and run the command again.'
        )
    try:
        content = args.content_dir or _repo_content()
        catalog = load_catalog(content)
        distributors = parse_entries(content / "data" / "distributors.yml", Distributor)
    except (ContentError, SiteTargetError) as error:
        return _fail(f"cannot load the content data: {error}")
    try:
        # --check reads the published report too: it says what publishing the file would do.
        target = open_target(args)
        previous = json.loads(target.read(POINTER) or b"null")
    except (SiteTargetError, ValueError) as error:
        return _fail(str(error))
    try:
        report = parse_inventory(
            text, str(args.file), {c.slug for c in catalog.categories}, {d.id for d in distributors}
        )
    except InventoryError as error:
        kept = f"the report of {previous['as_of']} stays published" if previous else "nothing is published"
        return _fail(f"the file was refused, {kept}.\n{error}")
    older = bool(previous) and report.as_of < dt.date.fromisoformat(previous["as_of"])
    if older and not args.allow_older:
        outcome = (
            "publishing it would be refused (checked only: nothing was published, "
            f"the report of {previous['as_of']} stays). To publish the older report, run publish with --allow-older."
            if args.check
            else f"nothing was published and the report of {previous['as_of']} stays. "
            "To publish the older report anyway, run the command again with --allow-older."
        )
        return _fail(
            f"{args.file} is the report of {report.as_of}, older than the published report of "
            f"{previous['as_of']}{_published(previous)}; {outcome}"
        )
    if args.check:
        effect = (
            f"publishing it would replace the {'newer ' if older else ''}report of {previous['as_of']} "
            f"on {target.describe()}"
            if previous
            else f"{target.describe()} has no report published yet"
        )
        print(f"{args.file}: {len(report.rows)} rows as of {report.as_of}, all valid (checked only; {effect})")
        return 0
    files = report_files(report, {d.id: d.name for d in distributors}, dt.datetime.now(dt.UTC), args.file.name)
    try:
        for path, data in files.items():  # the pointer comes last
            target.write(path, data, "application/json", CACHE_POINTER if path == POINTER else CACHE_VERSIONED)
    except SiteTargetError as error:
        return _fail(f"publishing stopped before the report was switched: {error}")
    print(
        f"Published the inventory report of {report.as_of} ({len(report.rows)} rows, "
        f"{len(report.categories)} categories) to {target.describe()}"
    )
    return 0


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """What the file looks like instead: UTF-16 (by its byte order mark or its zero bytes), or where it breaks."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:200]:
        return "it looks like UTF-16, which Excel calls Unicode Text"
    line = data.count(b"\n", 0, error.start) + 1
    return f"byte 0x{data[error.start]:02X} on line {line} is not UTF-8; the file may be in Windows-1252 or Latin-1"


def _published(pointer: dict[str, Any]) -> str:
    """`` (published 2027-01-06 13:02 UTC)``, from the pointer's time; empty when it has none."""
    import datetime as dt

    try:
        at = dt.datetime.fromisoformat(pointer["published_at"]).astimezone(dt.UTC)
    except (KeyError, TypeError, ValueError):
        return ""
    return f" (published {at:%Y-%m-%d %H:%M} UTC)"


def _repo_content() -> Path:
    from infra.local.site import RepositoryNotFound, find_repo_root
    from infra.site_files import SiteTargetError

    try:
        return find_repo_root() / "content"
    except RepositoryNotFound as error:
        raise SiteTargetError(str(error)) from error


def _fail(message: str) -> int:
    print(f"portal inventory publish: {message}", file=sys.stderr)
    return 1
