"""The applicant's routes: start, save each step in order, submit, and MY DASHBOARD."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from portal.api_docs import Message, answers
from portal.application_steps import (
    CategoriesSave,
    CategorySelection,
    NewResellerApplication,
    ProductInformationSave,
    SubmitApplication,
    UserInformationSave,
)
from portal.web import client_ip, json_response

from applications.answers import ApplicationConflict, ApplicationOnly, ApplicationSaved, ApplicationStarted, Dashboard

router = Router()
_JSON = "application/json"
CONFLICT = {
    "description": "A stale copy (with the current version and the application), a step out of order, or submitted.",
    "content": {_JSON: {"model": ApplicationConflict}},
}
SAVED = answers({200: ("Saved: the application at its new version", ApplicationSaved)}, 401, 403, 404, 422)
SAVED[409] = CONFLICT


def identity() -> Any:
    """The signed-in person (401 signed out, 403 for a session that may only set a password)."""
    from portal.session_http import session_cookie_value
    from portal.wiring import sign_in

    return sign_in().full_identity(session_cookie_value(router.current_event))


def _answer(status: int, application: Any, message: str | None = None) -> Any:
    from portal.application_views import applicant_view
    from portal.wiring import catalog, questions

    body: dict[str, Any] = {"application": applicant_view(application, catalog(), questions())}
    if message is not None:
        body = {"message": message, **body}
    return json_response(status, body)


@router.post(
    "/api/applications/start",
    summary="A new reseller's first save: step 1's categories, the login email and step 2",
    responses={
        **answers({201: ("Saved; the account exists and a set-password link was emailed", ApplicationStarted)}, 409),
        **answers({}, 422),
        429: {
            "description": "Too many applications from this network address in the last hour.",
            "content": {_JSON: {"model": Message}},
        },
    },
)
def start_new_reseller(form: Annotated[NewResellerApplication, Body()]):
    from portal.emails import mask_email
    from portal.wiring import onboarding

    application, user, sent = onboarding().start_new_reseller(form, client_ip(router.current_event))
    masked = mask_email(user.email)
    message = (
        f"Your application is saved. We emailed a link to {masked}: open it, press LOG IN and choose your "
        "password, then continue with step 3 on My Dashboard."
        if sent
        else "Your application is saved, but we could not send the email just now. Use Request New Password on "
        "the sign-in page to get your link, then continue from My Dashboard."
    )
    body = {"message": message, "application_id": application.id, "masked_email": masked, "link_sent": sent}
    return json_response(201, body)


def taken_on_first_save(event: Any, problems: list[Any]) -> list[Any]:
    """A first save refused for other fields: is its email or company name taken too (same answer)?"""
    from portal.fields import AccountEmail
    from portal.wiring import onboarding
    from pydantic import TypeAdapter, ValidationError

    body = event.json_body
    if not isinstance(body, dict):
        return []
    refused = {p.field for p in problems}
    email = body.get("email") if "email" not in refused else None
    name = body.get("company_name") if "company_name" not in refused else None
    try:
        email = TypeAdapter(AccountEmail).validate_python(email) if isinstance(email, str) else None
    except ValidationError:
        email = None
    name = name.strip() if isinstance(name, str) and name.strip() else None
    return onboarding().taken(email, name, client_ip(event))


@router.post(
    "/api/applications",
    summary="A company in the portal applies for more categories (step 1; step 2 prefilled)",
    responses=answers({201: ("Created: the new application", ApplicationSaved)}, 401, 403, 422),
)
def start_for_company(form: Annotated[CategorySelection, Body()]):
    from portal.wiring import applications

    application = applications().start_for_company(identity(), form)
    return _answer(201, application, "Your categories are saved. Check your company's details next.")


@router.get(
    "/api/applications",
    summary="MY DASHBOARD: the company's categories by status, and its applications",
    responses=answers({200: ("The dashboard", Dashboard)}, 401, 403),
)
def my_dashboard():
    from portal.accounts import Role
    from portal.application_views import dashboard
    from portal.wiring import applications, catalog

    who = identity()
    body = dashboard(who.company.categories, applications().company_applications(who), catalog())
    return json_response(200, {"can_apply": who.user.role == Role.MANAGEMENT_CONTACT, **body})


@router.get(
    "/api/applications/<application_id>",
    summary="One of the company's applications",
    responses=answers({200: ("The application", ApplicationOnly)}, 401, 403, 404),
)
def one_application(application_id: str):
    from portal.wiring import applications

    return _answer(200, applications().application(identity(), application_id))


@router.put("/api/applications/<application_id>/categories", summary="Save step 1 again", responses=SAVED)
def save_categories(application_id: str, form: Annotated[CategoriesSave, Body()]):
    from portal.wiring import applications

    application = applications().save_categories(identity(), application_id, form)
    return _answer(200, application, "Step 1, Category Selection, is saved.")


@router.put("/api/applications/<application_id>/user-information", summary="Save step 2", responses=SAVED)
def save_user_information(application_id: str, form: Annotated[UserInformationSave, Body()]):
    from portal.wiring import applications

    application = applications().save_user_information(identity(), application_id, form)
    return _answer(200, application, "Step 2, User Information, is saved.")


@router.put("/api/applications/<application_id>/product-information", summary="Save step 3", responses=SAVED)
def save_product_information(application_id: str, form: Annotated[ProductInformationSave, Body()]):
    from portal.wiring import applications

    application = applications().save_product_information(identity(), application_id, form)
    return _answer(200, application, "Step 3, Product Information, is saved.")


@router.post(
    "/api/applications/<application_id>/submit",
    summary="Step 4: accept the program guidelines and submit for review",
    responses=SAVED,
)
def submit(application_id: str, form: Annotated[SubmitApplication, Body()]):
    from portal.wiring import applications

    application = applications().submit(identity(), application_id, form)
    message = "Thank you: your application is submitted. The channel team reviews it and emails you its decision."
    return _answer(200, application, message)
