"""My Profile and the change of the sign-in email, through the real handler."""

from __future__ import annotations

import pytest
from account_world import CONFIRM_LINK, build_world, call, cookie, mails_to, sign_in_service, snapshot
from conftest import SAMPLE_PASSWORD
from helpers import sent_emails


@pytest.fixture
def world(aws):
    """Companies A and B, the Channel team, and a session for each acting role."""
    return build_world(aws["table"])


@pytest.fixture
def table(aws):
    """The emulated table."""
    return aws["table"]


# ---- My Profile ----


@pytest.mark.parametrize(
    "extra",
    [{"role": "reseller_admin"}, {"status": "active"}, {"company_id": "0000000000000000"}, {"email": "me@example.org"}],
    ids=["role", "status", "company", "email"],
)
def test_nobody_changes_their_own_role_status_company_or_email_through_the_profile(world, table, extra):
    before = snapshot(table)
    body = {"title": "Mr.", "first_name": "Alex", "last_name": "User", "phone": "+1-555-010-0150", **extra}
    status, answer = call("PATCH", "/api/account/profile", body, cookie(world, "account_user"))
    assert status == 422 and answer["errors"][0]["field"] == next(iter(extra))
    assert snapshot(table) == before


def test_a_profile_change_is_saved_and_recorded_with_old_and_new_values(world):
    body = {"title": "Dr.", "first_name": "Alexandra", "last_name": "User", "phone": "+1-555-010-0150"}
    status, answer = call("PATCH", "/api/account/profile", body, cookie(world, "account_user"))
    assert status == 200 and answer["first_name"] == "Alexandra" and answer["role"] == "account_user"
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    changes = {c["field"]: (c["before"], c["after"]) for c in trail["entries"][0]["changes"]}
    assert changes == {"title": ("Ms.", "Dr."), "first_name": ("Alex", "Alexandra")}


def test_bad_profile_values_get_a_message_per_field(world):
    body = {"title": "Lord", "first_name": "", "last_name": "A\nB", "phone": "12"}
    status, answer = call("PATCH", "/api/account/profile", body, cookie(world, "account_user"))
    assert status == 422
    assert {e["field"] for e in answer["errors"]} == {"title", "first_name", "last_name", "phone"}


# ---- changing the sign-in email ----


def test_the_email_change_flow(world):
    alex = world["user_a"]
    service = sign_in_service()
    service.tokens.issue(alex)  # a password link sent to the old address
    old_reset = service.tokens.store.get(f"USER#{alex.id}", "RESET")
    assert old_reset

    status, body = call(
        "POST",
        "/api/account/email",
        {"new_email": "Alex.New@Example.org", "current_password": SAMPLE_PASSWORD},
        cookie(world, "account_user"),
    )
    assert status == 202
    [link_mail] = mails_to("alex.new@example.org")
    [notice] = mails_to("alex.user@example.org")
    assert "a***w@e***e.org" in notice.get_content() and "CONFIRM" in link_mail.get_content()
    user_id, token = CONFIRM_LINK.search(link_mail.get_content()).groups()
    assert world["accounts"].user(alex.id).email == "alex.user@example.org", "nothing changes before the confirmation"

    status, body = call("POST", "/api/account/email/confirm", {"user_id": user_id, "token": token})
    assert status == 200 and body["email"] == "alex.new@example.org"
    accounts = world["accounts"]
    assert accounts.find_by_email("ALEX.NEW@example.org").id == alex.id
    assert accounts.find_by_email("alex.user@example.org") is None
    assert accounts.store.get(f"USER#{alex.id}", "RESET") is None, "password links sent to the old address die"
    assert "now signs in with a***w@e***e.org" in mails_to("alex.user@example.org")[-1].get_content()
    assert service.sign_in("alex.new@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    assert call("POST", "/api/account/email/confirm", {"user_id": user_id, "token": token})[0] == 410, "works once"
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    assert trail["entries"][0]["action"] == "email_changed"
    assert trail["entries"][0]["changes"] == [
        {"field": "email", "before": "alex.user@example.org", "after": "alex.new@example.org"}
    ]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"new_email": "alex.new@example.org", "current_password": "not my password at all"}, 422, "current_password"),
        ({"new_email": "ALEX.USER@example.org", "current_password": SAMPLE_PASSWORD}, 422, "new_email"),
        ({"new_email": "Jane.Doe@Example.org", "current_password": SAMPLE_PASSWORD}, 409, None),
        ({"new_email": "not-an-address", "current_password": SAMPLE_PASSWORD}, 422, "new_email"),
    ],
    ids=["wrong-password", "same-address", "taken", "invalid"],
)
def test_an_email_change_request_is_refused_with_the_reason(world, table, body, status, field):
    before, mails = snapshot(table), len(sent_emails())
    answer_status, answer = call("POST", "/api/account/email", body, cookie(world, "account_user"))
    assert answer_status == status
    if field:
        assert answer["errors"][0]["field"] == field
    assert snapshot(table) == before and len(sent_emails()) == mails


def test_an_address_taken_before_the_confirmation_is_a_conflict_and_changes_nothing(world, table):
    from portal.accounts import Role, UserStatus

    call(
        "POST",
        "/api/account/email",
        {"new_email": "wanted@example.org", "current_password": SAMPLE_PASSWORD},
        cookie(world, "account_user"),
    )
    user_id, token = CONFIRM_LINK.search(mails_to("wanted@example.org")[-1].get_content()).groups()
    world["accounts"].create_user(
        "Wanted@example.org", "W", "X", world["company_b"].id, Role.ACCOUNT_USER, UserStatus.ACTIVE
    )
    before = snapshot(table)
    status, body = call("POST", "/api/account/email/confirm", {"user_id": user_id, "token": token})
    assert status == 409 and "another account" in body["message"]
    assert snapshot(table) == before


def test_the_confirmation_transaction_really_rejects_a_taken_address(world, table):
    """The emulator must refuse the conditional put inside the transaction (not only our pre-check)."""
    from portal.accounts import EmailTaken
    from portal.company_audit import CompanyAudit
    from portal.email_change import EmailChanges

    accounts = world["accounts"]
    changes = EmailChanges(accounts.store, accounts, CompanyAudit(accounts.store))
    token = changes.issue(world["user_a"], "race@example.org")
    accounts.store.put({"pk": "EMAIL#race@example.org", "sk": "EMAIL", "user_id": world["target_b"].id})
    real, calls = accounts.find_by_email, []
    # Skip the friendly pre-check once: the transaction alone must refuse.
    accounts.find_by_email = lambda email: real(email) if calls.append(email) or len(calls) > 1 else None
    before = snapshot(table)
    with pytest.raises(EmailTaken):
        changes.confirm(world["user_a"].id, token)
    assert snapshot(table) == before


def test_an_email_link_expires(world):
    from datetime import timedelta

    from helpers import Clock
    from portal.company_audit import CompanyAudit
    from portal.email_change import EmailChanges, EmailLinkNotValid

    clock, accounts = Clock(), world["accounts"]
    changes = EmailChanges(accounts.store, accounts, CompanyAudit(accounts.store), clock=clock)
    token = changes.issue(world["user_a"], "later@example.org")
    clock.advance(hours=24, seconds=1)
    with pytest.raises(EmailLinkNotValid):
        changes.confirm(world["user_a"].id, token)
    assert changes.lifetime == timedelta(hours=24)
