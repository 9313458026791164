"""Every validation message a route gives is worded for a person, never in pydantic's own terms.

The routes, their body fields, query parameters and headers come from the API description
(``docs/openapi.json``'s source, ``infra.openapi.build_document``); each field gets values of the
wrong type, signed in as the channel team so the validation answers (not the sign-in checks).
"""

from __future__ import annotations

import importlib
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from account_world import ORIGIN, SESSION, build_world, cookie
from helpers import REPO, FakeContext, api_event

from infra.openapi import build_document, template_routes

WRONG_VALUES = [12345, 1.5, "x", True, None, [1], {"a": 1}, "2026-13-45", 10**30]
# What pydantic says in its own words: a person never needs these.
INTERNAL_PHRASES = re.compile(r"Input should be|unable to parse|type=|Field required|Extra inputs|errors\.pydantic")


def _operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    document = build_document(REPO)
    handlers = {(method, path): handler for method, path, handler, _ in template_routes(REPO)}
    schemas = document["components"]["schemas"]
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in body:
                body = schemas[body["$ref"].rsplit("/", 1)[1]]
            operation = {**operation, "body_fields": sorted(body.get("properties", {}))}
            found.append((method.upper(), path, handlers[(method, path)], operation))
    return found


OPERATIONS = _operations()


def _send(handler: str, method: str, path: str, body: Any, session: str, query: dict | None = None) -> dict:
    module, _, name = handler.rpartition(".")
    concrete = re.sub(r"\{[^}]+\}", "nonexistent", path)
    event = api_event(
        method, concrete, json.dumps(body) if body is not None else None, cookies=[f"{SESSION}={session}"]
    )
    event["headers"]["origin"] = ORIGIN
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = query
    return getattr(importlib.import_module(module), name)(event, FakeContext())


def _assert_plain(response: dict, where: str) -> None:
    assert response["statusCode"] < 500, where
    answer = json.loads(response["body"] or "null") or {}
    messages = [answer.get("message", "")] + [e["message"] for e in answer.get("errors", [])]
    for message in messages:
        assert not INTERNAL_PHRASES.search(message), f"{where}: {message}"


@pytest.fixture
def staff_session(aws) -> str:
    return cookie(build_world(aws["table"]), "channel_team")


@pytest.mark.parametrize(
    ("method", "path", "handler", "operation"),
    [o for o in OPERATIONS if o[3]["body_fields"]],
    ids=[f"{o[0]} {o[1]}" for o in OPERATIONS if o[3]["body_fields"]],
)
def test_wrong_types_in_any_body_field_are_answered_in_plain_words(staff_session, method, path, handler, operation):
    for field in operation["body_fields"]:
        for value in WRONG_VALUES:
            response = _send(handler, method, path, {field: value, "not_a_field": 1}, staff_session)
            _assert_plain(response, f"{method} {path} {field}={value!r}")
    _assert_plain(_send(handler, method, path, [1, 2], staff_session), f"{method} {path} a list body")


@pytest.mark.parametrize(
    ("method", "path", "handler", "operation"),
    [o for o in OPERATIONS if o[3].get("parameters")],
    ids=[f"{o[0]} {o[1]}" for o in OPERATIONS if o[3].get("parameters")],
)
def test_odd_query_values_are_answered_in_plain_words(staff_session, method, path, handler, operation):
    names = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
    for value in ["", "x" * 300, "bogus"]:
        response = _send(handler, method, path, None, staff_session, {name: value for name in names})
        _assert_plain(response, f"{method} {path} {names}={value[:10]!r}")


def test_a_version_that_is_not_a_number_says_to_enter_a_whole_number(staff_session):
    response = _send(
        "applications.app.lambda_handler",
        "PUT",
        "/api/applications/nonexistent/categories",
        {"version": "x", "categories": ["pos"]},
        staff_session,
    )
    assert response["statusCode"] == 422
    errors = json.loads(response["body"])["errors"]
    assert {"field": "version", "message": "Version: enter a whole number."} in errors
