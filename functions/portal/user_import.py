"""Bringing users over from the old portal: a CSV in, accounts that must set a new password out.

Each row is checked on its own; a bad row is reported with its line number and the rest still
import. Running the same file again creates nothing twice: a user whose email already has an
account is reported as already there, and companies are found by name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portal.accounts import Accounts, Company, EmailTaken, Role, UserStatus
from portal.emails import normalize_email
from portal.fields import PHONE_PATTERN, DeliverableEmail, OneLine, field_problems, field_titles

REQUIRED_COLUMNS = ("email", "first_name", "last_name", "phone", "company", "role")
OPTIONAL_COLUMNS = ("title", "categories")
_ROLE_NAMES = {role.label.lower(): role for role in Role} | {role.value: role for role in Role}


class ImportedUser(BaseModel):
    """One row of the old portal's user export."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    email: Annotated[DeliverableEmail, Field(title="email", max_length=254)]
    first_name: Annotated[OneLine, Field(title="first_name", min_length=1, max_length=80)]
    last_name: Annotated[OneLine, Field(title="last_name", min_length=1, max_length=80)]
    phone: Annotated[OneLine, Field(title="phone", max_length=30, pattern=rf"{PHONE_PATTERN}|^$")] = ""
    company: Annotated[OneLine, Field(title="company", min_length=1, max_length=150)]
    role: Annotated[str, Field(title="role")]
    title: Annotated[OneLine, Field(title="title", max_length=20)] = ""
    categories: Annotated[str, Field(title="categories", max_length=2000)] = ""

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value.strip().lower() not in _ROLE_NAMES:
            raise ValueError("must be one of Account User, Reseller Admin, Management Contact or Channel team")
        return _ROLE_NAMES[value.strip().lower()].value


@dataclass
class ImportReport:
    """What an import did, line by line."""

    created: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    companies_created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.already_there)} already there, "
            f"{len(self.companies_created)} companies created, {len(self.errors)} rows with errors"
        )


def parse_rows(text: str, category_slugs: set[str]) -> tuple[list[tuple[int, ImportedUser]], list[str]]:
    """Validate every row; returns the good rows with their line numbers and one message per bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [
            f"line 1: the header lacks the column(s) {', '.join(missing)} (needed: {', '.join(REQUIRED_COLUMNS)})"
        ]
    titles = field_titles(ImportedUser)
    rows, errors, seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        try:
            row = ImportedUser.model_validate({k.strip(): (v or "") for k, v in raw.items() if k})
        except ValidationError as e:
            problems = field_problems(titles, e.errors())
            errors.append(f"line {line}: " + "; ".join(p.message for p in problems))
            continue
        unknown = [s for s in _slugs(row.categories) if s not in category_slugs]
        if unknown:
            errors.append(f"line {line}: categories: unknown category {', '.join(unknown)}")
            continue
        key = normalize_email(row.email)
        if key in seen:
            errors.append(f"line {line}: email: {row.email} is already on line {seen[key]}")
            continue
        seen[key] = line
        rows.append((line, row))
    return rows, errors


def _slugs(value: str) -> list[str]:
    return [s.strip() for s in value.replace(",", ";").split(";") if s.strip()]


def import_users(accounts: Accounts, text: str, category_slugs: set[str], dry_run: bool = False) -> ImportReport:
    """Create the users of a CSV export as "must set a new password"; safe to run again."""
    report = ImportReport()
    rows, report.errors = parse_rows(text, category_slugs)
    companies: dict[str, Company] = {}
    for line, row in rows:
        if accounts.find_by_email(row.email):
            report.already_there.append(f"line {line}: {normalize_email(row.email)}")
            continue
        if dry_run:
            report.created.append(f"line {line}: {normalize_email(row.email)} (dry run)")
            continue
        company = companies.get(row.company.casefold()) or accounts.find_company_by_name(row.company)
        if company is None:
            company = accounts.create_company(row.company, tuple(_slugs(row.categories)))
            report.companies_created.append(row.company)
        companies[row.company.casefold()] = company
        try:
            accounts.create_user(
                row.email,
                row.first_name,
                row.last_name,
                company.id,
                Role(row.role),
                UserStatus.MUST_SET_PASSWORD,
                title=row.title,
                phone=row.phone,
            )
            report.created.append(f"line {line}: {normalize_email(row.email)}")
        except EmailTaken:
            report.already_there.append(f"line {line}: {normalize_email(row.email)}")
    return report
