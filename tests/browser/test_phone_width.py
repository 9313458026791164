"""On a phone (390 × 844) every page is as wide as the screen: nothing makes the reader scroll sideways.

Signed in as the demo accounts of the README (the demo companies, users and application are added
to the stack's table as `portal serve` adds them).
"""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# How wide the page is, and the widest thing that sticks out of the screen (to name the culprit).
WIDTH = """() => {
  const screen = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll(".md-main *")].filter((e) => !e.closest(".md-sidebar"))
    .filter((e) => e.getBoundingClientRect().right > screen + 0.5)
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
  return { width: document.documentElement.scrollWidth,
           widest: wide ? `${wide.tagName.toLowerCase()}.${wide.className} "${wide.innerText.slice(0, 40)}"` : "" };
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
