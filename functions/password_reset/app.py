"""``/api/password-reset`` and ``/api/one-time-login``: the one-time link flow."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.web import build_resolver, json_response
from pydantic import BaseModel, ConfigDict, Field

logger = Logger()


class ResetRequestForm(BaseModel):
    """Request New Password."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(title="Email", min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


class OneTimeLinkForm(BaseModel):
    """The two parts of a one-time link (taken from the link's #fragment by the page)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(title="Link", pattern=r"^[0-9a-f]{1,64}$")]
    token: Annotated[str, Field(title="Link", min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_\-]+$")]


app = build_resolver(ResetRequestForm, OneTimeLinkForm)


@app.post("/api/password-reset", summary="Email a one-time link to set a new password")
def request_reset(form: Annotated[ResetRequestForm, Body()]):
    from portal.identity import RESET_REQUESTED
    from portal.wiring import sign_in

    sign_in().request_reset(form.email)
    return json_response(202, {"message": RESET_REQUESTED})


@app.post("/api/one-time-login/preview", summary="Show whom a one-time link is for, without using it")
def preview_link(form: Annotated[OneTimeLinkForm, Body()]):
    from portal.wiring import sign_in

    return json_response(200, {"masked_email": sign_in().preview_link(form.user_id, form.token)})


@app.post("/api/one-time-login", summary="Use a one-time link: opens a session that can only set a password")
def use_link(form: Annotated[OneTimeLinkForm, Body()]):
    from portal.session_http import cleared_cookies, set_password_cookie
    from portal.wiring import sign_in

    cookie = sign_in().use_link(form.user_id, form.token)
    return json_response(
        200,
        {"message": "Choose your new password.", "next": "/account/set-password/"},
        cookies=[*cleared_cookies()[1:], set_password_cookie(cookie)],
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
