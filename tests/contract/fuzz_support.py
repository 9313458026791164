"""What the contract test needs besides schemathesis: budgets, the seeded users and the field hints."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helpers import REPO

MODES = ("signed-out", "signed-in", "set-password")
# Examples per operation in each mode. Signed-out answers are mostly a quick 401, and a set-password
# session is refused almost everywhere, so the signed-in mode gets most of the budget.
EXAMPLES = {"signed-out": 8, "signed-in": 16, "set-password": 4} | {
    mode: int(count)
    for mode, _, count in (
        item.partition(":") for item in os.environ.get("PORTAL_FUZZ_EXAMPLES", "").split(",") if item
    )
}
RANDOM = os.environ.get("PORTAL_FUZZ_RANDOM") == "1"
PASSWORD = "violet harbor lantern ninety"
SESSION_PURPOSE = {"signed-in": "full", "set-password": "set_password"}


@dataclass
class FuzzWorld:
    """The running stack's address, the schema under test, the seeded users and the hints."""

    url: str
    schema: Any
    roles: list[str]
    open_session: Callable[[str, str], str]  # (role, mode) -> session cookie value
    hints: Any  # a strategy of {field or path parameter: accepted value}


def seed_world(url: str, schema: Any) -> FuzzWorld:
    """A reseller company with a user of each role (staff in their own company) on the stack's table.

    moto runs inside this process (the stack started it), so boto3 here reaches the API's table.
    """
    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.sessions import SessionPurpose, Sessions
    from portal.store import Store

    table = boto3.resource("dynamodb").Table(os.environ["PORTAL_TABLE"])
    store = Store(table)
    accounts = Accounts(store)
    reseller = accounts.create_company("Fuzzing Resellers LLC", ("pos", "scanners"))
    staff = accounts.create_company("Fuzzing Channel Team", ())
    hashed = passwords.hash_password(PASSWORD)
    users = {
        role.value: accounts.create_user(
            f"fuzz.{role.value.replace('_', '-')}@example.org",
            "Fuzz",
            role.label,
            (staff if role == Role.CHANNEL_TEAM else reseller).id,
            role,
            UserStatus.ACTIVE,
            password_hash=hashed,
        )
        for role in Role
    }
    originals = {role: store.get(f"USER#{user.id}", "PROFILE") for role, user in users.items()}
    sessions = Sessions(store, accounts)

    def open_session(role: str, mode: str) -> str:
        # Undo what earlier examples did to this user (blocked, new password, new role), then sign in afresh.
        table.put_item(Item=originals[role])
        return sessions.start(accounts.user(users[role].id), SessionPurpose(SESSION_PURPOSE[mode]))

    ids = {"user_id": [u.id for u in users.values()], "company_id": [reseller.id, staff.id]}
    return FuzzWorld(url, schema, sorted(users), open_session, hints_strategy(ids))


def hints_strategy(ids: dict[str, list[str]]) -> Any:
    """Every hinted field with a value the domain accepts (applied only where a request has that field)."""
    from hypothesis import strategies as st
    from portal.catalog import load_catalog
    from portal.fields import PHONE_PATTERN

    catalog = load_catalog(REPO / "content")
    hints = {
        "email": st.one_of(st.emails(), st.just("fuzz.account-user@example.org")),
        "topic": st.sampled_from([topic.id for topic in catalog.help_topics]),
        "category": st.sampled_from(["", *(category.slug for category in catalog.categories)]),
        "categories": st.lists(st.sampled_from([category.slug for category in catalog.categories]), max_size=3),
        "phone": st.from_regex(PHONE_PATTERN, fullmatch=True),
        "homepage": st.just(""),
        "current_password": st.just(PASSWORD),
        **{name: st.sampled_from(values) for name, values in ids.items()},
    }
    return st.fixed_dictionaries(hints)


def with_hints(case: Any, hints: dict[str, Any]) -> Any:
    """``case`` made likelier to pass validation: hinted fields set, control characters dropped.

    Fuzzed text keeps its odd Unicode (astral planes, combining marks, other scripts) but loses the
    control and text-direction characters every form refuses, so more examples reach the domain.
    """
    if isinstance(case.body, dict):
        case.body = _printable(case.body)
    for container in (case.body, case.path_parameters):
        if isinstance(container, dict):
            for name, value in hints.items():
                if name in container:
                    container[name] = value
    return case


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c for c in value if not _REFUSED.match(c))
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    return value


# Text that has broken real systems: NUL, direction overrides, separators, markup, huge and
# composed characters. (Lone surrogates are covered by tests/functions/test_request_bodies.py:
# schemathesis cannot carry them in a case.)
NASTY_TEXT = (
    "\x00",
    "\u202egpj.exe",
    "line\u2028break",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\U0001f600" * 300,
    "e\u0301" * 50,
    "\ufeff",
    "x" * 20_000,
    "%s%n{0}${x}",
)


def with_nasty_text(case: Any, text: str) -> Any:
    """``case`` with every text value of its body (and in its lists) replaced by ``text``."""
    if isinstance(case.body, dict):
        case.body = {
            name: text if isinstance(value, str) else [text] if isinstance(value, list) else value
            for name, value in case.body.items()
        }
    return case


_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
