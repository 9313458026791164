"""The sign-in service with a movable clock: timeouts, one-time links, rehashing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import SAMPLE_PASSWORD
from helpers import Clock, latest_link, link_parts, sent_emails, service

NEW_PASSWORD = "quiet meadow copper seventeen"


def test_sessions_end_after_idle_and_absolute_timeouts(people):
    clock = Clock()
    signin = service(people, clock)
    _, cookie = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    clock.advance(minutes=29)
    assert signin.identity(cookie)
    clock.advance(minutes=31)
    with pytest.raises(Exception, match="session has ended"):  # NotSignedIn
        signin.identity(cookie)

    from portal.identity import NotSignedIn

    signed_in_at = clock.now
    _, cookie = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    ended_after = None
    for _ in range(30):  # busy all day, never idle for long
        clock.advance(minutes=29)
        try:
            signin.identity(cookie)
        except NotSignedIn:
            ended_after = clock.now - signed_in_at
            break
    assert ended_after is not None and timedelta(hours=12) <= ended_after < timedelta(hours=12, minutes=29)


def test_a_reset_link_survives_mail_scanners_and_works_once(people):
    from portal.reset_tokens import LinkNotValid
    from portal.sessions import SessionPurpose

    signin = service(people)
    signin.mail_reset_link("Jane.Doe@Example.org")
    user_id, token = latest_link("jane.doe@example.org")
    for _ in range(5):  # scanners and the person opening the page again and again
        assert signin.preview_link(user_id, token) == "j***e@e***e.org"
    cookie = signin.use_link(user_id, token)
    assert signin.identity(cookie).session.purpose == SessionPurpose.SET_PASSWORD
    with pytest.raises(LinkNotValid):
        signin.use_link(user_id, token)
    with pytest.raises(LinkNotValid):
        signin.preview_link(user_id, token)


def test_a_reset_link_expires_after_60_minutes(people):
    from portal.reset_tokens import LinkNotValid

    clock = Clock()
    signin = service(people, clock)
    signin.mail_reset_link("migrated@example.org")  # never signed in: same expiry
    user_id, token = latest_link("migrated@example.org")
    clock.advance(minutes=59)
    signin.preview_link(user_id, token)
    clock.advance(minutes=2)
    with pytest.raises(LinkNotValid):
        signin.use_link(user_id, token)


def test_only_the_newest_link_works(people):
    from portal.reset_tokens import LinkNotValid

    signin = service(people)
    signin.mail_reset_link("jane.doe@example.org")
    old = latest_link("jane.doe@example.org")
    signin.mail_reset_link("jane.doe@example.org")
    new = latest_link("jane.doe@example.org")
    with pytest.raises(LinkNotValid):
        signin.use_link(*old)
    assert signin.use_link(*new)


def test_a_link_dies_when_the_password_changes(people):
    from portal.reset_tokens import LinkNotValid

    signin = service(people)
    signin.mail_reset_link("jane.doe@example.org")
    link = latest_link("jane.doe@example.org")
    identity, _ = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    signin.change_password(identity, NEW_PASSWORD, SAMPLE_PASSWORD)
    with pytest.raises(LinkNotValid):
        signin.use_link(*link)


def test_a_link_dies_when_the_email_changes(people):
    from portal.reset_tokens import LinkNotValid

    signin = service(people)
    signin.mail_reset_link("jane.doe@example.org")
    link = latest_link("jane.doe@example.org")
    people["accounts"].store.update(f"USER#{people['user'].id}", "PROFILE", {"email": "jane.new@example.org"})
    with pytest.raises(LinkNotValid):
        signin.preview_link(*link)


@pytest.mark.parametrize(
    ("user_id", "token"),
    [("0" * 16, "A" * 43), ("zz", "A" * 43), ("", ""), ("ab" * 40, "A" * 43)],
    ids=["unknown-user", "not-hex", "empty", "too-long"],
)
def test_made_up_links_are_refused(people, user_id, token):
    from portal.reset_tokens import LinkNotValid

    with pytest.raises(LinkNotValid):
        service(people).preview_link(user_id, token)


def test_the_link_uses_the_configured_site_address_only(people):
    signin = service(people, site_url="https://partners.example.com")
    signin.mail_reset_link("jane.doe@example.org")
    text = [m for m in sent_emails() if "jane.doe@example.org" in m["To"]][-1].get_content()
    hosts = set(__import__("re").findall(r"https?://([^/\s]+)", text))
    assert hosts == {"partners.example.com"}


def test_reset_is_silent_for_unknown_and_blocked_accounts(people):
    signin = service(people)
    signin.mail_reset_link("nobody@example.org")
    signin.mail_reset_link("blocked@example.org")
    assert sent_emails() == []


def test_a_locked_account_can_still_reset_and_then_sign_in(people):
    from portal.identity import SignInFailed

    signin = service(people)
    for attempt in range(6):
        with pytest.raises(SignInFailed):
            signin.sign_in("admin@example.org", f"guessing wrong number {attempt}", "192.0.2.1")
    signin.mail_reset_link("admin@example.org")
    cookie = signin.use_link(*latest_link("admin@example.org"))
    signin.change_password(signin.identity(cookie), NEW_PASSWORD, None)
    identity, _ = signin.sign_in("admin@example.org", NEW_PASSWORD, "192.0.2.1")
    assert identity.user.id == people["admin"].id


def test_a_migrated_user_sets_a_password_through_the_link_and_becomes_active(people):
    from portal.accounts import UserStatus

    signin = service(people)
    signin.mail_reset_link("migrated@example.org")
    message = [m for m in sent_emails() if "migrated@example.org" in m["To"]][-1]
    assert "Welcome" in message.get_content()
    cookie = signin.use_link(*link_parts(message.get_content()))
    new_cookie = signin.change_password(signin.identity(cookie), NEW_PASSWORD, None)
    assert signin.identity(new_cookie).user.status == UserStatus.ACTIVE
    changed = [m for m in sent_emails() if "migrated@example.org" in m["To"]][-1]
    assert changed["Subject"] == "Your portal password was changed"


def test_a_set_password_session_can_do_nothing_else(people):
    from portal.identity import Forbidden

    signin = service(people)
    signin.mail_reset_link("jane.doe@example.org")
    cookie = signin.use_link(*latest_link("jane.doe@example.org"))
    with pytest.raises(Forbidden):
        signin.full_identity(cookie)


def test_unicode_passwords_match_in_any_normal_form(people):
    import unicodedata

    signin = service(people)
    identity, _ = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    composed = unicodedata.normalize("NFC", "crème brûlée für Ångström 🐍")
    signin.change_password(identity, composed, SAMPLE_PASSWORD)
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert signin.sign_in("jane.doe@example.org", decomposed, "192.0.2.1")


def test_a_128_character_password_is_used_whole(people):
    signin = service(people)
    identity, _ = signin.sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    long_password = ("river stone " * 11)[:127] + "A"
    signin.change_password(identity, long_password, SAMPLE_PASSWORD)
    from portal.identity import SignInFailed

    with pytest.raises(SignInFailed):
        signin.sign_in("jane.doe@example.org", long_password[:-1] + "B", "192.0.2.1")
    assert signin.sign_in("jane.doe@example.org", long_password, "192.0.2.1")


def test_sign_in_rehashes_a_hash_made_with_weaker_parameters(people):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(SAMPLE_PASSWORD)
    accounts = people["accounts"]
    accounts.rehash_password(people["user"], weak)
    service(people).sign_in("jane.doe@example.org", SAMPLE_PASSWORD, "192.0.2.1")
    stored = accounts.user(people["user"].id).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
