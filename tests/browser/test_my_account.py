"""My Account in a real browser: an admin adds a user, the user accepts the invitation, the admin
blocks them (their open session stops working) and unblocks them."""

from __future__ import annotations

import os
import re

import pytest
from helpers import newest_email_to
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "violet harbor lantern ninety"
INVITEE_PASSWORD = "copper meadow signal forty"
ADMIN = "morgan.contact@example.org"
INVITEE = "jamie.rivera@example.org"
LINK = re.compile(r"https?://[^\s\"'<>]+/account/one-time-login/#[0-9a-f]+\.[A-Za-z0-9_\-]+")
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/account/confirm-email/#[0-9a-f]+\.[A-Za-z0-9_\-]+")


@pytest.fixture
def company_admin(portal):
    """A company authorized for two categories, and its Management Contact (in the stack's table)."""
    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))))
    company = accounts.create_company("Example Systems LLC", ("pos", "scanners"))
    return accounts.create_user(
        ADMIN,
        "Morgan",
        "Contact",
        company.id,
        Role.MANAGEMENT_CONTACT,
        UserStatus.ACTIVE,
        password_hash=passwords.hash_password(PASSWORD),
    )


def invitation_link(portal, address: str) -> str:
    message = newest_email_to(portal, address)
    assert "added you to Example Systems LLC" in message["text"]
    return LINK.search(message["text"]).group(0)


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("account/sign-in/")
    form = page.locator("#form-sign-in")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-signed-in-as]")).to_be_visible()


def header(page: Page):
    return page.locator("[data-portal-account]")


def row(page: Page, name: str):
    return page.locator("[data-users-rows] tr").filter(has_text=name)


def test_an_admin_adds_blocks_and_unblocks_a_user(page, browser, portal, company_admin):
    # The admin's My Account shows the role and the company's categories, in the header too.
    sign_in(page, ADMIN, PASSWORD)
    expect(header(page).locator("[data-account-categories]")).to_have_text("Categories: POS, Scanners")
    header(page).get_by_role("link", name="My Account").click()
    expect(page).to_have_url(portal.url + "account/")
    expect(page.locator("[data-overview-role]")).to_have_text("Management Contact")
    expect(page.locator("[data-overview-categories]")).to_contain_text("Scanners")
    page.get_by_role("link", name="User Management").click()

    # ADD RESELLER ACCOUNT USER: the seed's login information, then Save.
    expect(page.get_by_role("table", name="Users of your company")).to_be_visible()
    page.get_by_role("button", name="ADD RESELLER ACCOUNT USER").click()
    form = page.locator("#form-add-user")
    expect(form.get_by_label("Role")).to_have_value("account_user")
    form.get_by_label("Email address").fill("Jamie.Rivera@Example.org")
    form.get_by_label("Title").select_option("Mx.")
    form.get_by_label("First name").fill("Jamie")
    form.get_by_label("Last name").fill("Rivera")
    form.get_by_label("Phone").fill("+1-555-010-0188")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("[data-users-message]")).to_contain_text("Jamie Rivera was added")
    expect(row(page, "Jamie")).to_contain_text("Yes (invitation sent)")
    expect(row(page, "Jamie")).to_contain_text(INVITEE)

    # The invitee opens the link from the outbox in their own browser and sets a password.
    invitee_context = browser.new_context(base_url=portal.url)
    invitee_context.set_default_timeout(10_000)
    invitee = invitee_context.new_page()
    try:
        invitee.goto(invitation_link(portal, INVITEE))
        invitee.get_by_role("button", name="LOG IN").click()
        expect(invitee).to_have_url(portal.url + "account/set-password/")
        invitee.get_by_label("New password").fill(INVITEE_PASSWORD)
        invitee.get_by_role("button", name="Save new password").click()
        expect(invitee).to_have_url(portal.url)
        sign_out(invitee)
        sign_in(invitee, INVITEE, INVITEE_PASSWORD)
        expect(header(invitee)).to_contain_text("Jamie Rivera · Account User · Example Systems LLC")
        invitee.goto("account/")
        expect(invitee.locator("[data-overview-role]")).to_have_text("Account User")
        expect(invitee.locator("[data-overview-categories]")).to_contain_text("POS")
        expect(invitee.get_by_role("link", name="User Management")).to_be_hidden()
        invitee.goto("products/pos/")  # a page of a category the company holds opens for every user
        expect(invitee).to_have_url(portal.url + "products/pos/")

        # The admin blocks them (after confirming): their open session stops working at once.
        page.reload()
        expect(row(page, "Jamie")).to_contain_text("Yes")
        page.once("dialog", lambda dialog: dialog.accept())
        row(page, "Jamie").get_by_role("button", name="Block Jamie Rivera").click()
        expect(page.locator("[data-users-message]")).to_contain_text("Jamie Rivera is blocked")
        expect(row(page, "Jamie").locator("td").nth(4)).to_have_text("No")

        invitee.goto("account/profile/")
        expect(invitee.locator("[data-page-problem]")).to_contain_text("Your session has ended")
        expect(header(invitee).get_by_role("link", name="Sign in")).to_be_visible()
        invitee.goto("account/profile/")  # the static pages are closed now too
        expect(invitee).to_have_url(re.compile(r"/account/sign-in/\?next=%2Faccount%2Fprofile%2F$"))

        # Unblocked, they can sign in again.
        page.once("dialog", lambda dialog: dialog.accept())
        row(page, "Jamie").get_by_role("button", name="Unblock Jamie Rivera").click()
        expect(page.locator("[data-users-message]")).to_contain_text("Jamie Rivera can sign in again")
        expect(row(page, "Jamie").get_by_role("button", name="Block Jamie Rivera")).to_be_visible()
        sign_in(invitee, INVITEE, INVITEE_PASSWORD)
        expect(header(invitee)).to_contain_text("Jamie Rivera")
    finally:
        invitee_context.close()

    # Every step is in the account history the admin sees.
    page.goto("account/audit/")
    history = page.get_by_role("table", name="Changes to your company's account")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history.locator("tbody tr").nth(0)).to_contain_text("Unblocked a user")
    expect(history.locator("tbody tr").nth(2)).to_contain_text("Added a user")


def sign_out(page: Page) -> None:
    page.goto("account/sign-out/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_my_profile_and_company_information_save(page, portal, company_admin):
    sign_in(page, ADMIN, PASSWORD)
    page.goto("account/profile/")
    form = page.locator("#form-profile")
    expect(form.get_by_label("First name")).to_have_value("Morgan")
    form.get_by_label("Title").select_option("Dr.")
    form.get_by_label("Phone").fill("12")
    form.get_by_role("button", name="Save my profile").click()
    expect(page.locator("#f-phone-error")).to_contain_text("7 to 25 digits")
    form.get_by_label("Phone").fill("+1-555-010-0111")
    form.get_by_role("button", name="Save my profile").click()
    expect(form.locator("[data-form-result]")).to_have_text("Your profile is saved.")
    expect(form.get_by_label("Phone")).to_have_value("+1-555-010-0111")

    page.goto("account/company/")
    expect(page.locator("[data-company-name]")).to_have_text("Example Systems LLC")
    company = page.locator("#form-company")
    company.get_by_label("Street address").fill("100 Sample Way")
    company.get_by_label("City").fill("Springfield")
    company.get_by_label("State or province").fill("IL")
    company.get_by_label("Postal code").fill("62701")
    company.get_by_label("Country").fill("United States")
    company.get_by_label("Company phone").fill("+1-555-010-0142")
    company.get_by_label("Years in business").fill("12")
    company.get_by_label("Number of employees").fill("40")
    company.get_by_label("Sales staff").fill("10")
    company.get_by_label("Technical and service staff").fill("8")
    company.get_by_label("Annual revenue").select_option("$5-25 million")
    company.get_by_label("Main customer segment").select_option("Education")
    company.get_by_role("button", name="Save company information").click()
    expect(company.locator("[data-form-result]")).to_have_text("Company information saved.")
    page.reload()
    expect(page.locator("#form-company").get_by_label("City")).to_have_value("Springfield")


@pytest.mark.parametrize(
    "path", ["account/", "account/profile/", "account/company/", "account/users/", "account/audit/"]
)
def test_my_account_pages_pass_axe(page, portal, company_admin, path):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(page, ADMIN, PASSWORD)
    page.goto(path)
    expect(page.locator("[data-page-loading], [data-overview-loading]")).to_be_hidden()
    if path == "account/users/":
        page.get_by_role("button", name="ADD RESELLER ACCOUNT ADMIN").click()
    # link-in-text-block is the theme's link style on every page (no underline), not these pages':
    # it is left to the site-wide accessibility gate.
    options = {"resultTypes": ["violations"], "rules": {"link-in-text-block": {"enabled": False}}}
    results = Axe().run(page, context={"include": [["article"]]}, options=options)
    assert results.violations_count == 0, results.generate_report()


def confirmation_link(portal, address: str) -> str:
    return re.search(CONFIRM_LINK, newest_email_to(portal, address)["text"])[0]


def test_a_reload_of_the_confirm_email_page_still_offers_confirm(page, portal, company_admin):
    new_address = "morgan.new@example.org"
    sign_in(page, ADMIN, PASSWORD)
    page.goto("account/profile/")
    form = page.locator("#form-email-change")
    form.get_by_label("New email address").fill(new_address)
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_role("button", name="Send a confirmation link").click()
    expect(form.locator("[data-form-result]")).not_to_be_empty()

    page.goto(confirmation_link(portal, new_address))
    expect(page.get_by_role("button", name="CONFIRM")).to_be_visible()
    expect(page).to_have_url(portal.url + "account/confirm-email/")
    # The address bar lost the link; a reload still offers CONFIRM, and opening changed nothing.
    page.reload()
    expect(page.get_by_role("button", name="CONFIRM")).to_be_visible()
    page.get_by_role("button", name="CONFIRM").click()
    expect(page.get_by_text("Your email address is changed.")).to_be_visible()
    # Used: a reload no longer holds it.
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("the link is not here")
    expect(page.get_by_role("button", name="CONFIRM")).to_be_hidden()
    sign_in(page, new_address, PASSWORD)
