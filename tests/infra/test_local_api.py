"""``/api/*`` requests reach the template's handlers as HTTP API v2 events."""

from __future__ import annotations

import json
import logging

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, stack_fixture, state_file_fixture  # noqa: F401 - registers the fixtures

from infra.local.api import MAX_BODY_BYTES
from infra.local.aws import LocalAwsError


def test_a_get_reaches_the_handler_with_path_parameter_cookies_and_query(stack, http) -> None:
    result = http(
        stack,
        "GET",
        "/api/users/u-42?tab=profile",
        headers={"Cookie": "__Host-session=abc; theme=dark", "Accept": "application/json"},
    )

    assert result.status == 200
    payload = result.json()
    assert payload["user_id"] == "u-42"
    assert payload["cookies"] == ["__Host-session=abc", "theme=dark"]
    assert payload["query"] == {"tab": "profile"}
    assert payload["accept"] == "application/json"
    assert 0 < payload["remaining_ms"] <= 5000


def test_the_handler_sees_the_template_environment_with_the_served_url(stack, http) -> None:
    payload = http(stack, "GET", "/api/users/u-1").json()

    assert payload["site_url"] == stack.url
    assert payload["echo_only"] == "yes"


def test_a_post_writes_through_emulated_aws_and_sets_each_cookie(stack, http) -> None:
    result = http(
        stack,
        "POST",
        "/api/notes",
        body=json.dumps({"id": "n1", "text": "hello"}).encode(),
        headers={"Content-Type": "application/json"},
    )

    assert result.status == 201
    assert result.json() == {"id": "n1"}
    assert result.headers.get_all("Set-Cookie") == ["a=1; Secure", "b=2; Secure"]
    item = stack.client("dynamodb").get_item(TableName="PortalTable", Key={"pk": {"S": "note#n1"}, "sk": {"S": "note"}})
    assert item["Item"]["text"] == {"S": "hello"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/nothing"), ("POST", "/api/users/u-1/extra"), ("GET", "/api")],
    ids=["unknown", "extra-segment", "api-root"],
)
def test_an_unknown_api_route_is_a_json_404(stack, http, method, path) -> None:
    result = http(stack, method, path, body=b"" if method == "POST" else None)

    assert result.status == 404
    assert result.headers["Content-Type"] == "application/json"
    assert result.json() == {"message": "Not Found"}


def test_a_known_path_with_another_method_is_a_405_with_allow(stack, http) -> None:
    result = http(stack, "DELETE", "/api/users/u-1")

    assert (result.status, result.headers["Allow"]) == (405, "GET")
    assert result.json() == {"message": "Method Not Allowed"}


def test_a_body_over_one_megabyte_is_refused_with_413(stack, http) -> None:
    result = http(stack, "POST", "/api/notes", body=b"x" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "text/plain"})

    assert result.status == 413
    assert "larger than" in result.json()["message"]


def test_a_failing_handler_is_a_generic_500_with_the_traceback_only_in_the_log(stack, http, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="portal.local"):
        result = http(stack, "GET", "/api/boom")

    assert result.status == 500
    assert result.json() == {"message": "Internal Server Error"}
    assert b"secret detail" not in result.body
    assert "secret detail from the handler" in caplog.text
    assert "Traceback" in caplog.text


def test_a_request_moto_does_not_answer_never_reaches_the_network(stack) -> None:
    import boto3

    client = boto3.session.Session().client("dynamodb", endpoint_url="https://dynamodb.example.invalid")

    with pytest.raises(LocalAwsError, match="never calls real AWS"):
        client.list_tables()


def test_a_connection_kept_open_past_the_close_runs_no_function(fake_repo, state_file) -> None:
    """A browser keeps connections open: a request on one after the stack closed gets a 503.

    Otherwise it would run a function with emulated AWS stopped and the environment restored (or
    another stack's in place), and fill caches of this process with a stack that is gone.
    """
    import http.client
    import os

    from infra.local.stack import LocalStack

    stack = LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site").__enter__()
    url = stack.url
    host, port = url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", "/api/users/u-1")
        first = connection.getresponse()
        assert first.status == 200 and json.loads(first.read())["site_url"] == url
        stack.close()
        assert os.environ.get("PORTAL_SITE_URL") != url

        connection.request("GET", "/api/users/u-2")  # the same, still open connection
        late = connection.getresponse()
        assert late.status == 503
        assert late.read() == b"The local portal is stopping\n"
        assert late.getheader("Connection") == "close"
    finally:
        connection.close()
        stack.close()
