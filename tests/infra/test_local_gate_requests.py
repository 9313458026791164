"""The local server's static files behind the access gate (one shared stack: nothing here writes).

Kept apart from test_local_gate.py because a module-scoped stack must not run beside the
per-test stacks there (moto is one emulator per process).
"""

from __future__ import annotations

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, read_only_stack_fixture  # noqa: F401 - registers the fixtures
from portal.access import ACCESS_COOKIE
from test_local_gate import cookie_for

from infra.local.stack import LocalStack


@pytest.fixture
def gated(read_only_stack: LocalStack) -> LocalStack:
    """The shared stack: the gate changes nothing."""
    return read_only_stack


def test_a_gated_page_signed_out_redirects_to_sign_in_uncached(gated: LocalStack, http) -> None:
    result = http(gated, "GET", "/members/?tab=2")

    assert result.status == 302
    assert result.headers["Location"] == "/account/sign-in/?next=%2Fmembers%2F%3Ftab%3D2"
    assert result.headers["Cache-Control"] == "no-store"
    assert b"Members only" not in result.body


def test_a_gated_page_with_a_valid_cookie_is_served(gated: LocalStack, http) -> None:
    result = http(gated, "GET", "/members/", headers={"Cookie": "theme=dark; " + cookie_for(gated.access_key or b"")})

    assert result.status == 200
    assert b"Members only" in result.body


def test_a_category_page_with_another_category_redirects_to_needs_category(gated: LocalStack, http) -> None:
    result = http(gated, "GET", "/products/pos/", headers={"Cookie": cookie_for(gated.access_key or b"", "storage")})

    assert result.status == 302
    assert result.headers["Location"] == "/account/needs-category/?category=pos&next=%2Fproducts%2Fpos%2F"


@pytest.mark.parametrize("kind", ["another-key", "expired", "garbage"])
def test_a_cookie_the_stack_did_not_sign_or_that_expired_counts_as_signed_out(
    gated: LocalStack, http, kind: str
) -> None:
    cookie = {
        "another-key": cookie_for(b"k" * 32, "pos"),
        "expired": cookie_for(gated.access_key or b"", "pos", lifetime=-1),
        "garbage": f"{ACCESS_COOKIE}=garbage",
    }[kind]

    result = http(gated, "GET", "/products/pos/", headers={"Cookie": cookie})

    assert (result.status, result.headers["Location"]) == (302, "/account/sign-in/?next=%2Fproducts%2Fpos%2F")


def test_the_gate_redirects_a_folder_without_its_slash_before_checking(gated: LocalStack, http) -> None:
    result = http(gated, "GET", "/members?x=1")

    assert (result.status, result.headers["Location"]) == (301, "/members/?x=1")


def test_the_api_and_the_outbox_are_not_gated(gated: LocalStack, http) -> None:
    assert http(gated, "GET", "/api/users/7").status == 200
    assert http(gated, "GET", "/_outbox/").status == 200
    assert http(gated, "GET", "/_outbox.json").status == 200


def test_a_path_trick_is_refused_by_the_gate(gated: LocalStack, http) -> None:
    result = http(gated, "GET", "/members/../products/pos/", headers={"Cookie": cookie_for(gated.access_key or b"")})

    assert result.status == 400
    assert b"Point of sale" not in result.body
