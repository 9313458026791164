"""Company Information, name change requests and the Management Contact role, through the real handler."""

from __future__ import annotations

import pytest
from account_world import COMPANY_DETAILS, build_world, call, cookie, mails_to, snapshot


@pytest.fixture
def world(aws):
    """Companies A and B, the Channel team, and a session for each acting role."""
    return build_world(aws["table"])


@pytest.fixture
def table(aws):
    """The emulated table."""
    return aws["table"]


def test_staff_move_the_management_contact_role(world, table):
    a = world["company_a"]
    status, body = call(
        "POST",
        f"/api/account/companies/{a.id}/management-contact",
        {"user_id": world["admin_a"].id},
        cookie(world, "channel_team"),
    )
    assert status == 200 and body["user"]["role"] == "management_contact"
    assert world["accounts"].user(world["contact_a"].id).role.value == "reseller_admin"
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    assert trail["entries"][0]["action"] == "management_contact_moved"
    assert trail["entries"][0]["changes"][0]["before"] == "Morgan Contact"

    before = snapshot(table)
    blocked = call(
        "POST",
        f"/api/account/companies/{a.id}/management-contact",
        {"user_id": world["blocked_a"].id},
        cookie(world, "channel_team"),
    )
    assert blocked[0] == 409
    elsewhere = call(
        "POST",
        f"/api/account/companies/{a.id}/management-contact",
        {"user_id": world["admin_b"].id},
        cookie(world, "channel_team"),
    )
    assert elsewhere[0] == 422 and elsewhere[1]["errors"][0]["field"] == "user_id"
    assert snapshot(table) == before


# ---- company information ----


def test_company_information_is_saved_and_the_name_is_not_editable(world, table):
    body = {**COMPANY_DETAILS, "street": "1 New Street", "employees": "45"}
    status, answer = call("PATCH", "/api/account/company", body, cookie(world, "management_contact"))
    assert status == 200 and answer["details"]["street"] == "1 New Street" and answer["details"]["employees"] == 45
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    assert {c["field"] for c in trail["entries"][0]["changes"]} == {"street", "employees"}

    before = snapshot(table)
    status, answer = call(
        "PATCH", "/api/account/company", {**COMPANY_DETAILS, "name": "Renamed"}, cookie(world, "management_contact")
    )
    assert status == 422 and answer["errors"][0]["field"] == "name"
    status, answer = call(
        "PATCH", "/api/account/company", {**COMPANY_DETAILS, "sales_staff": 99}, cookie(world, "reseller_admin")
    )
    assert status == 422 and answer["errors"][0]["field"] == "sales_staff"
    assert snapshot(table) == before


def test_company_information_takes_a_website_without_https_and_refuses_other_links(world):
    contact = cookie(world, "management_contact")
    status, answer = call("PATCH", "/api/account/company", {**COMPANY_DETAILS, "website": "example.ch"}, contact)
    assert status == 200 and answer["details"]["website"] == "https://example.ch"
    status, answer = call("PATCH", "/api/account/company", {**COMPANY_DETAILS, "website": "mailto:a@b.ch"}, contact)
    assert status == 422 and "other kinds of links are not accepted" in answer["errors"][0]["message"]


def test_company_information_number_errors_start_with_the_field_label(world):
    body = {**COMPANY_DETAILS, "years_in_business": "-1", "employees": "0"}
    status, answer = call("PATCH", "/api/account/company", body, cookie(world, "management_contact"))
    assert status == 422
    assert {e["field"]: e["message"] for e in answer["errors"]} == {
        "years_in_business": "Years in business: enter a number of 0 or more.",
        "employees": "Number of employees: enter a number of 1 or more.",
    }


def test_a_name_change_request_goes_to_reseller_support_once(world, table):
    body = {"new_name": "Example Systems Group LLC", "reason": "We merged with a partner company last month."}
    key = {"idempotency-key": "name-change-0001-abcdef"}
    first = call("POST", "/api/account/company/name-change", body, cookie(world, "management_contact"), headers=key)
    again = call("POST", "/api/account/company/name-change", body, cookie(world, "management_contact"), headers=key)
    assert first[0] == 202 and again[0] == 202 and first[1]["reference"] == again[1]["reference"]
    [support] = mails_to("reseller.support@example.com")
    assert "Example Systems Group LLC" in support.get_content() and "Example Systems LLC" in support.get_content()
    assert world["accounts"].company(world["company_a"].id).name == "Example Systems LLC", "the name itself stays"
    _, trail = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    assert [e["action"] for e in trail["entries"]].count("name_change_requested") == 1
    same = call(
        "POST",
        "/api/account/company/name-change",
        {**body, "new_name": "example systems llc"},
        cookie(world, "reseller_admin"),
    )
    assert same[0] == 422 and same[1]["errors"][0]["field"] == "new_name"


def test_staff_find_a_company_by_name(world):
    status, body = call(
        "GET", "/api/account/companies", None, cookie(world, "channel_team"), {"name": "other reseller INC"}
    )
    assert status == 200 and body["id"] == world["company_b"].id
    assert call("GET", "/api/account/companies", None, cookie(world, "channel_team"), {"name": "Nobody Ltd"})[0] == 404
