"""The template's routes are exactly the handlers' routes, and every Handler exists."""

from __future__ import annotations

import importlib

import pytest
from deploy_fixtures import packaged_template, resources_of
from helpers import REPO


def handler_routes(handler: str) -> tuple[object, set[tuple[str, str]]]:
    """The handler function and the (METHOD, path) routes of its module's Powertools resolver.

    A queue's worker has no resolver, so no routes.
    """
    module_name, function_name = handler.rsplit(".", 1)
    module = importlib.import_module(module_name)
    app = getattr(module, "app", None)
    if app is None:
        return getattr(module, function_name, None), set()
    routes = {(route.method.upper(), route.openapi_path) for route in [*app._static_routes, *app._dynamic_routes]}
    return getattr(module, function_name, None), routes


def template_functions() -> dict[str, dict]:
    return {
        name: resource["Properties"]
        for name, resource in resources_of(packaged_template(), "AWS::Serverless::Function").items()
    }


@pytest.mark.parametrize("name", sorted(template_functions()))
def test_the_templates_routes_are_the_handlers_routes(name):
    properties = template_functions()[name]
    handler, routes = handler_routes(properties["Handler"])
    assert callable(handler), f"{name}: {properties['Handler']} does not exist"
    declared = {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for event in properties.get("Events", {}).values()
        if event["Type"] == "HttpApi"
    }
    assert declared == routes, (
        f"{name}: only in the template {sorted(declared - routes)}, only in the handler {sorted(routes - declared)}"
    )


def test_every_area_with_a_resolver_is_a_function_of_the_template():
    """A handler the template does not route to would be unreachable in AWS."""
    handled = {properties["Handler"].split(".", 1)[0] for properties in template_functions().values()}
    areas = {path.parent.name for path in (REPO / "functions").glob("*/app.py")}
    assert areas == handled


def test_no_route_is_served_by_two_functions():
    seen: dict[tuple[str, str], str] = {}
    for name, properties in template_functions().items():
        for event in properties.get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            route = (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
            assert route not in seen, f"{route} is routed to {seen[route]} and {name}"
            seen[route] = name
