"""Shared pieces of the application tests: calling the handler, sample answers, applicants and staff."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import SAMPLE_PASSWORD
from helpers import FakeContext, api_event

SESSION = "__Host-portal_session"

USER_INFORMATION = {
    "title": "Ms.",
    "first_name": "Jane",
    "last_name": "Doe",
    "phone": "555-010-0199",
    "company_name": "Harbor Tech Resellers",
    "street": "1 Harbor Way",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "United States",
    "company_phone": "+1 555 010 0100",
    "website": "https://www.example.com",
    "years_in_business": "12",
    "employees": "40",
    "sales_staff": "12",
    "technical_staff": "8",
    "annual_revenue": "$5-25 million",
    "customer_segment": "Education",
    "referred": "yes",
    "representative_name": "Pat Rep",
}
SCANNER_ANSWERS = {
    "years-selling": "4",
    "scanner-classes": ["Workgroup"],
    "capture-software": "yes",
    "annual-units": 300,
}
POS_ANSWERS = {
    "years-selling": 2,
    "verticals": ["Restaurants", "Hotels"],
    "software-partners": "Sample POS Suite",
    "help-desk": False,
}


@dataclass
class Answer:
    """A handler's answer: the status, the parsed body, and the raw response."""

    status: int
    body: Any
    raw: dict


def call(
    method: str, path: str, body: Any = None, cookie: str | None = None, query: dict | None = None, **kw
) -> Answer:
    """Send a real-shaped HTTP API event to the applications handler."""
    from applications.app import lambda_handler

    event = api_event(method, path, body, [f"{SESSION}={cookie}"] if cookie else None, **kw)
    if query:
        event["queryStringParameters"] = query
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    response = lambda_handler(event, FakeContext())
    return Answer(response["statusCode"], json.loads(response["body"] or "null"), response)


def new_reseller(categories=("scanners", "pos"), email="jane.doe@harbor.example.com", **changes) -> dict:
    chosen = categories if isinstance(categories, str) else list(categories)  # a bad value stays as it is
    return {**USER_INFORMATION, "categories": chosen, "email": email, **changes}


@dataclass
class Applicant:
    """A new reseller who saved steps 1 and 2 and has a full session."""

    application_id: str
    user_id: str
    company_id: str
    cookie: str

    def get(self) -> dict:
        answer = call("GET", f"/api/applications/{self.application_id}", cookie=self.cookie)
        assert answer.status == 200, answer.body
        return answer.body["application"]

    def version(self) -> int:
        return self.get()["version"]

    def put(self, step: str, body: dict, version: int | None = None) -> Answer:
        body = {"version": self.version() if version is None else version, **body}
        return call("PUT", f"/api/applications/{self.application_id}/{step}", body, cookie=self.cookie)

    def submit(self, version: int | None = None, accept: Any = True) -> Answer:
        body = {"version": self.version() if version is None else version, "accept_guidelines": accept}
        return call("POST", f"/api/applications/{self.application_id}/submit", body, cookie=self.cookie)


def session_for(store_table: Any, user_id: str) -> str:
    """A full session for ``user_id`` (as after setting a password), as the cookie value."""
    from portal.accounts import Accounts
    from portal.sessions import Sessions
    from portal.store import Store

    accounts = Accounts(Store(store_table))
    return Sessions(accounts.store, accounts).start(accounts.user(user_id))


def start_applicant(table: Any, categories=("scanners", "pos"), email="jane.doe@harbor.example.com", **changes):
    """A new reseller's first save, then a full session for them."""
    answer = call("POST", "/api/applications/start", new_reseller(categories, email, **changes))
    assert answer.status == 201, answer.body
    from portal.accounts import Accounts
    from portal.store import Store

    user = Accounts(Store(table)).find_by_email(email)
    return Applicant(answer.body["application_id"], user.id, user.company_id, session_for(table, user.id))


def submitted_applicant(table: Any, **kw) -> Applicant:
    """An applicant who went through every step and submitted scanners and POS."""
    applicant = start_applicant(table, **kw)
    assert (
        applicant.put("product-information", {"answers": {"scanners": SCANNER_ANSWERS, "pos": POS_ANSWERS}}).status
        == 200
    )
    assert applicant.submit().status == 200
    return applicant


@pytest.fixture(name="staff")
def staff_member(aws):
    """A channel-team member with a full session: (user, cookie)."""
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(aws["table"]))
    team = accounts.create_company("Channel Team (manufacturer)")
    user = accounts.create_user(
        "casey.channel@example.com", "Casey", "Channel", team.id, Role.CHANNEL_TEAM, UserStatus.ACTIVE,
        password_hash=passwords.hash_password(SAMPLE_PASSWORD),
    )  # fmt: skip
    return user, session_for(aws["table"], user.id)


def business_items(table) -> list:
    """Everything stored except flood counters (every start attempt is counted, by design)."""
    items = [i for i in table.scan()["Items"] if not i["pk"].startswith("FLOOD#")]
    return sorted(items, key=lambda i: (i["pk"], i["sk"]))
