"""axe-core on the states a page walk never reaches: live one-time links, errors, an application in progress.

Every state is checked for WCAG 2.1 A and AA violations, and every request made on the way must go
to the portal's own origin. tests/browser/test_site_walk.py covers every page as it first loads.
"""

from __future__ import annotations

import os
import re

import pytest
from helpers import newest_email_to
from playwright.sync_api import Page, expect
from site_walk import RequestWatch, axe_violations, site_pages

pytestmark = pytest.mark.browser

PASSWORD = "violet harbor lantern ninety"
LINK = re.compile(r"https?://[^\s\"'<>]+/account/one-time-login/#[0-9a-f]+\.[A-Za-z0-9_\-]+")


@pytest.fixture
def watched(page: Page, portal) -> RequestWatch:
    """Every request of the test's browser tab, checked for other origins when the test ends."""
    watch = RequestWatch(portal.url.rstrip("/")).attach(page.context)
    yield watch
    assert watch.foreign == [], "requests to other origins:\n" + "\n".join(watch.foreign)


@pytest.fixture
def company_people(portal) -> dict:
    """A company authorized for POS with a Management Contact, and a user moved from the old portal."""
    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(boto3.resource("dynamodb").Table(os.environ["PORTAL_TABLE"])))
    company = accounts.create_company("Accessible Systems LLC", ("pos",))
    hashed = passwords.hash_password(PASSWORD)
    return {
        "contact": accounts.create_user(
            "morgan.contact@example.org",
            "Morgan",
            "Contact",
            company.id,
            Role.MANAGEMENT_CONTACT,
            UserStatus.ACTIVE,
            password_hash=hashed,
        ),
        "migrated": accounts.create_user(
            "mig.rated@example.org", "Mig", "Rated", company.id, Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD
        ),
    }


def check(page: Page, watch: RequestWatch, state: str) -> list[str]:
    """The page's violations once its scripts have settled, labelled with the state."""
    watch.settle(page)
    return [f"{state}: {line}" for line in axe_violations(page)]


def newest_link(portal, address: str) -> str:
    return LINK.search(newest_email_to(portal, address).get("text", "")).group(0)


def test_the_one_time_link_and_new_password_pages(page, portal, watched, company_people):
    found = []
    page.goto("account/forgot-password/")
    page.locator("#form-forgot-password").get_by_label("Email").fill("mig.rated@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("#form-forgot-password [data-form-result]")).to_contain_text("If an account uses that address")
    found += check(page, watched, "forgot-password, sent")

    page.goto(newest_link(portal, "mig.rated@example.org"))
    expect(page.get_by_role("button", name="LOG IN")).to_be_visible()
    found += check(page, watched, "one-time-login, live link")

    page.get_by_role("button", name="LOG IN").click()
    expect(page.get_by_label("New password")).to_be_visible()
    found += check(page, watched, "set-password, after LOG IN")

    page.get_by_label("New password").fill("password12345678")
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator("#f-new_password-error")).to_contain_text("common or too easy to guess")
    found += check(page, watched, "set-password, weak password refused")
    assert found == [], "\n".join(found)


def test_forms_showing_their_errors(page, portal, watched, company_people):
    found = []
    page.goto("account/sign-in/")
    form = page.locator("#form-sign-in")
    form.get_by_label("Email").fill("morgan.contact@example.org")
    form.get_by_label("Password").fill("not the password at all")
    form.get_by_role("button", name="Sign in").click()
    expect(form.locator("[data-form-summary]")).to_contain_text("We could not sign you in")
    found += check(page, watched, "sign-in, refused")

    page.goto("help/")
    help_form = page.locator("form.portal-form")
    help_form.get_by_label("Email address").fill("not-an-address")
    help_form.get_by_role("button", name="Send to Reseller Support").click()
    expect(page.locator("#f-email-error")).not_to_be_empty()
    found += check(page, watched, "help, invalid fields")
    assert found == [], "\n".join(found)


def test_each_application_step_while_applying(page, portal, built_site, watched, company_people):
    steps = [p.path for p in site_pages(built_site) if p.path.startswith("/apply/") and p.path != "/apply/"]
    assert steps, "the built site has no application steps under /apply/"
    found = []

    # A prospective reseller: step 1, then step 2 with the choice kept in the tab.
    page.goto(steps[0].lstrip("/") if "/categories/" in steps[0] else "apply/categories/")
    found += check(page, watched, "apply step 1, new reseller")
    form = page.locator("form[data-application-form]")
    form.locator("input[type=checkbox]").first.check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/apply/(?!categories/)"))
    found += check(page, watched, f"{page.url}, new reseller")

    # A Management Contact applying for one more category: every step of the saved application.
    origin = portal.url.rstrip("/")
    page.context.request.post(
        origin + "/api/session",
        data={"email": "morgan.contact@example.org", "password": PASSWORD},
        headers={"Origin": origin, "Content-Type": "application/json"},
    )
    started = page.context.request.post(
        origin + "/api/applications",
        data={"categories": ["scanners"]},
        headers={"Origin": origin, "Content-Type": "application/json"},
    )
    assert started.status == 201, started.text()
    application = started.json()["application"]["id"]
    for step in steps:
        page.goto(f"{step.lstrip('/')}?application={application}")
        found += check(page, watched, f"{step}, application in progress")
    assert found == [], "\n".join(found)
