"""Signing in, the one-time link flow, signing out and the needs-category page, in a real browser."""

from __future__ import annotations

import json
import os
import re
import urllib.request
from urllib.parse import quote

import pytest
from boto3.dynamodb.conditions import Key
from helpers import newest_email_to
from keyboard_only import tab_to
from playwright.sync_api import Page, expect
from site_walk import ErrorWatch

pytestmark = pytest.mark.browser

PASSWORD = "violet harbor lantern ninety"
NEW_PASSWORD = "copper meadow signal forty"
MIGRATED = "mig.rated@example.org"
ACTIVE = "jane.doe@example.org"
LINK = re.compile(r"https?://[^\s\"'<>]+/account/one-time-login/#[0-9a-f]+\.[A-Za-z0-9_\-]+")


@pytest.fixture
def reseller_users(portal):
    """A company with an active user (password known) and a user moved from the old portal (no password).

    moto runs inside this process (the stack started ``mock_aws``), so boto3 here reaches the
    same emulated table as the API.
    """
    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    table = boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))
    accounts = Accounts(Store(table))
    company = accounts.create_company("Example Systems LLC", ("pos", "scanners"))
    return {
        "active": accounts.create_user(
            ACTIVE,
            "Jane",
            "Doe",
            company.id,
            Role.RESELLER_ADMIN,
            UserStatus.ACTIVE,
            password_hash=passwords.hash_password(PASSWORD),
        ),
        "migrated": accounts.create_user(
            MIGRATED, "Morgan", "Reyes", company.id, Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD
        ),
    }


def one_time_link(portal, address: str) -> str:
    """The link in the newest email sent to ``address``."""
    message = newest_email_to(portal, address)
    found = LINK.search(message.get("text", "")) or LINK.search(message.get("html", ""))
    assert found, f"no one-time link in: {message.get('text')}"
    return found.group(0)


def header(page: Page):
    return page.locator("[data-portal-account]")


def sign_in(page: Page, email: str, password: str, query: str = "") -> None:
    page.goto("account/sign-in/" + query)
    form = page.locator("#form-sign-in")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()


def test_the_whole_reset_flow_of_a_user_moved_from_the_old_portal(page, portal, reseller_users):
    # Request New Password.
    page.goto("account/forgot-password/")
    page.locator("#form-forgot-password").get_by_label("Email").fill(MIGRATED.upper())
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("#form-forgot-password [data-form-result]")).to_contain_text("If an account uses that address")
    # The API only queued the request; the local stack hands the queue to the worker right after the
    # answer (and before any outbox read), so the email is there by the time the page shows the answer.
    link = one_time_link(portal, MIGRATED)
    assert link.startswith(portal.url)

    # Mail scanners fetch the link (the fragment never reaches the server): nothing may change.
    for method in ("GET", "HEAD"):
        request = urllib.request.Request(link, method=method)  # noqa: S310 (local stack)
        with urllib.request.urlopen(request) as response:  # noqa: S310
            assert response.status == 200

    # Opening the page twice shows whom the link is for, and uses nothing.
    for _ in range(2):
        page.goto("")  # a real page load each time, not a jump within the page
        page.goto(link)
        expect(page.get_by_text("One-time login for m***d@e***e.org")).to_be_visible()
        expect(page.get_by_role("button", name="LOG IN")).to_be_visible()
        expect(page).to_have_url(portal.url + "account/one-time-login/")  # the secret left the address bar
    expect(page.locator('meta[name="referrer"]')).to_have_attribute("content", "no-referrer")

    page.get_by_role("button", name="LOG IN").click()
    expect(page).to_have_url(portal.url + "account/set-password/")
    expect(page.locator('meta[name="referrer"]')).to_have_attribute("content", "no-referrer")
    new_password = page.get_by_label("New password")
    expect(new_password).to_be_visible()
    expect(new_password).to_have_attribute("autocomplete", "new-password")
    expect(page.get_by_label("Current password")).to_be_hidden()
    expect(header(page).get_by_role("link", name="Choose your new password")).to_be_visible()

    # A weak password: the specific reason, next to the field, and focus on it.
    new_password.fill("password12345678")
    page.get_by_role("button", name="Save new password").click()
    error = page.locator("#f-new_password-error")
    expect(error).to_contain_text("common or too easy to guess")
    expect(new_password).to_have_attribute("aria-invalid", "true")
    expect(new_password).to_be_focused()

    new_password.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url(portal.url)
    expect(page.locator("[data-flash]")).to_contain_text("Your new password is saved")
    expect(header(page)).to_contain_text("Morgan Reyes · Account User · Example Systems LLC")

    # Sign out: the header link opens a page, only the button signs out.
    header(page).get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(portal.url + "account/sign-out/")
    expect(header(page)).to_contain_text("Morgan Reyes")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()

    # The new password works (the address in another case is the same account).
    sign_in(page, "Mig.Rated@Example.org", NEW_PASSWORD)
    expect(page).to_have_url(portal.url)
    expect(header(page)).to_contain_text("Morgan Reyes")

    # The used link is dead.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("can no longer be used")
    expect(page.get_by_role("alert").get_by_role("link", name="Request New Password")).to_be_visible()
    expect(page.get_by_role("button", name="LOG IN")).to_be_hidden()


def forget_reset_limit(address: str) -> None:
    """As if the reset email limit's window had passed for ``address`` (tests ask for many links)."""
    import boto3
    from portal.emails import normalize_email
    from portal.reset_limit import _limit_key

    table = boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))
    pk = _limit_key(normalize_email(address))
    for item in table.query(KeyConditionExpression=Key("pk").eq(pk))["Items"]:
        table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})


def fresh_link(portal, address: str, next_page: str | None = None) -> str:
    """A new one-time link for ``address`` (Request New Password), with ``?next=next_page`` if given."""
    forget_reset_limit(address)
    request = urllib.request.Request(  # noqa: S310 (local stack)
        portal.url + "api/password-reset",
        data=json.dumps({"email": address}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 202
    link = one_time_link(portal, address)
    if next_page is None:
        return link
    path, _, fragment = link.partition("#")
    return f"{path}?next={quote(next_page, safe='')}#{fragment}"


def test_a_reload_of_the_one_time_login_page_still_offers_log_in(page, portal, reseller_users):
    missing = "This page opens from the link in a password email, and the link is not here."
    page.goto(fresh_link(portal, MIGRATED))
    expect(page.get_by_role("button", name="LOG IN")).to_be_visible()
    expect(page).to_have_url(portal.url + "account/one-time-login/")
    # The address bar lost the link; a reload (twice) still shows whom it is for, and uses nothing.
    for _ in range(2):
        page.reload()
        expect(page.get_by_text("One-time login for m***d@e***e.org")).to_be_visible()
        expect(page).to_have_url(portal.url + "account/one-time-login/")
    page.get_by_role("button", name="LOG IN").click()
    expect(page).to_have_url(portal.url + "account/set-password/")
    # Used: the page no longer holds it.
    page.go_back()
    expect(page.get_by_role("alert")).to_contain_text(missing)
    expect(page.get_by_role("button", name="LOG IN")).to_be_hidden()

    # A link the portal refuses, on reload or on LOG IN (used meanwhile elsewhere), is forgotten too.
    for refused_on in ("reload", "LOG IN"):
        link = fresh_link(portal, MIGRATED)
        page.goto(link)
        expect(page.get_by_role("button", name="LOG IN")).to_be_visible()
        use_elsewhere(portal, link)
        if refused_on == "reload":
            page.reload()
            expect(page.get_by_role("alert")).to_contain_text("can no longer be used")
        else:
            page.get_by_role("button", name="LOG IN").click()
            expect(page.locator("#form-one-time-login [data-form-summary]")).to_contain_text("can no longer be used")
        page.reload()
        expect(page.get_by_role("alert")).to_contain_text(missing)


def test_a_link_used_in_another_tab_no_longer_offers_log_in(page, portal, reseller_users):
    link = fresh_link(portal, MIGRATED)
    other_tab = page.context.new_page()
    for tab in (page, other_tab):
        tab.goto(link)
        expect(tab.get_by_role("button", name="LOG IN")).to_be_visible()
    page.get_by_role("button", name="LOG IN").click()
    expect(page).to_have_url(portal.url + "account/set-password/")

    other_tab.get_by_role("button", name="LOG IN").click()
    summary = other_tab.locator("#form-one-time-login [data-form-summary]")
    expect(summary).to_contain_text("can no longer be used")
    expect(summary.get_by_role("link", name="Request New Password")).to_be_visible()
    # Nothing left that invites a click that can only fail again.
    expect(other_tab.get_by_text("One-time login for")).to_be_hidden()
    expect(other_tab.get_by_text("Select LOG IN to continue")).to_be_hidden()
    expect(other_tab.get_by_role("button", name="LOG IN")).to_be_hidden()

    # A newer link opened in the same tab offers LOG IN again, without the old message.
    other_tab.goto(fresh_link(portal, MIGRATED))
    expect(other_tab.get_by_text("One-time login for m***d@e***e.org")).to_be_visible()
    expect(other_tab.get_by_role("button", name="LOG IN")).to_be_visible()
    expect(summary).to_be_hidden()
    other_tab.get_by_role("button", name="LOG IN").click()
    expect(other_tab).to_have_url(portal.url + "account/set-password/")


def use_elsewhere(portal, link: str) -> None:
    """Use a one-time link outside the page (as another tab or device would)."""
    user_id, token = link.partition("#")[2].split(".")
    request = urllib.request.Request(  # noqa: S310 (local stack)
        portal.url + "api/one-time-login",
        data=json.dumps({"user_id": user_id, "token": token}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 200


def test_a_one_time_link_leads_on_to_its_next_page_only_on_this_site(page, portal, reseller_users):
    for evil in ["https://evil.example.net/", "//evil.example.net/", "/\\evil.example.net/", "/..//evil.example.net/"]:
        page.goto("")
        page.goto(fresh_link(portal, MIGRATED, evil))
        page.get_by_role("button", name="LOG IN").click()
        # The set-password page opens without the foreign destination.
        expect(page).to_have_url(portal.url + "account/set-password/")
        expect(page.get_by_label("New password")).to_be_visible()

    # Nor does the set-password page follow one given to it directly: saving goes home.
    page.goto("account/set-password/?next=" + quote("//evil.example.net/", safe=""))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url(portal.url)
    expect(page.locator("[data-flash]")).to_contain_text("Your new password is saved")

    # A page of this site is where the link leads once the password is saved.
    page.goto("")
    page.goto(fresh_link(portal, MIGRATED, "/help/service-health/"))
    page.get_by_role("button", name="LOG IN").click()
    expect(page).to_have_url(portal.url + "account/set-password/?next=%2Fhelp%2Fservice-health%2F")
    page.get_by_label("New password").fill("amber pillow rocket sixty")
    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url(portal.url + "help/service-health/")
    expect(header(page)).to_contain_text("Morgan Reyes")


def test_a_wrong_password_is_refused_and_the_next_page_is_honoured_only_on_this_site(page, portal, reseller_users):
    sign_in(page, ACTIVE, "not the right password at all", "?next=/help/service-health/")
    summary = page.locator("#form-sign-in [data-form-summary]")
    expect(summary).to_contain_text("We could not sign you in with that email and password")
    expect(summary).to_be_focused()
    # One pointer to Request New Password, with its link: not the same advice twice.
    assert summary.inner_text().count("Request New Password") == 1, summary.inner_text()
    reset = summary.get_by_role("link", name="Request New Password")
    expect(reset).to_have_attribute("href", "/account/forgot-password/?email=jane.doe%40example.org")
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()

    form = page.locator("#form-sign-in")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(portal.url + "help/service-health/")
    expect(header(page)).to_contain_text("Jane Doe · Reseller Admin · Example Systems LLC")

    # Opening the sign-out page (as a link prefetch would) signs nobody out.
    page.goto("account/sign-out/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("")
    expect(header(page)).to_contain_text("Jane Doe")

    for evil in [
        "//evil.example.net/",
        "https://evil.example.net/",
        "/\\evil.example.net/",
        "javascript:alert(1)",
        "/..//evil.example.net/",
        "/.//evil.example.net/",
        "/a/..//evil.example.net/",
    ]:
        sign_in(page, ACTIVE, PASSWORD, "?next=" + quote(evil, safe=""))
        expect(page).to_have_url(portal.url)
        expect(header(page)).to_contain_text("Jane Doe")


def test_keyboard_only_sign_in(page, portal, reseller_users):
    page.goto("account/sign-in/")
    email = page.locator("#form-sign-in").get_by_label("Email")
    expect(email).to_have_attribute("autocomplete", "username")
    tab_to(page, email)  # from the top of the page, through the skip link and the header
    page.keyboard.type(ACTIVE)
    page.keyboard.press("Tab")
    password = page.locator("#form-sign-in").get_by_label("Password")
    expect(password).to_be_focused()
    expect(password).to_have_attribute("autocomplete", "current-password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(portal.url)
    expect(header(page)).to_contain_text("Jane Doe")


def test_needs_category_names_the_category_and_never_echoes_the_parameter(page, portal):
    page.goto("account/needs-category/?category=pos&next=/products/pos/")
    expect(page.locator("[data-category-known]")).to_be_visible()
    expect(page.locator("[data-category-known] [data-category-name]")).to_have_text("POS")
    expect(page.get_by_role("link", name="Product Authorization Opportunities")).to_be_visible()
    expect(page.get_by_role("link", name="Reseller Support")).to_be_visible()

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("account/needs-category/?category=" + quote("<script>alert(1)</script>", safe=""))
    expect(page.locator("[data-category-unknown]")).to_be_visible()
    expect(page.locator("[data-category-known]")).to_be_hidden()
    assert "alert(1)" not in page.locator("article").inner_text()
    assert page.locator("article script").count() == 0
    assert dialogs == []


def test_the_header_offers_sign_in_when_the_api_is_down(page, portal, reseller_users):
    sign_in(page, ACTIVE, PASSWORD)
    expect(header(page)).to_contain_text("Jane Doe")
    # Signed in (so the page does ask who is signed in), but the API cannot be reached.
    page.route("**/api/session", lambda route: route.abort())
    page.goto("help/")
    link = header(page).get_by_role("link", name="Sign in")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "/account/sign-in/?next=%2Fhelp%2F")
    expect(page.locator("form.portal-form")).to_be_visible()


def test_only_a_signed_in_readers_pages_ask_who_is_signed_in(page, portal, reseller_users):
    """Signed out, the pages know it from the absent signed-in cookie: no request, no 401 in the console."""
    asked = []
    page.on("request", lambda r: asked.append(r.method) if r.url.endswith("/api/session") else None)
    watch = ErrorWatch().attach(page)
    page.goto("help/")
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("account/sign-in/")
    expect(page.locator("#form-sign-in")).to_be_visible()
    assert asked == []

    sign_in(page, ACTIVE, PASSWORD)
    expect(header(page)).to_contain_text("Jane Doe")
    asked.clear()
    page.goto("help/")
    expect(header(page)).to_contain_text("Jane Doe")
    assert asked == ["GET"]

    header(page).get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    asked.clear()
    page.goto("help/")
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    assert asked == [], "after signing out the pages stop asking"
    assert watch.errors == []


def test_signing_in_from_a_gated_page_leads_back_to_it(page, portal, reseller_users):
    # The access gate sends signed-out visitors to the sign-in page with ?next=<the page>.
    page.goto("products/pos/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next=%2Fproducts%2Fpos%2F$"))
    expect(page.get_by_text("The page you opened is for signed-in resellers")).to_be_visible()
    form = page.locator("#form-sign-in")
    form.get_by_label("Email").fill(ACTIVE)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(portal.url + "products/pos/")

    # Sent to sign-in while still signed in (the 10-minute access cookie lapsed): straight on,
    # with the access cookie renewed by the page's session check.
    page.context.clear_cookies(name="__Host-portal_access")
    page.goto("products/scanners/")
    expect(page).to_have_url(portal.url + "products/scanners/")
    # Opened by hand without a destination: the page says who is signed in.
    page.goto("account/sign-in/")
    expect(page.locator("[data-already-signed-in]")).to_contain_text("You are already signed in as Jane Doe")

    # A category the company lacks: the gate explains which one.
    page.goto("products/storage/")
    expect(page).to_have_url(re.compile(r"/account/needs-category/\?category=storage&"))
    expect(page.locator("[data-category-known]")).to_contain_text("Storage")


def test_changing_a_password_while_signed_in_asks_for_the_current_one(page, portal, reseller_users):
    page.goto("account/set-password/")
    expect(page.get_by_text("This page works after you open a one-time login link")).to_be_visible()
    expect(page.locator("#form-set-password")).to_be_hidden()

    sign_in(page, ACTIVE, PASSWORD)
    expect(header(page)).to_contain_text("Jane Doe")
    page.goto("account/set-password/")
    current = page.get_by_label("Current password")
    expect(current).to_be_visible()
    expect(current).to_have_attribute("autocomplete", "current-password")
    current.fill("not my password")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator("#f-current_password-error")).to_have_text("Current password is not correct.")
    expect(current).to_be_focused()

    current.fill(PASSWORD)
    page.get_by_label("Show password").check()
    expect(page.get_by_label("New password")).to_have_attribute("type", "text")
    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_url(portal.url)
    expect(page.locator("[data-flash]")).to_contain_text("Your new password is saved")
    expect(header(page)).to_contain_text("Jane Doe")
