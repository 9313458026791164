"""Every answer of the local portal carries the security headers (pages, API, errors)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from infra.headers import site_security_headers


def fetch(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method)  # noqa: S310 (the local stack)
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (local stack)
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize(
    "path",
    ["", "help/", "account/one-time-login/", "account/set-password/", "no-such-page/", "api/session", "api/nothing"],
)
def test_every_answer_has_the_security_headers(portal, built_site, path):
    status, headers = fetch(portal.url + path)
    assert status in {200, 401, 404}
    # The CSP allows the built pages' inline scripts by hash, exactly as CloudFront's policy does.
    for name, value in site_security_headers(built_site):
        assert headers[name] == value, f"{path or '/'}: {name}"


def test_the_reset_pages_send_no_referrer(portal):
    for path in ["account/one-time-login/", "account/set-password/"]:
        _, headers = fetch(portal.url + path)
        assert headers["Referrer-Policy"] == "no-referrer"
