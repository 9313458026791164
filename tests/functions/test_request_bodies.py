"""Bodies that parse as JSON in Python but are not real JSON text are refused before any route.

Regression of what the API contract fuzzing found: ``{"categories": ["\\ud800"]}`` reached the
applications route, whose error message echoed the lone surrogate, and the answer could not be
encoded (a 500 from the local stack).
"""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLE_PASSWORD
from helpers import api_event, cookie_jar

SESSION = "__Host-portal_session"


def answer(response: dict) -> dict:
    body = response["body"]
    body.encode("utf-8")  # every answer must be sendable
    return json.loads(body)


@pytest.fixture
def contact_session(aws, people, lambda_context) -> list[str]:
    """The session cookie of the company's Management Contact."""
    from auth.app import lambda_handler

    response = lambda_handler(
        api_event("POST", "/api/session", {"email": "contact@example.org", "password": SAMPLE_PASSWORD}),
        lambda_context,
    )
    assert response["statusCode"] == 200
    return [f"{SESSION}={cookie_jar(response)[SESSION]}"]


def test_a_lone_surrogate_in_an_application_is_a_400_not_a_500(contact_session, lambda_context):
    from applications.app import lambda_handler

    event = api_event("POST", "/api/applications", '{"categories": ["\\ud800"]}', cookies=contact_session)
    response = lambda_handler(event, lambda_context)
    assert response["statusCode"] == 400
    assert "surrogate" in answer(response)["message"]


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "\\ud800@example.org", "password": "x"}',
        '{"email": "jane.doe@example.org", "password": "\\udfff"}',
        '{"\\ud83d": 1}',
        '{"email": NaN, "password": "x"}',
        '{"email": "jane.doe@example.org", "password": Infinity}',
    ],
    ids=["surrogate-value", "low-surrogate", "surrogate-key", "nan", "infinity"],
)
def test_bodies_that_are_not_real_json_are_refused(aws, people, lambda_context, body):
    from auth.app import lambda_handler

    response = lambda_handler(api_event("POST", "/api/session", body), lambda_context)
    assert response["statusCode"] == 400
    assert answer(response)["message"].startswith("The request body is not valid JSON")


def test_a_properly_paired_surrogate_is_just_text(aws, people, lambda_context):
    from auth.app import lambda_handler

    body = '{"email": "jane.doe@example.org", "password": "\\ud83d\\ude00 not the password"}'
    response = lambda_handler(api_event("POST", "/api/session", body), lambda_context)
    assert response["statusCode"] == 401


@pytest.mark.parametrize(
    "number",
    ["1e309", "-1e309", "1e300", "1" + "0" * 5000],
    ids=["overflows-to-infinity", "negative-infinity", "too-large-for-a-whole-number", "5000-digits"],
)
def test_a_number_too_large_to_use_is_refused_on_its_field(contact_session, lambda_context, number):
    from applications.app import lambda_handler

    body = '{"version": ' + number + ', "categories": ["scanners"]}'
    event = api_event("PUT", "/api/applications/app-1/categories", body, cookies=contact_session)
    response = lambda_handler(event, lambda_context)
    assert response["statusCode"] == 422
    assert answer(response)["errors"] == [
        {"field": "version", "message": "Version: that number is out of range; enter a number such as 12."}
    ]
