"""Signing in and out through the real handlers: what a reseller (or an attacker) would notice."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLE_PASSWORD
from helpers import api_event, cookie_jar

SESSION = "__Host-portal_session"
ACCESS = "__Host-portal_access"
SIGNED_IN = "__Host-portal_signed_in"


@pytest.fixture
def auth(aws):
    """The auth handler (sign in, sign out, who am I, set password)."""
    from auth.app import lambda_handler

    return lambda_handler


def call(handler, context, method, path, body=None, cookies=None, **kwargs):
    response = handler(api_event(method, path, body, cookies, **kwargs), context)
    return response, json.loads(response["body"] or "null")


def sign_in(auth, context, email, password=SAMPLE_PASSWORD, source_ip="192.0.2.10"):
    return call(auth, context, "POST", "/api/session", {"email": email, "password": password}, source_ip=source_ip)


def session_of(response) -> list[str]:
    return [f"{SESSION}={cookie_jar(response)[SESSION]}"]


def test_sign_in_sets_safe_cookies_and_who_am_i_answers(auth, lambda_context, people):
    response, body = sign_in(auth, lambda_context, "jane.doe@example.org")

    assert response["statusCode"] == 200
    assert body["user"]["email"] == "jane.doe@example.org" and body["user"]["role_label"] == "Account User"
    assert [c["slug"] for c in body["company"]["categories"]] == ["scanners", "visual-systems"]
    assert set(cookie_jar(response)) == {SESSION, SIGNED_IN, ACCESS}
    for cookie in response["cookies"]:
        assert cookie.startswith("__Host-")
        for attribute in ("Path=/", "Secure", "SameSite=Lax"):
            assert attribute in cookie
        assert "Domain" not in cookie
        # Only the hint that a session is open is left readable to the pages' scripts.
        assert ("HttpOnly" in cookie) == (not cookie.startswith(SIGNED_IN + "="))
    assert cookie_jar(response)[SIGNED_IN] == "1", "the readable cookie holds no secret"
    lifetimes = {c.split("=", 1)[0]: c.split("Max-Age=")[1].split(";")[0] for c in response["cookies"]}
    assert lifetimes[SIGNED_IN] == lifetimes[SESSION], "the hint lasts exactly as long as the session cookie"
    token = cookie_jar(response)[SESSION].split(".", 1)[1]
    assert len(token) >= 43  # 256 bits in base64url
    stored = json.dumps([i for i in people["accounts"].store.table.scan()["Items"]], default=str)
    assert token not in stored, "the session token itself is never stored"

    me, me_body = call(auth, lambda_context, "GET", "/api/session", cookies=session_of(response))
    assert me["statusCode"] == 200 and me_body["user"]["id"] == people["user"].id
    assert ACCESS in cookie_jar(me), "who-am-I refreshes the access cookie"


@pytest.mark.parametrize(
    "typed",
    ["JANE.DOE@EXAMPLE.ORG", "  jane.doe@example.org  ", "Jane.Doe@Example.Org", "ｊａｎｅ.ｄｏｅ@example.org"],
    ids=["upper", "spaces", "mixed", "fullwidth"],
)
def test_any_form_of_the_email_signs_in_to_the_same_account(auth, lambda_context, people, typed):
    response, body = sign_in(auth, lambda_context, typed)
    assert response["statusCode"] == 200 and body["user"]["id"] == people["user"].id


def test_one_address_is_one_account_however_it_is_typed(people):
    from portal.accounts import EmailTaken, Role, UserStatus

    with pytest.raises(EmailTaken):
        people["accounts"].create_user(
            "ＪＡＮＥ.DOE@example.org ", "J", "D", people["company"].id, Role.ACCOUNT_USER, UserStatus.ACTIVE
        )


def test_every_failed_sign_in_looks_the_same(auth, lambda_context, people):
    answers = []
    for email, password in [
        ("nobody@example.org", SAMPLE_PASSWORD),  # unknown
        ("jane.doe@example.org", "wrong password entirely here"),  # wrong password
        ("blocked@example.org", SAMPLE_PASSWORD),  # blocked
        ("migrated@example.org", SAMPLE_PASSWORD),  # no password yet
    ]:
        response, body = sign_in(auth, lambda_context, email, password, source_ip=f"198.51.100.{len(answers)}")
        answers.append((response["statusCode"], body, response.get("cookies", [])))
    for _ in range(5):
        sign_in(auth, lambda_context, "admin@example.org", "not the right one at all", source_ip="203.0.113.9")
    locked = sign_in(auth, lambda_context, "admin@example.org", SAMPLE_PASSWORD, source_ip="203.0.113.10")
    answers.append((locked[0]["statusCode"], locked[1], locked[0].get("cookies", [])))

    assert {(status, json.dumps(body)) for status, body, _ in answers} == {(401, json.dumps(answers[0][1]))}
    assert all(cookies == [] for _, _, cookies in answers)
    # First-time and locked users are sent to Request New Password by the sign-in page, once, with its link.
    assert (
        answers[0][1]["message"] == "We could not sign you in with that email and password. Check both and try again."
    )


def test_unknown_emails_cost_a_hash_verification_too(auth, lambda_context, people, monkeypatch):
    from portal import passwords

    calls = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    sign_in(auth, lambda_context, "nobody@example.org")
    assert len(calls) == 1 and calls[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_flood_control_locks_the_account_then_releases_it(people):
    from datetime import UTC, datetime, timedelta

    from helpers import service
    from portal.flood import FloodControl
    from portal.identity import SignInFailed

    now = [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]
    signin = service(people, clock=lambda: now[0], flood=FloodControl(people["accounts"].store, lambda: now[0]))
    for attempt in range(5):
        with pytest.raises(SignInFailed):
            signin.sign_in("admin@example.org", f"wrong password number {attempt}", "192.0.2.1")
    with pytest.raises(SignInFailed):
        signin.sign_in("admin@example.org", SAMPLE_PASSWORD, "192.0.2.2")  # right password, still locked

    now[0] += timedelta(hours=6, minutes=1)
    identity, _ = signin.sign_in("admin@example.org", SAMPLE_PASSWORD, "192.0.2.2")
    assert identity.user.id == people["admin"].id


def test_flood_control_per_ip_stops_password_spraying(people):
    from datetime import timedelta

    from helpers import service
    from portal.flood import FloodLimit
    from portal.identity import SignInFailed

    signin = service(people, ip_limit=FloodLimit(limit=3, window=timedelta(hours=1)))
    for email in ["a@example.org", "b@example.org", "c@example.org"]:
        with pytest.raises(SignInFailed):
            signin.sign_in(email, "spray password attempt", "203.0.113.66")
    with pytest.raises(SignInFailed):
        signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "203.0.113.66")
    identity, _ = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "203.0.113.67")
    assert identity.user.email == "jane.doe@example.org"


def test_sign_out_ends_the_session(auth, lambda_context, people):
    response, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    cookies = session_of(response)
    out, _ = call(auth, lambda_context, "DELETE", "/api/session", cookies=cookies)
    assert out["statusCode"] == 204 and cookie_jar(out) == {SESSION: "", SIGNED_IN: "", ACCESS: ""}
    again, _ = call(auth, lambda_context, "GET", "/api/session", cookies=cookies)
    assert again["statusCode"] == 401


def test_an_ended_session_takes_the_signed_in_hint_with_it(auth, lambda_context, people):
    """A page that still holds the hint asks once, gets 401, and loses every cookie; nobody asks again."""
    response, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    cookies = [*session_of(response), f"{SIGNED_IN}=1"]
    call(auth, lambda_context, "DELETE", "/api/session", cookies=cookies)
    ended, _ = call(auth, lambda_context, "GET", "/api/session", cookies=cookies)
    assert ended["statusCode"] == 401 and cookie_jar(ended) == {SESSION: "", SIGNED_IN: "", ACCESS: ""}
    hint_only, _ = call(auth, lambda_context, "GET", "/api/session", cookies=[f"{SIGNED_IN}=1"])
    assert hint_only["statusCode"] == 401 and cookie_jar(hint_only)[SIGNED_IN] == ""
    nothing, _ = call(auth, lambda_context, "GET", "/api/session")
    assert nothing["statusCode"] == 401 and cookie_jar(nothing) == {}


def test_blocking_a_user_ends_their_sessions_at_once(auth, lambda_context, people):
    from portal.accounts import UserStatus

    response, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    people["accounts"].set_status(people["user"], UserStatus.BLOCKED)
    me, body = call(auth, lambda_context, "GET", "/api/session", cookies=session_of(response))
    assert me["statusCode"] == 401 and "Sign in again" in body["message"]


def test_a_password_change_ends_the_other_sessions(auth, lambda_context, people):
    laptop, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    phone, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    changed, body = call(
        auth,
        lambda_context,
        "PUT",
        "/api/password",
        {"current_password": SAMPLE_PASSWORD, "new_password": "quiet meadow copper seventeen"},
        cookies=session_of(laptop),
    )
    assert changed["statusCode"] == 200, body
    assert call(auth, lambda_context, "GET", "/api/session", cookies=session_of(phone))[0]["statusCode"] == 401
    assert call(auth, lambda_context, "GET", "/api/session", cookies=session_of(laptop))[0]["statusCode"] == 401
    assert call(auth, lambda_context, "GET", "/api/session", cookies=session_of(changed))[0]["statusCode"] == 200
    assert sign_in(auth, lambda_context, "jane.doe@example.org")[0]["statusCode"] == 401
    assert (
        sign_in(auth, lambda_context, "jane.doe@example.org", "quiet meadow copper seventeen")[0]["statusCode"] == 200
    )


@pytest.mark.parametrize(
    ("new_password", "words"),
    [
        ("short one", "at least 15 characters"),
        ("x" * 129, "at most 128 characters"),
        ("passwordpassword", "common or too easy to guess"),
        ("123456789012345678", "common or too easy to guess"),
        ("jane.doe@example.org!", "your own name, email or company"),
        ("password password", "common or too easy to guess"),
        ("Sam Sample Sam Sample 2027!!", "your own name, email or company"),
    ],
    ids=["short", "too-long", "common", "digits", "own-email", "spaced-repeat", "own-name"],
)
def test_weak_new_passwords_are_refused_with_the_reason(auth, lambda_context, people, new_password, words):
    response, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    changed, body = call(
        auth,
        lambda_context,
        "PUT",
        "/api/password",
        {"current_password": SAMPLE_PASSWORD, "new_password": new_password},
        cookies=session_of(response),
    )
    assert changed["statusCode"] == 422
    [error] = body["errors"]
    assert error["field"] == "new_password" and words in error["message"]
    assert new_password not in json.dumps(body)


def test_a_password_change_needs_the_current_password(auth, lambda_context, people):
    response, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    changed, body = call(
        auth,
        lambda_context,
        "PUT",
        "/api/password",
        {"current_password": "not my current password", "new_password": "quiet meadow copper seventeen"},
        cookies=session_of(response),
    )
    assert changed["statusCode"] == 422 and body["errors"][0]["field"] == "current_password"


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"origin": "https://evil.example.net"}, {"email": "jane.doe@example.org", "password": SAMPLE_PASSWORD}, 403),
        ({"content-type": "text/plain"}, '{"email": "jane.doe@example.org"}', 415),
        ({"content-type": "application/x-www-form-urlencoded"}, "email=jane.doe%40example.org", 415),
    ],
    ids=["other-origin", "text-plain", "form-encoded"],
)
def test_cross_site_or_non_json_writes_are_refused(auth, lambda_context, people, headers, body, status):
    response, answer = call(auth, lambda_context, "POST", "/api/session", body, headers=headers)
    assert response["statusCode"] == status and answer["message"]
    assert "cookies" not in response or response["cookies"] == []


def test_a_cookie_write_without_origin_is_refused(auth, lambda_context, people):
    signed_in, _ = sign_in(auth, lambda_context, "jane.doe@example.org")
    response, answer = call(
        auth, lambda_context, "DELETE", "/api/session", cookies=session_of(signed_in), headers={"origin": None}
    )
    assert response["statusCode"] == 403 and "Origin" in answer["message"]
    assert call(auth, lambda_context, "GET", "/api/session", cookies=session_of(signed_in))[0]["statusCode"] == 200


@pytest.mark.parametrize(
    "cookie",
    ["", "garbage", "abc.", ".token", "0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a" * 5000],
    ids=["empty", "garbage", "no-token", "no-user", "unknown", "huge"],
)
def test_bad_session_cookies_are_simply_signed_out(auth, lambda_context, people, cookie):
    response, body = call(auth, lambda_context, "GET", "/api/session", cookies=[f"{SESSION}={cookie}"])
    assert response["statusCode"] == 401 and body["message"]


def test_the_client_address_behind_cloudfront_is_the_viewers():
    """Behind the CDN every request comes from an edge address: the viewer's own address counts."""
    from portal.web import client_ip

    event = {
        "headers": {"CloudFront-Viewer-Address": "198.51.100.7:46532"},
        "requestContext": {"http": {"sourceIp": "130.176.0.1"}},
    }
    assert client_ip(event) == "198.51.100.7"
    ipv6 = {"headers": {"cloudfront-viewer-address": "[2001:db8::1]:443"}, "requestContext": {"http": {}}}
    assert client_ip(ipv6) == "2001:db8::1"
    assert client_ip({"headers": {}, "requestContext": {"http": {"sourceIp": "192.0.2.9"}}}) == "192.0.2.9"
