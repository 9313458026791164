"""The ``/api/*`` bridge: route the request, call the function's handler, translate the result.

``Functions`` runs a handler the way Lambda does; the queue deliveries (``infra.local.queues``) use it too.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from infra.local.aws import patched_environment
from infra.local.events import (
    HttpResponse,
    IncomingRequest,
    LambdaContext,
    build_event,
    json_response,
    response_from_result,
)
from infra.local.routes import RouteTable
from infra.local.template import FunctionDefinition

logger = logging.getLogger("portal.local")

# Bigger bodies are refused before they are read: no portal form comes near this.
MAX_BODY_BYTES = 1024 * 1024

Handler = Callable[[dict[str, Any], Any], Any]


class Functions:
    """Runs the template's functions like Lambda: the handler imported once, its environment, a context."""

    def __init__(self, environments: dict[str, dict[str, str]]) -> None:
        # Per function logical id: its resolved environment variables.
        self.environments = environments
        self._handlers: dict[str, Handler] = {}

    def invoke(self, function: FunctionDefinition, event: dict[str, Any]) -> Any:
        """The handler's result for ``event`` (exceptions pass through to the caller)."""
        context = LambdaContext.for_function(function)
        started = time.monotonic()
        with patched_environment(self.environments.get(function.logical_id, {})):
            result = self.handler(function)(event, context)
        elapsed = time.monotonic() - started
        if elapsed > function.timeout_s:
            logger.warning(
                "%s took %.1fs; Lambda would have stopped it at its %ss Timeout",
                function.logical_id,
                elapsed,
                function.timeout_s,
            )
        return result

    def handler(self, function: FunctionDefinition) -> Handler:
        """The handler function, imported on first use (a failed import is retried next time)."""
        cached = self._handlers.get(function.handler)
        if cached is not None:
            return cached
        module_name, _, attribute = function.handler.rpartition(".")
        code_dir = str(function.code_dir)
        if code_dir not in sys.path:
            # The CodeUri folder is the root Lambda imports from.
            sys.path.insert(0, code_dir)
        handler = getattr(importlib.import_module(module_name), attribute)
        self._handlers[function.handler] = handler
        return handler


class ApiBridge:
    """Answers API requests with the functions of the SAM template, like API Gateway + Lambda."""

    def __init__(self, routes: RouteTable, functions: Functions) -> None:
        self.routes = routes
        self.functions = functions

    def handle(self, request: IncomingRequest) -> HttpResponse:
        """The response to one API request; a failing handler becomes a generic 500."""
        match = self.routes.match(request.method, request.raw_path)
        if match is None:
            allowed = self.routes.allowed_methods(request.raw_path)
            if allowed:
                return json_response(405, {"message": "Method Not Allowed"}, [("Allow", ", ".join(allowed))])
            return json_response(404, {"message": "Not Found"})
        route = match.route
        try:
            return response_from_result(self.functions.invoke(route.function, build_event(request, match)))
        except Exception:
            # The traceback is for the developer's terminal, never for the client.
            logger.exception("%s (%s) failed on %s", route.function.logical_id, route.handler, route.route_key)
            return json_response(500, {"message": "Internal Server Error"})
