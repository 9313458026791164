"""``/api/account/*``: My Profile, Company Information, User Management and the company's trail.

Every route except the email confirmation needs a full session (``SignIn.full_identity``); the
rules of who may act on which company or user live in ``portal.account_scope`` and the services
of ``portal.my_account``. Writes pass the Origin and JSON checks of ``portal.web`` first.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.api_docs import Message, answers
from portal.company_admin import CompanyForm, ManagementContactForm, NameChangeForm
from portal.help_requests import IDEMPOTENCY_KEY_PATTERN
from portal.profile import EmailChangeForm, EmailConfirmForm, ProfileForm
from portal.user_management import NewUserForm, RoleForm
from portal.web import build_resolver, json_response

from account import views

logger = Logger()
app = build_resolver(
    ProfileForm,
    EmailChangeForm,
    EmailConfirmForm,
    CompanyForm,
    NameChangeForm,
    ManagementContactForm,
    NewUserForm,
    RoleForm,
)
CompanyId = Annotated[str | None, Query(max_length=64, description="Staff: the company to act on (default: your own)")]
ADMIN = (401, 403, 404)


def _identity() -> Any:
    """Who is behind this request: a full session only (401 signed out, 403 a set-password session)."""
    from portal.session_http import session_cookie_value
    from portal.wiring import sign_in

    return sign_in().full_identity(session_cookie_value(app.current_event))


def _actor() -> Any:
    return _identity().user


def _services() -> Any:
    from portal.wiring import my_account

    return my_account()


def _catalog() -> Any:
    from portal.wiring import catalog

    return catalog()


# ---- My Profile (every user) ----


@app.get(
    "/api/account/profile", summary="My profile", responses=answers({200: ("Your profile", views.Profile)}, 401, 403)
)
def get_profile():
    identity = _identity()
    return json_response(200, views.profile(identity.user, identity.company, _catalog()))


@app.patch(
    "/api/account/profile",
    summary="Change my title, name or phone",
    responses=answers({200: ("Saved", views.ProfileSaved)}, 401, 403, 422),
)
def update_profile(form: Annotated[ProfileForm, Body()]):
    identity = _identity()
    user = _services().profiles.update(identity.user, form)
    body = views.profile(user, identity.company, _catalog())
    return json_response(200, {**body, "message": "Your profile is saved."})


@app.post(
    "/api/account/email",
    summary="Change my sign-in email: sends a confirmation link to the new address",
    responses=answers({202: ("Link sent to the new address, notice to the current one", Message)}, 401, 403, 409, 422),
)
def request_email_change(form: Annotated[EmailChangeForm, Body()]):
    _services().profiles.request_email_change(_actor(), form)
    message = "We sent a link to the new address. Your email changes when you open it and select CONFIRM."
    return json_response(202, {"message": message})


@app.post(
    "/api/account/email/confirm",
    summary="Confirm a new sign-in email with the emailed link (no session needed)",
    responses=answers({200: ("The email is changed", views.EmailConfirmed)}, 409, 410),
)
def confirm_email_change(form: Annotated[EmailConfirmForm, Body()]):
    user = _services().profiles.confirm_email_change(form.user_id, form.token)
    message = f"Your sign-in email is now {user.email}."
    return json_response(200, {"message": message, "email": user.email})


# ---- Company Information (Management Contact, Reseller Admins, staff) ----


@app.get(
    "/api/account/company",
    summary="Company information",
    responses=answers({200: ("The company information", views.CompanyInfo)}, *ADMIN),
)
def get_company(company_id: CompanyId = None):
    company = _services().companies.view(_actor(), company_id)
    return json_response(200, views.company_info(company, _catalog()))


@app.patch(
    "/api/account/company",
    summary="Change company information (not the name)",
    responses=answers({200: ("Saved", views.CompanySaved)}, *ADMIN, 422),
)
def update_company(form: Annotated[CompanyForm, Body()], company_id: CompanyId = None):
    company = _services().companies.update(_actor(), company_id, form)
    return json_response(200, {**views.company_info(company, _catalog()), "message": "Company information saved."})


@app.post(
    "/api/account/company/name-change",
    summary="Ask Reseller Support to change the company name",
    responses=answers({202: ("Filed as a help request", views.NameChangeFiled)}, *ADMIN, 409, 422),
)
def request_name_change(
    form: Annotated[NameChangeForm, Body()],
    company_id: CompanyId = None,
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", pattern=IDEMPOTENCY_KEY_PATTERN)] = None,
):
    reference = _services().companies.request_name_change(_actor(), company_id, form, idempotency_key)
    message = f"Reseller Support received your request with the reference {reference}; they will contact you."
    return json_response(202, {"reference": reference, "message": message})


@app.get(
    "/api/account/companies",
    summary="Staff: find a company by its exact name",
    responses=answers({200: ("Found", views.CompanyFound)}, 401, 403, 404),
)
def find_company(name: Annotated[str, Query(min_length=1, max_length=150)]):
    from portal.errors import NotFound

    company = _services().companies.find(_actor(), name)
    if company is None:
        raise NotFound("No company has that name.")
    return json_response(200, {"id": company.id, "name": company.name})


@app.post(
    "/api/account/companies/<company_id>/management-contact",
    summary="Staff: move the Management Contact role to another user of the company",
    responses=answers({200: ("Moved", views.UserChanged)}, *ADMIN, 409, 422),
)
def move_management_contact(company_id: str, form: Annotated[ManagementContactForm, Body()]):
    actor = _actor()
    user = _services().companies.move_management_contact(actor, company_id, form.user_id)
    message = f"{user.display_name} is now the Management Contact."
    return json_response(200, {"user": views.user_row(user, actor), "message": message})


# ---- User Management (Management Contact, Reseller Admins, staff) ----


@app.get(
    "/api/account/users",
    summary="The company's users",
    responses=answers({200: ("The company's users", views.UserList)}, *ADMIN),
)
def list_users(company_id: CompanyId = None):
    actor = _actor()
    company, users = _services().users.users(actor, company_id)
    rows = [views.user_row(user, actor) for user in users]
    return json_response(200, {"company": {"id": company.id, "name": company.name}, "users": rows})


@app.post(
    "/api/account/users",
    summary="ADD RESELLER ACCOUNT USER / ADMIN: create the user and email an invitation",
    responses=answers({201: ("Added", views.UserAdded)}, *ADMIN, 409, 422),
)
def add_user(form: Annotated[NewUserForm, Body()], company_id: CompanyId = None):
    actor = _actor()
    user, sent = _services().users.add(actor, company_id, form)
    message = (
        f"{user.display_name} was added; we emailed them an invitation to set a password."
        if sent
        else f"{user.display_name} was added, but the invitation email failed: use Send invitation again."
    )
    return json_response(201, {"user": views.user_row(user, actor), "message": message, "invitation_sent": sent})


@app.patch(
    "/api/account/users/<user_id>",
    summary="Change a user's role (Account User or Reseller Admin)",
    responses=answers({200: ("Changed", views.UserChanged)}, *ADMIN, 422),
)
def change_role(user_id: str, form: Annotated[RoleForm, Body()]):
    actor = _actor()
    user = _services().users.set_role(actor, user_id, form.role)
    message = f"{user.display_name} is now {user.role.label}."
    return json_response(200, {"user": views.user_row(user, actor), "message": message})


@app.post(
    "/api/account/users/<user_id>/block",
    summary="Block a user: their sessions end at once",
    responses=answers({200: ("Blocked", views.UserChanged)}, *ADMIN),
)
def block_user(user_id: str):
    actor = _actor()
    user = _services().users.block(actor, user_id)
    message = f"{user.display_name} is blocked and signed out everywhere."
    return json_response(200, {"user": views.user_row(user, actor), "message": message})


@app.post(
    "/api/account/users/<user_id>/unblock",
    summary="Unblock a user",
    responses=answers({200: ("Unblocked", views.UserChanged)}, *ADMIN),
)
def unblock_user(user_id: str):
    actor = _actor()
    user = _services().users.unblock(actor, user_id)
    message = f"{user.display_name} can sign in again."
    return json_response(200, {"user": views.user_row(user, actor), "message": message})


@app.post(
    "/api/account/users/<user_id>/invitation",
    summary="Send the invitation again to a user who has not set a password",
    responses=answers({202: ("Sent (or not, see invitation_sent)", views.InvitationSent)}, *ADMIN, 409),
)
def resend_invitation(user_id: str):
    sent = _services().users.resend_invitation(_actor(), user_id)
    message = "We emailed a new invitation; earlier links no longer work." if sent else "The invitation email failed."
    return json_response(202, {"message": message, "invitation_sent": sent})


# ---- The company's trail ----


@app.get(
    "/api/account/audit",
    summary="Who changed what in the company's account, newest first",
    responses=answers({200: ("One page", views.AuditTrail)}, *ADMIN, 422),
)
def audit_trail(
    company_id: CompanyId = None,
    cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")] = None,
):
    return json_response(200, views.audit_trail(_services().trail(_actor(), company_id, cursor)))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
