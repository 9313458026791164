"""Saving the steps in order, stale copies, submission, who may act, and applying for more categories."""

from __future__ import annotations

import pytest
from application_support import (
    POS_ANSWERS,
    SCANNER_ANSWERS,
    USER_INFORMATION,
    business_items,
    call,
    session_for,
    start_applicant,
    submitted_applicant,
)
from helpers import sent_emails


def test_steps_are_saved_in_order_and_skipping_ahead_is_refused(aws):
    applicant = start_applicant(aws["table"])
    contact = applicant.cookie
    more = call("POST", "/api/applications", {"categories": ["wireless"]}, cookie=contact)
    assert more.status == 201, more.body
    fresh = more.body["application"]
    assert [s["done"] for s in fresh["steps"]] == [True, False, False, False]
    path = f"/api/applications/{fresh['id']}"
    before = business_items(aws["table"])
    skipped = call("PUT", f"{path}/product-information", {"version": 1, "answers": {}}, cookie=contact)
    assert skipped.status == 409 and "Complete step 2, User Information, first" in skipped.body["message"]
    submitted = call("POST", f"{path}/submit", {"version": 1, "accept_guidelines": True}, cookie=contact)
    assert submitted.status == 409 and "step 2" in submitted.body["message"]
    assert business_items(aws["table"]) == before


def test_two_tabs_saving_the_same_step_the_stale_one_is_refused_with_the_current_version(aws):
    applicant = start_applicant(aws["table"])
    loaded = applicant.version()  # both tabs opened step 2 at this version
    tab_a = applicant.put("user-information", {**USER_INFORMATION, "first_name": "Janet"}, version=loaded)
    assert tab_a.status == 200 and tab_a.body["application"]["version"] == loaded + 1
    before = business_items(aws["table"])
    tab_b = applicant.put("user-information", {**USER_INFORMATION, "first_name": "Jo"}, version=loaded)
    assert tab_b.status == 409
    assert "changed elsewhere" in tab_b.body["message"] and "nothing changed" in tab_b.body["message"]
    assert tab_b.body["version"] == loaded + 1
    assert tab_b.body["application"]["user_information"]["first_name"] == "Janet"
    assert business_items(aws["table"]) == before


def test_a_second_submission_of_the_same_step_is_refused_and_changes_nothing(aws):
    applicant = start_applicant(aws["table"])
    body = {"answers": {"scanners": SCANNER_ANSWERS, "pos": POS_ANSWERS}}
    version = applicant.version()
    assert applicant.put("product-information", body, version=version).status == 200
    before = business_items(aws["table"])
    assert applicant.put("product-information", body, version=version).status == 409
    assert business_items(aws["table"]) == before


def test_submitting_twice_or_saving_after_submission_is_refused(aws):
    applicant = submitted_applicant(aws["table"])
    application = applicant.get()
    assert application["state"] == "submitted" and application["editable"] is False
    assert {c["status"] for c in application["categories"]} == {"submitted"}
    before = business_items(aws["table"])
    again = applicant.submit(version=application["version"])
    assert again.status == 409 and "submitted on" in again.body["message"]
    edit = applicant.put("user-information", USER_INFORMATION, version=application["version"])
    assert edit.status == 409
    assert business_items(aws["table"]) == before


def test_submitting_needs_the_guidelines_accepted(aws):
    applicant = start_applicant(aws["table"])
    applicant.put("product-information", {"answers": {"scanners": SCANNER_ANSWERS, "pos": POS_ANSWERS}})
    answer = applicant.submit(accept=False)
    assert answer.status == 422
    assert answer.body["errors"] == [
        {
            "field": "accept_guidelines",
            "message": "Program guidelines must be accepted before you submit: tick the box.",
        }
    ]
    assert applicant.get()["state"] == "incomplete"


def test_submitting_tells_the_channel_team(aws):
    submitted_applicant(aws["table"])
    notice = [m for m in sent_emails() if m["Subject"] == "Application to review: Harbor Tech Resellers"]
    assert len(notice) == 1 and "/staff/applications/?application=" in notice[0].get_content()


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"scanners": {**SCANNER_ANSWERS, "annual-units": "lots"}}, "answers.scanners.annual-units", "whole number"),
        ({"scanners": {**SCANNER_ANSWERS, "annual-units": 100001}}, "answers.scanners.annual-units", "at most 100,000"),
        ({"scanners": {**SCANNER_ANSWERS, "capture-software": ""}}, "answers.scanners.capture-software", "is required"),
        ({"scanners": {**SCANNER_ANSWERS, "scanner-classes": ["Huge"]}}, "answers.scanners.scanner-classes", "listed"),
        ({"pos": {**POS_ANSWERS, "software-partners": "x" * 201}}, "answers.pos.software-partners", "at most 200"),
        ({"scanners": {**SCANNER_ANSWERS, "favourite-colour": "blue"}}, "answers.scanners", "not one of the questions"),
        ({"storage": {"years-selling": 1}}, "answers", '"storage" is not a product category of this application'),
    ],
    ids=["not-a-number", "too-big", "required", "unknown-choice", "oversize", "unknown-question", "other-category"],
)
def test_product_answers_are_checked_against_the_content_data(aws, answers, field, words):
    applicant = start_applicant(aws["table"])
    body = {"answers": {"scanners": SCANNER_ANSWERS, "pos": POS_ANSWERS} | answers}
    before = business_items(aws["table"])
    answer = applicant.put("product-information", body)
    assert answer.status == 422, answer.body
    messages = {e["field"]: e["message"] for e in answer.body["errors"]}
    assert words in messages[field], messages
    assert business_items(aws["table"]) == before


def test_each_product_answer_problem_names_its_category_and_question(aws):
    applicant = start_applicant(aws["table"])
    scanners = {**SCANNER_ANSWERS, "annual-units": "250000", "capture-software": ""}
    pos = {**POS_ANSWERS, "software-partners": "x" * 1_234, "verticals": ["Zoos"]}
    answer = applicant.put("product-information", {"answers": {"scanners": scanners, "pos": pos}})
    assert answer.status == 422, answer.body
    assert {e["field"]: e["message"] for e in answer.body["errors"]} == {
        "answers.scanners.capture-software": (
            "Scanners: Do you install document capture software? An answer is required."
        ),
        "answers.scanners.annual-units": (
            "Scanners: How many scanners do you expect to sell per year? Enter a number of at most 100,000."
        ),
        "answers.pos.verticals": (
            "POS: Which retail and hospitality segments do you serve? Choose only from the listed answers."
        ),
        "answers.pos.software-partners": (
            "POS: Which POS software do you install most often? Use at most 200 characters (this answer has 1,234)."
        ),
    }


def test_product_answers_are_stored_cleaned(aws):
    applicant = start_applicant(aws["table"])
    optional = {**POS_ANSWERS}
    applicant.put("product-information", {"answers": {"scanners": SCANNER_ANSWERS, "pos": optional}})
    stored = applicant.get()["product_answers"]
    assert stored["scanners"] == {
        "years-selling": 4,
        "scanner-classes": ["Workgroup"],
        "capture-software": True,
        "annual-units": 300,
    }
    review = {s["title"]: s["rows"] for s in applicant.get()["review"]}
    assert {"label": "Do you install document capture software?", "value": "Yes"} in review[
        "Product Information: Scanners"
    ]


def test_changing_the_categories_reopens_step_3_and_drops_answers_of_removed_ones(aws):
    applicant = start_applicant(aws["table"])
    applicant.put("product-information", {"answers": {"scanners": SCANNER_ANSWERS, "pos": POS_ANSWERS}})
    assert applicant.get()["next_step"]["id"] == "complete"
    applicant.put("categories", {"categories": ["scanners"]})
    application = applicant.get()
    assert application["next_step"]["id"] == "complete" and set(application["product_answers"]) == {"scanners"}
    applicant.put("categories", {"categories": ["scanners", "wireless"]})
    assert applicant.get()["next_step"]["id"] == "product-information"


# ---- who may act ----


def test_another_company_cannot_see_or_change_an_application(aws):
    applicant = start_applicant(aws["table"])
    other = start_applicant(aws["table"], email="owner@other.example.org", company_name="Other Reseller Inc")
    before = business_items(aws["table"])
    path = f"/api/applications/{applicant.application_id}"
    assert call("GET", path, cookie=other.cookie).status == 404
    for method, suffix, body in [
        ("PUT", "/categories", {"version": 1, "categories": ["pos"]}),
        ("PUT", "/user-information", {"version": 1, **USER_INFORMATION}),
        ("PUT", "/product-information", {"version": 1, "answers": {}}),
        ("POST", "/submit", {"version": 1, "accept_guidelines": True}),
    ]:
        answer = call(method, path + suffix, body, cookie=other.cookie)
        assert answer.status == 404 and answer.body["message"] == "There is no such application for your company."
    assert call("GET", "/api/applications/0000000000000000", cookie=other.cookie).status == 404
    assert business_items(aws["table"]) == before


def test_only_the_management_contact_changes_applications(aws):
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    applicant = start_applicant(aws["table"])
    colleague = Accounts(Store(aws["table"])).create_user(
        "alex@harbor.example.com", "Alex", "User", applicant.company_id, Role.ACCOUNT_USER, UserStatus.ACTIVE
    )
    cookie = session_for(aws["table"], colleague.id)
    assert call("GET", f"/api/applications/{applicant.application_id}", cookie=cookie).status == 200
    dashboard = call("GET", "/api/applications", cookie=cookie)
    assert dashboard.status == 200 and dashboard.body["can_apply"] is False
    answer = call(
        "PUT",
        f"/api/applications/{applicant.application_id}/categories",
        {"version": 1, "categories": ["pos"]},
        cookie=cookie,
    )
    assert answer.status == 403 and "Management Contact" in answer.body["message"]
    assert call("POST", "/api/applications", {"categories": ["wireless"]}, cookie=cookie).status == 403


def test_signed_out_requests_are_refused(aws):
    applicant = start_applicant(aws["table"])
    assert call("GET", "/api/applications").status == 401
    assert call("GET", f"/api/applications/{applicant.application_id}").status == 401
    assert call("POST", "/api/applications", {"categories": ["pos"]}).status == 401


# ---- more categories ----


def test_a_company_applies_for_more_categories_with_its_details_prefilled(aws):
    applicant = submitted_applicant(aws["table"])
    more = call("POST", "/api/applications", {"categories": ["wireless", "wireless"]}, cookie=applicant.cookie)
    assert more.status == 201
    application = more.body["application"]
    assert [c["slug"] for c in application["categories"]] == ["wireless"]
    assert application["user_information"]["street"] == "1 Harbor Way"
    assert application["next_step"]["id"] == "user-information"


@pytest.mark.parametrize(
    ("category", "words"),
    [("scanners", "Scanners is already in review."), ("pos", "POS is already in review.")],
    ids=["in-review", "in-review-too"],
)
def test_a_category_in_review_cannot_be_applied_for_again(aws, category, words):
    applicant = submitted_applicant(aws["table"])
    answer = call("POST", "/api/applications", {"categories": [category]}, cookie=applicant.cookie)
    assert answer.status == 422 and answer.body["errors"][0]["message"] == words


def test_held_and_unfinished_categories_cannot_be_applied_for_again(aws):
    applicant = start_applicant(aws["table"])
    from portal.accounts import Accounts
    from portal.store import Store

    Accounts(Store(aws["table"])).store.update(f"COMPANY#{applicant.company_id}", "PROFILE", {"categories": ["pos"]})
    answer = call("POST", "/api/applications", {"categories": ["pos", "scanners"]}, cookie=applicant.cookie)
    assert answer.status == 422
    message = answer.body["errors"][0]["message"]
    assert "POS is already authorized for your company." in message
    assert "Scanners is already in another incomplete application" in message


def test_the_company_name_cannot_be_changed_in_step_2(aws):
    applicant = start_applicant(aws["table"])
    answer = applicant.put("user-information", {**USER_INFORMATION, "company_name": "Renamed Inc"})
    assert answer.status == 422 and answer.body["errors"][0]["field"] == "company_name"
    ok = applicant.put("user-information", {**USER_INFORMATION, "company_name": "harbor tech RESELLERS"})
    assert ok.status == 200 and ok.body["application"]["user_information"]["company_name"] == "Harbor Tech Resellers"


def test_the_dashboard_files_each_category_in_one_section(aws):
    applicant = submitted_applicant(aws["table"])
    call("POST", "/api/applications", {"categories": ["wireless"]}, cookie=applicant.cookie)
    dashboard = call("GET", "/api/applications", cookie=applicant.cookie).body
    sections = {name: [row["slug"] for row in rows] for name, rows in dashboard["sections"].items()}
    assert sections["submitted"] == ["pos", "scanners"]
    assert sections["incomplete"] == ["wireless"] and sections["approved"] == sections["declined"] == []
    assert len(sections["other"]) == 12 and "wireless" not in sections["other"]
    incomplete = dashboard["sections"]["incomplete"][0]
    assert incomplete["next_step"]["page"].startswith("/apply/user-information/?application=")
    assert dashboard["can_apply"] is True
