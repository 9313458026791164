"""A new reseller's first save (steps 1 and 2): the company, its contact, the link, and every refusal."""

from __future__ import annotations

import re

import pytest
from application_support import USER_INFORMATION, business_items, call, new_reseller, session_for, start_applicant
from helpers import sent_emails


def test_the_first_save_creates_the_company_its_contact_and_the_application(aws):
    answer = call("POST", "/api/applications/start", new_reseller())
    assert answer.status == 201, answer.body
    assert answer.body["masked_email"] == "j***e@h***e.com" and answer.body["link_sent"] is True

    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(aws["table"]))
    user = accounts.find_by_email("Jane.Doe@Harbor.example.com")
    assert (user.role, user.status, user.first_name, user.title) == (
        Role.MANAGEMENT_CONTACT,
        UserStatus.MUST_SET_PASSWORD,
        "Jane",
        "Ms.",
    )
    assert user.password_hash is None
    company = accounts.company(user.company_id)
    assert company.name == "Harbor Tech Resellers" and company.categories == ()
    assert company.details["company_phone"] == "+1 555 010 0100" and company.details["employees"] == 40

    cookie = session_for(aws["table"], user.id)
    application = call("GET", f"/api/applications/{answer.body['application_id']}", cookie=cookie).body["application"]
    assert application["version"] == 1 and application["state"] == "incomplete"
    assert [s["done"] for s in application["steps"]] == [True, True, False, False]
    assert application["next_step"]["page"] == f"/apply/product-information/?application={application['id']}"
    assert [(c["slug"], c["status"]) for c in application["categories"]] == [
        ("scanners", "incomplete"),
        ("pos", "incomplete"),
    ]
    assert application["user_information"]["employees"] == 40 and application["user_information"]["referred"] is True


def test_the_emailed_link_confirms_the_address_and_lets_the_contact_set_a_password(aws):
    call("POST", "/api/applications/start", new_reseller(email="pat@harbor.example.com"))
    message = [m for m in sent_emails() if "pat@harbor.example.com" in m["To"]][-1]
    assert message["Subject"] == "Confirm your email to continue your application"
    assert "Scanners" in message.get_content() and "POS" in message.get_content()
    user_id, token = _link(message.get_content())
    # After choosing the password the applicant lands on My Dashboard, where step 3 waits.
    assert f"/account/one-time-login/?next=%2Faccount%2Fdashboard%2F#{user_id}.{token}" in message.get_content()

    from portal.wiring import sign_in

    service = sign_in()
    assert service.preview_link(user_id, token) == "p***t@h***e.com"
    session = service.use_link(user_id, token)
    cookie = service.change_password(service.identity(session), "copper meadow signal forty", None)
    assert service.identity(cookie).user.status.value == "active"


def _link(text: str) -> tuple[str, str]:
    found = re.search(r"/account/one-time-login/(?:\?[^#\s]*)?#([0-9a-f]+)\.([A-Za-z0-9_\-]+)", text)
    assert found, text
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("example.ch", "https://example.ch"),
        ("www.example.ch/shop", "https://www.example.ch/shop"),
        ("example.ch:8443", "https://example.ch:8443"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://Example.com", "HTTPS://Example.com"),
        ("", ""),
    ],
)
def test_a_website_without_https_is_accepted_and_kept_with_it(aws, typed, kept):
    answer = call("POST", "/api/applications/start", new_reseller(website=typed))
    assert answer.status == 201, answer.body
    user_id = _link([m for m in sent_emails() if "jane.doe" in m["To"].lower()][-1].get_content())[0]
    application = call(
        "GET", f"/api/applications/{answer.body['application_id']}", cookie=session_for(aws["table"], user_id)
    )
    assert application.body["application"]["user_information"]["website"] == kept


def test_a_second_first_save_with_the_same_email_is_a_409_and_creates_nothing(aws):
    assert call("POST", "/api/applications/start", new_reseller()).status == 201
    before = business_items(aws["table"])
    again = call("POST", "/api/applications/start", new_reseller(email="JANE.DOE@harbor.example.com "))
    assert again.status == 409
    assert again.body["message"] == "An account with this email address already exists."
    assert business_items(aws["table"]) == before


def test_a_company_name_in_use_is_refused_on_its_field_and_creates_nothing(aws):
    call("POST", "/api/applications/start", new_reseller())
    before = business_items(aws["table"])
    again = call(
        "POST",
        "/api/applications/start",
        new_reseller(email="other@example.org", company_name="harbor  TECH resellers"),
    )
    assert again.status == 422
    assert again.body["errors"][0]["field"] == "company_name"
    assert business_items(aws["table"]) == before


def test_a_taken_email_and_company_name_are_told_with_the_other_refusals(aws):
    call("POST", "/api/applications/start", new_reseller())
    before = business_items(aws["table"])
    again = call(
        "POST",
        "/api/applications/start",
        new_reseller(email="JANE.DOE@harbor.example.com", company_name="harbor  TECH resellers", employees="0"),
    )
    assert again.status == 422, again.body
    assert {(e["field"], e["message"], e.get("code")) for e in again.body["errors"]} == {
        ("employees", "Number of employees: enter a number of 1 or more.", None),
        ("email", "An account with this email address already exists.", "account_exists"),
        (
            "company_name",
            "A company with this name already uses the portal. Ask its Management Contact to add you as a user, "
            "or contact Reseller Support.",
            None,
        ),
    }
    assert business_items(aws["table"]) == before


def test_a_taken_email_alone_is_still_a_409_and_a_free_one_is_not_mentioned(aws):
    call("POST", "/api/applications/start", new_reseller())
    free = call(
        "POST", "/api/applications/start", new_reseller(email="new@example.org", company_name="New Co", city="")
    )
    assert free.status == 422 and {e["field"] for e in free.body["errors"]} == {"city"}
    taken = call("POST", "/api/applications/start", new_reseller(company_name="New Co"))
    assert taken.status == 409 and taken.body["message"] == "An account with this email address already exists."


def test_taken_lookups_alongside_other_refusals_stop_after_40_from_one_address(aws):
    call("POST", "/api/applications/start", new_reseller())
    for n in range(40):
        call("POST", "/api/applications/start", new_reseller(email=f"x{n}@example.org", city=""))
    answer = call("POST", "/api/applications/start", new_reseller(city=""))
    assert answer.status == 422 and {e["field"] for e in answer.body["errors"]} == {"city"}
    elsewhere = call("POST", "/api/applications/start", new_reseller(city=""), source_ip="198.51.100.7")
    assert {e["field"] for e in elsewhere.body["errors"]} == {"city", "email", "company_name"}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"categories": ["scanners", "storag"]}, "categories", '"storag" is not one of the product categories'),
        ({"categories": []}, "categories", "choose at least one product category"),
        ({"categories": "scanners"}, "categories", "must be a list"),
        ({"categories": [f"c{i}" for i in range(16)]}, "categories", "at most 15"),
        ({"first_name": "J" * 81}, "first_name", "First name must be at most 80 characters"),
        ({"company_name": "C" * 151}, "company_name", "Company name must be at most 150 characters"),
        ({"email": "not-an-address"}, "email", "Email needs an @-sign"),
        ({"phone": "call me"}, "phone", "Phone should be 7 to 25 digits"),
        ({"title": "King"}, "title", "Title must be one of the listed choices"),
        (
            {"website": "ftp://example.com"},
            "website",
            'Website must be a web address starting with https:// or http://, not "ftp://"',
        ),
        ({"website": "javascript:alert(1)"}, "website", "other kinds of links are not accepted"),
        ({"website": "not a website"}, "website", "Website is not a web address: write it like www.example.com"),
        ({"website": "example"}, "website", "Website is not a web address"),
        ({"website": "https://"}, "website", "Website is not a web address"),
        (
            {"employees": "many"},
            "employees",
            "Number of employees: enter a whole number, digits only (for example 12).",
        ),
        ({"employees": "0"}, "employees", "Number of employees: enter a number of 1 or more."),
        ({"sales_staff": "41"}, "sales_staff", "Sales staff cannot be more than the number of employees"),
        ({"referred": "maybe"}, "referred", "choose Yes or No"),
        ({"representative_name": ""}, "representative_name", "is required when a sales representative referred you"),
        ({"city": "Spring\nfield"}, "city", "single line"),
        ({"homepage": "x"}, "homepage", "not part of the form"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_bad_field_gets_its_own_message_and_nothing_is_created(aws, changes, field, words):
    answer = call("POST", "/api/applications/start", new_reseller(**changes))
    assert answer.status == 422, answer.body
    messages = {e["field"]: e["message"] for e in answer.body["errors"]}
    assert words in messages[field], messages
    assert business_items(aws["table"]) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"employees": "99999999999"}, "employees", "Number of employees: enter a number of at most 1,000,000."),
        ({"employees": "1000001"}, "employees", "Number of employees: enter a number of at most 1,000,000."),
        ({"employees": "9" * 5000}, "employees", "Number of employees: enter a number of at most 1,000,000."),
        ({"years_in_business": "-5"}, "years_in_business", "Years in business: enter a number of 0 or more."),
        ({"years_in_business": "501"}, "years_in_business", "Years in business: enter a number of at most 500."),
        ({"sales_staff": "-1"}, "sales_staff", "Sales staff: enter a number of 0 or more."),
        (
            {"technical_staff": "12.5"},
            "technical_staff",
            "Technical and service staff: enter a whole number, digits only (for example 12).",
        ),
        ({"employees": "1e3"}, "employees", "Number of employees: enter a whole number, digits only (for example 12)."),
        (
            {"employees": "\u00b2"},
            "employees",
            "Number of employees: enter a whole number, digits only (for example 12).",
        ),
        ({"employees": True}, "employees", "Number of employees: enter a whole number, digits only (for example 12)."),
    ],
    ids=lambda v: v[:20] if isinstance(v, str) else None,
)
def test_a_number_out_of_range_is_told_its_limit_not_to_use_digits(aws, changes, field, message):
    answer = call("POST", "/api/applications/start", new_reseller(**changes))
    assert answer.status == 422, answer.body
    messages = {e["field"]: e["message"] for e in answer.body["errors"]}
    assert messages[field] == message


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("jane.doe.example.com", "Email needs an @-sign: use the form name@company.com."),
        ("@example.com", "Email needs the name before the @-sign: use the form name@company.com."),
        ("jane@", "Email needs the company's domain after the @-sign: use the form name@company.com."),
        ("jane@a@example.com", "Email has more than one @-sign: use the form name@company.com."),
        (
            "jane@localhost",
            "Email needs a domain with a period after the @-sign, as in name@company.com.",
        ),
        ("jane@exam_ple.com", 'Email has a part after the @-sign that is not a domain: write it like "company.com".'),
        (
            "jane@" + "x" * 64 + ".com",
            "Email has a part after the @-sign with more than 63 characters between two periods; shorten it.",
        ),
        (
            "Jürgï@example.com",
            "Email has characters that are not allowed before the @-sign: 'ï', 'ü'; retype the address without them.",
        ),
        (
            "jane doe@example.com",
            "Email has characters that are not allowed before the @-sign: a space; retype the address without them.",
        ),
        ("j" * 250 + "@example.com", "Email must be at most 254 characters; shorten it and try again."),
        (".jane@example.com", "Email is not a valid address: use the form name@company.com."),
    ],
    ids=lambda v: v[:24],
)
def test_a_bad_email_is_told_what_is_wrong_in_the_portals_words(aws, email, message):
    answer = call("POST", "/api/applications/start", new_reseller(email=email))
    assert answer.status == 422, answer.body
    assert {e["field"]: e["message"] for e in answer.body["errors"]}["email"] == message


def test_an_empty_form_names_every_required_field(aws):
    answer = call("POST", "/api/applications/start", {})
    assert answer.status == 422
    fields = {e["field"] for e in answer.body["errors"]}
    required = {name for name in USER_INFORMATION if name not in {"website", "representative_name"}}
    assert required | {"categories", "email"} <= fields


def test_not_referred_keeps_no_representative_name(aws):
    applicant = start_applicant(aws["table"], referred="no", representative_name="Someone")
    assert applicant.get()["user_information"]["representative_name"] == ""


def test_too_many_new_applications_from_one_address_are_refused(aws):
    for n in range(10):
        call("POST", "/api/applications/start", new_reseller(email=f"a{n}@example.org", company_name=f"Co {n}"))
    answer = call("POST", "/api/applications/start", new_reseller(email="late@example.org", company_name="Late Co"))
    assert answer.status == 429 and "Too many applications" in answer.body["message"]
    other = call(
        "POST",
        "/api/applications/start",
        new_reseller(email="elsewhere@example.org", company_name="Else Co"),
        source_ip="198.51.100.7",
    )
    assert other.status == 201
