"""How the API describes its answers in OpenAPI: the shared bodies and the routes' ``responses=``.

Routes declare their own answers with ``responses=answers(...)``: the success body and the typed
domain errors they can raise. The answers every route shares because ``portal.web`` gives them
before or around any route (400/403/415 for writes, 422 for validation) are added to each
operation by ``shared_answers`` when the document is generated (``python -m infra.openapi``).

These models only describe bodies; the handlers build the real ones. The contract test
(schemathesis against the local stack) fails when the two drift apart.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """Base of the documented bodies: a field the document does not list is a contract failure."""

    model_config = ConfigDict(extra="forbid")


class Message(Answer):
    """Any refusal or notice: one sentence a person can act on."""

    message: str


class FieldError(Answer):
    """What is wrong with one field."""

    field: str
    message: str
    code: str | None = Field(
        default=None,
        description='Set for a problem the page adds its own advice to: "account_exists" (sign in instead).',
    )


class Problems(Answer):
    """A 422: a summary and one message per field, shown next to each field."""

    message: str
    errors: list[FieldError]


class CategoryName(Answer):
    """A product category: its slug and the name people read."""

    slug: str
    name: str


class SignedInUser(Answer):
    """The signed-in person as the pages show them (never a hash or a token)."""

    id: str
    email: str
    title: str
    first_name: str
    last_name: str
    role: str
    role_label: str


class SignedInCompany(Answer):
    """The signed-in person's company and the categories it is authorized for."""

    id: str
    name: str
    categories: list[CategoryName]


class SignedIn(Answer):
    """Who is signed in (``portal.session_http.identity_body``); ``purpose`` is full or set_password."""

    user: SignedInUser
    company: SignedInCompany
    purpose: str


class SignedInNotice(SignedIn):
    """Who is signed in, with a sentence to show (after a new password is saved)."""

    message: str


# What each status means on every route that may answer it (a route can word its own).
STATUS_MEANINGS: dict[int, str] = {
    400: "The request body is not valid JSON.",
    401: "Not signed in, or the session has ended.",
    403: "Refused: another website's Origin, a missing Origin on a signed-in write, or not allowed for you.",
    404: "Not found, or not yours to see.",
    409: "Clashes with what is stored (a reused key, a stale copy, an attempt still running).",
    410: "The link can no longer be used.",
    415: "The request body is not JSON (Content-Type: application/json).",
    422: "A field is invalid: one message per field.",
    429: "Too many requests from here: wait a while and try again.",
    503: "The service could not take the request just now: wait a minute and try again.",
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}
_JSON = "application/json"


def answers(ok: dict[int, tuple[str, type[BaseModel] | None]], *refusals: int) -> dict[int, Any]:
    """The ``responses=`` of a route: its successes and the refusals its domain can raise.

    Args:
        ok: status -> (description, body model, or None for an empty body).
        refusals: statuses answered with ``Message`` (422 is answered with ``Problems``).
    """
    described: dict[int, Any] = {}
    for status, (description, model) in ok.items():
        described[status] = {"description": description}
        if model is not None:
            described[status]["content"] = {_JSON: {"model": model}}
    for status in refusals:
        body = Problems if status == 422 else Message
        described[status] = {"description": STATUS_MEANINGS[status], "content": {_JSON: {"model": body}}}
    return described


def shared_answers(document: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of ``document`` the answers ``portal.web`` gives on every route.

    Powertools describes validation errors with FastAPI's ``{"detail": [...]}``; ours are
    ``Problems``. Writes also get 400 (bad JSON), 403 (Origin) and 415 (not JSON).
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (Message, Problems):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, nested in schema.pop("$defs", {}).items():
            schemas.setdefault(name, nested)
        schemas.setdefault(model.__name__, schema)
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "204" in responses:  # No Content: Powertools still gives it an empty JSON body
                responses["204"].pop("content", None)
            for status in [422, *([400, 403, 415] if method in _WRITE_METHODS else [])]:
                current = responses.get(str(status))
                if current is None or "HTTPValidationError" in str(current):
                    body = "Problems" if status == 422 else "Message"
                    responses[str(status)] = {
                        "description": STATUS_MEANINGS[status],
                        "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{body}"}}},
                    }
    return document
