"""Every page of the built site in Chromium: zero axe-core violations and no request to another origin.

The walk visits each public page signed out, every page signed in as a Management Contact whose
company holds every category (so gated pages show their real content), and the channel team's
pages (under /staff/) as staff. On each it waits for the page's scripts to draw (the resource
finder, territory maps, My Account...), then runs axe-core for WCAG 2.1 A and AA. Every request
the browser makes on the way is recorded: all must go to the portal's own origin (data: and
blob: stay in the browser). So is every uncaught error and console error of the pages' scripts
(a page whose script throws loses more than its own part: the header search, the notice banner).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from helpers import REPO
from site_walk import ErrorWatch, RequestWatch, SitePage, axe_violations, seed_readers, sign_in, site_pages

from site_builder.scripts import SCRIPTS, loaded

pytestmark = pytest.mark.browser

PASSWORD = "violet harbor lantern ninety"
STAFF_PAGES = "/staff/"
NOT_FOUND = "/no-such-page/"  # the site's 404 page


@dataclass
class Walk:
    """What the walk saw."""

    pages: list[SitePage]
    visited: dict[str, list[str]] = field(default_factory=dict)  # audience -> paths
    violations: list[str] = field(default_factory=list)
    not_shown: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)


def audiences(pages: list[SitePage]) -> dict[str, list[str]]:
    """Which pages each audience visits."""
    return {
        "signed-out": [p.path for p in pages if p.rule == "public"] + [NOT_FOUND],
        "reseller": [p.path for p in pages] + [NOT_FOUND],
        "staff": [p.path for p in pages if p.path.startswith(STAFF_PAGES)],
    }


@pytest.fixture(scope="module")
def walk(browser, built_site, tmp_path_factory) -> Iterator[Walk]:
    """Run the walk once for the module's tests, on a stack of its own."""
    from portal import settings, wiring

    from infra.local.stack import LocalStack

    def forget_settings() -> None:
        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()

    state = tmp_path_factory.mktemp("walk") / "state.json"
    with LocalStack(REPO, state, port=0, site_dir=built_site) as stack:
        forget_settings()
        readers = seed_readers(os.environ["PORTAL_TABLE"], PASSWORD)
        result = Walk(site_pages(built_site))
        for audience, paths in audiences(result.pages).items():
            context = browser.new_context(base_url=stack.url)
            context.set_default_timeout(15_000)
            watch = RequestWatch(stack.url.rstrip("/")).attach(context)
            if audience in readers:
                sign_in(context, stack.url, readers[audience], PASSWORD)
            page = context.new_page()
            errors = ErrorWatch().attach(page)
            for path in paths:
                page.goto(path.lstrip("/"))
                watch.settle(page)
                shown = page.url.removeprefix(stack.url.rstrip("/")).split("?")[0].split("#")[0]
                if shown != path and path != NOT_FOUND:
                    result.not_shown.append(f"{audience} {path}: shown {shown}")
                result.violations += [f"{audience} {path}: {line}" for line in axe_violations(page)]
            result.visited[audience] = paths
            result.foreign += [f"{audience}: {line}" for line in watch.foreign]
            result.script_errors += [f"{audience} {line}" for line in errors.errors]
            context.close()
        yield result
    forget_settings()


def test_the_walk_covers_every_page_of_the_site(walk):
    visited = {path for paths in walk.visited.values() for path in paths}
    assert {page.path for page in walk.pages} <= visited
    assert len(walk.pages) > 20, "the built site looks empty"
    assert walk.not_shown == [], "signed in with every category, these pages sent the reader elsewhere"


def test_no_page_has_a_wcag_2_1_a_or_aa_violation(walk):
    assert walk.violations == [], f"{len(walk.violations)} axe-core violations:\n" + "\n".join(walk.violations)


def test_no_page_requests_anything_from_another_origin(walk):
    assert walk.foreign == [], "requests to other origins:\n" + "\n".join(walk.foreign)


def test_no_page_has_a_script_error_signed_in_or_out(walk, built_site):
    # Every portal script runs on some page of the walk: each kind of page with scripts of its own
    # (home, FAQ, resources, territory maps, help, the application steps, My Account, 404...).
    pages = [built_site / p.path.strip("/") / "index.html" for p in walk.pages] + [built_site / "404.html"]
    ran = set().union(*(loaded(p.read_text(encoding="utf-8")) for p in pages))
    assert {s.name for s in SCRIPTS} <= ran, "scripts no page of the walk loads"
    assert walk.script_errors == [], f"{len(walk.script_errors)} script errors:\n" + "\n".join(walk.script_errors)
