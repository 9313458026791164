"""API latency in-process: each handler called with real-shaped events against moto.

What it measures is our code plus the emulator, not the network or Lambda's own overhead.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from infra.bench.stats import summary, time_calls

_SOURCE_EVENT = {
    "version": "2.0",
    "rawQueryString": "",
    "headers": {"content-type": "application/json", "origin": "http://127.0.0.1:8000", "host": "127.0.0.1:8000"},
    "requestContext": {
        "accountId": "123456789012",
        "apiId": "bench",
        "domainName": "127.0.0.1",
        "http": {"protocol": "HTTP/1.1", "sourceIp": "192.0.2.10", "userAgent": "bench"},
        "requestId": "bench",
        "stage": "$default",
        "timeEpoch": 0,
    },
    "isBase64Encoded": False,
}


class _Context:
    function_name = "bench"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def event(method: str, path: str, body: Any = None, headers: dict | None = None, cookies: list | None = None) -> dict:
    result = json.loads(json.dumps(_SOURCE_EVENT))
    result["routeKey"] = result["requestContext"]["routeKey"] = f"{method} {path}"
    result["rawPath"] = path
    result["requestContext"]["http"].update(method=method, path=path)
    result["headers"].update(headers or {})
    result["body"] = json.dumps(body) if body is not None else None
    if cookies:
        result["cookies"] = cookies
    return result


def run(repo_root: Path, count: int = 100) -> list[str]:
    """Sign-in, who-am-I, help-submit, save-step and Request New Password latency; returns the printed lines."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (moto, never real AWS)
        AWS_DEFAULT_REGION="us-east-1",
        PORTAL_ACCESS_KEY="00" * 32,
        PORTAL_SITE_URL="http://127.0.0.1:8000/",
        PORTAL_CONTENT_DIR=str(repo_root / "content"),
        POWERTOOLS_SERVICE_NAME="bench",
    )
    import boto3
    from moto import mock_aws

    from infra.local.aws import create_queues, create_table
    from infra.local.template import load_template

    with mock_aws():
        template = load_template(repo_root / "infra" / "template.yaml")
        for table in template.tables:
            create_table(boto3.client("dynamodb"), table)
        for name, url in create_queues(boto3.client("sqs"), template.queues).items():
            if name == "ResetQueue":
                os.environ["PORTAL_RESET_QUEUE_URL"] = url
        boto3.client("ses").verify_domain_identity(Domain="example.com")
        from auth.app import lambda_handler as auth
        from help_desk.app import lambda_handler as help_desk

        from infra.local.demo import DEMO_PASSWORD, seed_demo

        seed_demo(boto3.resource("dynamodb").Table("PortalTable"))
        context = _Context()
        credentials = {"email": "alex.user@example.com", "password": DEMO_PASSWORD}
        first = auth(event("POST", "/api/session", credentials), context)
        session = [c.split(";")[0] for c in first["cookies"] if c.startswith("__Host-portal_session")]

        def sign_in(index: int) -> None:
            response = auth(event("POST", "/api/session", credentials, {"x-bench": str(index)}), context)
            assert response["statusCode"] == 200, response

        def who_am_i(index: int) -> None:
            assert auth(event("GET", "/api/session", cookies=session), context)["statusCode"] == 200

        def submit_help(index: int) -> None:
            form = {
                "name": "Bench Mark",
                "email": "bench@example.org",
                "company": "Bench Co",
                "topic": "other",
                "message": f"Benchmark request number {index}.",
            }
            headers = {"idempotency-key": uuid.uuid4().hex}
            assert help_desk(event("POST", "/api/help", form, headers), context)["statusCode"] == 201

        return [
            summary("POST /api/session (sign in)", time_calls(sign_in, count)),
            summary("GET /api/session (who am I)", time_calls(who_am_i, count)),
            summary("POST /api/help (help submit)", time_calls(submit_help, count)),
            save_step_summary(repo_root, context, count),
            *reset_summaries(repo_root, context, count),
        ]


def reset_summaries(repo_root: Path, context: Any, count: int) -> list[str]:
    """Request New Password for an existing and an unknown address: the API's answer, then the worker.

    The two addresses alternate, so both see the same emulator and the same warm caches. The API
    figures are what a visitor waits for; the worker's run after the answer, off the request.
    """
    import time

    import boto3

    from infra.local.api import Functions
    from infra.local.queues import QueuePump
    from infra.local.template import load_template

    template = load_template(repo_root / "infra" / "template.yaml")
    if not os.environ.get("PORTAL_RESET_QUEUE_URL") or not any(f.sqs_events for f in template.functions):
        return [f"{'reset request':<34} skipped: the template has no password-reset queue and worker"]
    from password_reset.app import lambda_handler as password_reset

    pump = QueuePump(template, Functions({}), boto3.client("sqs"))
    addresses = {"existing": "alex.user@example.com", "unknown": "nobody.here@example.com"}
    api: dict[str, list[float]] = {kind: [] for kind in addresses}
    worker: dict[str, list[float]] = {kind: [] for kind in addresses}
    for index in range(count):
        for kind, email in addresses.items() if index % 2 else reversed(addresses.items()):
            started = time.perf_counter()
            answer = password_reset(event("POST", "/api/password-reset", {"email": email}), context)
            api[kind].append((time.perf_counter() - started) * 1000)
            assert answer["statusCode"] == 202, answer
            started = time.perf_counter()
            assert all(not delivery.failed for delivery in pump.drain())
            worker[kind].append((time.perf_counter() - started) * 1000)
    return [
        *(summary(f"POST /api/password-reset {kind}", api[kind]) for kind in addresses),
        *(summary(f"reset worker, {kind}", worker[kind]) for kind in addresses),
    ]


def save_step_summary(repo_root: Path, context: Any, count: int) -> str:
    """Saving an application step, when the template has the applications API (else a note)."""
    import importlib

    from infra.local.demo import DEMO_PASSWORD
    from infra.local.template import load_template

    route = "/api/applications/{application_id}/categories"
    handlers = [f.handler for f in load_template(repo_root / "infra" / "template.yaml").functions
                if any(e.method == "PUT" and e.path == route for e in f.http_events)]  # fmt: skip
    if not handlers:
        return f"{'save step':<34} skipped: the template has no PUT {route}"
    module, _, name = handlers[0].rpartition(".")
    applications = getattr(importlib.import_module(module), name)
    from auth.app import lambda_handler as auth

    credentials = {"email": "morgan.contact@example.com", "password": DEMO_PASSWORD}
    signed_in = auth(event("POST", "/api/session", credentials), context)
    cookies = [c.split(";")[0] for c in signed_in["cookies"] if c.startswith("__Host-portal_session")]
    started = applications(event("POST", "/api/applications", {"categories": ["pos"]}, cookies=cookies), context)
    assert started["statusCode"] == 201, started
    application = json.loads(started["body"])["application"]
    path = route.replace("{application_id}", application["id"])

    def save_step(index: int) -> None:
        body = {"version": application["version"], "categories": ["pos"]}
        saved = applications(event("PUT", path, body, cookies=cookies), context)
        assert saved["statusCode"] == 200, saved
        application["version"] = json.loads(saved["body"])["application"]["version"]

    return summary("PUT .../categories (save step)", time_calls(save_step, count))
