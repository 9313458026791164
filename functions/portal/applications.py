"""The applicant's side of a reseller application: start, save each step in order, submit.

Rules, each enforced here on the server:

* The first save (step 2, which has the login email) creates the company, its Management Contact
  (who must set a password) and the application in one transaction, then emails a one-time link.
  Until then step 1 lives in the browser.
* Steps are saved in order; a step whose earlier steps are not done is refused.
* Every save names the version it was made from; a stale one is refused with the current version.
* Once submitted, an application no longer changes (except by the channel team's decisions).
* Only the company's Management Contact changes its applications; a company never sees another's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from portal.accounts import Accounts, Role, new_id
from portal.application_questions import Questions, check_answers
from portal.application_records import (
    Application,
    ApplicationRecords,
    CategoryState,
    CategoryStatus,
    StaleApplication,
    plain,
)
from portal.application_steps import (
    SAVED_STEPS,
    STEP_BY_ID,
    CategoriesSave,
    CategorySelection,
    ProductInformationSave,
    SubmitApplication,
    UserInformation,
    UserInformationSave,
    check_known,
)
from portal.audit import Actor, AuditEntry
from portal.catalog import Catalog
from portal.errors import Conflict, FieldProblem, InvalidFields, NotFound
from portal.identity import Forbidden, Identity
from portal.mail import Mailer
from portal.onboarding import COMPANY_FIELDS, CONTACT_FIELDS

logger = logging.getLogger(__name__)


class StepOutOfOrder(Conflict):
    """A step was saved before the steps it depends on."""


class Applications:
    """Applications as their company's Management Contact starts, saves and submits them."""

    def __init__(
        self,
        records: ApplicationRecords,
        accounts: Accounts,
        mailer: Mailer,
        catalog: Catalog,
        questions: Questions,
        site_url: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.records = records
        self.accounts = accounts
        self.mailer = mailer
        self.catalog = catalog
        self.questions = questions
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.clock = clock

    # ---- starting ----

    def start_for_company(self, identity: Identity, form: CategorySelection) -> Application:
        """A new application of a company already in the portal, with its known details prefilled."""
        self._require_contact(identity)
        check_known(self.catalog, form.categories)
        self._check_available(identity, form.categories)
        now = self._now()
        application = Application(
            id=new_id(),
            company_id=identity.company.id,
            contact_user_id=identity.user.id,
            created_at=now,
            updated_at=now,
            categories=tuple(CategoryState(slug) for slug in form.categories),
            steps_done=("categories",),
            user_information=self._known_details(identity),
        )
        entry = AuditEntry(now, Actor.of_user(identity.user), "created", {"categories": form.categories}, 1)
        self.records.create(application, entry, [])
        return application

    # ---- reading ----

    def application(self, identity: Identity, application_id: str) -> Application:
        """One of the company's applications; another company's is "not found", like a missing one."""
        application = self.records.get(application_id)
        if application is None or application.company_id != identity.company.id:
            raise NotFound("There is no such application for your company.")
        return application

    def company_applications(self, identity: Identity) -> list[Application]:
        return self.records.for_company(identity.company.id)

    # ---- saving the steps ----

    def save_categories(self, identity: Identity, application_id: str, form: CategoriesSave) -> Application:
        current = self._editable(identity, application_id, "categories", form.version)
        check_known(self.catalog, form.categories)
        self._check_available(identity, form.categories, current.id)
        kept = {s: current.product_answers[s] for s in form.categories if s in current.product_answers}
        steps = current.steps_done
        if any(s not in kept for s in form.categories):  # a new category has no answers yet: step 3 is open again
            steps = tuple(s for s in steps if s != "product-information")
        categories = tuple(CategoryState(slug) for slug in form.categories)
        updated = self._next(current, categories=categories, product_answers=kept, steps_done=steps)
        self._save(current, updated, identity, "saved step 1", {"categories": form.categories})
        return updated

    def save_user_information(self, identity: Identity, application_id: str, form: UserInformationSave) -> Application:
        current = self._editable(identity, application_id, "user-information", form.version)
        if " ".join(form.company_name.casefold().split()) != " ".join(identity.company.name.casefold().split()):
            raise InvalidFields([FieldProblem("company_name", _NAME_FIXED)])
        info = form.model_dump(exclude={"version"}) | {"company_name": identity.company.name}
        changed = sorted(k for k, v in info.items() if current.user_information.get(k) != v)
        updated = self._next(current, user_information=info, steps_done=_done(current, "user-information"))
        self._save(current, updated, identity, "saved step 2", {"changed": changed})
        return updated

    def save_product_information(
        self, identity: Identity, application_id: str, form: ProductInformationSave
    ) -> Application:
        current = self._editable(identity, application_id, "product-information", form.version)
        names = {c.slug: c.name for c in self.catalog.categories}
        answers, problems = check_answers(current.slugs, self.questions, form.answers, names)
        if problems:
            raise InvalidFields(problems)
        updated = self._next(current, product_answers=answers, steps_done=_done(current, "product-information"))
        self._save(current, updated, identity, "saved step 3", {"categories": list(current.slugs)})
        return updated

    def submit(self, identity: Identity, application_id: str, form: SubmitApplication) -> Application:
        """Step 4: every category goes to the channel team for review."""
        current = self._editable(identity, application_id, "complete", form.version)
        self._check_available(identity, current.slugs, current.id)
        now = self._now()
        submitted = tuple(replace(c, status=CategoryStatus.SUBMITTED) for c in current.categories)
        updated = self._next(current, categories=submitted, submitted_at=now, steps_done=SAVED_STEPS)
        details = {"categories": list(current.slugs), "guidelines_accepted": True}
        self._save(current, updated, identity, "submitted", details)
        self._tell_channel_team(identity, updated)
        return updated

    # ---- rules ----

    def _editable(self, identity: Identity, application_id: str, step: str, version: int) -> Application:
        self._require_contact(identity)
        application = self.application(identity, application_id)
        if application.submitted_at:
            raise Conflict(
                f"This application was submitted on {application.submitted_at[:10]} and can no longer be changed. "
                "Its status is on My Dashboard; to apply for more categories, start a new application there."
            )
        if version != application.version:
            raise StaleApplication(application)
        needed = SAVED_STEPS[: [*SAVED_STEPS, "complete"].index(step)]
        missing = [STEP_BY_ID[s] for s in needed if s not in application.steps_done]
        if missing:
            raise StepOutOfOrder(f"Complete step {missing[0].number}, {missing[0].title}, first; then continue here.")
        return application

    def _require_contact(self, identity: Identity) -> None:
        if identity.user.role != Role.MANAGEMENT_CONTACT:
            raise Forbidden("Only your company's Management Contact can apply for product categories.")

    def _check_available(self, identity: Identity, categories: Any, except_id: str = "") -> None:
        """Refuse categories the company holds or has in another open application."""
        taken: dict[str, str] = {}
        for other in self.records.for_company(identity.company.id):
            for state in other.categories:
                if other.id != except_id and state.status in {CategoryStatus.INCOMPLETE, CategoryStatus.SUBMITTED}:
                    taken[state.slug] = "is already in review" if state.status == "submitted" else _IN_OTHER
        for slug in identity.company.categories:
            taken[slug] = "is already authorized for your company"
        refused = [f"{self.catalog.category(s).name} {taken[s]}." for s in categories if s in taken]  # type: ignore[union-attr]
        if refused:
            raise InvalidFields([FieldProblem("categories", " ".join(refused))])

    def _known_details(self, identity: Identity) -> dict[str, Any]:
        """Step 2 as the company last sent it, or what its profile says; the company name always as stored."""
        earlier = [a.user_information for a in self.records.for_company(identity.company.id) if a.user_information]
        if earlier:
            return {**earlier[-1], "company_name": identity.company.name}
        user, details = identity.user, identity.company.details
        known = {name: getattr(user, name, "") for name in CONTACT_FIELDS}
        known |= {name: details.get(name, "") for name in COMPANY_FIELDS}
        allowed = set(UserInformation.model_fields)
        return {k: plain(v) for k, v in known.items() if k in allowed and v not in ("", None)} | {
            "company_name": identity.company.name
        }

    # ---- writing ----

    def _now(self) -> str:
        return self.clock().isoformat()

    def _next(self, current: Application, **changes: Any) -> Application:
        return replace(current, version=current.version + 1, updated_at=self._now(), **changes)

    def _save(
        self, current: Application, updated: Application, identity: Identity, action: str, details: dict[str, Any]
    ) -> None:
        entry = AuditEntry(updated.updated_at, Actor.of_user(identity.user), action, details, updated.version)
        self.records.replace(current, updated, entry)

    def _tell_channel_team(self, identity: Identity, application: Application) -> None:
        from portal.application_emails import submitted_notice

        names = [self.catalog.category(s).name for s in application.slugs]  # type: ignore[union-attr]
        review_url = f"{self.site_url}staff/applications/?application={application.id}"
        try:
            self.mailer.send(submitted_notice(identity.company, identity.user, names, review_url, self.catalog))
        except (ClientError, BotoCoreError):
            logger.exception("could not email the channel team", extra={"application_id": application.id})


def _done(application: Application, step: str) -> tuple[str, ...]:
    return tuple(s for s in SAVED_STEPS if s in application.steps_done or s == step)


_NAME_FIXED = "The company name cannot be changed in an application once saved. Contact Reseller Support to change it."
_IN_OTHER = "is already in another incomplete application: finish that one from My Dashboard"
