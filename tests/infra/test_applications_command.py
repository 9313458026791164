"""``portal applications list | show | approve | decline`` on the local state, like the channel team uses it."""

from __future__ import annotations

import json

import pytest
from helpers import REPO

from infra.cli import main

SITE = "http://127.0.0.1:8000/"
USER_INFORMATION = {
    "title": "Ms.",
    "first_name": "Jane",
    "last_name": "Doe",
    "phone": "555-010-0199",
    "company_name": "Harbor Tech Resellers",
    "street": "1 Harbor Way",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "United States",
    "company_phone": "+1 555 010 0100",
    "years_in_business": 12,
    "employees": 40,
    "sales_staff": 12,
    "technical_staff": 8,
    "annual_revenue": "$5-25 million",
    "customer_segment": "Education",
    "referred": "no",
}
ANSWERS = {
    "scanners": {"years-selling": 4, "scanner-classes": ["Workgroup"], "capture-software": True, "annual-units": 300},
    "pos": {"years-selling": 2, "verticals": ["Hotels"], "software-partners": "Sample POS Suite", "help-desk": False},
}


@pytest.fixture
def state(tmp_path):
    """A local state holding one submitted application (scanners and POS); returns (state file, application id)."""
    from portal.accounts import Accounts
    from portal.application_questions import load_application_questions
    from portal.application_records import ApplicationRecords
    from portal.application_steps import NewResellerApplication, ProductInformationSave, SubmitApplication
    from portal.applications import Applications
    from portal.catalog import load_catalog
    from portal.flood import FloodControl
    from portal.identity import Identity
    from portal.mail import portal_mailer
    from portal.onboarding import Onboarding
    from portal.reset_tokens import ResetTokens
    from portal.sessions import Session, SessionPurpose
    from portal.store import Store

    from infra.local.offline import local_table

    path = tmp_path / "state.json"
    catalog = load_catalog()
    with local_table(REPO, path) as table:
        store = Store(table)
        accounts, records = Accounts(store), ApplicationRecords(store)
        mailer = portal_mailer(catalog.contacts.mail_sender)
        onboarding = Onboarding(
            records, accounts, ResetTokens(store, accounts), FloodControl(store), mailer, catalog, SITE
        )
        form = NewResellerApplication.model_validate(
            {**USER_INFORMATION, "categories": ["scanners", "pos"], "email": "jane.doe@harbor.example.com"}
        )
        application, user, _ = onboarding.start_new_reseller(form, "192.0.2.1")
        identity = Identity(Session(user, "0" * 64, SessionPurpose.FULL, 0), accounts.company(user.company_id))
        service = Applications(records, accounts, mailer, catalog, load_application_questions(None, catalog), SITE)
        service.save_product_information(identity, application.id, ProductInformationSave(version=1, answers=ANSWERS))
        service.submit(identity, application.id, SubmitApplication(version=2, accept_guidelines=True))
    return path, application.id


def items(path) -> list[dict]:
    return json.loads(path.read_text())["tables"]["PortalTable"]


def emails(path) -> list[str]:
    return [record["raw"] for record in json.loads(path.read_text())["emails"]]


def company_categories(path) -> list[str]:
    company = next(i for i in items(path) if i["pk"]["S"].startswith("COMPANY#") and i["sk"]["S"] == "PROFILE")
    return [v["S"] for v in company["categories"]["L"]]


def test_list_shows_the_queue(state, capsys):
    path, application_id = state
    assert main(["applications", "list", "--state", str(path)]) == 0
    out = capsys.readouterr().out
    assert application_id in out and "Harbor Tech Resellers" in out
    assert "scanners (submitted), pos (submitted)" in out and "1 submitted application" in out
    assert main(["applications", "list", "--status", "decided", "--state", str(path)]) == 0
    assert "0 decided applications" in capsys.readouterr().out


def test_show_prints_everything_with_the_history(state, capsys):
    path, application_id = state
    assert main(["applications", "show", application_id, "--state", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Management Contact: Jane Doe <jane.doe@harbor.example.com> 555-010-0199" in out
    assert "Which classes of scanners do you sell?: Workgroup" in out
    assert "Did a sales representative refer you?: No" in out
    assert "v3  jane.doe@harbor.example.com (management_contact)  submitted" in out


def test_approve_authorizes_the_company_records_the_decision_and_emails_the_contact(state, capsys):
    path, application_id = state
    before = len(emails(path))
    command = ["applications", "approve", application_id, "--category", "scanners", "--note", "Welcome.", "--state"]
    assert main([*command, str(path)]) == 0
    assert "scanners approved; the Management Contact was emailed." in capsys.readouterr().out
    assert company_categories(path) == ["scanners"]
    sent = emails(path)[before:]
    assert len(sent) == 1 and "Subject: Scanners: application approved" in sent[0]
    assert "http://127.0.0.1:8000/products/scanners/" in sent[0]

    main(["applications", "show", application_id, "--state", str(path)])
    out = capsys.readouterr().out
    assert "scanners: Approved on" in out and "by portal CLI (" in out
    assert "(channel_team)  approved  category: scanners; note: Welcome." in out


def test_decline_needs_a_reason_and_a_decision_is_final(state, capsys):
    path, application_id = state
    with pytest.raises(SystemExit) as usage:
        main(["applications", "decline", application_id, "--category", "pos", "--state", str(path)])
    assert usage.value.code == 2
    blank = ["applications", "decline", application_id, "--category", "pos", "--reason", "  ", "--state", str(path)]
    assert main(blank) == 1
    assert "--reason: Note to the applicant is required when you decline" in capsys.readouterr().err

    reason = ["applications", "decline", application_id, "--category", "pos", "--reason", "No showroom.", "--state"]
    assert main([*reason, str(path)]) == 0
    before = items(path)
    assert main([*reason, str(path)]) == 1
    assert "POS was already declined on" in capsys.readouterr().err
    approve = ["applications", "approve", application_id, "--category", "pos", "--state", str(path)]
    assert main(approve) == 1
    assert items(path) == before and company_categories(path) == []


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["approve", "0000000000000000", "--category", "pos"], "There is no application with that id."),
        (["approve", "{id}", "--category", "storage"], '"storage" is not in this application'),
        (["show", "nope"], "There is no application with that id."),
    ],
    ids=["unknown-application", "unknown-category", "show-unknown"],
)
def test_unknown_applications_and_categories_are_refused(state, capsys, arguments, words):
    path, application_id = state
    before = items(path)
    arguments = [a.replace("{id}", application_id) for a in arguments]
    assert main(["applications", *arguments, "--state", str(path)]) == 1
    assert words in capsys.readouterr().err
    assert items(path) == before
