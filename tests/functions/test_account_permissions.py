"""The permission matrix of My Account: every endpoint x every role x own company / another company.

Each cell sends one real-shaped request to the account handler and asserts the status. A refused
cell (4xx) must leave the table exactly as it was and send no email; an allowed cell may change
only items of the company it acted on (or, for My Profile, the actor's own company), and the
table is then put back for the next cell. A reseller's answer never names the other company.

"own" is company A, where the resellers work; "other" is company B. The Channel team member sits
in the manufacturer's company, so both columns are another company to them. For the My Profile
endpoints (which only ever act on the caller) "other" sends the request with another company's
user or company named in it. docs/my-account.md shows this matrix as a table (kept equal by a test).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from account_world import ACTORS, COMPANY_DETAILS, build_world, call, restore, snapshot
from conftest import SAMPLE_PASSWORD, TEST_ACCESS_KEY
from helpers import REPO, sent_emails

Request = tuple[str, str, Any, dict[str, str] | None]  # method, path, body, query


@dataclass(frozen=True)
class Endpoint:
    """One route, how a cell calls it, and the expected status per actor: (own, other)."""

    route: str
    request: Callable[[dict, str, str], Request]  # (world, actor, scope) -> request
    expected: dict[str, tuple[int, int]]
    acts_on_self: bool = False  # My Profile: the actor's own record, whatever the column
    prepare: Callable[[dict, str], None] | None = None  # makes state the call needs (before the snapshot)


def _ids(world: dict, scope: str, who: str) -> str:
    return world[f"{who}_{'a' if scope == 'own' else 'b'}"].id


def _company(world: dict, scope: str) -> dict[str, str]:
    return {"company_id": world["company_a" if scope == "own" else "company_b"].id}


def _foreign(world: dict) -> dict[str, str]:
    return {"user_id": world["target_b"].id, "company_id": world["company_b"].id, "role": "management_contact"}


PROFILE = {"title": "Dr.", "first_name": "Sam", "last_name": "Changed", "phone": "+1-555-010-0199"}
NEW_USER = {
    "email": "New.Person@Example.org",
    "title": "Mr.",
    "first_name": "New",
    "last_name": "Person",
    "phone": "+1-555-010-0177",
    "role": "account_user",
}
NAME_CHANGE = {"new_name": "Renamed Company LLC", "reason": "We merged with a partner company last month."}


def _token_owner(world: dict, actor: str):
    return world["actors"][actor] or world["user_a"]


def _pending_email_change(world: dict, actor: str) -> None:
    from portal.company_audit import CompanyAudit
    from portal.email_change import EmailChanges

    accounts = world["accounts"]
    changes = EmailChanges(accounts.store, accounts, CompanyAudit(accounts.store))
    world["token"] = changes.issue(_token_owner(world, actor), "confirmed.address@example.org")


def _confirm(world: dict, actor: str, scope: str) -> Request:
    user_id = _token_owner(world, actor).id if scope == "own" else world["target_b"].id
    return "POST", "/api/account/email/confirm", {"user_id": user_id, "token": world["token"]}, None


def _self(ok: int, other: int) -> dict[str, tuple[int, int]]:
    """An endpoint every signed-in person may use on themselves."""
    full = {actor: (ok, other) for actor in ("account_user", "reseller_admin", "management_contact", "channel_team")}
    refused = 422 if other == 422 else None  # a foreign field is refused before anyone is asked who they are
    return {**full, "one_time_login": (403, refused or 403), "signed_out": (401, refused or 401)}


def _admin(ok: int) -> dict[str, tuple[int, int]]:
    """An admin endpoint: the company's admins in their own company, staff anywhere."""
    return {
        "account_user": (403, 403),
        "reseller_admin": (ok, 404),
        "management_contact": (ok, 404),
        "channel_team": (ok, ok),
        "one_time_login": (403, 403),
        "signed_out": (401, 401),
    }


def _staff(ok: int) -> dict[str, tuple[int, int]]:
    """A Channel team endpoint."""
    return {
        "account_user": (403, 403),
        "reseller_admin": (403, 403),
        "management_contact": (403, 403),
        "channel_team": (ok, ok),
        "one_time_login": (403, 403),
        "signed_out": (401, 401),
    }


ENDPOINTS = [
    Endpoint(
        "GET /api/account/profile",
        lambda w, a, s: ("GET", "/api/account/profile", None, None if s == "own" else {"user_id": w["target_b"].id}),
        _self(200, 200),
        acts_on_self=True,
    ),
    Endpoint(
        "PATCH /api/account/profile",
        lambda w, a, s: ("PATCH", "/api/account/profile", PROFILE if s == "own" else {**PROFILE, **_foreign(w)}, None),
        _self(200, 422),
        acts_on_self=True,
    ),
    Endpoint(
        "POST /api/account/email",
        lambda w, a, s: (
            "POST",
            "/api/account/email",
            {"new_email": f"{a}.new@example.org", "current_password": SAMPLE_PASSWORD}
            | ({} if s == "own" else _foreign(w)),
            None,
        ),
        _self(202, 422),
        acts_on_self=True,
    ),
    Endpoint(
        "POST /api/account/email/confirm",
        _confirm,
        # The emailed link is the proof (it may be opened in a browser that is not signed in).
        {actor: (200, 410) for actor in ACTORS},
        acts_on_self=True,
        prepare=_pending_email_change,
    ),
    Endpoint(
        "GET /api/account/company",
        lambda w, a, s: ("GET", "/api/account/company", None, _company(w, s)),
        _admin(200),
    ),
    Endpoint(
        "PATCH /api/account/company",
        lambda w, a, s: (
            "PATCH",
            "/api/account/company",
            {**COMPANY_DETAILS, "street": "1 New Street"},
            _company(w, s),
        ),
        _admin(200),
    ),
    Endpoint(
        "POST /api/account/company/name-change",
        lambda w, a, s: ("POST", "/api/account/company/name-change", NAME_CHANGE, _company(w, s)),
        _admin(202),
    ),
    Endpoint(
        "GET /api/account/companies",
        lambda w, a, s: (
            "GET",
            "/api/account/companies",
            None,
            {"name": w["company_a" if s == "own" else "company_b"].name},
        ),
        _staff(200),
    ),
    Endpoint(
        "POST /api/account/companies/{company_id}/management-contact",
        lambda w, a, s: (
            "POST",
            f"/api/account/companies/{_company(w, s)['company_id']}/management-contact",
            {"user_id": _ids(w, s, "admin")},
            None,
        ),
        _staff(200),
    ),
    Endpoint(
        "GET /api/account/users", lambda w, a, s: ("GET", "/api/account/users", None, _company(w, s)), _admin(200)
    ),
    Endpoint(
        "POST /api/account/users",
        lambda w, a, s: ("POST", "/api/account/users", NEW_USER, _company(w, s)),
        _admin(201),
    ),
    Endpoint(
        "PATCH /api/account/users/{user_id}",
        lambda w, a, s: ("PATCH", f"/api/account/users/{_ids(w, s, 'target')}", {"role": "reseller_admin"}, None),
        _admin(200),
    ),
    Endpoint(
        "POST /api/account/users/{user_id}/block",
        lambda w, a, s: ("POST", f"/api/account/users/{_ids(w, s, 'target')}/block", None, None),
        _admin(200),
    ),
    Endpoint(
        "POST /api/account/users/{user_id}/unblock",
        lambda w, a, s: ("POST", f"/api/account/users/{_ids(w, s, 'blocked')}/unblock", None, None),
        _admin(200),
    ),
    Endpoint(
        "POST /api/account/users/{user_id}/invitation",
        lambda w, a, s: ("POST", f"/api/account/users/{_ids(w, s, 'invited')}/invitation", None, None),
        _admin(202),
    ),
    Endpoint(
        "GET /api/account/audit", lambda w, a, s: ("GET", "/api/account/audit", None, _company(w, s)), _admin(200)
    ),
]
CELLS = [(e, actor, scope) for e in ENDPOINTS for actor in ACTORS for scope in ("own", "other")]


@pytest.fixture(scope="module")
def matrix():
    """One emulated table with the three companies for the whole matrix (each cell puts it back)."""
    from moto import mock_aws

    from infra.local.aws import create_table
    from infra.local.template import load_template

    with pytest.MonkeyPatch.context() as env, mock_aws():
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "PORTAL_ACCESS_KEY": TEST_ACCESS_KEY.hex(),
            "PORTAL_SITE_URL": "http://127.0.0.1:8000/",
        }.items():
            env.setenv(name, value)
        import boto3
        from portal import settings, wiring
        from portal.catalog import load_catalog

        for definition in load_template(REPO / "infra" / "template.yaml").tables:
            create_table(boto3.client("dynamodb"), definition)
        sender = load_catalog(REPO / "content").contacts.mail_sender
        boto3.client("ses").verify_domain_identity(Domain=sender.split("@")[1])
        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()
        table = boto3.resource("dynamodb").Table("PortalTable")
        world = build_world(table)
        yield world, table
        wiring.reset()


def _comparable(items: dict) -> dict:
    """The snapshot without the sessions' last-seen time, which any request may move on."""
    return {
        key: {k: v for k, v in item.items() if not (key[1].startswith("SESSION#") and k == "last_seen_at")}
        for key, item in items.items()
    }


def _owner(key: tuple[str, str], items: dict) -> str:
    """The company an item belongs to ("support" for help requests to Reseller Support)."""
    pk, _ = key
    item = items[key]
    kind, _, rest = pk.partition("#")
    if kind == "COMPANY":
        return rest
    if kind == "COMPANYNAME":
        return item["company_id"]
    if kind == "USER":
        return items[(pk, "PROFILE")]["company_id"]
    if kind == "EMAIL":
        return items[(f"USER#{item['user_id']}", "PROFILE")]["company_id"]
    return "support"


@pytest.mark.parametrize(
    ("endpoint", "actor", "scope"),
    CELLS,
    ids=[f"{e.route} | {actor} | {scope}" for e, actor, scope in CELLS],
)
def test_permission_matrix(matrix, endpoint, actor, scope):
    world, table = matrix
    if endpoint.prepare:
        endpoint.prepare(world, actor)
    before = snapshot(table)
    emails_before = len(sent_emails())
    method, path, body, query = endpoint.request(world, actor, scope)
    try:
        status, answer = call(method, path, body, world["cookies"][actor], query)
        expected = endpoint.expected[actor][0 if scope == "own" else 1]
        assert status == expected, answer
        after = snapshot(table)
        if status >= 400:
            assert _comparable(after) == _comparable(before), "a refused request changed the table"
            assert len(sent_emails()) == emails_before, "a refused request sent an email"
        else:
            acting = world["actors"][actor] or world["user_a"]
            allowed = acting.company_id if endpoint.acts_on_self else _company(world, scope)["company_id"]
            was, now = _comparable(before), _comparable(after)
            changed = {k for k in was.keys() | now.keys() if was.get(k) != now.get(k)}
            owners = {_owner(k, after if k in after else before) for k in changed}
            assert owners <= {allowed, "support"}, f"changed items of another company: {owners}"
        if world["actors"][actor] is not None and actor != "channel_team":
            text = repr(answer)
            for foreign in (world["company_b"].id, world["company_b"].name, world["target_b"].email):
                assert foreign not in text, "a reseller's answer named another company's data"
    finally:
        restore(table, before)


def test_every_route_of_the_account_function_is_in_the_matrix():
    from infra.local.template import load_template

    [function] = [
        f for f in load_template(REPO / "infra" / "template.yaml").functions if f.handler.startswith("account.")
    ]
    routes = {f"{e.method} {e.path}" for e in function.http_events}
    assert routes == {e.route for e in ENDPOINTS}


def markdown_table() -> str:
    """The matrix as the table in docs/my-account.md."""
    labels = {
        "account_user": "Account User",
        "reseller_admin": "Reseller Admin",
        "management_contact": "Management Contact",
        "channel_team": "Channel team",
        "one_time_login": "set-password session",
        "signed_out": "signed out",
    }
    head = "| endpoint | " + " | ".join(labels[a] for a in ACTORS) + " |"
    rule = "| --- |" + " --- |" * len(ACTORS)
    rows = [
        f"| `{e.route}` | " + " | ".join(f"{e.expected[a][0]} / {e.expected[a][1]}" for a in ACTORS) + " |"
        for e in ENDPOINTS
    ]
    return "\n".join([head, rule, *rows])


def test_the_documented_matrix_is_the_tested_one():
    doc = (REPO / "docs" / "my-account.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- permission-matrix -->\n(.*?)\n<!-- /permission-matrix -->", doc, re.S)
    assert found, "docs/my-account.md has no <!-- permission-matrix --> block"
    assert found.group(1).strip() == markdown_table(), "update the table in docs/my-account.md:\n" + markdown_table()
