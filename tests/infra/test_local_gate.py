"""The access gate of the local server: its key, its manifest, and the edge rule applied to requests.

The rule itself is proven against the edge function by the shared vectors (tests/edge); these
tests check that the local server applies it where it should, with the right key, and fails
closed without a manifest.
"""

from __future__ import annotations

import json
import logging
import shutil
import stat
from pathlib import Path

import pytest
from local_stack_fixtures import (  # noqa: F401 - registers the fixtures
    ACCESS_MANIFEST,
    fake_repo_fixture,
    http_fixture,
    stack_fixture,
    state_file_fixture,
)
from portal.access import ACCESS_COOKIE, AccessClaims, sign_access

from infra.cli import main
from infra.local.gate import (
    AccessKeyError,
    Decision,
    ManifestError,
    decision_response,
    load_manifest,
    load_or_create_key,
)
from infra.local.stack import LocalStack
from infra.local.state import StateFileError
from site_builder.access import MANIFEST_FILE


def cookie_for(key: bytes, *categories: str, role: str = "account_user", lifetime: int = 600) -> str:
    """A ``Cookie`` header with an access cookie signed by ``key``."""
    import time

    claims = AccessClaims("user-1", "company-1", role, categories, int(time.time()) + lifetime)
    return f"{ACCESS_COOKIE}={sign_access(claims, key)}"


# --- the key -------------------------------------------------------------------------------------


def test_the_first_start_makes_a_key_only_its_owner_can_read(stack: LocalStack, state_file: Path) -> None:
    key_file = state_file.parent / "access.key"

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert bytes.fromhex(key_file.read_text().strip()) == stack.access_key
    assert len(stack.access_key or b"") == 32


def test_the_functions_sign_with_the_stacks_key(stack: LocalStack, http) -> None:
    payload = http(stack, "GET", "/api/users/7").json()

    assert payload["access_key"] == (stack.access_key or b"").hex()


def test_a_restart_keeps_the_key_so_cookies_stay_valid(fake_repo: Path, state_file: Path, http) -> None:
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as first:
        key = first.access_key
        cookie = cookie_for(key or b"")

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as second:
        assert second.access_key == key
        assert http(second, "GET", "/members/", headers={"Cookie": cookie}).status == 200


def test_two_stacks_with_their_own_state_have_their_own_keys(tmp_path: Path) -> None:
    assert load_or_create_key(tmp_path / "one") != load_or_create_key(tmp_path / "two")


def test_a_key_file_others_can_read_is_narrowed_to_its_owner(tmp_path: Path, caplog) -> None:
    key_file = tmp_path / "access.key"
    key_file.write_text("ab" * 32 + "\n")
    key_file.chmod(0o644)

    with caplog.at_level(logging.WARNING, logger="portal.local"):
        key = load_or_create_key(tmp_path)

    assert key == bytes.fromhex("ab" * 32)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "readable by others" in caplog.text


@pytest.mark.parametrize("text", ["not hex at all", "abcd", ""], ids=["not-hex", "short", "empty"])
def test_a_damaged_key_file_is_refused_with_what_to_do(tmp_path: Path, text: str) -> None:
    (tmp_path / "access.key").write_text(text)

    with pytest.raises(AccessKeyError, match="delete it and a new one is made on the next start"):
        load_or_create_key(tmp_path)


def test_portal_serve_reports_a_damaged_key_file_without_a_traceback(
    fake_repo: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    shutil.copy(fake_repo / "infra" / "template.yaml", repo / "infra" / "template.yaml")
    (repo / "mkdocs.yml").write_text("site_name: Keyless\ndocs_dir: pages\n")
    (repo / ".portal").mkdir()
    (repo / ".portal" / "access.key").write_text("damaged")
    monkeypatch.chdir(repo)

    status = main(["serve", "--port", "0"])

    err = capsys.readouterr().err
    assert status == 1
    assert "access.key: not a 32-byte hex key" in err
    assert "Traceback" not in err
    assert issubclass(AccessKeyError, StateFileError)


# --- without a manifest: fail closed -------------------------------------------------------------


@pytest.fixture
def unbuilt_site(fake_repo: Path, tmp_path: Path) -> Path:
    """A copy of the fake site without ``access-manifest.json`` (not built by the portal plugin)."""
    site = tmp_path / "site"
    shutil.copytree(fake_repo / "site", site, symlinks=True)
    (site / MANIFEST_FILE).unlink()
    return site


def test_without_a_manifest_nothing_is_served_and_the_log_says_why(
    fake_repo: Path, unbuilt_site: Path, tmp_path: Path, http, caplog
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="portal.local"),
        LocalStack(fake_repo, tmp_path / "state.json", port=0, site_dir=unbuilt_site) as stack,
    ):
        home = http(stack, "GET", "/")
        members = http(stack, "GET", "/members/", headers={"Cookie": cookie_for(stack.access_key or b"")})
        api = http(stack, "GET", "/api/users/7")

    assert (home.status, members.status) == (503, 503)
    assert b"access-manifest.json is missing" in home.body
    assert b"Portal home" not in home.body
    assert api.status == 200
    assert "access-manifest.json is missing" in caplog.text
    assert "fail closed" in caplog.text
    # Logged once when noticed, not on every request.
    assert caplog.text.count("fail closed") == 1


def test_a_manifest_written_while_serving_is_picked_up(
    fake_repo: Path, unbuilt_site: Path, tmp_path: Path, http
) -> None:
    with LocalStack(fake_repo, tmp_path / "state.json", port=0, site_dir=unbuilt_site) as stack:
        before = http(stack, "GET", "/members/")
        (unbuilt_site / MANIFEST_FILE).write_text(json.dumps(ACCESS_MANIFEST))
        gated = http(stack, "GET", "/members/")
        opened = {**ACCESS_MANIFEST, "paths": {"/members/": "public", "/products/pos/": "category:pos"}}
        (unbuilt_site / MANIFEST_FILE).write_text(json.dumps(opened, indent=2))
        public = http(stack, "GET", "/members/")

    assert before.status == 503
    assert gated.status == 302
    assert public.status == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "cannot be read"),
        ('{"default": "public"}', "is not an access manifest"),
        ('{"default": "", "paths": {}, "prefixes": {}}', "is not an access manifest"),
        ('{"default": "public", "paths": {"/": 1}, "prefixes": {}}', "is not an access manifest"),
    ],
    ids=["broken-json", "no-paths", "empty-default", "rule-not-text"],
)
def test_a_malformed_manifest_is_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / MANIFEST_FILE).write_text(text)

    with pytest.raises(ManifestError, match=message):
        load_manifest(tmp_path / MANIFEST_FILE)


def test_refusals_are_plain_text_and_never_cached() -> None:
    response = decision_response(Decision("reject", 403))

    assert response.status == 403
    assert ("Cache-Control", "no-store") in response.headers
    assert response.body == b"Forbidden\n"


# --- end to end with the real built site ---------------------------------------------------------


def test_a_category_page_of_the_built_site_through_the_local_server(portal: LocalStack, http) -> None:
    key = portal.access_key or b""
    page = "/products/pos/"

    signed_out = http(portal, "GET", page)
    with_category = http(portal, "GET", page, headers={"Cookie": cookie_for(key, "scanners", "pos")})
    other_category = http(portal, "GET", page, headers={"Cookie": cookie_for(key, "storage")})
    staff = http(portal, "GET", page, headers={"Cookie": cookie_for(key, role="channel_team")})

    assert (signed_out.status, signed_out.headers["Location"]) == (302, "/account/sign-in/?next=%2Fproducts%2Fpos%2F")
    assert with_category.status == 200
    assert b"<h1" in with_category.body and b"POS" in with_category.body
    assert (other_category.status, other_category.headers["Location"]) == (
        302,
        "/account/needs-category/?category=pos&next=%2Fproducts%2Fpos%2F",
    )
    assert staff.status == 200


def test_public_pages_and_theme_files_of_the_built_site_need_no_cookie(portal: LocalStack, http) -> None:
    home = http(portal, "GET", "/")
    stylesheet = next((portal.site_dir or Path()).glob("assets/stylesheets/*.css"))
    theme_file = http(portal, "GET", "/" + stylesheet.relative_to(portal.site_dir or Path()).as_posix())
    signed_in_page = http(portal, "GET", "/information/")

    assert home.status == 200
    assert theme_file.status == 200
    assert signed_in_page.status == 302
