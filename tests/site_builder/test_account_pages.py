"""The built sign-in pages: open to everyone, forms drawn from the API's models, nothing inline."""

from __future__ import annotations

import json
import re

import pytest
from helpers import build_site, copy_project
from mkdocs.exceptions import Abort, PluginError

ACCOUNT_PAGES = ["sign-in", "forgot-password", "one-time-login", "set-password", "sign-out", "needs-category"]


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def article(page: str) -> str:
    return page[page.find("<article") : page.find("</article>")]


def form(page: str, name: str) -> str:
    start = page.find(f'<form class="portal-form" id="form-{name}"')
    assert start != -1, f"no form {name}"
    return page[start : page.find("</form>", start)]


def test_account_pages_are_public_and_not_navigation_tabs(built_site):
    manifest = json.loads(read(built_site, "access-manifest.json"))
    home = read(built_site, "index.html")
    tabs = home[home.find('<nav class="md-tabs"') : home.find("</nav>", home.find('<nav class="md-tabs"'))]
    for name in ACCOUNT_PAGES:
        assert manifest["paths"][f"/account/{name}/"] == "public"
        assert f"account/{name}/" not in tabs


def test_forms_carry_the_models_fields_and_autocomplete_hints(built_site):
    sign_in = form(read(built_site, "account/sign-in/index.html"), "sign-in")
    assert 'action="/api/session"' in sign_in and 'data-next-param="next"' in sign_in
    assert re.search(r'name="email" type="email" autocomplete="username"', sign_in)
    assert re.search(r'name="password" type="password" autocomplete="current-password"', sign_in)

    reset = form(read(built_site, "account/forgot-password/index.html"), "forgot-password")
    assert 'action="/api/password-reset"' in reset and 'autocomplete="username"' in reset

    link = form(read(built_site, "account/one-time-login/index.html"), "one-time-login")
    assert 'name="user_id" type="hidden"' in link and 'name="token" type="hidden"' in link
    assert " hidden" in link.split(">", 1)[0], "the LOG IN form waits until the link is checked"

    new = form(read(built_site, "account/set-password/index.html"), "set-password")
    assert 'data-method="PUT"' in new and 'action="/api/password"' in new
    assert 'autocomplete="new-password"' in new and 'autocomplete="current-password"' in new
    current = re.search(r'<input id="f-current_password"[^>]*>', new).group(0)
    assert " disabled" in current, "the current password is asked only for a normal change"
    assert "maxlength" not in re.search(r'<input id="f-new_password"[^>]*>', new).group(0), "never truncate"

    out = form(read(built_site, "account/sign-out/index.html"), "sign-out")
    assert 'data-method="DELETE"' in out and "<input" not in out


def test_only_the_link_pages_hide_the_referrer(built_site):
    for name in ACCOUNT_PAGES:
        page = read(built_site, f"account/{name}/index.html")
        has_meta = '<meta name="referrer" content="no-referrer">' in page
        assert has_meta == (name in {"one-time-login", "set-password"}), name


def test_every_page_has_the_account_box_and_no_inline_script_in_content(built_site):
    for path in built_site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if "<article" not in page:
            continue
        assert "data-portal-account" in page, path
        assert 'src="' in page[page.find("portal-account.js") - 80 :], path
        assert not re.search(r"<script(?![^>]*\bsrc=)", article(page)), f"inline script in {path}"


def test_needs_category_page_knows_every_category_name(built_site, catalog):
    page = read(built_site, "account/needs-category/index.html")
    for category in catalog.categories:
        name = category.name.replace("&", "&amp;")
        assert f'<li data-slug="{category.slug}">{name}</li>' in page


def test_home_page_and_faq_link_to_sign_in_and_request_new_password(built_site):
    home = read(built_site, "index.html")
    assert 'href="account/sign-in/"' in home and 'href="account/forgot-password/"' in home
    faq = read(built_site, "information/support/faq/index.html")
    assert 'href="../../../account/forgot-password/"' in faq and 'href="../../../account/sign-in/"' in faq


def test_an_unknown_form_name_fails_the_build_naming_the_page(tmp_path, caplog):
    project = copy_project(tmp_path / "project")
    page = project / "content" / "pages" / "account" / "sign-in.md"
    page.write_text(page.read_text(encoding="utf-8").replace("portal:form sign-in", "portal:form sign-on"))
    with pytest.raises((PluginError, Abort)) as failure:
        build_site(project, tmp_path / "site")
    message = str(failure.value) + caplog.text
    assert "account/sign-in.md" in message and 'no form "sign-on"' in message
