"""On a phone (390 × 844) every page is as wide as the screen: nothing makes the reader scroll sideways;
tables too wide for it scroll in their own box or, like the territory table, stack each row's cells.

Signed in as the demo accounts of the README (the demo companies, users and application are added
to the stack's table as `portal serve` adds them).
"""

from __future__ import annotations

import itertools
import json
import os
import re

import pytest
from playwright.sync_api import Page, expect
from site_walk import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TERRITORY_GROUP = "resources/general/territory-maps/computers-tablets/"
# The pages every signed-in reseller reads, with what shows the page has drawn its data.
READER_PAGES = {
    "": ".md-content",
    "information/support/faq/": ".md-content",
    "information/support/where-to-buy/": ".md-content",
    "resources/": ".md-content",
    "resources/general/territory-maps/": "[data-territory-groups]",
    TERRITORY_GROUP: "table.portal-territories",
    "information/programs/inventory-report/": ".portal-inventory__scroll table",
    "help/": "#form-help",
    "account/": "[data-overview-role]",
    "account/profile/": "#form-profile",
    "account/company/": "#form-company",
    "account/users/": "[data-users-rows] tr",
    "account/audit/": "[data-audit-rows] tr",
    "account/dashboard/": "[data-dashboard-sections]",
}
# How wide the page is, and the widest thing that sticks out of the screen (to name the culprit).
WIDTH = """() => {
  const screen = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll(".md-main *")].filter((e) => !e.closest(".md-sidebar"))
    .filter((e) => e.getBoundingClientRect().right > screen + 0.5)
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
  return { width: document.documentElement.scrollWidth,
           widest: wide ? `${wide.tagName.toLowerCase()}.${wide.className} "${wide.innerText.slice(0, 40)}"` : "" };
}"""

# On how many lines a piece of text is drawn.
LINES = """(e) => {
  const range = document.createRange();
  range.selectNodeContents(e);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
}"""
# The label drawn before a cell (its column's heading), as the reader sees it.
LABEL = """(e) => {
  const before = getComputedStyle(e, "::before").content;
  return before === "none" ? "" : before.replace(/attr\\(data-label\\)/, JSON.stringify(e.dataset.label))
    .match(/"(?:[^"\\\\]|\\\\.)*"/g).map((part) => JSON.parse(part)).join("");
}"""


@pytest.fixture
def demo(portal):
    """The demo companies, users and submitted application in the stack's table."""
    import boto3

    from infra.local.demo import DEMO_PASSWORD, seed_demo
    from infra.local.demo_applications import seed_demo_applications

    table = boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))
    seed_demo(table)
    seed_demo_applications(table)
    return DEMO_PASSWORD


def phone_as(browser, portal, email: str, password: str) -> Page:
    """A phone-sized tab signed in as ``email`` (the cookies set as the sign-in page sets them)."""
    context = browser.new_context(base_url=portal.url, viewport=PHONE)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    api(tab, portal, "POST", "api/session", {"email": email, "password": password})
    return tab


def api(tab: Page, portal, method: str, path: str, body: dict) -> dict:
    answer = tab.request.fetch(
        portal.url + path,
        method=method,
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "Origin": portal.url.rstrip("/")},
    )
    assert answer.ok, answer.text()
    return answer.json()


def page_width(tab: Page, path: str, ready: str) -> dict:
    tab.goto(path)
    expect(tab.locator(ready).first).to_be_visible()
    return tab.evaluate(WIDTH)


def too_wide(widths: dict[str, dict]) -> dict[str, str]:
    return {path: f"{w['width']} px: {w['widest']}" for path, w in widths.items() if w["width"] > PHONE["width"]}


def application_to_review(tab: Page, portal) -> str:
    """The Management Contact applies for Wireless with the company's details; steps 2 and 3 saved."""
    from infra.local.demo import DEMO_COMPANY_DETAILS
    from infra.local.demo_applications import DEMO_ANSWERS, DEMO_USER_INFORMATION

    started = api(tab, portal, "POST", "api/applications", {"categories": ["wireless"]})["application"]
    details = {**DEMO_USER_INFORMATION, "company_name": "Example Systems LLC (sample)", **DEMO_COMPANY_DETAILS}
    details |= {"first_name": "Morgan", "last_name": "Contact", "version": started["version"]}
    saved = api(tab, portal, "PUT", f"api/applications/{started['id']}/user-information", details)["application"]
    answers = {"wireless": DEMO_ANSWERS["wireless"]}
    body = {"answers": answers, "version": saved["version"]}
    api(tab, portal, "PUT", f"api/applications/{started['id']}/product-information", body)
    return started["id"]


def test_user_management_is_as_wide_as_a_phone_and_its_table_scrolls_in_its_own_box(browser, portal, demo):
    tab = phone_as(browser, portal, "riley.admin@example.com", demo)
    width = page_width(tab, "account/users/", "[data-users-rows] tr")
    assert width["width"] <= PHONE["width"], width
    # Seven columns with buttons do not fit 390 px: the table scrolls sideways inside its box, which
    # the keyboard can reach, while the header and the text around it keep to the screen.
    box = tab.locator("[data-users-table]").locator("xpath=..")
    expect(box).to_have_attribute("tabindex", "0")
    inside = box.evaluate(
        "(e) => ({ box: e.getBoundingClientRect().right, scroll: e.scrollWidth, seen: e.clientWidth })"
    )
    assert inside["box"] <= PHONE["width"] and inside["scroll"] > inside["seen"], inside
    expect(tab.locator("[data-users-rows] tr").filter(has_text="drew.blocked@example.com")).to_have_count(1)


def test_every_page_is_as_wide_as_a_phone(browser, portal, demo):
    tab = phone_as(browser, portal, "morgan.contact@example.com", demo)
    widths = {path: page_width(tab, path, ready) for path, ready in READER_PAGES.items()}
    review = f"apply/review/?application={application_to_review(tab, portal)}"
    widths[review] = page_width(tab, review, ".portal-application__review-section dd")
    expect(tab.get_by_text("https://www.example.com", exact=True)).to_be_visible()

    staff = phone_as(browser, portal, "casey.channel@example.com", demo)
    widths["staff/applications/"] = page_width(staff, "staff/applications/", "[data-queue-rows] tr")
    staff.get_by_role("button", name="Open the application of Sample POS Partners").click()
    expect(staff.locator("[data-detail-audit] tr").first).to_be_visible()
    widths["staff/applications/ (one application)"] = staff.evaluate(WIDTH)

    assert too_wide(widths) == {}


def test_on_a_phone_each_territory_is_a_block_of_labelled_lines(browser, portal, demo):
    tab = phone_as(browser, portal, "morgan.contact@example.com", demo)
    tab.goto(TERRITORY_GROUP)
    table = tab.locator("table.portal-territories")
    heading_row = table.locator("thead").bounding_box()
    assert heading_row["width"] <= 1 and heading_row["height"] <= 1, "the heading row is drawn on a phone"
    first = table.locator("tbody tr").first
    cells = first.locator("th, td")
    expect(cells).to_have_count(3)
    boxes = [cell.bounding_box() for cell in cells.all()]
    assert all(above["y"] + above["height"] <= below["y"] + 0.5 for above, below in itertools.pairwise(boxes)), boxes
    labels = [cell.evaluate(LABEL) for cell in first.locator("td").all()]
    assert labels == ["States: ", "Sales representative: "]
    # Still a table to a screen reader: each territory a row, named by its territory.
    expect(tab.get_by_role("row", name=re.compile(r"^1\. "))).to_have_count(1)
    # The representatives' addresses stay whole, each on one line, not broken a letter a line.
    contacts = table.locator("a[href^='mailto:'], a[href^='tel:']")
    expect(contacts).to_have_count(2 * table.locator("tbody tr").count())
    for contact in contacts.all():
        assert contact.evaluate(LINES) == 1, contact.inner_text()
    assert axe_violations(tab) == []
