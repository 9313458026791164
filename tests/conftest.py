"""Fixtures shared by every test: fake AWS credentials, the emulated table, the built site, Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import REPO, FakeContext, build_site

os.environ.setdefault("PORTAL_CONTENT_DIR", str(REPO / "content"))


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch):
    """Fake credentials so no test can ever reach real AWS."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "reseller-portal-tests",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def catalog():
    """The real content data under content/."""
    from portal.catalog import load_catalog

    return load_catalog(REPO / "content")


@pytest.fixture
def aws(catalog):
    """moto-emulated DynamoDB + SES with the portal's table and verified sender."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        from infra.local.aws import create_table
        from infra.local.template import load_template

        # The tables exactly as infra/template.yaml declares them.
        for definition in load_template(REPO / "infra" / "template.yaml").tables:
            create_table(boto3.client("dynamodb"), definition)
        table = boto3.resource("dynamodb").Table("PortalTable")
        ses = boto3.client("ses")
        ses.verify_domain_identity(Domain=catalog.contacts.mail_sender.split("@")[1])
        yield {"table": table, "ses": ses}


@pytest.fixture
def lambda_context():
    """A fake Lambda context."""
    return FakeContext()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real portal site, built once per test run."""
    return build_site(REPO, tmp_path_factory.mktemp("site") / "site")


CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or set PORTAL_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def portal(built_site, tmp_path):
    """The local portal (site + API + emulated AWS) on a free port, with an empty state file."""
    from infra.local.stack import LocalStack

    with LocalStack(REPO, tmp_path / "state.json", port=0, site_dir=built_site) as stack:
        yield stack


@pytest.fixture
def page(browser, portal):
    """A fresh browser tab (own cookies) pointed at the local portal."""
    context = browser.new_context(base_url=portal.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
