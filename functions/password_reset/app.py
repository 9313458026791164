"""``/api/password-reset`` and ``/api/one-time-login``: the one-time link flow."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.api_docs import Answer, Message, answers
from portal.fields import DeliverableEmail
from portal.web import build_resolver, json_response
from pydantic import BaseModel, ConfigDict, Field

logger = Logger()


class ResetRequestForm(BaseModel):
    """Request New Password."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[DeliverableEmail, Field(title="Email", max_length=254)]


class OneTimeLinkForm(BaseModel):
    """The two parts of a one-time link (taken from the link's #fragment by the page)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(title="Link", pattern=r"^[0-9a-f]{1,64}$")]
    token: Annotated[str, Field(title="Link", min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_\-]+$")]


class LinkPreview(Answer):
    """Whom a live link is for, masked (j***e@e***e.org)."""

    masked_email: str


class LinkUsed(Answer):
    """A set-password session is open: where to go next."""

    message: str
    next: str


app = build_resolver(ResetRequestForm, OneTimeLinkForm)


@app.post(
    "/api/password-reset",
    summary="Email a one-time link to set a new password",
    description=(
        "Queues the request and answers at once, after the same work for every address; the email "
        "(only to an account that exists and is not blocked) is sent by the queue's worker."
    ),
    responses=answers({202: ("Always the same answer, whether or not the account exists", Message)}, 503),
)
def request_reset(form: Annotated[ResetRequestForm, Body()]):
    from portal.identity import RESET_REQUESTED
    from portal.wiring import reset_queue

    reset_queue().submit(form.email)
    return json_response(202, {"message": RESET_REQUESTED})


@app.post(
    "/api/one-time-login/preview",
    summary="Show whom a one-time link is for, without using it",
    responses=answers({200: ("The link is live; nothing was changed", LinkPreview)}, 410),
)
def preview_link(form: Annotated[OneTimeLinkForm, Body()]):
    from portal.wiring import sign_in

    return json_response(200, {"masked_email": sign_in().preview_link(form.user_id, form.token)})


@app.post(
    "/api/one-time-login",
    summary="Use a one-time link: opens a session that can only set a password",
    responses=answers({200: ("A set-password session is open", LinkUsed)}, 410),
)
def use_link(form: Annotated[OneTimeLinkForm, Body()]):
    from portal.session_http import set_password_cookies
    from portal.wiring import sign_in

    cookie = sign_in().use_link(form.user_id, form.token)
    return json_response(
        200,
        {"message": "Choose your new password.", "next": "/account/set-password/"},
        cookies=set_password_cookies(cookie),
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
