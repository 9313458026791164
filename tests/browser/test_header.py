"""The header on a phone (390 × 844): every part fits the screen, none covers another, none is cut off;
every tap target in the header and the navigation drawer is at least 24 × 24 CSS px (WCAG 2.5.8), on
wider screens too for the header's links."""

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


# Every control the reader can tap in `scope` as the screen shows it now (on top at its centre:
# not behind the drawer, not in a panel slid out of view), with its box and whether its text runs out of it.
TAP_TARGETS = """(scope) => [...document.querySelectorAll(scope)]
  .flatMap((root) => [...root.querySelectorAll("a[href], button, label[for], input:not([type=hidden]), select")])
  .map((e) => ({ e, r: e.getBoundingClientRect() }))
  .filter(({ e, r }) => {
    if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility === "hidden") return false;
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return Boolean(hit) && (hit === e || e.contains(hit));
  })
  .map(({ e, r }) => ({
    name: `${e.tagName.toLowerCase()}.${e.className} `
      + `"${(e.innerText || e.getAttribute("aria-label") || e.title || e.htmlFor || "").trim()}"`,
    width: r.width, height: r.height, left: r.left, top: r.top, spills: e.scrollWidth > e.clientWidth + 1 }))"""


def tap_targets(page: Page, scope: str) -> list[dict]:
    """The tap targets once the screen has been still for 0.3 s (the drawer and its panels slide in)."""
    seen = []
    for _ in range(40):
        seen = [*seen[-3:], page.evaluate(TAP_TARGETS, scope)]
        if len(seen) == 4 and all(now == seen[0] for now in seen):
            return seen[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"{scope} never stopped moving")


def too_small(targets: list[dict]) -> list[str]:
    return [f"{t['name']}: {t['width']:.1f} × {t['height']:.1f}" for t in targets if min(t["width"], t["height"]) < 24]


def test_every_tap_target_in_the_header_and_navigation_is_at_least_24_px(phone, portal):
    phone.goto("")
    expect(phone.locator("[data-portal-account] a")).to_have_attribute("href", re.compile(r"\?next="))
    signed_out = tap_targets(phone, ".md-header")
    assert too_small(signed_out) == []
    assert any('"Sign in"' in t["name"] for t in signed_out)

    signed_in_user(
        phone, portal, "morgan.contact@example.org", "Example Systems LLC (sample)", ("pos", "scanners"),
        "MANAGEMENT_CONTACT", name=("Morgan", "Contact"),
    )  # fmt: skip
    phone.goto("")
    expect(phone.locator("[data-signed-in-as]")).to_be_visible()
    header = tap_targets(phone, ".md-header")
    assert too_small(header) == []
    for link in ('"My Account"', '"My Dashboard"', '"Sign out"', '"__drawer"', '"__search"'):
        assert any(link in t["name"] for t in header), link

    # The drawer opens on the page's own section; its back arrow leads to every section.
    drawer = phone.locator(".md-sidebar--primary")
    phone.locator(".md-header label[for=__drawer]").click()
    assert too_small(tap_targets(phone, ".md-sidebar--primary")) == []
    drawer.locator("label.md-nav__title").filter(has_text="Home").click()
    top = tap_targets(phone, ".md-sidebar--primary")
    assert too_small(top) == []
    sections = drawer.locator(".md-nav__container").filter(has=phone.locator("label.md-nav__link"))
    named = {t["name"] for t in top}
    assert any('"Resource Finder"' in name for name in named) and any('"__nav_' in name for name in named), named
    for section in ("Resource Finder", "Information", "Help"):
        opener = sections.filter(has=phone.get_by_role("link", name=section, exact=True)).first
        opener.locator("label.md-nav__link").click()
        inside = tap_targets(phone, ".md-sidebar--primary")
        assert too_small(inside) == [], section
        assert any(f'"{section}"' in t["name"] and "md-nav__title" in t["name"] for t in inside), section
        drawer.locator("label.md-nav__title").filter(has_text=section).first.click()
        tap_targets(phone, ".md-sidebar--primary")


def overlapping(targets: list[dict]) -> list[str]:
    """Targets that cover one another, or whose text runs out of its own box (over the next one)."""
    return [f"{t['name']} runs out of its box" for t in targets if t["spills"]] + [
        f"{a['name']} overlaps {b['name']}"
        for i, a in enumerate(targets)
        for b in targets[i + 1 :]
        if min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"]) > 0.5
        and min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"]) > 0.5
    ]


@pytest.mark.parametrize("width", [800, 1280])
def test_on_wider_screens_the_header_links_stay_apart_and_at_least_24_px(page, portal, width):
    signed_in_user(
        page, portal, f"morgan.{width}@example.org", "Example Systems LLC (sample)", ("pos", "scanners"),
        "MANAGEMENT_CONTACT", name=("Morgan", "Contact"),
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("")
    expect(page.locator("[data-signed-in-as]")).to_be_visible()
    header = tap_targets(page, ".md-header")
    assert sum(t["name"].startswith("a.md-header__account-link") for t in header) == 3
    assert overlapping(header) == [] and too_small(header) == []
