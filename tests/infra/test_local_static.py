"""The built site as the local server serves it."""

from __future__ import annotations

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, read_only_stack_fixture  # noqa: F401 - registers the fixtures


@pytest.fixture
def stack(read_only_stack):
    """The shared stack: serving files changes nothing."""
    return read_only_stack


@pytest.mark.parametrize(
    ("path", "text"),
    [("/", b"Portal home"), ("/help/", b"Help page"), ("/help/index.html", b"Help page"), ("/?utm=x", b"Portal home")],
    ids=["root", "folder", "explicit-index", "query"],
)
def test_a_folder_url_serves_its_index_page_uncached(stack, http, path, text) -> None:
    result = http(stack, "GET", path)

    assert result.status == 200
    assert text in result.body
    assert result.headers["Content-Type"] == "text/html; charset=utf-8"
    assert result.headers["Cache-Control"] == "no-cache"


def test_a_folder_without_trailing_slash_redirects_to_it(stack, http) -> None:
    result = http(stack, "GET", "/help?x=1")

    assert (result.status, result.headers["Location"]) == (301, "/help/?x=1")


@pytest.mark.parametrize("path", ["/nowhere/", "/empty/", "/assets/missing.js"], ids=["page", "no-listing", "file"])
def test_a_missing_page_is_the_sites_404_page_with_status_404(stack, http, path) -> None:
    result = http(stack, "GET", path)

    assert result.status == 404
    assert b"Page not found" in result.body
    assert b".keep" not in result.body


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/pyproject.toml",
        "/help/..%2f..%2fpyproject.toml",
        "/%252e%252e/pyproject.toml",
        "/..%5cpyproject.toml",
        "/help/%00.html",
    ],
    ids=["dotdot", "encoded", "encoded-upper", "encoded-slash", "double-encoded", "backslash", "nul"],
)
def test_a_path_leaving_the_site_folder_is_refused(stack, http, path) -> None:
    result = http(stack, "GET", path)

    assert result.status == 400
    assert b"SECRET" not in result.body


def test_a_symlink_pointing_outside_the_site_is_not_followed(stack, http) -> None:
    result = http(stack, "GET", "/escape.toml")

    assert result.status == 404
    assert b"SECRET" not in result.body


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/data.json", "application/json; charset=utf-8"),
        ("/assets/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/events/calendar.ics", "text/calendar; charset=utf-8"),
        ("/fonts/text.woff2", "font/woff2"),
    ],
    ids=["js", "json", "svg", "ics", "woff2"],
)
def test_files_have_their_content_type(stack, http, path, content_type) -> None:
    result = http(stack, "GET", path)

    assert result.status == 200
    assert result.headers["Content-Type"] == content_type
    assert "Cache-Control" not in result.headers


def test_head_gives_the_headers_of_get_without_a_body(stack, http) -> None:
    get, head = http(stack, "GET", "/help/"), http(stack, "HEAD", "/help/")

    assert head.status == 200
    assert head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))


def test_writing_to_a_static_path_is_not_allowed(stack, http) -> None:
    result = http(stack, "POST", "/help/", body=b"x=1")

    assert (result.status, result.headers["Allow"]) == (405, "GET, HEAD")
