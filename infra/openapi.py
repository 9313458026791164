"""The API's OpenAPI document, generated from the handlers: ``docs/openapi.json``.

    python -m infra.openapi            # (re)write docs/openapi.json
    python -m infra.openapi --check    # exit 1 when docs/openapi.json is out of date
    portal openapi [--check]           # the same

Every function of ``infra/template.yaml`` is imported (its handler module must expose its
Powertools resolver as ``app``); each resolver describes its own routes, and the documents are
merged into one. The answers every route shares through ``portal.web`` (400/403/415 on writes,
the 422 field errors) are added by ``portal.api_docs.shared_answers``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOCUMENT = Path("docs/openapi.json")
REFRESH_COMMAND = ".venv/bin/python -m infra.openapi"
TITLE = "Reseller Partner Portal API"
DESCRIPTION = (
    "The portal's `/api/*` endpoints, on the portal's own origin. Every answer is JSON. "
    "Writes send `Content-Type: application/json`; writes made with the session cookie "
    "(`__Host-portal_session`, set by `POST /api/session`) must carry the portal's own `Origin`. "
    f"Generated from the handlers by `{REFRESH_COMMAND}`: do not edit by hand."
)


class OpenApiError(ValueError):
    """The handlers cannot be described (no resolver, a template route no handler has)."""


def _resolver(handler: str, code_dir: Path) -> Any:
    """The Powertools resolver (``app``) of the module named by a template ``Handler``."""
    module_name = handler.rpartition(".")[0]
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    module = importlib.import_module(module_name)
    app = getattr(module, "app", None)
    if app is None or not hasattr(app, "get_openapi_schema"):
        raise OpenApiError(f"{module_name} has no Powertools resolver named `app` to describe its routes")
    return app


def template_routes(repo_root: Path = REPO) -> list[tuple[str, str, str, Path]]:
    """(method, path, handler, code folder) of every HttpApi route in ``infra/template.yaml``."""
    from infra.local.template import load_template

    template = load_template(repo_root / "infra" / "template.yaml")
    return [
        (event.method.lower(), event.path, function.handler, function.code_dir)
        for function in template.functions
        for event in function.http_events
    ]


def build_document(repo_root: Path = REPO) -> dict[str, Any]:
    """One OpenAPI 3.1 document for every route of the template, described by its own handler."""
    from importlib.metadata import version

    from portal.api_docs import shared_answers

    routes = template_routes(repo_root)
    described: dict[str, dict[str, Any]] = {}
    for _, _, handler, code_dir in routes:
        if handler not in described:
            described[handler] = (
                _resolver(handler, code_dir)
                .get_openapi_schema(title=TITLE, version="0")
                .model_dump(mode="json", by_alias=True, exclude_none=True)
            )
    described = _distinct_schema_names(described)
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for method, path, handler, _ in routes:
        operation = described[handler].get("paths", {}).get(path, {}).get(method)
        if operation is None:
            raise OpenApiError(f"{method.upper()} {path} is in infra/template.yaml but {handler} has no such route")
        paths.setdefault(path, {})[method] = operation
        schemas.update(described[handler].get("components", {}).get("schemas", {}))
    merged = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": version("reseller-partner-portal"), "description": DESCRIPTION},
        "servers": [{"url": "/", "description": "the portal's own origin"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    return _without_unused_schemas(shared_answers(merged))


def _distinct_schema_names(described: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Prefix a schema name with its area (``AccountAuditRow``) where two areas mean different things by it.

    Each area is its own Lambda, so two areas may well name different models alike.
    """
    shapes: dict[str, set[str]] = {}
    for document in described.values():
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            shapes.setdefault(name, set()).add(json.dumps(schema, sort_keys=True))
    clashing = {name for name, variants in shapes.items() if len(variants) > 1}
    renamed = {}
    for handler, document in described.items():
        area = "".join(part.title() for part in handler.split(".")[0].split("_"))
        text = json.dumps(document)
        for name in clashing & set(document.get("components", {}).get("schemas", {})):
            text = text.replace(f'"#/components/schemas/{name}"', f'"#/components/schemas/{area}{name}"')
        result = json.loads(text)
        schemas = result.get("components", {}).get("schemas", {})
        for name in clashing & set(schemas):
            schemas[f"{area}{name}"] = schemas.pop(name)
        renamed[handler] = result
    return renamed


def _without_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Drop component schemas nothing refers to (Powertools always adds FastAPI's error shapes)."""
    schemas = document["components"]["schemas"]
    while True:
        text = json.dumps({**document, "components": {"schemas": {}}}) + json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return document
        for name in unused:
            del schemas[name]


def render(document: dict[str, Any]) -> str:
    """The document as it is stored: stable key order, two-space indent, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def register(subcommands: Any) -> None:
    """``portal openapi``."""
    parser = subcommands.add_parser("openapi", help=f"write {DOCUMENT} from the handlers (or --check it)")
    _arguments(parser)
    parser.set_defaults(run=run)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {DOCUMENT} is out of date; write nothing")
    parser.add_argument("--output", type=Path, default=None, help=f"where to write (default: {DOCUMENT})")


def run(args: argparse.Namespace) -> int:
    """Write the document, or with ``--check`` compare it with what is stored."""
    target = args.output or REPO / DOCUMENT
    document = build_document(REPO)
    text = render(document)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date with the handlers: run `{REFRESH_COMMAND}`", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    operations = sum(len(methods) for methods in document["paths"].values())
    print(f"wrote {target}: {operations} operations")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.openapi", description=__doc__.split("\n\n")[0])
    _arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
