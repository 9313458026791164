"""Fixtures shared by every test: fake AWS credentials, the emulated table, the built site, Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import REPO, FakeContext, build_site

os.environ.setdefault("PORTAL_CONTENT_DIR", str(REPO / "content"))
TEST_ACCESS_KEY = bytes(range(32))


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
        "PORTAL_ACCESS_KEY": TEST_ACCESS_KEY.hex(),
        "PORTAL_SITE_URL": "http://127.0.0.1:8000/",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def catalog():
    """The real content data under content/."""
    from portal.catalog import load_catalog

    return load_catalog(REPO / "content")


@pytest.fixture
def aws(catalog, monkeypatch):
    """moto-emulated DynamoDB + SES + SQS with the portal's table, queues and verified sender."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        from infra.local.aws import create_queues, create_table
        from infra.local.template import load_template

        # The tables and queues exactly as infra/template.yaml declares them.
        template = load_template(REPO / "infra" / "template.yaml")
        for definition in template.tables:
            create_table(boto3.client("dynamodb"), definition)
        queues = create_queues(boto3.client("sqs"), template.queues)
        monkeypatch.setenv("PORTAL_RESET_QUEUE_URL", queues["ResetQueue"])
        table = boto3.resource("dynamodb").Table("PortalTable")
        ses = boto3.client("ses")
        ses.verify_domain_identity(Domain=catalog.contacts.mail_sender.split("@")[1])
        from portal import settings, wiring

        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()
        yield {"table": table, "ses": ses}
        wiring.reset()


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
    from portal import settings, wiring

    from infra.local.stack import LocalStack

    def forget_settings() -> None:
        # Each stack has its own port (so its own site origin) and access key: the handlers'
        # settings and services, cached per process, must not carry over from an earlier stack.
        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()

    with LocalStack(REPO, tmp_path / "state.json", port=0, site_dir=built_site) as stack:
        forget_settings()
        yield stack
    forget_settings()


@pytest.fixture
def page(browser, portal):
    """A fresh browser tab (own cookies) pointed at the local portal."""
    context = browser.new_context(base_url=portal.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def people(aws):
    """A sample company with a user of each role, a blocked user and a migrated one (all passwords known)."""
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(aws["table"]))
    company = accounts.create_company("Example Systems LLC", ("scanners", "visual-systems"))
    other = accounts.create_company("Other Reseller Inc", ("pos",))
    hashed = passwords.hash_password(SAMPLE_PASSWORD)

    def user(email, role, status=UserStatus.ACTIVE, company_id=company.id, password=hashed):
        return accounts.create_user(email, "Sam", "Sample", company_id, role, status, password_hash=password)

    return {
        "accounts": accounts,
        "company": company,
        "other_company": other,
        "contact": user("contact@example.org", Role.MANAGEMENT_CONTACT),
        "admin": user("admin@example.org", Role.RESELLER_ADMIN),
        "user": user("jane.doe@example.org", Role.ACCOUNT_USER),
        "staff": user("staff@example.com", Role.CHANNEL_TEAM),
        "blocked": user("blocked@example.org", Role.ACCOUNT_USER, UserStatus.BLOCKED),
        "migrated": user("migrated@example.org", Role.ACCOUNT_USER, UserStatus.MUST_SET_PASSWORD, password=None),
        "outsider": user("outsider@example.net", Role.RESELLER_ADMIN, company_id=other.id),
    }


SAMPLE_PASSWORD = "violet harbor lantern ninety"


@pytest.fixture
def people_free_store(aws):
    """Accounts on the emulated table, with nobody in it yet."""
    from portal.accounts import Accounts
    from portal.store import Store

    return Accounts(Store(aws["table"]))
