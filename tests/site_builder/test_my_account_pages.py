"""The built My Account pages: gated, forms drawn from the account API's models, accessible tables."""

from __future__ import annotations

import json
import re

import pytest

PAGES = ["", "profile/", "company/", "users/", "audit/"]


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def form(page: str, name: str) -> str:
    start = page.find(f'<form class="portal-form" id="form-{name}"')
    assert start != -1, f"no form {name}"
    return page[start : page.find("</form>", start)]


def article(page: str) -> str:
    return page[page.find("<article") : page.find("</article>")]


def test_my_account_pages_are_for_signed_in_users_and_the_confirmation_page_is_public(built_site):
    manifest = json.loads(read(built_site, "access-manifest.json"))
    for path in PAGES:
        assert manifest["paths"][f"/account/{path}"] == "signed-in"
    assert manifest["paths"]["/account/confirm-email/"] == "public", "the link may be opened in any browser"
    confirm = read(built_site, "account/confirm-email/index.html")
    assert '<meta name="referrer" content="no-referrer">' in confirm


@pytest.mark.parametrize("path", [*PAGES, "confirm-email/"])
def test_no_inline_scripts_and_the_page_script_is_loaded(built_site, path):
    page = read(built_site, f"account/{path}index.html")
    assert "<script" not in article(page)
    assert "assets/javascripts/portal-my-account.js" in page
    assert re.search(r"<(a|button|input)[^>]*\son\w+=", article(page)) is None, "no inline event handlers"


def test_the_profile_form_holds_only_what_a_person_may_change(built_site):
    profile = form(read(built_site, "account/profile/index.html"), "profile")
    assert 'data-method="PATCH"' in profile and 'action="/api/account/profile"' in profile
    assert "data-keep-values" in profile
    names = set(re.findall(r'name="([a-z_]+)"', profile))
    assert names == {"title", "first_name", "last_name", "phone"}, "never role, status, company or email"
    assert '<option value="Dr.">Dr.</option>' in profile
    email = form(read(built_site, "account/profile/index.html"), "email-change")
    assert 'autocomplete="current-password"' in email and 'name="new_email" type="email"' in email
    assert 'href="../set-password/?next=/account/profile/"' in read(built_site, "account/profile/index.html")


def test_the_add_user_form_offers_only_the_two_roles_an_admin_may_give(built_site):
    users = read(built_site, "account/users/index.html")
    add = form(users, "add-user")
    assert " hidden" in add.split(">", 1)[0], "shown by ADD RESELLER ACCOUNT USER / ADMIN"
    role = add[add.find('<select id="f-role"') : add.find("</select>", add.find('<select id="f-role"'))]
    assert re.findall(r'<option value="([a-z_]+)">', role) == ["account_user", "reseller_admin"]
    for label in ("Email address", "Title", "First name", "Last name", "Phone"):
        assert f">{label} <span" in add
    assert "ADD RESELLER ACCOUNT USER" in users and "ADD RESELLER ACCOUNT ADMIN" in users


def test_the_company_form_has_the_application_details_but_not_the_name(built_site):
    company = read(built_site, "account/company/index.html")
    details = form(company, "company")
    names = set(re.findall(r'name="([a-z_]+)"', details))
    assert {"street", "city", "postal_code", "company_phone", "website", "employees", "annual_revenue"} <= names
    assert "name" not in names and "company_name" not in names
    assert 'name="employees" type="number"' in details
    name_change = form(company, "name-change")
    assert 'action="/api/account/company/name-change"' in name_change and "<textarea" in name_change


@pytest.mark.parametrize(("path", "caption"), [("users/", "Users of your company"), ("audit/", "Changes to your")])
def test_tables_have_a_caption_and_column_headers(built_site, path, caption):
    page = article(read(built_site, f"account/{path}index.html"))
    assert re.search(rf"<caption>{caption}", page)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert len(headers) >= 5
    if path == "users/":
        assert headers == ["TechID", "First Name", "Last Name", "E-mail", "Roles", "Active", "Actions"]


def test_the_header_links_to_my_account(built_site):
    home = read(built_site, "index.html")
    assert re.search(r'data-portal-account[^>]*data-my-account-url="account/"', home)
