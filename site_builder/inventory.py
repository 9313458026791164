"""The Channel Inventory Report: a CSV replaced every day, published as gated JSON.

One rule set serves the build (``content/data/inventory/channel-inventory.csv``) and
``portal inventory publish FILE.csv``: the header must name exactly the expected columns, every
row is checked, and a bad file is refused as a whole with one message per problem and its line
number, so yesterday's report stays up until a good file arrives.

Published layout (every publish writes new files, then switches the pointer, so a reader never
sees half a report):

* ``inventory/current.json`` (signed-in): the as-of date, the version and the categories;
* ``library/<category>/inventory/<version>.json`` (that category's resellers only): its rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

COLUMNS = ("as_of", "model", "description", "category", "distributor", "quantity")
POINTER = "inventory/current.json"
MAX_REPORTED = 50
MODEL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_./ ]{0,39}$")


class InventoryError(ValueError):
    """The CSV cannot be published; ``problems`` holds one line per problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  - {p}" for p in shown) + (f"\n  - ... and {more} more" if more > 0 else "")
        super().__init__(f"{source}:\n{lines}")


@dataclass(frozen=True)
class InventoryRow:
    """Stock of one model at one distributor."""

    model: str
    description: str
    category: str
    distributor: str
    quantity: int


@dataclass(frozen=True)
class InventoryReport:
    """A validated day of inventory."""

    as_of: dt.date
    rows: tuple[InventoryRow, ...]

    @property
    def categories(self) -> list[str]:
        return sorted({row.category for row in self.rows})


def parse_inventory(text: str, source: str, categories: set[str], distributors: set[str]) -> InventoryReport:
    """Validate a CSV's text into a report.

    Raises:
        InventoryError: wrong columns, or rows with bad values (each named by line and column).
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise InventoryError(source, [f"line 1: the header is missing; expected the columns {', '.join(COLUMNS)}"])
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    repeated = sorted({h for h in names if names.count(h) > 1})
    header_problems = []
    if missing:
        header_problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        header_problems.append(f"line 1: unknown column(s) {', '.join(unknown)}; expected {', '.join(COLUMNS)}")
    if repeated:
        header_problems.append(f"line 1: column(s) {', '.join(repeated)} appear more than once")
    if header_problems:
        raise InventoryError(source, header_problems)
    problems: list[str] = []
    rows: list[InventoryRow] = []
    dates: dict[dt.date, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank lines, e.g. at the end of the file
        if len(values) != len(names):
            problems.append(f"line {line}: has {len(values)} values; the header has {len(names)} columns")
            continue
        record = {name: value.strip() for name, value in zip(names, values, strict=True)}
        row_problems = _check_row(record, categories, distributors)
        problems += [f"line {line}, column {column}: {message}" for column, message in row_problems]
        if all(column != "as_of" for column, _ in row_problems):
            dates.setdefault(dt.date.fromisoformat(record["as_of"]), line)
        if row_problems:
            continue
        key = (record["model"].upper(), record["distributor"])
        if key in seen:
            problems.append(f"line {line}: {record['model']} at {record['distributor']} is already on line {seen[key]}")
            continue
        seen[key] = line
        rows.append(
            InventoryRow(
                record["model"],
                record["description"],
                record["category"],
                record["distributor"],
                int(record["quantity"]),
            )
        )
    if len(dates) > 1:
        first, *others = sorted(dates.items(), key=lambda item: item[1])
        problems += [
            f"line {at}, column as_of: {day} differs from {first[0]} on line {first[1]}; a report has one date"
            for day, at in others
        ]
    if not rows and not problems:
        problems.append("the file has a header but no rows")
    if problems:
        raise InventoryError(source, problems)
    return InventoryReport(as_of=next(iter(dates)), rows=tuple(rows))


def _check_row(record: dict[str, str], categories: set[str], distributors: set[str]) -> list[tuple[str, str]]:
    """(column, message) for each bad value of one row."""
    problems = []
    try:
        dt.date.fromisoformat(record["as_of"])
    except ValueError:
        problems.append(("as_of", f'"{record["as_of"]}" is not a date like 2027-01-31'))
    if not MODEL_PATTERN.match(record["model"]):
        problems.append(("model", f'"{record["model"]}" is not a model number (letters, digits, - _ . /; 1-40)'))
    if not 2 <= len(record["description"]) <= 160:
        problems.append(("description", "must be 2 to 160 characters"))
    if record["category"] not in categories:
        problems.append(("category", f'unknown category "{record["category"]}"; use a slug from categories.yml'))
    if record["distributor"] not in distributors:
        problems.append(
            ("distributor", f'unknown distributor "{record["distributor"]}"; use an id from distributors.yml')
        )
    quantity = record["quantity"]
    if not quantity.isdigit() or not quantity.isascii():
        problems.append(("quantity", f'"{quantity}" is not a whole number of 0 or more'))
    elif int(quantity) > 10_000_000:
        problems.append(("quantity", f"{quantity} is more than 10,000,000; check the figure"))
    return problems


def version_of(report: InventoryReport, published_at: dt.datetime) -> str:
    """A new name for every publish, e.g. 2027-01-05.20270105T143000Z."""
    return f"{report.as_of.isoformat()}.{published_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def report_files(
    report: InventoryReport, distributor_names: dict[str, str], published_at: dt.datetime, source: str
) -> dict[str, bytes]:
    """The files of a published report, by site path; the pointer last, so it is written last."""
    version = version_of(report, published_at)
    files: dict[str, bytes] = {}
    for category in report.categories:
        rows = [
            {
                "model": r.model,
                "description": r.description,
                "distributor": r.distributor,
                "distributor_name": distributor_names.get(r.distributor, r.distributor),
                "quantity": r.quantity,
            }
            for r in report.rows
            if r.category == category
        ]
        body = {"as_of": report.as_of.isoformat(), "category": category, "rows": rows}
        files[f"library/{category}/inventory/{version}.json"] = _json(body)
    pointer = {
        "as_of": report.as_of.isoformat(),
        "version": version,
        "published_at": published_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "source": source,
        "categories": report.categories,
        "rows": len(report.rows),
    }
    files[POINTER] = _json(pointer)
    return files


def _json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
