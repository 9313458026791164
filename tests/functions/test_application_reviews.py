"""The channel team's review: the queue, decisions, what they change, and the audit trail."""

from __future__ import annotations

import time

import pytest
from application_support import (  # noqa: F401 (staff_member is the staff fixture)
    business_items,
    call,
    session_for,
    staff_member,
    start_applicant,
    submitted_applicant,
)
from conftest import TEST_ACCESS_KEY
from helpers import FakeContext, api_event, cookie_jar, sent_emails


def decide(cookie, application_id, category, decision, note="", version=None):
    if version is None:
        version = call("GET", f"/api/staff/applications/{application_id}", cookie=cookie).body["application"]["version"]
    body = {"category": category, "decision": decision, "note": note, "version": version}
    return call("POST", f"/api/staff/applications/{application_id}/decisions", body, cookie=cookie)


def access_categories(session_cookie: str) -> list[str]:
    """The categories in the access cookie that GET /api/session issues now."""
    from auth.app import lambda_handler
    from portal.access import verify_access

    response = lambda_handler(
        api_event("GET", "/api/session", cookies=[f"__Host-portal_session={session_cookie}"]), FakeContext()
    )
    value = cookie_jar(response)["__Host-portal_access"]
    return list(verify_access(value, TEST_ACCESS_KEY, int(time.time())).categories)


def test_the_queue_lists_submitted_applications_for_staff_only(aws, staff):
    applicant = submitted_applicant(aws["table"])
    start_applicant(aws["table"], email="later@other.example.org", company_name="Later Inc")
    queue = call("GET", "/api/staff/applications", cookie=staff[1])
    assert queue.status == 200
    assert [(a["id"], a["company"]) for a in queue.body["applications"]] == [
        (applicant.application_id, "Harbor Tech Resellers")
    ]
    incomplete = call("GET", "/api/staff/applications", cookie=staff[1], query={"status": "incomplete"})
    assert [a["company"] for a in incomplete.body["applications"]] == ["Later Inc"]
    bad = call("GET", "/api/staff/applications", cookie=staff[1], query={"status": "everything"})
    assert bad.status == 422

    for path in ("/api/staff/applications", f"/api/staff/applications/{applicant.application_id}"):
        refused = call("GET", path, cookie=applicant.cookie)
        assert refused.status == 403 and refused.body["message"] == "Only the channel team reviews applications."
        assert call("GET", path).status == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "query"),
    [
        pytest.param("GET", "/api/staff/applications", None, {"status": "everything"}, id="queue-bad-status"),
        pytest.param("GET", "/api/staff/applications", None, {"status": "x" * 300}, id="queue-long-status"),
        pytest.param(
            "POST", "/api/staff/applications/app-1/decisions", {"decision": "maybe"}, None, id="decision-bad-body"
        ),
    ],
)
def test_only_staff_learn_how_a_staff_request_is_checked(aws, staff, method, path, body, query):
    applicant = start_applicant(aws["table"])
    signed_out = call(method, path, body, query=query)
    assert signed_out.status == 401 and "errors" not in signed_out.body
    refused = call(method, path, body, cookie=applicant.cookie, query=query)
    assert refused.status == 403 and refused.body == {"message": "Only the channel team reviews applications."}
    assert call(method, path, body, cookie=staff[1], query=query).status == 422


def test_approving_a_category_authorizes_every_user_of_the_company_at_once(aws, staff):
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    applicant = submitted_applicant(aws["table"])
    colleague = Accounts(Store(aws["table"])).create_user(
        "alex@harbor.example.com", "Alex", "User", applicant.company_id, Role.ACCOUNT_USER, UserStatus.ACTIVE
    )
    colleague_cookie = session_for(aws["table"], colleague.id)
    assert access_categories(colleague_cookie) == []

    answer = decide(staff[1], applicant.application_id, "scanners", "approve", "Welcome aboard.")
    assert (
        answer.status == 200 and answer.body["message"] == "Scanners is approved; the Management Contact was emailed."
    )
    states = {c["slug"]: c for c in answer.body["application"]["categories"]}
    assert states["scanners"]["status"] == "approved" and states["scanners"]["note"] == "Welcome aboard."
    assert states["scanners"]["decided_at"] and states["pos"]["status"] == "submitted"

    assert Accounts(Store(aws["table"])).company(applicant.company_id).categories == ("scanners",)
    assert access_categories(colleague_cookie) == ["scanners"]
    assert access_categories(applicant.cookie) == ["scanners"]

    dashboard = call("GET", "/api/applications", cookie=applicant.cookie).body["sections"]
    assert [r["slug"] for r in dashboard["approved"]] == ["scanners"]
    assert dashboard["approved"][0]["page"] == "/products/scanners/"
    assert [r["slug"] for r in dashboard["submitted"]] == ["pos"]

    email = [m for m in sent_emails() if m["Subject"] == "Scanners: application approved"]
    assert len(email) == 1 and "jane.doe@harbor.example.com" in email[0]["To"]
    assert "http://127.0.0.1:8000/products/scanners/" in email[0].get_content()
    assert "Welcome aboard." in email[0].get_content()


def test_declining_needs_a_reason_which_the_company_sees(aws, staff):
    applicant = submitted_applicant(aws["table"])
    before = business_items(aws["table"])
    missing = decide(staff[1], applicant.application_id, "pos", "decline", "  ")
    assert missing.status == 422
    assert missing.body["errors"] == [
        {"field": "note", "message": "Note to the applicant is required when you decline: tell the applicant why."}
    ]
    assert business_items(aws["table"]) == before

    answer = decide(staff[1], applicant.application_id, "pos", "decline", "No showroom in your region yet.")
    assert answer.status == 200
    dashboard = call("GET", "/api/applications", cookie=applicant.cookie).body["sections"]
    assert dashboard["declined"] == [
        {
            "slug": "pos",
            "name": "POS",
            "status": "declined",
            "status_label": "Declined",
            "application_id": applicant.application_id,
            "reason": "No showroom in your region yet.",
        }
    ]
    assert access_categories(applicant.cookie) == []
    email = next(m for m in sent_emails() if m["Subject"] == "POS: application declined").get_content()
    assert "No showroom in your region yet." in email and "/account/dashboard/" in email


@pytest.mark.parametrize(
    ("category", "decision", "status", "words"),
    [
        ("scanners", "decline", 409, "Scanners was already approved on"),
        ("scanners", "approve", 409, "a decision is final"),
        ("storage", "approve", 422, '"storage" is not in this application'),
        ("scanners", "maybe", 422, "Decision must be one of the listed choices"),
    ],
    ids=["decline-after-approve", "approve-twice", "other-category", "unknown-decision"],
)
def test_a_decided_or_unknown_category_is_refused_and_nothing_changes(aws, staff, category, decision, status, words):
    applicant = submitted_applicant(aws["table"])
    assert decide(staff[1], applicant.application_id, "scanners", "approve").status == 200
    before = business_items(aws["table"])
    answer = decide(staff[1], applicant.application_id, category, decision, "A reason.")
    assert answer.status == status
    said = " ".join([answer.body["message"], *(e["message"] for e in answer.body.get("errors", []))])
    assert words in said, answer.body
    assert business_items(aws["table"]) == before


def test_a_category_not_yet_submitted_cannot_be_decided(aws, staff):
    applicant = start_applicant(aws["table"])
    before = business_items(aws["table"])
    answer = decide(staff[1], applicant.application_id, "scanners", "approve")
    assert answer.status == 409 and "has not been submitted yet" in answer.body["message"]
    assert business_items(aws["table"]) == before


def test_a_decision_from_a_stale_page_is_refused_with_the_current_version(aws, staff):
    applicant = submitted_applicant(aws["table"])
    seen = call("GET", f"/api/staff/applications/{applicant.application_id}", cookie=staff[1]).body["application"]
    assert decide(staff[1], applicant.application_id, "scanners", "approve", version=seen["version"]).status == 200
    before = business_items(aws["table"])
    late = decide(staff[1], applicant.application_id, "pos", "approve", version=seen["version"])
    assert late.status == 409 and late.body["version"] == seen["version"] + 1
    assert business_items(aws["table"]) == before


def test_unknown_applications_are_not_found(aws, staff):
    for application_id in ("0000000000000000", "not-an-id", "x" * 80):
        assert call("GET", f"/api/staff/applications/{application_id}", cookie=staff[1]).status == 404
        assert decide(staff[1], application_id, "pos", "approve", version=1).status == 404


def test_every_change_and_decision_is_in_the_audit_trail_shown_to_staff(aws, staff):
    applicant = submitted_applicant(aws["table"])
    decide(staff[1], applicant.application_id, "scanners", "approve", "Fine.")
    decide(staff[1], applicant.application_id, "pos", "decline", "Not yet.")
    view = call("GET", f"/api/staff/applications/{applicant.application_id}", cookie=staff[1]).body["application"]
    trail = [(e["action"], e["actor"], e["actor_role"], e["actor_role_label"], e["version"]) for e in view["audit"]]
    assert trail == [
        ("created", "jane.doe@harbor.example.com", "management_contact", "Management Contact", 1),
        ("saved step 3", "jane.doe@harbor.example.com", "management_contact", "Management Contact", 2),
        ("submitted", "jane.doe@harbor.example.com", "management_contact", "Management Contact", 3),
        ("approved", "casey.channel@example.com", "channel_team", "Channel team", 4),
        ("declined", "casey.channel@example.com", "channel_team", "Channel team", 5),
    ]
    assert view["audit"][4]["details"] == {"category": "pos", "note": "Not yet."}
    assert all(e["at"].endswith("+00:00") for e in view["audit"])
    assert view["contacts"] == [{"name": "Jane Doe", "email": "jane.doe@harbor.example.com", "phone": "555-010-0199"}]
    assert view["company"]["authorized"] == ["scanners"] and view["state"] == "decided"
    assert view["company"]["authorized_categories"] == [{"slug": "scanners", "name": "Scanners"}]
    assert view["state_label"] == "Decided"
    assert "audit" not in applicant.get(), "the trail is for staff"


def test_approving_a_category_the_company_already_holds_still_records_the_decision(aws, staff):
    from portal.accounts import Accounts
    from portal.store import Store

    applicant = submitted_applicant(aws["table"])
    accounts = Accounts(Store(aws["table"]))
    accounts.store.update(f"COMPANY#{applicant.company_id}", "PROFILE", {"categories": ["scanners"]})
    assert decide(staff[1], applicant.application_id, "scanners", "approve").status == 200
    assert accounts.company(applicant.company_id).categories == ("scanners",)


def test_a_conditional_write_really_refuses_a_stale_version(aws):
    """moto has been wrong before: prove the version condition rejects, and the audit entry with it."""
    from dataclasses import replace

    from portal.application_records import ApplicationRecords, StaleApplication
    from portal.audit import Actor, AuditEntry
    from portal.store import Store

    applicant = start_applicant(aws["table"])
    records = ApplicationRecords(Store(aws["table"]))
    current = records.get(applicant.application_id)
    actor = Actor("tester", "tester", "channel_team")
    newer = replace(current, version=current.version + 1)
    records.replace(current, newer, AuditEntry("2026-01-01T00:00:00+00:00", actor, "first", {}, newer.version))
    before = business_items(aws["table"])
    with pytest.raises(StaleApplication) as refused:
        records.replace(current, newer, AuditEntry("2026-01-01T00:00:01+00:00", actor, "second", {}, newer.version))
    assert refused.value.current.version == newer.version
    assert business_items(aws["table"]) == before
