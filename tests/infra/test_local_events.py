"""HTTP requests as API Gateway HTTP API v2 events, and handler results as HTTP responses."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from local_stack_fixtures import fake_repo_fixture  # noqa: F401 - registers the fixtures

from infra.local.events import IncomingRequest, LambdaContext, build_event, response_from_result
from infra.local.routes import RouteTable
from infra.local.template import load_template

NOW = datetime(2025, 12, 3, 16, 17, 18, 123000, tzinfo=UTC)


@pytest.fixture
def routes(fake_repo: Path) -> RouteTable:
    """The fake repository's route table."""
    return RouteTable.from_template(load_template(fake_repo / "infra" / "template.yaml"))


def _request(**changes) -> IncomingRequest:
    """A browser-like GET of a user, with ``changes`` applied."""
    fields = {
        "method": "GET",
        "raw_path": "/api/users/u-1",
        "raw_query": "tab=profile&tag=a&tag=b",
        "headers": [
            ("Host", "127.0.0.1:8000"),
            ("User-Agent", "Mozilla/5.0 test"),
            ("Accept", "text/html"),
            ("Accept", "application/json"),
            ("Cookie", "__Host-session=abc; theme=dark"),
        ],
        "body": b"",
        "source_ip": "127.0.0.1",
    }
    return IncomingRequest(**{**fields, **changes})


def test_a_get_becomes_a_real_shaped_v2_event(routes: RouteTable) -> None:
    event = build_event(_request(), routes.match("GET", "/api/users/u-1"), now=NOW)

    context = event.pop("requestContext")
    request_id = context.pop("requestId")
    assert len(request_id) == 36
    assert event == {
        "version": "2.0",
        "routeKey": "GET /api/users/{user_id}",
        "rawPath": "/api/users/u-1",
        "rawQueryString": "tab=profile&tag=a&tag=b",
        "cookies": ["__Host-session=abc", "theme=dark"],
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "Mozilla/5.0 test",
            "accept": "text/html,application/json",
            "x-forwarded-for": "127.0.0.1",
            "x-forwarded-port": "8000",
            "x-forwarded-proto": "http",
        },
        "queryStringParameters": {"tab": "profile", "tag": "a,b"},
        "pathParameters": {"user_id": "u-1"},
        "isBase64Encoded": False,
    }
    assert context == {
        "accountId": "123456789012",
        "apiId": "local",
        "domainName": "127.0.0.1:8000",
        "domainPrefix": "127",
        "http": {
            "method": "GET",
            "path": "/api/users/u-1",
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": "Mozilla/5.0 test",
        },
        "routeKey": "GET /api/users/{user_id}",
        "stage": "$default",
        "time": "03/Dec/2025:16:17:18 +0000",
        "timeEpoch": 1764778638123,
    }


@pytest.mark.parametrize(
    ("content_type", "body", "expected_body", "encoded"),
    [
        ("application/json", b'{"a": 1}', '{"a": 1}', False),
        ("application/problem+json", b"{}", "{}", False),
        ("text/plain; charset=utf-8", "héllo".encode(), "héllo", False),
        ("application/pdf", b"%PDF\x00\xff", base64.b64encode(b"%PDF\x00\xff").decode(), True),
    ],
    ids=["json", "json-suffix", "text", "binary"],
)
def test_a_body_is_text_or_base64_like_api_gateway(routes, content_type, body, expected_body, encoded) -> None:
    request = _request(
        method="POST", raw_path="/api/notes", raw_query="", body=body, headers=[("Content-Type", content_type)]
    )

    event = build_event(request, routes.match("POST", "/api/notes"))

    assert event["body"] == expected_body
    assert event["isBase64Encoded"] is encoded
    assert "cookies" not in event and "queryStringParameters" not in event and "pathParameters" not in event


def test_a_handler_result_with_cookies_and_base64_becomes_the_http_response() -> None:
    response = response_from_result(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "application/pdf"},
            "multiValueHeaders": {"Link": ["</a>", "</b>"]},
            "cookies": ["a=1; Secure", "b=2; HttpOnly"],
            "body": base64.b64encode(b"\x00binary").decode(),
            "isBase64Encoded": True,
        }
    )

    assert response.status == 201
    assert response.body == b"\x00binary"
    assert [value for name, value in response.headers if name == "Set-Cookie"] == ["a=1; Secure", "b=2; HttpOnly"]
    assert [value for name, value in response.headers if name == "Link"] == ["</a>", "</b>"]


def test_a_result_without_status_code_is_a_200_json_body_like_http_api() -> None:
    response = response_from_result({"hello": "world"})

    assert (response.status, response.header("content-type")) == (200, "application/json")
    assert json.loads(response.body) == {"hello": "world"}


def test_the_fake_context_satisfies_powertools_inject_lambda_context(fake_repo: Path) -> None:
    from aws_lambda_powertools import Logger

    (function,) = load_template(fake_repo / "infra" / "template.yaml").functions
    logger = Logger(service="events-test")
    seen = {}

    @logger.inject_lambda_context
    def handler(event, context):
        seen.update(logger.get_current_keys())
        return context.get_remaining_time_in_millis()

    remaining = handler({}, LambdaContext.for_function(function))

    assert 0 < remaining <= 5000
    assert seen["function_name"] == "EchoFunction"
    assert seen["function_memory_size"] == 256
    assert seen["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:EchoFunction"
