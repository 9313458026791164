"""The bodies the applications API answers with, as the OpenAPI document describes them.

They only describe; ``portal.application_views`` builds the real bodies. The contract test fails
when the two drift apart.
"""

from __future__ import annotations

from typing import Any

from portal.api_docs import Answer, CategoryName


class ApplicationCategory(Answer):
    """One category of an application and where it stands."""

    slug: str
    name: str
    status: str  # incomplete, submitted, approved, declined
    status_label: str
    note: str  # the channel team's note (the reason when declined)
    decided_at: str


class ApplicationStepState(Answer):
    id: str
    number: int
    title: str
    done: bool


class ApplicationNextStep(Answer):
    """The page to open next (with ``?application=<id>``)."""

    id: str
    number: int
    title: str
    page: str


class ReviewRow(Answer):
    label: str
    value: str


class ReviewSection(Answer):
    """What one step holds, as label/value rows (the review step shows these)."""

    step: str
    title: str
    rows: list[ReviewRow]


class ApplicationBody(Answer):
    """An application as its company sees it."""

    id: str
    version: int
    state: str  # incomplete, submitted, decided
    state_label: str
    created_at: str
    updated_at: str
    submitted_at: str
    editable: bool
    steps: list[ApplicationStepState]
    next_step: ApplicationNextStep | None
    categories: list[ApplicationCategory]
    user_information: dict[str, Any]
    product_answers: dict[str, dict[str, Any]]
    review: list[ReviewSection]


class ApplicationStarted(Answer):
    """The first save of a new reseller: the account exists and a link was emailed."""

    message: str
    application_id: str
    masked_email: str
    link_sent: bool


class ApplicationSaved(Answer):
    message: str
    application: ApplicationBody


class ApplicationOnly(Answer):
    application: ApplicationBody


class ApplicationConflict(Answer):
    """A 409: why; for a stale copy also the current version and the application as stored."""

    message: str
    version: int | None = None
    application: ApplicationBody | None = None


class DashboardRow(Answer):
    """A category on MY DASHBOARD; the optional fields depend on its section."""

    slug: str
    name: str
    status: str | None = None
    status_label: str | None = None
    application_id: str | None = None
    next_step: ApplicationNextStep | None = None
    reason: str | None = None
    page: str | None = None


class DashboardSections(Answer):
    approved: list[DashboardRow]
    submitted: list[DashboardRow]
    incomplete: list[DashboardRow]
    declined: list[DashboardRow]
    other: list[DashboardRow]


class ApplicationSummary(Answer):
    id: str
    state: str
    created_at: str
    submitted_at: str


class Dashboard(Answer):
    """MY DASHBOARD: every category in one section; ``can_apply`` for the Management Contact."""

    can_apply: bool
    sections: DashboardSections
    applications: list[ApplicationSummary]


class QueueRow(Answer):
    id: str
    company: str
    state: str
    created_at: str
    submitted_at: str
    version: int
    categories: list[ApplicationCategory]


class ReviewQueue(Answer):
    status: str
    applications: list[QueueRow]


class ReviewedCompany(Answer):
    """The applicant's company; ``authorized`` holds the slugs, ``authorized_categories`` their names."""

    id: str
    name: str
    authorized: list[str]
    authorized_categories: list[CategoryName]


class ReviewedContact(Answer):
    name: str
    email: str
    phone: str


class AuditRow(Answer):
    """Who changed what, when; ``version`` is the application's version after the change."""

    at: str
    actor: str
    actor_role: str
    actor_role_label: str
    action: str
    details: dict[str, Any]
    version: int


class StaffApplicationBody(ApplicationBody):
    """An application as the channel team sees it: with the company, its contacts and the audit trail."""

    company: ReviewedCompany
    contacts: list[ReviewedContact]
    audit: list[AuditRow]


class StaffApplication(Answer):
    application: StaffApplicationBody


class StaffDecision(Answer):
    message: str
    application: StaffApplicationBody
