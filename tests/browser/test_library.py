"""The resource library in a real browser, behind the real access gate of the local portal.

A reseller of one category browses the Resource Finder, finds a representative, searches, and
tries to open another category's files; staff change the service notice and the inventory
report while the site is running.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import REPO
from playwright.sync_api import Page, expect
from site_walk import ErrorWatch, axe_violations

from infra.cli import main

pytestmark = pytest.mark.browser

PASSWORD = "copper meadow signal forty"
# The time zone of the readers of the tests that show times: the notice's and the report's.
READER_ZONE = "America/New_York"


def as_shown(iso: str) -> str:
    """How the page shows a moment to a reader in READER_ZONE: "Dec 3, 2026, 2:05 PM EST"."""
    t = dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(READER_ZONE))
    return f"{t:%b} {t.day}, {t.year}, {t.hour % 12 or 12}:{t:%M} {'AM' if t.hour < 12 else 'PM'} {t.tzname()}"


def add_reseller(email: str, categories: tuple[str, ...]) -> None:
    """A company authorized for ``categories`` with one active user (moto runs in this process)."""
    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))))
    company = accounts.create_company(f"{email} Inc", categories)
    accounts.create_user(
        email, "Sam", "Sample", company.id, Role.ACCOUNT_USER, UserStatus.ACTIVE,
        password_hash=passwords.hash_password(PASSWORD),
    )  # fmt: skip


def sign_in(page: Page, portal, email: str) -> None:
    """Sign in through the API, as the sign-in page does; the browser keeps both cookies."""
    answer = page.request.post(
        portal.url + "api/session",
        data=json.dumps({"email": email, "password": PASSWORD}),
        headers={"Content-Type": "application/json", "Origin": portal.url.rstrip("/")},
    )
    assert answer.status == 200, answer.text()


@pytest.fixture
def scanners_reseller(page, portal):
    """A signed-in user of a company authorized for Scanners only."""
    add_reseller("sam.scanners@example.org", ("scanners",))
    sign_in(page, portal, "sam.scanners@example.org")
    return page


def titles(page: Page) -> list[str]:
    return page.locator("[data-finder-results] .portal-resource__title").all_inner_texts()


def test_an_address_with_filters_the_finder_does_not_offer_lists_every_file(scanners_reseller):
    page = scanners_reseller
    page.goto("resources/")
    status = page.locator("[data-finder-status]")
    expect(status).to_contain_text("Files 1–")
    everything, all_shown = status.inner_text(), titles(page)

    page.goto("resources/?category=nonexistent&type=zzz&page=-1&sort=bogus")
    expect(status).to_have_text(everything)
    assert titles(page) == all_shown
    expect(page.get_by_label("All types")).to_be_checked()
    expect(page.locator("#finder-category")).to_have_value("")
    # The address keeps only what the page shows, so a copied link means the same.
    expect(page).to_have_url(re.compile(r"/resources/$"))


def test_the_finder_lists_the_readers_files_by_type_category_and_words(scanners_reseller):
    page = scanners_reseller
    page.goto("resources/")
    status = page.locator("[data-finder-status]")
    expect(status).to_contain_text("Files 1–")
    shown = titles(page)
    assert "Document Scanners brochure (sample)" in shown
    assert "Authorized Reseller Program Guidelines (sample)" in shown, "files for every category are listed"
    assert not any("POS terminal" in t or "Projector" in t for t in shown), "another category's file"
    assert not any(t == "Sample application: POS" for t in shown), "public files of other categories are noise"
    assert page.locator("#finder-category option").all_inner_texts() == ["All my categories", "Scanners"]

    page.get_by_label("Technical").check()
    expect(status).to_contain_text("(Technical)")
    assert titles(page) == ["Scanner driver and capture software installation guide (sample)"]
    assert "type=technical" in page.url

    page.get_by_label("All types").check()
    page.get_by_label("Search within the list").fill("scanner bundle")
    expect(status).to_contain_text("matching “scanner bundle”")
    assert titles(page) == ["Instant rebate: departmental scanner bundle (sample)"]

    page.get_by_role("button", name="Show Latest Files").click()
    expect(status).to_contain_text("newest files")
    assert titles(page)[0] == "Sales Rep SPIFF bulletin: scanners, first quarter 2027 (sample)"
    assert page.get_by_label("Search within the list").input_value() == ""
    assert "view=latest" in page.url

    page.get_by_label("Search within the list").fill("spiff")
    expect(status).to_contain_text("matching “spiff”")
    assert "find=spiff" in page.url and "q=" not in page.url

    page.goto("resources/?type=marketing&find=brochure")
    expect(status).to_contain_text("Files 1–1 of 1")
    expect(page.get_by_label("Marketing")).to_be_checked()
    expect(page.get_by_label("Search within the list")).to_have_value("brochure")


@pytest.mark.parametrize("address", ["resources/?find=spiff", "resources/?q=spiff"])
def test_a_bookmarked_finder_search_shows_the_list_not_the_site_search(scanners_reseller, address):
    """The finder's words are ?find=; links from before, with ?q=, still fill it in (not Material's search)."""
    page = scanners_reseller
    watch = ErrorWatch().attach(page)
    page.goto(address)
    status = page.locator("[data-finder-status]")
    expect(status).to_contain_text("matching “spiff”")
    assert titles(page) == ["Sales Rep SPIFF bulletin: scanners, first quarter 2027 (sample)"]
    expect(page.get_by_label("Search within the list")).to_have_value("spiff")
    assert page.url.endswith("/resources/?find=spiff")
    site_search = page.locator("[data-md-component=search-query]")
    expect(site_search).to_have_value("")
    expect(site_search).not_to_be_focused()
    expect(page.locator("#__search")).not_to_be_checked()  # Material's search overlay is closed
    expect(page.locator(".md-search__output")).to_be_hidden()
    page.get_by_label("Search within the list").click()  # nothing lies over the page
    assert watch.errors == []


def test_find_my_representative_by_state_and_the_maps_of_other_groups(scanners_reseller):
    page = scanners_reseller
    page.goto("resources/general/territory-maps/")
    page.get_by_label("Find my representative: your state").select_option(label="Texas")
    result = page.locator("[data-rep-finder-result]")
    expect(result).to_contain_text("Scanners: Jordan Fictive (Central territory)")
    expect(result.get_by_role("link", name="jordan.fictive@example.com")).to_have_attribute(
        "href", "mailto:jordan.fictive@example.com"
    )
    expect(result).to_contain_text("For Visual Systems")
    expect(result).to_contain_text("contact Reseller Support at reseller.support@example.com")
    assert "Avery" not in result.inner_text() and "Visual Systems:" not in result.inner_text()

    groups = page.locator("[data-territory-groups]")
    expect(groups.get_by_role("link", name="Scanners")).to_be_visible()
    other = groups.locator('[data-territory-group="visual-systems"]')
    expect(other).to_contain_text("your company is not authorized for this product group")
    expect(other.get_by_role("link", name="Visual Systems")).to_have_count(0)

    page.goto("resources/general/territory-maps/scanners/")
    page.get_by_label("Find my representative: your state").select_option("ME")
    expect(page.locator("[data-rep-finder-result]")).to_contain_text("Avery Sample (East territory)")
    expect(page.locator('.portal-tile--selected[data-state="ME"]')).to_have_count(1)


def test_the_maps_page_says_which_of_the_companys_groups_have_no_map(scanners_reseller, portal):
    page = scanners_reseller
    page.goto("resources/general/territory-maps/")
    expect(page.locator('[data-territory-group="visual-systems"]')).to_contain_text("not authorized")
    expect(page.locator("[data-territory-own]")).to_be_hidden()  # every Scanners state has a map

    add_reseller("pat.pos@example.org", ("pos", "scanners"))
    sign_in(page, portal, "pat.pos@example.org")
    page.goto("resources/general/territory-maps/")
    own = page.locator("[data-territory-own]")
    expect(own).to_have_text(
        "POS, one of your company's product groups, has no territory map yet. "
        "For a sales representative, contact Reseller Support at reseller.support@example.com."
    )
    expect(own.get_by_role("link")).to_have_attribute("href", "mailto:reseller.support@example.com")


def test_the_finder_says_why_a_state_has_no_representative_for_each_group(page, portal):
    """Maps that leave the state out, the company's groups without a map, groups it may not open: each said apart."""
    result = page.locator("[data-rep-finder-result]")
    support = "contact Reseller Support at reseller.support@example.com"

    def find(email: str, categories: tuple[str, ...], state: str) -> str:
        add_reseller(email, categories)
        sign_in(page, portal, email)
        page.goto("resources/general/territory-maps/")
        page.get_by_label("Find my representative: your state").select_option(label=state)
        expect(result).not_to_be_empty()
        return result.inner_text()

    # POS has no territory map; Scanners does.
    shown = find("pat.pos.scanners@example.org", ("pos", "scanners"), "Texas")
    expect(result).to_contain_text("Scanners: Jordan Fictive (Central territory)")
    expect(result).to_contain_text(
        f"POS, one of your company's product groups, has no territory map yet. "
        f"For a sales representative in Texas, {support}."
    )
    assert "No map you can open" not in shown

    # Only POS: no map to open at all, and the finder says which group and why, not "no map covers".
    shown = find("olive.pos@example.org", ("pos",), "Texas")
    expect(result.locator("p").first).to_have_text(
        f"POS, one of your company's product groups, has no territory map yet. "
        f"For a sales representative in Texas, {support}."
    )
    expect(result).to_contain_text("For Scanners, Visual Systems, Rugged Handhelds")
    assert "No map you can open" not in shown and "Sales representatives for" not in shown

    # Rugged Handhelds' map has no territory for Alaska: that is what "no map you can open covers" means.
    shown = find("rudy.rugged@example.org", ("rugged-handhelds",), "Alaska")
    expect(result.locator("p").first).to_have_text("No map you can open covers Alaska.")
    expect(result).to_contain_text(
        f"The Rugged Handhelds map has no territory for Alaska; for a sales representative there, {support}."
    )
    assert "territory map yet" not in shown, "the company holds no group without a map"
    expect(result.get_by_role("link", name="reseller.support@example.com").first).to_have_attribute(
        "href", "mailto:reseller.support@example.com"
    )


def search(page: Page, words: str) -> list[str]:
    """Material's header search, driven with the keyboard; the result titles."""
    page.keyboard.press("/")
    box = page.locator("[data-md-component=search-query]")
    expect(box).to_be_focused()
    box.fill("")
    box.press_sequentially(words)
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_contain_text("Initializing")
    expect(meta).not_to_contain_text("Type to start searching")
    return page.locator(".md-search-result__article").locator("h1, h2").all_text_contents()


def search_links(page: Page) -> list[str]:
    """Where the results shown by the last search lead."""
    return [link.get_attribute("href") or "" for link in page.locator(".md-search-result__link").all()]


def test_a_reseller_cannot_find_or_open_another_categorys_resources(scanners_reseller, portal):
    page = scanners_reseller
    page.goto("")
    assert "Document Scanners brochure (sample)" in search(page, "brochure")
    found = search(page, "terminal")
    assert not any("POS" in title for title in found), found
    assert not any("/pos/" in link for link in search_links(page)), search_links(page)
    assert not any("Avery Sample" in title for title in search(page, "Avery"))
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.reload()
    search(page, "scanner")
    indexes = [u for u in requested if "/search/" in u and u.endswith(".json")]
    assert indexes and not any("/search/category/pos.json" in u for u in indexes), indexes
    assert not [u for u in requested if u.endswith("search_index.json") and not u.startswith("blob:")]

    for path in [
        "library/pos/files/pos/terminal-datasheet.pdf",
        "library/pos/resources.json",
        "search/category/pos.json",
        "products/pos/",
        "resources/general/territory-maps/visual-systems/",
    ]:
        answer = page.request.get(portal.url + path, max_redirects=0)
        assert answer.status in {302, 403}, (path, answer.status)
    opened = page.request.get(portal.url + "library/scanners/files/scanners/scanners-brochure.pdf")
    assert opened.status == 200 and opened.body().startswith(b"%PDF-")


def test_the_gate_follows_a_signed_access_cookie(browser, portal):
    """The contract with the edge: a cookie signed with the stack's key opens exactly its categories."""
    from portal.access import ACCESS_COOKIE, AccessClaims, sign_access

    claims = AccessClaims("user-1", "company-1", "account_user", ("pos",), int(time.time()) + 300)
    # Chromium will not store a __Host- cookie for a plain-http address, so the browser sends it as a header.
    cookie = f"{ACCESS_COOKIE}={sign_access(claims, portal.access_key)}"
    context = browser.new_context(base_url=portal.url, extra_http_headers={"Cookie": cookie})
    try:
        page = context.new_page()
        page.goto("products/pos/")
        expect(page.locator("h1")).to_contain_text("POS")
        page.goto("products/scanners/")
        expect(page).to_have_url(re.compile(r"/account/needs-category/\?category=scanners"))
        get = context.request.get
        assert get(portal.url + "library/pos/files/pos/terminal-datasheet.pdf", max_redirects=0).status == 200
        assert get(portal.url + "search/category/pos.json", max_redirects=0).status == 200
        assert get(portal.url + "library/all/resources.json", max_redirects=0).status == 200
        assert get(portal.url + "library/scanners/resources.json", max_redirects=0).status == 302
        assert get(portal.url + "search/category/scanners.json", max_redirects=0).status == 302
        anonymous = browser.new_context(base_url=portal.url).request
        assert anonymous.get(portal.url + "library/all/resources.json", max_redirects=0).status == 302
        assert anonymous.get(portal.url + "library/public/resources.json", max_redirects=0).status == 200
    finally:
        context.close()


def test_where_to_buy_shows_the_distributors_of_the_readers_categories(scanners_reseller):
    page = scanners_reseller
    page.goto("information/support/where-to-buy/")
    status = page.locator("[data-table-status]")
    expect(status).to_contain_text("2 of 2 distributors")
    body = page.locator("[data-table-body]")
    expect(body).to_contain_text("DocuFlow Imaging (sample)")
    expect(body).to_contain_text("Northstar Distribution (sample)")
    expect(body).not_to_contain_text("HealthTech")
    page.get_by_label("Search distributors").fill("licensing")
    expect(status).to_contain_text("1 of 2 distributors")
    expect(body.get_by_role("link", name="licensing@docuflow.example.com")).to_be_visible()


def test_events_that_ended_since_the_build_move_to_past(page):
    page.clock.install(time=1801000000)  # 2027-01-26: the January portal tour is over
    page.goto("")
    upcoming = page.locator("[data-events-upcoming]")
    past = page.locator("[data-events-past]")
    expect(past).to_contain_text("Reseller Partner Portal tour (live webinar)")
    expect(upcoming).not_to_contain_text("Reseller Partner Portal tour")
    expect(upcoming.locator(".portal-event:visible")).to_have_count(3)
    link = upcoming.get_by_role("link", name=re.compile("Add to calendar: Document capture sales certification"))
    expect(link).to_have_attribute("href", "events/scanner-capture-certification-2027.ics")


@pytest.fixture
def own_portal(browser, built_site, tmp_path):
    """A portal serving a private copy of the built site (the test changes its files), and a tab on it."""
    from portal import settings, wiring

    from infra.local.stack import LocalStack

    site = Path(shutil.copytree(built_site, tmp_path / "site"))
    with LocalStack(REPO, tmp_path / "state.json", port=0, site_dir=site) as stack:
        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()
        context = browser.new_context(base_url=stack.url, timezone_id=READER_ZONE)
        context.set_default_timeout(10_000)
        yield stack, site, context.new_page()
        context.close()
    settings.settings.cache_clear()
    settings.access_key.cache_clear()
    wiring.reset()


def test_a_posted_notice_shows_on_every_page_without_a_rebuild_even_with_the_api_down(own_portal):
    _, site, page = own_portal
    page.route("**/api/**", lambda route: route.abort())
    page.goto("help/service-health/")
    expect(page.locator("[data-status-current]")).to_contain_text("All services are running normally")
    expect(page.locator("[data-status-banner]")).to_have_count(0)

    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=40)).replace(hour=17, minute=30, second=0, microsecond=0)
    assert main(["status", "post", "--level", "outage", "--message", "Sign-in is unavailable",
                 "--until", until.isoformat(), "--site-dir", str(site)]) == 0  # fmt: skip
    posted = json.loads((site / "status.json").read_text())
    page.goto("")
    banner = page.locator("[data-status-banner]")
    expect(banner).to_contain_text("Service outage: Sign-in is unavailable")
    # Both times in the reader's zone, named: 17:30 UTC is 12:30 PM in New York in winter.
    expect(banner).to_contain_text(f"posted {as_shown(posted['notice']['posted_at'])}")
    expect(banner).to_contain_text(f"until {as_shown(until.isoformat())}")
    assert re.search(r"until \w{3} \d+, \d{4}, \d+:30\s[AP]M E[SD]T", banner.inner_text())
    expect(banner).to_have_attribute("role", "alert")
    banner.get_by_role("link", name="Service Health").click()
    expect(page.locator("[data-status-current]")).to_contain_text("Sign-in is unavailable")
    expect(page.locator("[data-status-current]")).to_contain_text(f"Last updated {as_shown(posted['updated_at'])}.")

    assert main(["status", "clear", "--site-dir", str(site)]) == 0
    page.reload()
    expect(page.locator("[data-status-current]")).to_contain_text("All services are running normally")
    expect(page.locator("[data-status-history]")).to_contain_text("Sign-in is unavailable")
    expect(page.locator("[data-status-banner]")).to_have_count(0)


# How a link looks: its colour, its underline, and the colour of the box behind it (the first ancestor
# with a background of its own).
LINK_LOOKS = """(a) => {
  let box = a;
  while (box && getComputedStyle(box).backgroundColor.replace(/\\s/g, "") === "rgba(0,0,0,0)") box = box.parentElement;
  const link = getComputedStyle(a);
  return { color: link.color, underline: link.textDecorationLine.includes("underline"),
           background: box ? getComputedStyle(box).backgroundColor : "rgb(255, 255, 255)" };
}"""


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two opaque CSS rgb() colours."""

    def luminance(color: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", color)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("level", ["info", "warning", "outage"])
def test_the_banners_service_health_link_is_underlined_and_easy_to_read(page, level):
    posted = dt.datetime.now(dt.UTC).isoformat()
    status = {"notice": {"level": level, "message": "Order history loads slowly", "posted_at": posted},
              "history": [], "updated_at": posted}  # fmt: skip
    page.route("**/status.json", lambda route: route.fulfill(json=status))
    page.goto("")
    link = page.locator("[data-status-banner]").get_by_role("link", name="Service Health")
    expect(link).to_be_visible()
    looks = link.evaluate(LINK_LOOKS)
    assert looks["underline"], looks
    assert contrast(looks["color"], looks["background"]) >= 4.5, looks
    assert axe_violations(page) == []


def test_the_not_found_page_shows_the_notice_and_searches_like_every_other_page(own_portal):
    stack, site, page = own_portal
    watch = ErrorWatch().attach(page)
    add_reseller("sam.scanners@example.org", ("scanners",))
    sign_in(page, stack, "sam.scanners@example.org")
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=40)).replace(hour=17, minute=30, second=0, microsecond=0)
    assert main(["status", "post", "--level", "warning", "--message", "Slow downloads",
                 "--until", until.isoformat(), "--site-dir", str(site)]) == 0  # fmt: skip

    page.goto("nonexistent/")
    expect(page.locator("h1")).to_contain_text("404")
    banner = page.locator("[data-status-banner]")
    expect(banner).to_contain_text("Service warning: Slow downloads")
    expect(banner).to_contain_text(f"until {as_shown(until.isoformat())}")
    assert "GMT" not in banner.inner_text()
    assert "Document Scanners brochure (sample)" in search(page, "brochure")
    page.keyboard.press("Escape")
    banner.get_by_role("link", name="Service Health").click()
    expect(page.locator("[data-status-current]")).to_contain_text("Slow downloads")
    assert watch.errors == []


def test_the_inventory_report_sorts_and_a_new_day_replaces_it_without_a_rebuild(own_portal, tmp_path):
    stack, site, page = own_portal
    add_reseller("sam.scanners@example.org", ("scanners",))
    sign_in(page, stack, "sam.scanners@example.org")
    page.goto("information/programs/inventory-report/")
    expect(page.locator("[data-inventory-as-of]")).to_contain_text("December 2, 2026")
    table = page.locator("[data-table-body] table")
    expect(page.locator("[data-table-status]")).to_contain_text("Showing 8 of 8 rows")
    models = table.locator("tbody tr td:first-child").all_inner_texts()
    assert set(models) == {"SCN-D310", "SCN-D520", "SCN-P4200", "SCN-FB11"}, "only the reader's category"
    page.get_by_role("button", name="Quantity").click()
    expect(table.locator("th").nth(4)).to_have_attribute("aria-sort", "descending")
    quantities = [int(q) for q in table.locator("tbody tr td:last-child").all_inner_texts()]
    assert quantities == sorted(quantities, reverse=True)

    csv = tmp_path / "day.csv"
    csv.write_text("as_of,model,description,category,distributor,quantity\n"
                   "2027-01-06,SCN-NEW,New scanner,scanners,docuflow,5\n")  # fmt: skip
    assert (
        main(["inventory", "publish", str(csv), "--site-dir", str(site), "--content-dir", str(REPO / "content")]) == 0
    )
    csv.write_text("as_of,model,description,category,distributor,quantity\n2027-01-07,X,Bad,scanners,docuflow,lots\n")
    assert (
        main(["inventory", "publish", str(csv), "--site-dir", str(site), "--content-dir", str(REPO / "content")]) == 1
    )
    page.reload()
    published = json.loads((site / "inventory" / "current.json").read_text())["published_at"]
    expect(page.locator("[data-inventory-as-of]")).to_contain_text(
        f"Stock as of Wednesday, January 6, 2027 (published {as_shown(published)})."
    )
    expect(page.locator("[data-table-body] tbody tr")).to_have_count(1)
