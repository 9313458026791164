"""A new company applies, stops, comes back through the emailed link, submits; staff approve one category."""

from __future__ import annotations

import json
import os
import re
import urllib.request

import pytest
from helpers import newest_email_to
from playwright.sync_api import Locator, Page, expect
from site_walk import ErrorWatch, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "violet harbor lantern ninety"
APPLICANT = "jane.doe@harbor.example.com"
NEW_PASSWORD = "copper meadow signal forty"
LINK = re.compile(r"https?://[^\s\"'<>]+/account/one-time-login/(?:\?[^#\s]*)?#[0-9a-f]+\.[A-Za-z0-9_\-]+")


@pytest.fixture
def accounts(portal):
    """Accounts on the stack's own table (moto runs in this process, so boto3 reaches the same table)."""
    import boto3
    from portal.accounts import Accounts
    from portal.store import Store

    return Accounts(Store(boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))))


@pytest.fixture
def staff_member(accounts):
    """A channel-team member who can sign in."""
    from portal import passwords
    from portal.accounts import Role, UserStatus

    team = accounts.create_company("Channel Team (manufacturer)")
    return accounts.create_user(
        "casey.channel@example.com", "Casey", "Channel", team.id, Role.CHANNEL_TEAM, UserStatus.ACTIVE,
        password_hash=passwords.hash_password(PASSWORD),
    )  # fmt: skip


def emailed_link(portal, address: str) -> str:
    return LINK.search(newest_email_to(portal, address)["text"]).group(0)


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("account/sign-in/")
    form = page.locator("#form-sign-in")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-signed-in-as]")).to_be_visible()


def fact(detail: Locator, name: str) -> Locator:
    """The value next to ``name`` in the review page's list of facts about the application."""
    return detail.locator(f"xpath=.//dl[@data-detail-facts]/dt[normalize-space()='{name}']/following-sibling::dd[1]")


def accessible(page: Page) -> None:
    """No axe-core WCAG 2.1 A/AA violation on the page as it is now (errors, tabs and tables shown)."""
    assert axe_violations(page) == []


def save(page: Page) -> None:
    page.get_by_role("button", name="SAVE AND CONTINUE").click()


def fill_user_information(page: Page) -> None:
    page.get_by_label("Email").fill(APPLICANT)
    page.get_by_label("Title").select_option("Ms.")
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_label(re.compile(r"^Phone")).fill("555-010-0199")
    page.get_by_role("button", name="NEXT").first.click()
    expect(page.get_by_role("tab", name="COMPANY")).to_have_attribute("aria-selected", "true")
    page.get_by_label("Company name").fill("Harbor Tech Resellers")
    page.get_by_label("Street address").fill("1 Harbor Way")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State or province").fill("IL")
    page.get_by_label("Postal code").fill("62701")
    page.get_by_label("Country").fill("United States")
    page.get_by_label("Company phone").fill("+1 555 010 0100")
    page.get_by_role("tab", name="PEOPLE").click()
    page.get_by_label("Years in business").fill("12")
    page.get_by_label("Number of employees").fill("40")
    page.get_by_label("Sales staff").fill("12")
    page.get_by_label("Technical and service staff").fill("8")
    page.get_by_role("tab", name="SALES").click()
    page.get_by_label("Annual revenue").select_option("$5-25 million")
    page.get_by_label("Main customer segment").select_option("Education")
    expect(page.get_by_label("Sales representative's name")).to_be_hidden()
    page.get_by_role("group", name="Did a sales representative refer you?").get_by_label("Yes").check()
    page.get_by_label("Sales representative's name").fill("Pat Rep")


def answer_product_questions(page: Page) -> None:
    scanners = page.get_by_role("group", name="Scanners")
    scanners.get_by_label("How many years has your company sold document scanners?").fill("4")
    scanners.get_by_role("group", name="Which classes of scanners do you sell?").get_by_label("Workgroup").check()
    scanners.get_by_role("group", name="Do you install document capture software?").get_by_label("Yes").check()
    scanners.get_by_label("How many scanners do you expect to sell per year?").fill("300")
    pos = page.get_by_role("group", name="POS", exact=True)
    pos.get_by_label("How many years has your company sold point-of-sale systems?").fill("2")
    pos.get_by_role("group", name="Which retail and hospitality segments do you serve?").get_by_label("Hotels").check()
    pos.get_by_label("Which POS software do you install most often?").fill("Sample POS Suite")
    pos.get_by_role("group", name="Do you run a help desk for your customers?").get_by_label("No").check()


def test_step_2_tabs_work_by_keyboard_and_the_header_search_still_answers(page):
    watch = ErrorWatch().attach(page)
    page.goto("apply/categories/")
    page.get_by_label("Scanners").check()
    save(page)
    expect(page.locator('[aria-current="step"]')).to_contain_text("User Information")
    you = page.get_by_role("tab", name="YOU")
    expect(you).to_have_attribute("aria-selected", "true")
    you.focus()
    page.keyboard.press("ArrowRight")
    company = page.get_by_role("tab", name="COMPANY")
    expect(company).to_be_focused()
    expect(company).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Company name")).to_be_visible()
    expect(page.get_by_label("First name")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="SALES")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Annual revenue")).to_be_visible()

    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("[data-md-component=search-query]")
    box.press_sequentially("application")
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_contain_text("Initializing")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert watch.errors == []


def test_a_new_company_applies_returns_submits_and_gets_one_category_approved(
    browser, portal, page, accounts, staff_member
):
    # The home page leads to the start page; the start page explains the guidelines.
    page.goto("")
    page.get_by_role("link", name="START YOUR APPLICATION", exact=True).click()
    expect(page.get_by_role("heading", name="Program guidelines")).to_be_visible()
    page.get_by_role("link", name="START YOUR APPLICATION", exact=True).click()

    # Step 1: two categories.
    expect(page.locator('[aria-current="step"]')).to_contain_text("Category Selection")
    save(page)
    expect(page.locator("#f-categories-error")).to_contain_text("choose at least one product category")
    page.get_by_label("Scanners").check()
    page.get_by_label("POS", exact=True).check()
    save(page)

    # Step 2: a wrong field is refused next to it, on its tab; then the first save creates the account.
    expect(page.locator('[aria-current="step"]')).to_contain_text("User Information")
    expect(page.get_by_text("Applying for: POS, Scanners")).to_be_visible()
    fill_user_information(page)
    page.get_by_role("tab", name="PEOPLE").click()
    page.get_by_label("Sales staff").fill("400")
    page.get_by_role("tab", name="SALES").click()
    save(page)
    expect(page.get_by_role("tab", name="PEOPLE")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#f-sales_staff-error")).to_have_text(
        "Sales staff cannot be more than the number of employees."
    )
    expect(page.get_by_label("Sales staff")).to_be_focused()
    accessible(page)
    page.get_by_label("Sales staff").fill("12")
    save(page)
    started = page.locator("[data-application-started]")
    expect(started).to_contain_text("We emailed a link to j***e@h***e.com")

    # The applicant stops here and comes back later through the emailed link.
    page.goto("")
    page.goto(emailed_link(portal, APPLICANT))
    page.get_by_role("button", name="LOG IN").click()
    expect(page.get_by_label("New password")).to_be_visible()
    # An application page opened before the password is chosen leads back to itself afterwards.
    page.goto("apply/categories/")
    notice = page.locator("[data-application-notice]")
    expect(notice).to_contain_text("Choose your password first; then your application continues here.")
    expect(notice.get_by_role("link", name="Choose your password")).to_have_attribute(
        "href", "/account/set-password/?next=%2Fapply%2Fcategories%2F"
    )
    page.go_back()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    # Straight on to My Dashboard, where the email said step 3 waits.
    expect(page).to_have_url(portal.url + "account/dashboard/")
    expect(page.locator("[data-flash]")).to_contain_text("Your new password is saved")

    # The dashboard lists both categories as incomplete; COMPLETE APPLICATION opens step 3.
    incomplete = page.locator('[data-section="incomplete"]')
    expect(incomplete).to_contain_text("Scanners")
    expect(incomplete).to_contain_text("Your application is not yet complete")
    expect(page.locator('[data-section="other"]')).to_contain_text("Wireless")
    incomplete.get_by_role("link", name="COMPLETE APPLICATION: Scanners").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Product Information")
    # The limits are shown as the errors word them; each error names its category and question.
    units = page.get_by_label("How many scanners do you expect to sell per year?")
    expect(page.locator("#q-scanners-annual-units-range")).to_have_text("A whole number from 0 to 100,000.")
    units.fill("250000")
    save(page)
    too_many = "Scanners: How many scanners do you expect to sell per year? Enter a number of at most 100,000."
    expect(page.locator("#q-scanners-annual-units-error")).to_have_text(too_many)
    expect(page.locator("[data-form-summary]")).to_contain_text(too_many)
    expect(page.locator("[data-form-summary]")).to_contain_text(
        "POS: Do you run a help desk for your customers? An answer is required."
    )
    answer_product_questions(page)
    accessible(page)
    save(page)

    # Step 4: review, accept the guidelines, submit.
    expect(page.locator('[aria-current="step"]')).to_contain_text("Complete")
    review = page.locator("[data-review]")
    expect(review).to_contain_text("Harbor Tech Resellers")
    expect(review).to_contain_text("Pat Rep")
    expect(review).to_contain_text("Sample POS Suite")
    page.get_by_role("button", name="SUBMIT APPLICATION").click()
    expect(page.locator("#f-accept_guidelines-error")).to_contain_text("must be accepted")
    accessible(page)
    page.get_by_label("I have read and accept the program guidelines").check()
    page.get_by_role("button", name="SUBMIT APPLICATION").click()
    expect(page).to_have_url(portal.url + "account/dashboard/")
    expect(page.locator("[data-flash]")).to_contain_text("your application is submitted")
    expect(page.locator('[data-section="submitted"]')).to_contain_text("Scanners")
    expect(page.locator('[data-section="submitted"]')).to_contain_text("POS")

    # A colleague is signed in before the decision (an access cookie without Scanners).
    from portal import passwords
    from portal.accounts import Role, UserStatus

    company = accounts.find_company_by_name("Harbor Tech Resellers")
    accounts.create_user(
        "alex@harbor.example.com", "Alex", "User", company.id, Role.ACCOUNT_USER, UserStatus.ACTIVE,
        password_hash=passwords.hash_password(PASSWORD),
    )  # fmt: skip
    colleague = browser.new_context(base_url=portal.url).new_page()
    sign_in(colleague, "alex@harbor.example.com", PASSWORD)
    colleague.goto("products/scanners/")
    expect(colleague).to_have_url(re.compile(r"/account/needs-category/\?category=scanners"))

    # The channel team approves Scanners in the portal.
    staff_context = browser.new_context(base_url=portal.url)
    staff_page = staff_context.new_page()
    sign_in(staff_page, "casey.channel@example.com", PASSWORD)
    staff_page.goto("staff/applications/")
    staff_page.get_by_role("button", name="Open the application of Harbor Tech Resellers").click()
    detail = staff_page.locator("[data-review-detail]")
    expect(detail).to_contain_text("Jane Doe <jane.doe@harbor.example.com>")
    expect(fact(detail, "Status")).to_have_text("Submitted (waiting for a decision)")
    expect(fact(detail, "Authorized for")).to_have_text("nothing yet")
    history = detail.locator("[data-detail-audit]")
    expect(history).to_contain_text("jane.doe@harbor.example.com (Management Contact)")
    expect(history).not_to_contain_text("management_contact")
    scanners = detail.locator('[data-decision-for="scanners"]')
    # A note over its limit is kept whole and the limit named (the field is drawn after loading).
    scanners.get_by_label("Note to the applicant").fill("w" * 2_001)
    expect(scanners.get_by_label("Note to the applicant")).to_have_value("w" * 2_001)
    expect(scanners.locator("#note-scanners-error")).to_have_text(
        "Note to the applicant must be at most 2,000 characters; it has 2,001, 1 too many. Shorten it and try again."
    )
    scanners.get_by_label("Note to the applicant").fill("Welcome aboard.")
    expect(scanners.locator("#note-scanners-error")).to_be_empty()
    scanners.get_by_role("button", name="Approve Scanners").click()
    expect(detail.locator("[data-detail-result]")).to_contain_text("Scanners is approved")
    expect(history).to_contain_text("casey.channel@example.com (Channel team)")
    expect(history).to_contain_text("approved — category: Scanners; note: Welcome aboard.")
    expect(fact(detail, "Authorized for")).to_have_text("Scanners")
    # POS still waits, so the application as a whole is still submitted.
    expect(fact(detail, "Status")).to_have_text("Submitted (waiting for a decision)")
    accessible(staff_page)
    staff_context.close()

    # The applicant's dashboard: one approved, one in review; the category page opens.
    page.reload()
    approved = page.locator('[data-section="approved"]')
    expect(approved).to_contain_text("Scanners")
    expect(approved).to_contain_text("Your application has been approved")
    expect(page.locator('[data-section="submitted"]')).to_contain_text("POS")
    expect(page.locator('[data-section="submitted"]')).not_to_contain_text("Scanners")
    accessible(page)
    approved.get_by_role("link", name="VIEW PRODUCT CATEGORY: Scanners").click()
    expect(page).to_have_url(portal.url + "products/scanners/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Scanners"))

    # Every user of the company opens it right away, even with the cookie from before the approval;
    # the category still in review stays closed.
    colleague.goto("products/scanners/")
    expect(colleague).to_have_url(portal.url + "products/scanners/")
    colleague.goto("products/pos/")
    expect(colleague).to_have_url(re.compile(r"/account/needs-category/\?category=pos"))
    colleague.context.close()


@pytest.fixture
def demo_queue(portal) -> str:
    """The demo accounts and their submitted application (Wireless and Rugged Handhelds); the demo password."""
    import boto3

    from infra.local.demo import DEMO_PASSWORD, seed_demo
    from infra.local.demo_applications import seed_demo_applications

    table = boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))
    seed_demo(table)
    seed_demo_applications(table)
    return DEMO_PASSWORD


def test_a_second_tab_deciding_a_category_already_decided_also_refreshes_its_queue(page, demo_queue):
    sign_in(page, "casey.channel@example.com", demo_queue)
    tabs = [page, page.context.new_page()]
    for tab in tabs:
        tab.goto("staff/applications/")
        tab.get_by_role("button", name="Open the application of Sample POS Partners").click()
        expect(tab.get_by_role("button", name="Approve Wireless")).to_be_visible()
    first, second = tabs
    row = second.locator("[data-queue-rows] tr").filter(has_text="Sample POS Partners")
    expect(row).to_contain_text("Wireless (Submitted (in review))")

    first.get_by_role("button", name="Approve Wireless").click()
    expect(first.locator("[data-detail-result]")).to_contain_text("Wireless is approved")
    expect(first.locator("[data-queue-rows]")).to_contain_text("Wireless (Approved)")

    second.get_by_role("button", name="Approve Wireless").click()
    expect(second.locator("[data-detail-summary]")).to_contain_text("Wireless was already approved")
    expect(second.get_by_role("heading", name="Wireless: Approved")).to_be_visible()
    expect(row).to_contain_text("Wireless (Approved), Rugged Handhelds (Submitted (in review))")


def start_by_api(portal, accounts, email: str) -> str:
    """A new reseller's first save through the API, then a password; returns the application id."""
    from portal import passwords

    body = {
        "categories": ["wireless"], "email": email, "title": "Mr.", "first_name": "Sam", "last_name": "Tab",
        "phone": "555-010-0111", "company_name": "Two Tabs LLC", "street": "2 Tab Road", "city": "Springfield",
        "state": "IL", "postal_code": "62701", "country": "United States", "company_phone": "555-010-0112",
        "years_in_business": "3", "employees": "5", "sales_staff": "2", "technical_staff": "1",
        "annual_revenue": "Under $1 million", "customer_segment": "Other", "referred": "no",
    }  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 (local stack)
        portal.url + "api/applications/start",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Origin": portal.url.rstrip("/")},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        application_id = json.load(response)["application_id"]
    accounts.set_password_hash(accounts.find_by_email(email), passwords.hash_password(PASSWORD))
    return application_id


def test_an_email_that_has_an_account_is_told_once_where_to_go(page, portal, accounts):
    from portal.accounts import Role, UserStatus

    company = accounts.create_company("Harbor Elsewhere")
    accounts.create_user(APPLICANT, "Jane", "Doe", company.id, Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD)
    page.goto("apply/categories/")
    page.get_by_label("Scanners").check()
    save(page)
    fill_user_information(page)
    save(page)
    summary = page.locator("#application-user-information [data-form-summary]")
    expect(summary).to_contain_text("An account with this email address already exists.")
    expect(summary.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", "../../account/sign-in/?next=/account/dashboard/"
    )
    expect(summary.get_by_role("link", name="Request New Password")).to_be_visible()
    text = summary.inner_text()
    assert text.count("Request New Password") == 1 and text.count("Sign in") == 1, text


def test_an_empty_step_2_lists_its_problems_in_the_order_of_the_form(page, portal):
    page.goto("apply/categories/")
    page.get_by_label("Scanners").check()
    save(page)
    save(page)
    items = page.locator("#application-user-information [data-form-summary] li")
    expect(items.first).to_have_text("Email is required.")
    texts = items.all_inner_texts()
    order = ["Email is required.", "First name is required.", "Company name is required.", "Country is required."]
    assert [t for t in texts if t in order] == order, texts
    expect(page.get_by_label("Email")).to_be_focused()


def test_a_taken_email_is_told_with_the_other_refusals_and_its_links(page, portal, accounts):
    from portal.accounts import Role, UserStatus

    company = accounts.create_company("Harbor Elsewhere")
    accounts.create_user(APPLICANT, "Jane", "Doe", company.id, Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD)
    page.goto("apply/categories/")
    page.get_by_label("Scanners").check()
    save(page)
    fill_user_information(page)
    page.get_by_role("tab", name="PEOPLE").click()
    page.get_by_label("Number of employees").fill("0")
    save(page)
    summary = page.locator("#application-user-information [data-form-summary]")
    expect(summary).to_contain_text("Number of employees: enter a number of 1 or more.")
    expect(summary).to_contain_text("An account with this email address already exists.")
    expect(page.locator("#f-email-error")).to_have_text("An account with this email address already exists.")
    expect(summary.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", "../../account/sign-in/?next=/account/dashboard/"
    )
    text = summary.inner_text()
    assert text.count("Request New Password") == 1 and text.count("Sign in") == 1, text


def test_a_second_tab_saving_the_same_step_is_refused_and_shows_the_current_version(page, portal, accounts):
    application_id = start_by_api(portal, accounts, "sam@twotabs.example.com")
    sign_in(page, "sam@twotabs.example.com", PASSWORD)
    step_2 = f"apply/user-information/?application={application_id}"
    page.goto(step_2)
    other_tab = page.context.new_page()
    other_tab.goto(step_2)
    expect(other_tab.get_by_label("First name")).to_have_value("Sam")

    page.get_by_label("First name").fill("Samuel")
    save(page)
    expect(page.locator('[aria-current="step"]')).to_contain_text("Product Information")

    other_tab.get_by_label("First name").fill("Sammy")
    save(other_tab)
    summary = other_tab.locator("[data-form-summary]")
    expect(summary).to_contain_text("This application was changed elsewhere")
    expect(summary).to_contain_text("The form now shows the current version")
    expect(other_tab.get_by_label("First name")).to_have_value("Samuel")
    page.goto(step_2)
    expect(page.get_by_label("First name")).to_have_value("Samuel")


def test_the_review_page_is_for_the_channel_team_only(page, portal, accounts):
    start_by_api(portal, accounts, "sam@twotabs.example.com")
    sign_in(page, "sam@twotabs.example.com", PASSWORD)
    watch = ErrorWatch().attach(page)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/api/staff/" in r.url else None)
    page.goto("staff/applications/")
    expect(page.locator("[data-review-problem]")).to_have_text(
        "This page is for the channel team. Only the channel team reviews applications, and you are signed in"
        " as Management Contact of Two Tabs LLC."
    )
    expect(page.locator("[data-review-queue]")).to_be_hidden()
    assert asked == [], "the queue is not asked for on the reseller's behalf"
    assert watch.errors == []


@pytest.mark.parametrize("step", ["product-information", "review"])
def test_a_later_step_opened_without_its_application_points_to_the_dashboard(page, portal, accounts, step):
    start_by_api(portal, accounts, "sam@twotabs.example.com")
    sign_in(page, "sam@twotabs.example.com", PASSWORD)
    watch = ErrorWatch().attach(page)
    page.goto(f"apply/{step}/")
    notice = page.locator("[data-application-notice]")
    expect(notice).to_contain_text("continues an application you have started: open it from My Dashboard")
    expect(notice.get_by_role("link", name="Go to My Dashboard")).to_have_attribute("href", "/account/dashboard/")
    expect(notice.get_by_role("link", name="Go to Category Selection")).to_have_attribute("href", "/apply/categories/")
    expect(page.locator("form[data-application-form]")).to_be_hidden()
    assert watch.errors == []
