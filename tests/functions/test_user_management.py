"""User Management through the real handler: adding and inviting users, roles, blocking and unblocking."""

from __future__ import annotations

import pytest
from account_world import NEW_USER, ONE_TIME_LINK, build_world, call, cookie, mails_to, sign_in_service, snapshot
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


# ---- adding users ----


@pytest.mark.parametrize(
    "typed",
    ["JANE.DOE@EXAMPLE.ORG", "  Jane.Doe@Example.Org ", "ｊａｎｅ.ｄｏｅ@example.org"],
    ids=["upper", "mixed-and-spaces", "fullwidth"],
)
def test_adding_an_existing_email_in_any_form_is_a_conflict_that_creates_nothing(world, table, typed):
    before, mails = snapshot(table), len(sent_emails())
    status, body = call("POST", "/api/account/users", {**NEW_USER, "email": typed}, cookie(world, "reseller_admin"))
    assert status == 409 and "already exists" in body["message"]
    assert snapshot(table) == before and len(sent_emails()) == mails


def test_an_email_of_another_company_is_a_conflict_too(world, table):
    status, _ = call(
        "POST", "/api/account/users", {**NEW_USER, "email": "jane.doe@example.net"}, cookie(world, "reseller_admin")
    )
    assert status == 409


def test_an_added_user_is_invited_and_can_set_a_password(world, table):
    status, body = call(
        "POST", "/api/account/users", {**NEW_USER, "role": "reseller_admin"}, cookie(world, "management_contact")
    )
    assert status == 201 and body["invitation_sent"] is True
    assert body["user"]["role"] == "reseller_admin" and body["user"]["status"] == "must_set_password"
    [invitation] = mails_to("new.person@example.org")
    text = invitation.get_content()
    assert "Morgan Contact added you to Example Systems LLC" in text and "Reseller Admin" in text
    user_id, token = ONE_TIME_LINK.search(text).groups()
    assert user_id == body["user"]["id"]
    service = sign_in_service()
    assert service.preview_link(user_id, token) == "n***n@e***e.org"
    session = service.use_link(user_id, token)
    identity = service.identity(session)
    service.change_password(identity, "copper meadow signal forty", None)
    user = world["accounts"].user(user_id)
    assert user.status.value == "active" and user.company_id == world["company_a"].id


def test_a_new_user_cannot_be_given_the_contact_or_staff_role(world, table):
    before = snapshot(table)
    for role in ("management_contact", "channel_team", "owner"):
        status, body = call("POST", "/api/account/users", {**NEW_USER, "role": role}, cookie(world, "reseller_admin"))
        assert status == 422 and body["errors"][0]["field"] == "role"
    assert snapshot(table) == before


def test_the_invitation_can_be_sent_again_and_the_old_link_dies(world):
    from portal.reset_tokens import LinkNotValid

    call("POST", "/api/account/users", NEW_USER, cookie(world, "reseller_admin"))
    first = ONE_TIME_LINK.search(mails_to("new.person@example.org")[-1].get_content()).groups()
    user_id = first[0]
    status, body = call("POST", f"/api/account/users/{user_id}/invitation", None, cookie(world, "reseller_admin"))
    assert status == 202 and body["invitation_sent"]
    second = ONE_TIME_LINK.search(mails_to("new.person@example.org")[-1].get_content()).groups()
    with pytest.raises(LinkNotValid):
        sign_in_service().preview_link(*first)
    assert sign_in_service().preview_link(*second)
    status, body = call(
        "POST", f"/api/account/users/{world['target_a'].id}/invitation", None, cookie(world, "reseller_admin")
    )
    assert status == 409 and "set a password already" in body["message"]


def test_an_admin_without_company_id_acts_on_their_own_company(world):
    status, body = call("GET", "/api/account/users", None, cookie(world, "reseller_admin"))
    assert status == 200 and body["company"]["id"] == world["company_a"].id
    emails = {u["email"] for u in body["users"]}
    assert "jane.doe@example.org" in emails and not any(e.endswith("example.net") for e in emails)
    status, body = call("POST", "/api/account/users", NEW_USER, cookie(world, "reseller_admin"))
    assert status == 201 and world["accounts"].find_by_email(NEW_USER["email"]).company_id == world["company_a"].id


# ---- unknown users, other companies ----


@pytest.mark.parametrize(
    "user_id",
    ["0000000000000000", "zz", "a" * 65, "..%2F..", "ＡＢＣ"],
    ids=["unknown", "short", "long", "dots", "fullwidth"],
)
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PATCH", "", {"role": "reseller_admin"}),
        ("POST", "/block", None),
        ("POST", "/unblock", None),
        ("POST", "/invitation", None),
    ],
    ids=["role", "block", "unblock", "invitation"],
)
def test_acting_on_a_user_that_does_not_exist_is_a_404_that_creates_nothing(
    world, table, user_id, method, suffix, body
):
    before = snapshot(table)
    for role in ("reseller_admin", "channel_team"):
        status, answer = call(method, f"/api/account/users/{user_id}{suffix}", body, cookie(world, role))
        assert status == 404 and answer["message"] == "That user does not exist."
    assert snapshot(table) == before


def test_another_companys_user_looks_exactly_like_one_that_does_not_exist(world):
    other = call("POST", f"/api/account/users/{world['target_b'].id}/block", None, cookie(world, "reseller_admin"))
    missing = call("POST", "/api/account/users/0000000000000000/block", None, cookie(world, "reseller_admin"))
    assert other == missing


# ---- blocking, roles, the Management Contact ----


def test_blocking_ends_the_users_sessions_at_once_and_unblocking_lets_them_back(world):
    from auth.app import lambda_handler as auth
    from helpers import FakeContext, api_event

    service = sign_in_service()
    _, session = service.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    jane = world["target_a"]
    service.tokens.issue(jane)
    assert call("GET", "/api/account/profile", None, session)[0] == 200

    status, body = call("POST", f"/api/account/users/{jane.id}/block", None, cookie(world, "reseller_admin"))
    assert status == 200 and body["user"]["active"] is False and body["user"]["can_unblock"] is True
    assert call("GET", "/api/account/profile", None, session)[0] == 401
    who = auth(api_event("GET", "/api/session", cookies=[f"__Host-portal_session={session}"]), FakeContext())
    assert who["statusCode"] == 401
    assert all("Max-Age=0" in c for c in who["cookies"]), "the access cookie for the static pages is cleared too"
    assert world["accounts"].store.get(f"USER#{jane.id}", "RESET") is None, "her password link died"
    assert not list(world["accounts"].store.query(f"USER#{jane.id}", "SESSION#"))

    status, body = call("POST", f"/api/account/users/{jane.id}/unblock", None, cookie(world, "reseller_admin"))
    assert status == 200 and body["user"]["active"] is True
    assert call("GET", "/api/account/profile", None, session)[0] == 401, "old sessions stay ended"
    assert service.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")


def test_unblocking_someone_who_never_set_a_password_leaves_them_invited(world):
    invited = world["invited_a"]
    call("POST", f"/api/account/users/{invited.id}/block", None, cookie(world, "reseller_admin"))
    status, body = call("POST", f"/api/account/users/{invited.id}/unblock", None, cookie(world, "reseller_admin"))
    assert status == 200 and body["user"]["status"] == "must_set_password"


@pytest.mark.parametrize(
    ("actor", "target", "action"),
    [
        ("reseller_admin", "admin_a", "block"),
        ("reseller_admin", "admin_a", "role"),
        ("management_contact", "contact_a", "block"),
        ("management_contact", "contact_a", "role"),
        ("reseller_admin", "contact_a", "block"),
        ("reseller_admin", "contact_a", "role"),
        ("channel_team", "contact_a", "block"),
        ("channel_team", "contact_a", "role"),
        ("channel_team", "staff", "block"),
    ],
    ids=[
        "admin-blocks-self",
        "admin-demotes-self",
        "contact-blocks-self",
        "contact-demotes-self",
        "admin-blocks-contact",
        "admin-demotes-contact",
        "staff-blocks-contact",
        "staff-demotes-contact",
        "staff-blocks-self",
    ],
)
def test_nobody_blocks_or_demotes_themselves_or_the_management_contact(world, table, actor, target, action):
    before = snapshot(table)
    user_id = world[target].id
    if action == "block":
        status, body = call("POST", f"/api/account/users/{user_id}/block", None, cookie(world, actor))
    else:
        status, body = call("PATCH", f"/api/account/users/{user_id}", {"role": "account_user"}, cookie(world, actor))
    assert status == 403 and "cannot" in body["message"]
    assert snapshot(table) == before


def test_an_admin_changes_a_users_role_and_it_is_recorded(world):
    jane = world["target_a"]
    status, body = call(
        "PATCH", f"/api/account/users/{jane.id}", {"role": "reseller_admin"}, cookie(world, "reseller_admin")
    )
    assert status == 200 and body["user"]["role_label"] == "Reseller Admin"
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "management_contact"))
    entry = trail["entries"][0]
    assert entry["action"] == "role_changed" and entry["actor"]["name"] == "Riley Admin"
    assert entry["target"]["name"] == "Jane Doe"
    assert entry["changes"] == [{"field": "role", "before": "Account User", "after": "Reseller Admin"}]


@pytest.mark.parametrize("role", [7, "owner", "ACCOUNT_USER"], ids=["number", "unknown", "shouted"])
def test_an_unknown_role_is_answered_with_the_labels_an_admin_can_choose(world, role):
    jane = world["target_a"]
    status, body = call("PATCH", f"/api/account/users/{jane.id}", {"role": role}, cookie(world, "reseller_admin"))
    assert status == 422
    assert body["errors"] == [{"field": "role", "message": "Role: choose one of: Account User, Reseller Admin."}]
    for internal in ("account_user", "reseller_admin", "management_contact", "channel_team", "Channel team"):
        assert internal not in body["errors"][0]["message"]
