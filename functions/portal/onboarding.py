"""A new company's first save: its company, Management Contact and application, then the emailed link.

Step 2 holds the login email, so its first save is where a prospective reseller gets an account.
Until then step 1 lives in the browser only. The company (with its name claim), the contact (with
the email claim), the application, its company link and its first audit entry are written in one
transaction: a double click or a second tab can never make two companies or two accounts. The
contact must set a password with the emailed one-time link (the same links as Request New Password)
before continuing, so nobody continues an application from an address they cannot read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError

from portal.accounts import Accounts, EmailTaken, User, new_id
from portal.application_records import Application, ApplicationRecords, CategoryState
from portal.application_steps import NewResellerApplication, check_known
from portal.audit import Actor, AuditEntry
from portal.catalog import Catalog
from portal.errors import FieldProblem, InvalidFields, PortalError
from portal.flood import FloodControl, FloodLimit
from portal.mail import Mailer
from portal.reset_tokens import ResetTokens
from portal.store import ItemExists

logger = logging.getLogger(__name__)
START_LIMIT = FloodLimit(limit=10, window=timedelta(hours=1))
# Looking up a taken email or company name alongside other refusals: roomy enough for a person fixing
# a form, too tight to test addresses in bulk. Beyond it the lookups wait for a valid form (409/422).
TAKEN_CHECK_LIMIT = FloodLimit(limit=40, window=timedelta(hours=1))
CONTACT_FIELDS = ("title", "first_name", "last_name", "phone")
# Step 2's company fields, kept under the same names in the company's details (My Account edits them).
COMPANY_FIELDS = (
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "company_phone",
    "website",
    "years_in_business",
    "employees",
    "sales_staff",
    "technical_staff",
    "annual_revenue",
    "customer_segment",
)
# Where to go from here (sign in, or Request New Password), with the links, is the step page's to say.
ACCOUNT_EXISTS = "An account with this email address already exists."
# Names the problem for the page, which adds its sign-in and Request New Password links.
ACCOUNT_EXISTS_CODE = "account_exists"
AFTER_PASSWORD = "/account/dashboard/"
COMPANY_TAKEN = (
    "A company with this name already uses the portal. Ask its Management Contact to add you as a user, "
    "or contact Reseller Support."
)


class TooManyApplications(PortalError):
    """Too many new applications from one network address in a short time."""

    status = 429


class Onboarding:
    """Starts the application of a company that is not in the portal yet."""

    def __init__(
        self,
        records: ApplicationRecords,
        accounts: Accounts,
        tokens: ResetTokens,
        flood: FloodControl,
        mailer: Mailer,
        catalog: Catalog,
        site_url: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.records = records
        self.accounts = accounts
        self.tokens = tokens
        self.flood = flood
        self.mailer = mailer
        self.catalog = catalog
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.clock = clock

    def start_new_reseller(self, form: NewResellerApplication, source_ip: str) -> tuple[Application, User, bool]:
        """The first save of a new company; returns the application, its contact, and whether the link was sent.

        Raises:
            TooManyApplications: this address started too many applications within the hour.
            InvalidFields: an unknown category, or the company name is taken.
            EmailTaken: an account with this email exists (409).
        """
        if self.flood.is_locked("application-start", source_ip, START_LIMIT):
            raise TooManyApplications(
                "Too many applications were started from your network in the last hour. Try again later, "
                "or contact Reseller Support."
            )
        self.flood.register_failure("application-start", source_ip, START_LIMIT)  # every attempt counts
        check_known(self.catalog, form.categories)
        info = form.model_dump(exclude={"categories", "email"})
        contact = {"email": form.email, **{name: info[name] for name in CONTACT_FIELDS}}
        details = {name: info[name] for name in COMPANY_FIELDS}
        company, user, items = self.accounts.new_company_with_contact(form.company_name, contact, details)
        now = self.clock().isoformat()
        done = ("categories", "user-information")
        application = Application(
            id=new_id(),
            company_id=company.id,
            contact_user_id=user.id,
            created_at=now,
            updated_at=now,
            categories=tuple(CategoryState(slug) for slug in form.categories),
            steps_done=done,
            user_information=info,
        )
        entry = AuditEntry(now, Actor.of_user(user), "created", {"categories": form.categories, "steps": list(done)}, 1)
        try:
            self.records.create(application, entry, items)
        except ItemExists as e:
            if self.accounts.find_by_email(form.email):
                raise EmailTaken(ACCOUNT_EXISTS) from e
            if self.accounts.find_company_by_name(form.company_name):
                raise InvalidFields([FieldProblem("company_name", COMPANY_TAKEN)]) from e
            raise
        return application, user, self._send_link(user, form.categories)

    def taken(self, email: str | None, company_name: str | None, source_ip: str) -> list[FieldProblem]:
        """An account with ``email`` or a company named ``company_name``, as problems on those fields.

        For a first save refused for other reasons, so a taken email or name is told in the same
        answer, not only once every other field is right. Only values that are valid otherwise are
        given; none is looked up once this address has looked up too many.
        """
        if (email is None and company_name is None) or self.flood.is_locked(
            "taken-check", source_ip, TAKEN_CHECK_LIMIT
        ):
            return []
        self.flood.register_failure("taken-check", source_ip, TAKEN_CHECK_LIMIT)
        problems = []
        if email is not None and self.accounts.find_by_email(email):
            problems.append(FieldProblem("email", ACCOUNT_EXISTS, code=ACCOUNT_EXISTS_CODE))
        if company_name is not None and self.accounts.find_company_by_name(company_name):
            problems.append(FieldProblem("company_name", COMPANY_TAKEN))
        return problems

    def _send_link(self, user: User, categories: list[str]) -> bool:
        from portal.application_emails import applicant_link

        token = self.tokens.issue(user)
        # After choosing a password the applicant lands on My Dashboard, where step 3 waits.
        link = f"{self.site_url}account/one-time-login/?next={quote(AFTER_PASSWORD, safe='')}#{user.id}.{token}"
        names = [self.catalog.category(s).name for s in categories]  # type: ignore[union-attr]
        try:
            self.mailer.send(applicant_link(user, link, names, self.catalog))
        except (ClientError, BotoCoreError):
            # The application is saved; Request New Password sends the applicant a link later.
            logger.exception("could not email the applicant's link", extra={"user_id": user.id})
            return False
        return True
