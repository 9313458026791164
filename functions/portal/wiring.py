"""Builds the domain services from this process's settings, once per Lambda container."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.application_questions import Questions
    from portal.applications import Applications
    from portal.catalog import Catalog
    from portal.help_requests import HelpDesk
    from portal.identity import SignIn
    from portal.mail import Mailer
    from portal.my_account import MyAccount
    from portal.onboarding import Onboarding
    from portal.reset_requests import ResetMail, ResetQueue
    from portal.reviews import Reviews
    from portal.store import Store


@lru_cache(maxsize=1)
def store() -> Store:
    from portal.store import portal_store

    return portal_store()


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    from portal.catalog import cached_catalog
    from portal.settings import settings

    return cached_catalog(settings().content_dir)


@lru_cache(maxsize=1)
def mailer() -> Mailer:
    from portal.mail import portal_mailer

    return portal_mailer(catalog().contacts.mail_sender)


@lru_cache(maxsize=1)
def sign_in() -> SignIn:
    from portal.accounts import Accounts
    from portal.flood import FloodControl
    from portal.identity import SignIn
    from portal.reset_tokens import ResetTokens
    from portal.sessions import Sessions
    from portal.settings import settings

    accounts = Accounts(store())
    return SignIn(
        accounts=accounts,
        sessions=Sessions(store(), accounts),
        tokens=ResetTokens(store(), accounts),
        flood=FloodControl(store()),
        mailer=mailer(),
        catalog=catalog(),
        site_url=settings().site_url,
    )


@lru_cache(maxsize=1)
def reset_queue() -> ResetQueue:
    """Where the API puts Request New Password requests (it needs no table and no mail)."""
    import boto3

    from portal.reset_requests import ResetQueue
    from portal.settings import settings

    queue_url = settings().reset_queue_url
    if not queue_url:
        raise RuntimeError("Set PORTAL_RESET_QUEUE_URL to the password-reset queue's URL.")
    return ResetQueue(boto3.client("sqs"), queue_url)


@lru_cache(maxsize=1)
def reset_mail() -> ResetMail:
    """The worker that mails the links of queued Request New Password requests."""
    from datetime import timedelta

    from portal.reset_limit import ResetMailLimit
    from portal.reset_requests import ResetMail
    from portal.settings import settings

    limit = ResetMailLimit(
        store(), settings().reset_mail_limit, timedelta(minutes=settings().reset_mail_window_minutes)
    )
    return ResetMail(store(), sign_in(), limit)


@lru_cache(maxsize=1)
def help_desk() -> HelpDesk:
    from portal.help_requests import HelpDesk

    return HelpDesk(store(), mailer(), catalog())


@lru_cache(maxsize=1)
def questions() -> Questions:
    from portal.application_questions import cached_questions
    from portal.settings import settings

    return cached_questions(settings().content_dir)


@lru_cache(maxsize=1)
def applications() -> Applications:
    from portal.accounts import Accounts
    from portal.application_records import ApplicationRecords
    from portal.applications import Applications
    from portal.settings import settings

    return Applications(
        ApplicationRecords(store()), Accounts(store()), mailer(), catalog(), questions(), settings().site_url
    )


@lru_cache(maxsize=1)
def onboarding() -> Onboarding:
    from portal.accounts import Accounts
    from portal.application_records import ApplicationRecords
    from portal.flood import FloodControl
    from portal.onboarding import Onboarding
    from portal.reset_tokens import ResetTokens
    from portal.settings import settings

    accounts = Accounts(store())
    tokens = ResetTokens(store(), accounts)
    records = ApplicationRecords(store())
    return Onboarding(records, accounts, tokens, FloodControl(store()), mailer(), catalog(), settings().site_url)


@lru_cache(maxsize=1)
def reviews() -> Reviews:
    from portal.accounts import Accounts
    from portal.application_records import ApplicationRecords
    from portal.reviews import Reviews
    from portal.settings import settings

    return Reviews(ApplicationRecords(store()), Accounts(store()), mailer(), catalog(), settings().site_url)


@lru_cache(maxsize=1)
def my_account() -> MyAccount:
    from portal.my_account import build_my_account

    return build_my_account(sign_in(), help_desk())


def reset() -> None:
    """Forget every built service (tests point them at a fresh emulated table)."""
    for built in (
        store,
        catalog,
        mailer,
        sign_in,
        reset_queue,
        reset_mail,
        help_desk,
        my_account,
        questions,
        applications,
        onboarding,
        reviews,
    ):
        built.cache_clear()
