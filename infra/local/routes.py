"""The route table: which function answers ``METHOD /path``, as API Gateway HTTP API decides it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from infra.local.template import FunctionDefinition, Template, load_template

_PARAMETER = re.compile(r"\{(\w+)(\+?)\}")
# The catch-all route key of an HTTP API.
DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class Route:
    """``METHOD path`` answered by one function (``ANY`` answers every method)."""

    method: str
    path: str
    function: FunctionDefinition
    pattern: re.Pattern[str]

    @property
    def handler(self) -> str:
        """The dotted handler path from the template, e.g. ``help_desk.app.lambda_handler``."""
        return self.function.handler

    @property
    def route_key(self) -> str:
        """The route key API Gateway puts in the event, e.g. ``POST /api/help``."""
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Sort key: literal paths beat ``{param}`` paths, which beat greedy ``{proxy+}`` paths."""
        if self.path == DEFAULT_ROUTE:
            return (2, 0, 0)
        greedy = self.path.count("+}")
        params = len(_PARAMETER.findall(self.path))
        return (greedy, params, -len(self.path))


@dataclass(frozen=True)
class RouteMatch:
    """A request matched to a route, with its decoded path parameters."""

    route: Route
    path_parameters: dict[str, str]


class RouteTable:
    """All HTTP API routes of the template, matched like API Gateway (most specific first)."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = sorted(routes, key=lambda route: route.specificity)

    @classmethod
    def from_template(cls, template: Template) -> RouteTable:
        """The routes of every function's ``Type: HttpApi`` events."""
        return cls(
            [
                Route(event.method, event.path, function, _compile(event.path))
                for function in template.functions
                for event in function.http_events
            ]
        )

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        """The route answering ``method raw_path``, or None (see ``allowed_methods`` for a 405)."""
        for route in self.routes:
            found = route.pattern.fullmatch(raw_path)
            if found and route.method in {method.upper(), "ANY"}:
                return RouteMatch(route, {name: unquote(value) for name, value in found.groupdict().items()})
        return None

    def allowed_methods(self, raw_path: str) -> list[str]:
        """The methods some route accepts for ``raw_path`` (empty when no route has this path)."""
        methods = {route.method for route in self.routes if route.pattern.fullmatch(raw_path)}
        return sorted(methods)

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def __len__(self) -> int:
        return len(self.routes)


def _compile(path: str) -> re.Pattern[str]:
    """A regex for a route path: ``{name}`` is one segment, ``{name+}`` the rest of the path."""
    if path == DEFAULT_ROUTE:
        return re.compile(".*")
    pattern, position = "", 0
    for found in _PARAMETER.finditer(path):
        pattern += re.escape(path[position : found.start()])
        name = found.group(1)
        pattern += f"(?P<{name}>.+)" if found.group(2) else f"(?P<{name}>[^/]+)"
        position = found.end()
    return re.compile(pattern + re.escape(path[position:]))


def read_routes(template_path: Path) -> RouteTable:
    """The route table of the SAM template at ``template_path``."""
    return RouteTable.from_template(load_template(template_path))
