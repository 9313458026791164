"""Routes, tables and environment read from the SAM template."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_stack_fixtures import fake_repo_fixture  # noqa: F401 - registers the fixtures

from infra.local.routes import RouteTable, read_routes
from infra.local.template import TemplateError, load_template, resolve_environment

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_template(fake_repo: Path):
    """The fake repository's template, loaded."""
    return load_template(fake_repo / "infra" / "template.yaml")


def test_the_portal_template_routes_post_api_help_to_the_help_desk() -> None:
    routes = read_routes(REPO_ROOT / "infra" / "template.yaml")

    match = routes.match("POST", "/api/help")

    assert match is not None
    assert match.route.handler == "help_desk.app.lambda_handler"
    assert match.route.route_key == "POST /api/help"
    assert match.route.function.code_dir == REPO_ROOT / "functions"


def test_the_portal_template_declares_its_table_with_key_and_ttl() -> None:
    template = load_template(REPO_ROOT / "infra" / "template.yaml")

    (table,) = [table for table in template.tables if table.name == "PortalTable"]

    assert [key["AttributeName"] for key in table.key_schema] == ["pk", "sk"]
    assert table.ttl_attribute == "expires_at"


@pytest.mark.parametrize(
    ("method", "path", "handler_route", "parameters"),
    [
        ("GET", "/api/users/u-42", "GET /api/users/{user_id}", {"user_id": "u-42"}),
        ("GET", "/api/users/ann%40example.com", "GET /api/users/{user_id}", {"user_id": "ann@example.com"}),
        ("get", "/api/boom", "GET /api/boom", {}),
        ("POST", "/api/notes", "POST /api/notes", {}),
    ],
    ids=["path-parameter", "encoded-parameter", "lowercase-method", "literal-path"],
)
def test_a_request_matches_its_template_route(fake_template, method, path, handler_route, parameters) -> None:
    match = RouteTable.from_template(fake_template).match(method, path)

    assert match is not None
    assert match.route.route_key == handler_route
    assert match.route.handler == "local_echo.app.lambda_handler"
    assert match.path_parameters == parameters


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/api/users/u-1/extra", []),
        ("GET", "/api/users/", []),
        ("DELETE", "/api/users/u-1", ["GET"]),
        ("GET", "/api/notes", ["POST"]),
    ],
    ids=["extra-segment", "empty-parameter", "wrong-method", "post-only"],
)
def test_a_request_without_a_route_reports_the_methods_the_path_allows(fake_template, method, path, allowed) -> None:
    routes = RouteTable.from_template(fake_template)

    assert routes.match(method, path) is None
    assert routes.allowed_methods(path) == allowed


def test_literal_routes_win_over_parameter_routes(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        """\
Resources:
  Users:
    Type: AWS::Serverless::Function
    Properties:
      Handler: users.app.handler
      Events:
        One: {Type: HttpApi, Properties: {Method: GET, Path: "/api/users/{user_id}"}}
        Rest: {Type: HttpApi, Properties: {Method: ANY, Path: "/api/files/{proxy+}"}}
  Me:
    Type: AWS::Serverless::Function
    Properties:
      Handler: me.app.handler
      Events:
        Me: {Type: HttpApi, Properties: {Method: GET, Path: /api/users/me}}
"""
    )
    routes = read_routes(template)

    assert routes.match("GET", "/api/users/me").route.handler == "me.app.handler"
    assert routes.match("GET", "/api/users/u-7").route.handler == "users.app.handler"
    assert routes.match("PUT", "/api/files/a/b.pdf").path_parameters == {"proxy": "a/b.pdf"}


def test_environment_resolves_tables_parameters_and_intrinsics(fake_template) -> None:
    (function,) = fake_template.functions

    environment = resolve_environment(
        fake_template, function, {"SiteUrl": "http://127.0.0.1:9999/", "ContentDir": "/repo/content"}
    )

    assert environment == {
        "PORTAL_TABLE": "PortalTable",
        "PORTAL_SITE_URL": "http://127.0.0.1:9999/",
        "PORTAL_CONTENT_DIR": "/repo/content",
        "TABLE_ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/PortalTable",
        "GREETING": "hello from us-east-1",
        "ECHO_ONLY": "yes",
    }


def test_a_parameter_without_default_or_local_value_is_named_in_the_error(fake_template) -> None:
    (function,) = fake_template.functions

    with pytest.raises(TemplateError, match="SiteUrl"):
        resolve_environment(fake_template, function, {})


def test_the_fake_template_table_keeps_its_index_and_ttl(fake_template) -> None:
    (table,) = fake_template.tables

    assert table.name == "PortalTable"
    assert [index["IndexName"] for index in table.global_secondary_indexes] == ["by_email"]
    assert table.ttl_attribute == "expires_at"


def test_a_function_without_handler_is_a_clear_template_error(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  Broken:\n    Type: AWS::Serverless::Function\n    Properties: {}\n")

    with pytest.raises(TemplateError, match="Broken needs a Handler"):
        load_template(template)
