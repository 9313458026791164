"""docs/openapi.json: generated from the handlers, up to date, and describing every answer."""

from __future__ import annotations

import json

import pytest
from helpers import REPO

from infra.openapi import DOCUMENT, REFRESH_COMMAND, build_document, render, template_routes

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict:
    """The document as the handlers describe it now."""
    return build_document(REPO)


def resolve(document: dict, schema: dict) -> dict:
    """A schema with its top-level ``$ref`` followed."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def test_the_published_document_is_up_to_date(document):
    published = (REPO / DOCUMENT).read_text(encoding="utf-8") if (REPO / DOCUMENT).exists() else ""
    assert published == render(document), f"{DOCUMENT} is out of date with the handlers: run `{REFRESH_COMMAND}`"


def test_it_describes_exactly_the_routes_of_the_template(document):
    routes = {f"{method.upper()} {path}" for method, path, _, _ in template_routes(REPO)}
    assert {name for name, _, _ in operations(document)} == routes


def test_every_operation_describes_success_and_the_shared_refusals(document):
    for name, method, operation in operations(document):
        statuses = set(operation["responses"])
        assert any(status.startswith("2") for status in statuses), f"{name}: no success answer"
        expected = {"422"} | ({"400", "403", "415"} if method in WRITES else set())
        assert expected <= statuses, f"{name}: missing {sorted(expected - statuses)}"
        problems = operation["responses"]["422"]["content"]["application/json"]["schema"]
        assert resolve(document, problems)["required"] == ["message", "errors"], name


def test_every_refusal_is_json_with_a_message(document):
    for name, _, operation in operations(document):
        for status, answer in operation["responses"].items():
            if not status.startswith("4"):
                continue
            body = answer.get("content", {}).get("application/json", {}).get("schema")
            assert body, f"{name} {status}: no body described; declare it with portal.api_docs.answers(..., {status})"
            schema = resolve(document, body)
            assert "message" in schema.get("required", []), f"{name} {status}: the body has no message"


def test_the_default_validation_shape_of_powertools_is_gone(document):
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert '"detail"' not in text


def test_the_command_reports_a_stale_document(tmp_path, capsys):
    from infra.openapi import main

    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert main(["--check", "--output", str(stale)]) == 1
    assert REFRESH_COMMAND in capsys.readouterr().err
    assert main(["--output", str(stale)]) == 0
    assert main(["--check", "--output", str(stale)]) == 0
