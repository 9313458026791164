"""The channel team's routes: the review queue, one application with its audit trail, a decision."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from portal.api_docs import answers
from portal.application_steps import Decision
from portal.web import json_response

from applications.answers import ReviewQueue, StaffApplication, StaffDecision
from applications.applicant_routes import CONFLICT

router = Router()
DECIDED = answers({200: ("Decided: the application at its new version", StaffDecision)}, 401, 403, 404, 422)
DECIDED[409] = CONFLICT


STAFF_PATHS = "/api/staff/"


def staff_caller(event: dict[str, Any]) -> Any:
    """The signed-in channel-team member as an audit actor (401 signed out, 403 anyone else).

    The resolver runs it for every path under ``STAFF_PATHS`` before validating the request.
    """
    from portal.reviews import require_staff
    from portal.session_http import session_cookie_value
    from portal.wiring import sign_in

    return require_staff(sign_in().full_identity(session_cookie_value(event)))


def _staff() -> Any:
    """The caller that ``staff_caller`` let through."""
    return router.context.get("caller") or staff_caller(router.current_event.raw_event)


def staff_body(application: Any) -> dict[str, Any]:
    """The staff view of ``application``: everything entered, the company, its contacts, the audit trail."""
    from portal.application_views import staff_view
    from portal.wiring import catalog, questions, reviews

    company = reviews().accounts.company(application.company_id)
    audit = reviews().records.audit(application.id)
    return staff_view(application, company, reviews().contacts(application), audit, catalog(), questions())


@router.get(
    "/api/staff/applications",
    summary="The review queue (channel team only)",
    responses=answers({200: ("Applications in that state, the longest waiting first", ReviewQueue)}, 401, 403),
)
def review_queue(
    status: Annotated[
        str,
        Query(pattern=r"^(incomplete|submitted|decided)$", description="incomplete, submitted (default) or decided"),
    ] = "submitted",
):
    from portal.application_records import ApplicationState
    from portal.application_views import queue_row
    from portal.wiring import catalog, reviews

    _staff()
    accounts = reviews().accounts
    names: dict[str, str] = {}
    rows = []
    for application in reviews().queue(ApplicationState(status)):
        if application.company_id not in names:
            names[application.company_id] = accounts.company(application.company_id).name
        rows.append(queue_row(application, names[application.company_id], catalog()))
    return json_response(200, {"status": status, "applications": rows})


@router.get(
    "/api/staff/applications/<application_id>",
    summary="One application with its company, contacts and audit trail (channel team only)",
    responses=answers({200: ("The application", StaffApplication)}, 401, 403, 404),
)
def review_one(application_id: str):
    from portal.wiring import reviews

    _staff()
    return json_response(200, {"application": staff_body(reviews().application(application_id))})


@router.post(
    "/api/staff/applications/<application_id>/decisions",
    summary="Approve or decline one submitted category (channel team only); emails the Management Contact",
    responses=DECIDED,
)
def decide(application_id: str, form: Annotated[Decision, Body()]):
    from portal.wiring import catalog, reviews

    actor = _staff()
    application = reviews().decide(actor, application_id, form)
    name = catalog().category(form.category).name  # type: ignore[union-attr]  # decide() checked it
    verb = "approved" if form.decision == "approve" else "declined"
    message = f"{name} is {verb}; the Management Contact was emailed."
    return json_response(200, {"message": message, "application": staff_body(application)})
