"""The header on a phone (390 × 844): every part fits the screen, none covers another, none is cut off."""

from __future__ import annotations

import re

import pytest
from helpers import signed_in_user
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# What the reader sees in the header: its buttons, the site title when shown, each part of the account
# box; for each its box, and whether its text is wider than the room it has (cut off or ellipsized).
HEADER_PARTS = """() => {
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const parts = [...document.querySelectorAll(
    ".md-header__inner > .md-header__button, .md-header__title .md-header__topic:first-child .md-ellipsis, "
    + "[data-portal-account] > *, .md-header__account-name")];
  return {
    header: { top: header.top, bottom: header.bottom },
    width: document.documentElement.clientWidth,
    parts: parts.filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
      .filter((e) => e.getBoundingClientRect().width > 0)
      .map((e) => {
        const r = e.getBoundingClientRect();
        const name = (e.getAttribute("class") || e.tagName) + (e.innerText ? ` "${e.innerText.trim()}"` : "");
        return { name, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                 text: Boolean(e.innerText && e.innerText.trim()), cut: e.scrollWidth > e.clientWidth + 1,
                 nested: Boolean(e.parentElement.closest("[data-signed-in-as]")) };
      }),
  };
}"""


def header_problems(page: Page) -> list[str]:
    found = page.evaluate(HEADER_PARTS)
    parts = found["parts"]
    problems = []
    for part in parts:
        if part["left"] < 0 or part["right"] > found["width"]:
            problems.append(f"{part['name']} runs off the screen ({part['left']:.0f}–{part['right']:.0f})")
        if part["top"] < found["header"]["top"] or part["bottom"] > found["header"]["bottom"]:
            problems.append(f"{part['name']} sticks out of the header")
        if part["text"] and part["cut"]:
            problems.append(f"{part['name']} is cut off")
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            if a["nested"] or b["nested"]:
                continue  # the name inside the signed-in line is measured for being cut off only
            overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if overlap_x > 0.5 and overlap_y > 0.5:
                problems.append(f"{a['name']} overlaps {b['name']}")
    return problems


def visible_names(page: Page) -> list[str]:
    return [p["name"] for p in page.evaluate(HEADER_PARTS)["parts"]]


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


def test_signed_out_the_header_fits_a_phone_with_the_site_title(phone):
    phone.goto("")
    link = phone.locator("[data-portal-account] a")
    expect(link).to_have_attribute("href", re.compile(r"\?next="))  # the script has drawn the box
    assert header_problems(phone) == []
    names = " ".join(visible_names(phone))
    assert "Reseller Partner Portal" in names and '"Sign in"' in names


def test_signed_in_the_header_fits_a_phone_with_the_name_and_every_link(phone, portal):
    signed_in_user(
        phone, portal, "morgan.contact@example.org", "Example Systems LLC (sample)", ("pos", "scanners"),
        "MANAGEMENT_CONTACT", name=("Morgan", "Contact"),
    )  # fmt: skip
    phone.goto("")
    expect(phone.locator("[data-signed-in-as]")).to_be_visible()
    assert header_problems(phone) == []
    names = " ".join(visible_names(phone))
    for shown in ('"Morgan Contact"', '"My Account"', '"My Dashboard"', '"Sign out"'):
        assert shown in names
    # Role and company are one click away (My Account); the hover title still names them all.
    expect(phone.locator("[data-signed-in-as]")).to_have_attribute(
        "title", "Morgan Contact · Management Contact · Example Systems LLC (sample)"
    )
