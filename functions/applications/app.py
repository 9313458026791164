"""``/api/applications*`` (the applicant) and ``/api/staff/applications*`` (the channel team's review)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.application_records import StaleApplication
from portal.application_steps import FORMS
from portal.web import build_resolver, json_response

from applications import applicant_routes, staff_routes

logger = Logger()
app = build_resolver(
    *FORMS,
    guards={staff_routes.STAFF_PATHS: staff_routes.staff_caller},
    also_refused={"POST /api/applications/start": applicant_routes.taken_on_first_save},
)
app.include_router(applicant_routes.router)
app.include_router(staff_routes.router)


@app.exception_handler(StaleApplication)
def _stale_copy(error: StaleApplication) -> Response:
    """409 with the current version and the application as stored, so the page can show it."""
    from portal.application_views import applicant_view
    from portal.wiring import catalog, questions

    view = applicant_view(error.current, catalog(), questions())
    return json_response(409, {"message": error.message, "version": error.current.version, "application": view})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
