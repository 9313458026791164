"""Translation between HTTP and Lambda: API Gateway HTTP API v2 events in, handler results out."""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from infra.local.routes import RouteMatch
from infra.local.template import ACCOUNT_ID, REGION, FunctionDefinition

# Content types API Gateway passes as text; every other body arrives base64-encoded.
_TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/xml")
_TEXT_SUFFIXES = ("+json", "+xml")


@dataclass(frozen=True)
class IncomingRequest:
    """An HTTP request as the local server received it."""

    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"


@dataclass
class HttpResponse:
    """An HTTP response to write back: status, headers (repeatable) and body bytes."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def json_response(status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    """A JSON response such as API Gateway's own ``{"message": "Not Found"}``."""
    body = json.dumps(payload).encode()
    return HttpResponse(status, [("Content-Type", "application/json"), *(headers or [])], body)


def is_text(content_type: str | None) -> bool:
    """Whether API Gateway would hand a body of this content type to the function as text."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type.startswith(_TEXT_TYPES) or media_type.endswith(_TEXT_SUFFIXES)


def build_event(request: IncomingRequest, match: RouteMatch, now: datetime | None = None) -> dict[str, Any]:
    """A real-shaped HTTP API payload v2.0 event for ``request`` on the matched route."""
    now = now or datetime.now(UTC)
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            # HTTP API moves cookies out of the headers into their own list.
            cookies += [part.strip() for part in value.split(";") if part.strip()]
        else:
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    headers.setdefault("x-forwarded-for", request.source_ip)
    headers.setdefault("x-forwarded-proto", "http")
    host = headers.get("host", "localhost")
    headers.setdefault("x-forwarded-port", host.rsplit(":", 1)[1] if ":" in host else "80")
    request_id = str(uuid.uuid4())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route.route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split(".", 1)[0].split(":", 1)[0],
            "http": {
                "method": request.method.upper(),
                "path": request.raw_path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": match.route.route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    query = _query_parameters(request.raw_query)
    if query:
        event["queryStringParameters"] = query
    if match.path_parameters:
        event["pathParameters"] = dict(match.path_parameters)
    if request.body:
        if is_text(headers.get("content-type")):
            event["body"] = request.body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def _query_parameters(raw_query: str) -> dict[str, str]:
    """Query parameters as HTTP API gives them: repeated names joined with commas."""
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
    return parameters


@dataclass
class LambdaContext:
    """A stand-in for the Lambda runtime's context object (what Powertools' Logger reads)."""

    function_name: str
    memory_limit_in_mb: int
    timeout_s: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_s

    @classmethod
    def for_function(cls, function: FunctionDefinition) -> LambdaContext:
        """A fresh context for one invocation of ``function``."""
        return cls(function.logical_id, function.memory_mb, function.timeout_s)

    @property
    def invoked_function_arn(self) -> str:
        """The ARN the function would have in the region the stack emulates."""
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        """The CloudWatch log group Lambda would write to."""
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        """A log stream name shaped like Lambda's."""
        return f"{time.strftime('%Y/%m/%d')}/[{self.function_version}]{self.aws_request_id.replace('-', '')}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the template's Timeout (not enforced locally)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def response_from_result(result: Any) -> HttpResponse:
    """The HTTP response API Gateway (payload v2.0) makes from a handler's return value."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # HTTP API treats any other JSON value as a 200 JSON body.
        return json_response(200, result)
    headers = [(str(name), str(value)) for name, value in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(str(name), str(value)) for value in values]
    headers += [("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or []]
    body = result.get("body") or ""
    if isinstance(body, bytes):
        payload = body
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(body)
    else:
        payload = str(body).encode("utf-8")
    return HttpResponse(int(result["statusCode"]), headers, payload)
