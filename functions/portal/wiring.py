"""Builds the domain services from this process's settings, once per Lambda container."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.catalog import Catalog
    from portal.help_requests import HelpDesk
    from portal.identity import SignIn
    from portal.mail import Mailer
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
def help_desk() -> HelpDesk:
    from portal.help_requests import HelpDesk

    return HelpDesk(store(), mailer(), catalog())


def reset() -> None:
    """Forget every built service (tests point them at a fresh emulated table)."""
    for built in (store, catalog, mailer, sign_in, help_desk):
        built.cache_clear()
