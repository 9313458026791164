"""What every API area shares: the resolver, JSON-only writes, and errors mapped to HTTP once.

The area handlers (``functions/<area>/app.py``) build their resolver here and add routes; the
domain modules raise typed errors and never pick a status code themselves.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel

from portal.errors import FieldProblem, InvalidFields, PortalError
from portal.fields import field_choices, field_message, field_problems, field_titles
from portal.settings import settings

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What a header checked against a pattern must hold: "has characters that are not allowed" would
# be wrong for a key that is merely too short.
_HEADER_RULES = {
    "idempotency-key": "must be 16 to 128 letters, digits, - or _, new for each submission and the same on a retry"
}


def json_response(
    status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None, cookies: list[str] | None = None
) -> Response:
    """A JSON response that caches nowhere (``body=None`` for an empty 204)."""
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, ensure_ascii=False) if body is not None else "",
        headers={"Cache-Control": "no-store", **(headers or {})},
        cookies=cookies or [],  # type: ignore[arg-type]  # Powertools serializes each with str()
    )


def problems_body(message: str, problems: list[FieldProblem]) -> dict[str, Any]:
    errors = [{"field": p.field, "message": p.message, **({"code": p.code} if p.code else {})} for p in problems]
    return {"message": message, "errors": errors}


def read_cookie(event: dict[str, Any], name: str) -> str | None:
    """The value of cookie ``name`` in an HTTP API v2 event (which lists cookies separately)."""
    for cookie in event.get("cookies") or []:
        key, _, value = cookie.strip().partition("=")
        if key == name:
            return value
    return None


def client_ip(event: Any) -> str:
    """The visitor's IP address, for flood control.

    Behind CloudFront the API sees the edge's address, shared by many visitors; CloudFront adds
    ``CloudFront-Viewer-Address`` (``ip:port``, set by CloudFront itself, never taken from the
    visitor), which the distribution forwards to the API. Locally there is no CDN.
    """
    raw = event.raw_event if hasattr(event, "raw_event") else event
    headers = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
    viewer = headers.get("cloudfront-viewer-address")
    if viewer:
        return viewer.rsplit(":", 1)[0].strip("[]")
    return raw.get("requestContext", {}).get("http", {}).get("sourceIp", "unknown")


def set_cookie(name: str, value: str, max_age: int, *, script_readable: bool = False) -> str:
    """A ``__Host-`` cookie: Secure, SameSite=Lax, whole site, never shared with subdomains.

    HttpOnly unless ``script_readable``: only a cookie that holds no secret may be read by the
    pages' scripts.
    """
    http_only = "" if script_readable else " HttpOnly;"
    return f"{name}={value}; Path=/; Max-Age={max_age}; Secure;{http_only} SameSite=Lax"


def clear_cookie(name: str) -> str:
    return set_cookie(name, "", 0)


def _json_problem(event: dict[str, Any]) -> tuple[int, str] | None:
    """Why a write is refused before any route sees it, or None.

    Writes must come from the portal's own pages (Origin) and carry JSON, so a form on another
    site can neither post with the visitor's cookies nor smuggle a body past validation.
    """
    method = event.get("requestContext", {}).get("http", {}).get("method", "GET")
    body = event.get("body")
    if method not in _WRITE_METHODS:
        return None
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    origin = headers.get("origin")
    if origin is not None and origin != settings().site_origin:
        return 403, "This request came from another website, so the portal refused it."
    if origin is None and event.get("cookies"):
        return 403, "Requests that use your sign-in must come from the portal's own pages (Origin header missing)."
    if not body:
        return None
    if (headers.get("content-type") or "").split(";")[0].strip().lower() != "application/json":
        return 415, "Send the request body as JSON (Content-Type: application/json)."
    try:
        parsed = read_json(base64.b64decode(body) if event.get("isBase64Encoded") else body)
        # JSON can spell a lone UTF-16 surrogate ("\ud800"): no real text holds one, and a handler
        # that echoes it (an error message, an email) cannot even encode it.
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return 400, "The request body is not valid JSON: it holds a lone surrogate escape such as \\ud800."
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        return 400, "The request body is not valid JSON."
    return None


def _no_nan(constant: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), though Python's parser accepts them."""
    raise ValueError(f"{constant} is not a JSON value")


def _whole_number(digits: str) -> int | float:
    """An integer as written; one past Python's 4,300-digit limit reads as infinity (like ``1e309``).

    Either is real JSON: validation then refuses it on its field as out of range, rather than
    the whole body being called broken.
    """
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def read_json(text: str | bytes) -> Any:
    """A request body as the routes see it: real JSON only (no NaN), any number readable."""
    return json.loads(text, parse_constant=_no_nan, parse_int=_whole_number)


class PortalResolver(APIGatewayHttpResolver):
    """An HTTP API resolver whose writes accept JSON only.

    The check runs before Powertools' request validation, so a form post from another site or a
    broken body gets a precise answer instead of a list of missing fields.

    Args:
        guards: Path prefix -> who may call the routes under it: the guard takes the raw event and
            returns the caller, kept in ``context["caller"]`` for the route, or raises a
            ``PortalError`` (401, 403). It runs before validation too, so someone who may not call
            a route learns nothing from it, not even which parameters it takes.
    """

    def __init__(self, *, guards: dict[str, Callable[[dict[str, Any]], Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.guards = dict(guards or {})

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        problem = _json_problem(event) or self._refusal(event)
        if problem:
            status, message = problem
            return {
                "statusCode": status,
                "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
                "body": json.dumps({"message": message}),
                "isBase64Encoded": False,
            }
        return super().resolve(event, context)

    def _refusal(self, event: dict[str, Any]) -> tuple[int, str] | None:
        """Why the guard of this path refuses the caller, or None (the caller is then in the context)."""
        path = event.get("rawPath") or event.get("requestContext", {}).get("http", {}).get("path", "")
        for prefix, guard in self.guards.items():
            if path.startswith(prefix):
                try:
                    # Set only when resolve() follows, which clears the context when it ends.
                    self.append_context(caller=guard(event))
                except PortalError as e:
                    return e.status, e.message
                break
        return None


def _no_store(app: APIGatewayHttpResolver, next_middleware: Any) -> Response:
    response = next_middleware(app)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def build_resolver(
    *forms: type[BaseModel],
    guards: dict[str, Callable[[dict[str, Any]], Any]] | None = None,
    also_refused: dict[str, Callable[[Any, list[FieldProblem]], list[FieldProblem]]] | None = None,
) -> APIGatewayHttpResolver:
    """A resolver with validation on, JSON-only writes, and the shared error answers.

    Args:
        forms: The request models of this area; their field titles word the error messages.
        guards: Path prefix -> who may call the routes under it (see ``PortalResolver``).
        also_refused: "METHOD /path" -> more problems of a body that failed validation, from the
            request and the problems found so far (a taken email told together with the rest).
    """
    app = PortalResolver(enable_validation=True, guards=guards, json_body_deserializer=read_json)
    titles = field_titles(*forms)
    choices = field_choices(*forms)
    app.use(middlewares=[_no_store])

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response:
        problems = []
        for e in error.errors():
            where = tuple(e.get("loc", ()))[:1]
            if where == ("header",):
                name = str(e["loc"][-1])
                title = f"The {name.title()} header"
                if e.get("type") == "string_pattern_mismatch" and name in _HEADER_RULES:
                    problems.append(FieldProblem(name, f"{title} {_HEADER_RULES[name]}."))
                else:
                    problems.append(FieldProblem(name, field_message(e, title)))
        problems += field_problems(
            titles,
            [e for e in error.errors() if tuple(e.get("loc", ()))[:1] != ("header",)],
            prefix=("body",),
            choices=choices,
        )
        event = app.current_event
        more = (also_refused or {}).get(f"{event.http_method} {event.path}")
        if more:
            problems += more(event, problems)
        return json_response(422, problems_body("Please correct the highlighted fields.", problems))

    @app.exception_handler(InvalidFields)
    def _invalid_fields(error: InvalidFields) -> Response:
        return json_response(error.status, problems_body(error.message, error.problems))

    @app.exception_handler(PortalError)
    def _portal_error(error: PortalError) -> Response:
        return json_response(error.status, {"message": error.message})

    return app
