"""The channel team's review: the queue of applications, and approving or declining each category.

The API's staff routes and ``portal applications`` (the CLI) both decide through ``Reviews.decide``.
A decision is final: a category already approved or declined is refused with a 409. Approving adds
the category to the company's authorizations in the same transaction as the decision and its
audit entry, so every user of the company opens the category's pages at their next page load
(``GET /api/session`` re-issues the access cookie from the company's categories).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from portal.accounts import Accounts, Role, User, UserStatus
from portal.application_records import (
    Application,
    ApplicationRecords,
    ApplicationState,
    CategoryStatus,
    StaleApplication,
)
from portal.application_steps import Decision
from portal.audit import Actor, AuditEntry
from portal.catalog import Catalog
from portal.errors import Conflict, FieldProblem, InvalidFields, NotFound
from portal.identity import Forbidden, Identity
from portal.mail import Mailer
from portal.store import ItemExists

logger = logging.getLogger(__name__)


def require_staff(identity: Identity) -> Actor:
    """The channel-team member behind ``identity``.

    Raises:
        Forbidden: the person is not on the channel team.
    """
    if identity.user.role != Role.CHANNEL_TEAM:
        raise Forbidden("Only the channel team reviews applications.")
    return Actor.of_user(identity.user)


class Reviews:
    """What the channel team does with submitted applications."""

    def __init__(
        self,
        records: ApplicationRecords,
        accounts: Accounts,
        mailer: Mailer,
        catalog: Catalog,
        site_url: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.records = records
        self.accounts = accounts
        self.mailer = mailer
        self.catalog = catalog
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.clock = clock

    def queue(self, state: ApplicationState = ApplicationState.SUBMITTED) -> list[Application]:
        """Applications in ``state``, the longest waiting first."""
        return self.records.in_state(state)

    def application(self, application_id: str) -> Application:
        application = self.records.get(application_id)
        if application is None:
            raise NotFound("There is no application with that id.")
        return application

    def decide(self, actor: Actor, application_id: str, decision: Decision) -> Application:
        """Approve or decline one submitted category, and email the company's Management Contact.

        Raises:
            NotFound: no such application.
            InvalidFields: the category is not part of the application.
            Conflict: the category is not submitted yet, or was decided already.
            StaleApplication: the application changed since ``decision.version``.
        """
        current = self.application(application_id)
        slug = decision.category
        state = current.category(slug)
        category = self.catalog.category(slug)
        if state is None or category is None:
            names = ", ".join(current.slugs)
            raise InvalidFields([FieldProblem("category", f'"{slug[:60]}" is not in this application ({names}).')])
        if state.status in {CategoryStatus.APPROVED, CategoryStatus.DECLINED}:
            raise Conflict(
                f"{category.name} was already {state.status.value} on {state.decided_at[:10]} by {state.decided_by}; "
                "a decision is final and nothing changed."
            )
        if state.status != CategoryStatus.SUBMITTED:
            raise Conflict(f"{category.name} has not been submitted yet, so there is nothing to decide.")
        if decision.version != current.version:
            raise StaleApplication(current)
        approve = decision.decision == "approve"
        now = self.clock().isoformat()
        status = CategoryStatus.APPROVED if approve else CategoryStatus.DECLINED
        decided = replace(state, status=status, note=decision.note, decided_at=now, decided_by=actor.label)
        updated = replace(current.with_category(decided), version=current.version + 1, updated_at=now)
        entry = AuditEntry(now, actor, status.value, {"category": slug, "note": decision.note}, updated.version)
        self._write(current, updated, entry, slug if approve else None)
        self._notify(updated, category.name, approve, decision.note, slug)
        return updated

    def _write(self, current: Application, updated: Application, entry: AuditEntry, grant: str | None) -> None:
        company = self.accounts.company(current.company_id)
        extra = []
        if grant and grant not in company.categories:
            extra.append(self.accounts.grant_category_action(company.id, grant))
        try:
            self.records.replace(current, updated, entry, extra)
        except ItemExists:
            # The company gained the category in the meantime (its condition failed): decide without adding it again.
            self.records.replace(current, updated, entry)

    def _notify(self, application: Application, name: str, approved: bool, note: str, slug: str) -> None:
        from portal.application_emails import decision as decision_email

        link = f"{self.site_url}products/{slug}/" if approved else f"{self.site_url}account/dashboard/"
        for contact in self.contacts(application):
            try:
                self.mailer.send(decision_email(contact, name, approved, note, link, self.catalog))
            except (ClientError, BotoCoreError):
                # The decision stands; the dashboard shows it even when the email is late.
                logger.exception("could not email a decision", extra={"application_id": application.id})

    def contacts(self, application: Application) -> list[User]:
        """The company's Management Contacts (the applicant when the company has none)."""
        users = self.accounts.company_users(application.company_id)
        found = [u for u in users if u.role == Role.MANAGEMENT_CONTACT and u.status != UserStatus.BLOCKED]
        applicant = self.accounts.user(application.contact_user_id)
        return found or ([applicant] if applicant else [])
