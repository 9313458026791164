"""Three companies and their people, for the My Account tests: two reseller companies and the Channel team.

Company A and company B each have a Management Contact, a Reseller Admin, an Account User, a
second Account User to act on ("target"), a blocked user and an invited user who has not set a
password yet. The Channel team company has one staff member. Every active user's password is
``SAMPLE_PASSWORD``; each acting user gets a full session, and A's Account User also a
set-password session (what a one-time link opens).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from conftest import SAMPLE_PASSWORD
from helpers import FakeContext, api_event

ORIGIN = "http://127.0.0.1:8000"
SESSION = "__Host-portal_session"
COMPANY_DETAILS = {
    "street": "100 Sample Way",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "United States",
    "company_phone": "+1-555-010-0142",
    "website": "https://www.example.com",
    "years_in_business": 12,
    "employees": 40,
    "sales_staff": 10,
    "technical_staff": 8,
    "annual_revenue": "$5-25 million",
    "customer_segment": "Education",
}
NEW_USER = {
    "email": "new.person@example.org",
    "title": "Mr.",
    "first_name": "New",
    "last_name": "Person",
    "phone": "+1-555-010-0177",
    "role": "account_user",
}
CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000/account/confirm-email/#([0-9a-f]+)\.([A-Za-z0-9_\-]+)")
ONE_TIME_LINK = re.compile(r"http://127\.0\.0\.1:8000/account/one-time-login/#([0-9a-f]+)\.([A-Za-z0-9_\-]+)")
ACTORS = ("account_user", "reseller_admin", "management_contact", "channel_team", "one_time_login", "signed_out")


def build_world(table: Any) -> dict[str, Any]:
    """Create the companies, users and sessions on ``table``; returns them by name."""
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.sessions import SessionPurpose, Sessions
    from portal.store import Store

    accounts = Accounts(Store(table))
    hashed = passwords.hash_password(SAMPLE_PASSWORD)
    world: dict[str, Any] = {"accounts": accounts}

    def people(key: str, name: str, categories: tuple[str, ...], domain: str) -> None:
        company = accounts.create_company(name, categories, **COMPANY_DETAILS)
        world[f"company_{key}"] = company
        for who, first, last, role, status in [
            ("contact", "Morgan", "Contact", Role.MANAGEMENT_CONTACT, UserStatus.ACTIVE),
            ("admin", "Riley", "Admin", Role.RESELLER_ADMIN, UserStatus.ACTIVE),
            ("user", "Alex", "User", Role.ACCOUNT_USER, UserStatus.ACTIVE),
            ("target", "Jane", "Doe", Role.ACCOUNT_USER, UserStatus.ACTIVE),
            ("blocked", "Blake", "Blocked", Role.ACCOUNT_USER, UserStatus.BLOCKED),
            ("invited", "Ivy", "Invited", Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD),
        ]:
            world[f"{who}_{key}"] = accounts.create_user(
                f"{first}.{last}@{domain}".lower(),
                first,
                last,
                company.id,
                role,
                status,
                title="Ms.",
                phone="+1-555-010-0150",
                password_hash=None if status == UserStatus.MUST_SET_PASSWORD else hashed,
            )

    people("a", "Example Systems LLC", ("scanners", "visual-systems"), "example.org")
    people("b", "Other Reseller Inc", ("pos",), "example.net")
    world["company_staff"] = accounts.create_company("Channel Team (manufacturer)", ())
    world["staff"] = accounts.create_user(
        "casey.channel@example.com", "Casey", "Channel", world["company_staff"].id, Role.CHANNEL_TEAM,
        UserStatus.ACTIVE, password_hash=hashed,
    )  # fmt: skip
    sessions = Sessions(accounts.store, accounts)
    world["actors"] = {
        "account_user": world["user_a"],
        "reseller_admin": world["admin_a"],
        "management_contact": world["contact_a"],
        "channel_team": world["staff"],
        "one_time_login": world["user_a"],
        "signed_out": None,
    }
    world["cookies"] = {
        "account_user": sessions.start(world["user_a"]),
        "reseller_admin": sessions.start(world["admin_a"]),
        "management_contact": sessions.start(world["contact_a"]),
        "channel_team": sessions.start(world["staff"]),
        "one_time_login": sessions.start(world["user_a"], SessionPurpose.SET_PASSWORD),
        "signed_out": None,
    }
    return world


def call(
    method: str,
    path: str,
    body: dict | str | None = None,
    cookie: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict | None = None,
) -> tuple[int, Any]:
    """Send one real-shaped HTTP API event to the account handler; returns (status, parsed body)."""
    from account.app import lambda_handler

    event = api_event(method, path, body, cookies=[f"{SESSION}={cookie}"] if cookie else None)
    for name, value in {"origin": ORIGIN, **(headers or {})}.items():
        if value is None:
            event["headers"].pop(name, None)
        else:
            event["headers"][name] = value
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = query
    response = lambda_handler(event, FakeContext())
    return response["statusCode"], json.loads(response["body"] or "null")


def snapshot(table: Any) -> dict[tuple[str, str], dict]:
    """Every item of the table, keyed by (pk, sk)."""
    items, kwargs = [], {}
    while True:
        page = table.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return {(i["pk"], i["sk"]): i for i in items}


def restore(table: Any, saved: dict[tuple[str, str], dict]) -> None:
    """Put the table back exactly as ``snapshot`` saw it."""
    current = snapshot(table)
    with table.batch_writer() as batch:
        for key in current.keys() - saved.keys():
            batch.delete_item(Key={"pk": key[0], "sk": key[1]})
        for key, item in saved.items():
            if current.get(key) != item:
                batch.put_item(Item=item)


def cookie(world: dict[str, Any], role: str) -> str:
    """The session cookie value of the acting user of ``role``."""
    return world["cookies"][role]


def mails_to(address: str) -> list:
    """Every email sent to ``address`` so far, oldest first."""
    from helpers import sent_emails

    return [m for m in sent_emails() if address in m["To"]]


def sign_in_service() -> Any:
    """The process's SignIn service (on the emulated table)."""
    from portal.wiring import sign_in

    return sign_in()
