"""``/api/session`` (who am I, sign in, sign out) and ``/api/password`` (set a new password)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from portal.api_docs import SignedIn, SignedInNotice, answers
from portal.web import build_resolver, client_ip, json_response
from pydantic import BaseModel, ConfigDict, Field

logger = Logger()


class SignInForm(BaseModel):
    """The sign-in box."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(title="Email", min_length=1, max_length=254)]
    password: Annotated[str, Field(title="Password", min_length=1, max_length=1024)]


class NewPasswordForm(BaseModel):
    """Set a new password: after a one-time link (no current password) or from My Account."""

    model_config = ConfigDict(extra="forbid")

    new_password: Annotated[str, Field(title="New password", min_length=1, max_length=1024)]
    current_password: Annotated[str | None, Field(title="Current password", max_length=1024)] = None


app = build_resolver(SignInForm, NewPasswordForm)


@app.get(
    "/api/session",
    summary="Who is signed in (and a fresh access cookie)",
    responses=answers({200: ("Signed in", SignedIn)}, 401),
)
def who_am_i():
    from portal.identity import NotSignedIn
    from portal.session_http import (
        access_cookie,
        cleared_cookies,
        has_signed_in_cookie,
        identity_body,
        session_cookie_value,
    )
    from portal.wiring import sign_in

    cookie = session_cookie_value(app.current_event)
    try:
        identity = sign_in().identity(cookie)
    except NotSignedIn as e:
        # A session that ended (blocked, signed out elsewhere, password changed) loses the static
        # pages at the next page view too, instead of when the access cookie runs out; and the
        # signed-in hint goes with it, so the pages stop asking.
        stale = cookie is not None or has_signed_in_cookie(app.current_event)
        return json_response(401, {"message": e.message}, cookies=cleared_cookies() if stale else None)
    return json_response(200, identity_body(identity), cookies=[access_cookie(identity)])


@app.post(
    "/api/session",
    summary="Sign in with email and password",
    responses=answers({200: ("Signed in: session and access cookies set", SignedIn)}, 401),
)
def sign_in_route(form: Annotated[SignInForm, Body()]):
    from portal.session_http import identity_body, session_cookies
    from portal.wiring import sign_in

    identity, cookie = sign_in().sign_in(form.email, form.password, client_ip(app.current_event))
    return json_response(200, identity_body(identity), cookies=session_cookies(identity, cookie))


@app.delete("/api/session", summary="Sign out", responses=answers({204: ("Signed out: cookies cleared", None)}))
def sign_out():
    from portal.session_http import cleared_cookies, session_cookie_value
    from portal.wiring import sign_in

    sign_in().sign_out(session_cookie_value(app.current_event))
    return json_response(204, None, cookies=cleared_cookies())


@app.put(
    "/api/password",
    summary="Set a new password",
    responses=answers({200: ("Saved: a new session, other sessions ended", SignedInNotice)}, 401, 422),
)
def set_password(form: Annotated[NewPasswordForm, Body()]):
    from portal.session_http import identity_body, session_cookie_value, session_cookies
    from portal.wiring import sign_in

    service = sign_in()
    identity = service.identity(session_cookie_value(app.current_event))
    cookie = service.change_password(identity, form.new_password, form.current_password)
    fresh = service.identity(cookie)
    body = {**identity_body(fresh), "message": "Your new password is saved. You are signed in."}
    return json_response(200, body, cookies=session_cookies(fresh, cookie))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
