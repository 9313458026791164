"""Fixtures for the local stack: a tiny fake repository (template, handler, site) and a running stack.

Test modules import the fixtures they use from here (``from local_stack_fixtures import
stack_fixture``; the ``_fixture`` suffix keeps the import apart from the argument name). This is
deliberately not a ``conftest.py``: other test folders import the top-level ``tests/conftest.py``
as ``conftest``, and a second ``conftest`` module here would take over that name.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPMessage
from pathlib import Path

import pytest

from infra.local.stack import LocalStack

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  SiteUrl:
    Type: String
  ContentDir:
    Type: String
    Default: /var/task/content
Globals:
  Function:
    Runtime: python3.11
    CodeUri: ../functions/
    Timeout: 5
    MemorySize: 256
    Environment:
      Variables:
        PORTAL_TABLE: !Ref PortalTable
        PORTAL_SITE_URL: !Ref SiteUrl
        PORTAL_CONTENT_DIR: !Ref ContentDir
        TABLE_ARN: !GetAtt PortalTable.Arn
        GREETING: !Sub "hello from ${AWS::Region}"
Resources:
  PortalTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
        - {AttributeName: email, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: by_email
          KeySchema: [{AttributeName: email, KeyType: HASH}]
          Projection: {ProjectionType: ALL}
      TimeToLiveSpecification: {AttributeName: expires_at, Enabled: true}
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: local_echo.app.lambda_handler
      Environment:
        Variables:
          ECHO_ONLY: "yes"
      Events:
        GetUser:
          Type: HttpApi
          Properties: {Method: GET, Path: "/api/users/{user_id}"}
        CreateNote:
          Type: HttpApi
          Properties: {Method: POST, Path: /api/notes}
        Boom:
          Type: HttpApi
          Properties: {Method: GET, Path: /api/boom}
"""

HANDLER = '''\
"""A tiny API for the local stack's tests (not part of the portal)."""

import json
import os
from email.message import EmailMessage

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.shared.cookies import Cookie

logger = Logger(service="local-stack-test")
app = APIGatewayHttpResolver()
TABLE = os.environ["PORTAL_TABLE"]


@app.get("/api/users/<user_id>")
def get_user(user_id):
    event = app.current_event
    return {
        "user_id": user_id,
        "cookies": event.cookies,
        "query": event.query_string_parameters,
        "accept": event.headers.get("accept"),
        "site_url": os.environ["PORTAL_SITE_URL"],
        "echo_only": os.environ.get("ECHO_ONLY"),
        "access_key": os.environ.get("PORTAL_ACCESS_KEY"),
        "remaining_ms": app.lambda_context.get_remaining_time_in_millis(),
    }


@app.post("/api/notes")
def create_note():
    note = app.current_event.json_body
    boto3.client("dynamodb").put_item(
        TableName=TABLE, Item={"pk": {"S": "note#" + note["id"]}, "sk": {"S": "note"}, "text": {"S": note["text"]}}
    )
    message = EmailMessage()
    message["From"] = "Portal <portal-noreply@example.com>"
    message["To"] = "reseller@example.com"
    message["Subject"] = "Note " + note["id"]
    message.set_content("Open " + os.environ["PORTAL_SITE_URL"] + "notes/" + note["id"] + "/")
    boto3.client("sesv2").send_email(
        FromEmailAddress="portal-noreply@example.com",
        Destination={"ToAddresses": ["reseller@example.com"]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )
    return Response(
        201,
        "application/json",
        json.dumps({"id": note["id"]}),
        cookies=[Cookie(name="a", value="1"), Cookie(name="b", value="2")],
    )


@app.get("/api/boom")
def boom():
    raise RuntimeError("secret detail from the handler")


@logger.inject_lambda_context
def lambda_handler(event, context):
    return app.resolve(event, context)
'''

# What the portal plugin writes: everything public here except a members page and a category page.
ACCESS_MANIFEST = {
    "version": 1,
    "default": "public",
    "paths": {"/members/": "signed-in", "/products/pos/": "category:pos"},
    "prefixes": {},
}

SITE = {
    "access-manifest.json": json.dumps(ACCESS_MANIFEST),
    "index.html": "<!doctype html><title>Home</title><h1>Portal home</h1>",
    "members/index.html": "<!doctype html><title>Members</title><h1>Members only</h1>",
    "products/pos/index.html": "<!doctype html><title>POS</title><h1>Point of sale</h1>",
    "help/index.html": "<!doctype html><title>Help</title><h1>Help page</h1>",
    "404.html": "<!doctype html><title>Not found</title><h1>Page not found</h1>",
    "assets/app.js": "console.log('portal');",
    "assets/data.json": '{"ok": true}',
    "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    "events/calendar.ics": "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
    "fonts/text.woff2": "wOF2",
    "empty/.keep": "",
}


@dataclass(frozen=True)
class HttpResult:
    """A response as the tests look at it."""

    status: int
    headers: HTTPMessage
    body: bytes

    def json(self) -> object:
        """The body parsed as JSON."""
        return json.loads(self.body)


@pytest.fixture(scope="session", name="fake_repo")
def fake_repo_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A repository with a tiny template, one test handler, contacts and a small built site."""
    root = tmp_path_factory.mktemp("repo")
    (root / "infra").mkdir()
    (root / "infra" / "template.yaml").write_text(TEMPLATE)
    package = root / "functions" / "local_echo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(HANDLER)
    (root / "content" / "data").mkdir(parents=True)
    (root / "content" / "data" / "contacts.yml").write_text(
        textwrap.dedent("""\
            reseller_support:
              email: reseller.support@example.com
            mail_sender: portal-noreply@example.com
            """)
    )
    for name, text in SITE.items():
        (root / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / name).write_text(text)
    # Outside the site: what a traversal would try to read.
    (root / "pyproject.toml").write_text("SECRET-OUTSIDE-THE-SITE")
    (root / "site" / "escape.toml").symlink_to(root / "pyproject.toml")
    yield root
    # The handler's code folder and module were added for these tests only.
    functions_dir = str(root / "functions")
    if functions_dir in sys.path:
        sys.path.remove(functions_dir)
    for name in [name for name in sys.modules if name == "local_echo" or name.startswith("local_echo.")]:
        del sys.modules[name]


@pytest.fixture(name="state_file")
def state_file_fixture(tmp_path: Path) -> Path:
    """A state file path of this test only."""
    return tmp_path / "state" / "state.json"


@pytest.fixture(name="stack")
def stack_fixture(fake_repo: Path, state_file: Path) -> Iterator[LocalStack]:
    """The local stack serving the fake repository on a free port."""
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as running:
        yield running


@pytest.fixture(scope="module", name="read_only_stack")
def read_only_stack_fixture(fake_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """One stack shared by a module's tests that only read (starting moto per test is slow)."""
    state = tmp_path_factory.mktemp("shared-state") / "state.json"
    with LocalStack(fake_repo, state, port=0, site_dir=fake_repo / "site") as running:
        yield running


def _request(
    stack: LocalStack,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResult:
    """Send one request with ``path`` exactly as given (no client-side normalization)."""
    host, port = stack.url.split("//", 1)[1].rstrip("/").split(":")
    connection = HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return HttpResult(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture(name="http")
def http_fixture() -> Callable[..., HttpResult]:
    """Sends one raw request to a running stack: ``http(stack, "GET", "/path", body=..., headers=...)``."""
    return _request
