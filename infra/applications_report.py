"""What ``portal applications list`` and ``show`` print: plain text a person reads in a terminal."""

from __future__ import annotations

from typing import Any


def print_list(reviews: Any, status: str) -> int:
    """One line per application in ``status``, the longest waiting first."""
    from portal.application_records import ApplicationState

    applications = reviews.queue(ApplicationState(status))
    names: dict[str, str] = {}
    for application in applications:
        if application.company_id not in names:
            names[application.company_id] = reviews.accounts.company(application.company_id).name
        when = (application.submitted_at or application.created_at)[:16].replace("T", " ")
        categories = ", ".join(f"{c.slug} ({c.status.value})" for c in application.categories)
        print(f"{application.id}  {when}  {names[application.company_id]}  {categories}")
    print(f"{len(applications)} {status} application{'s' if len(applications) != 1 else ''}")
    return 0


def print_one(reviews: Any, application_id: str) -> int:
    """Everything the application holds, its contacts and its audit trail."""
    from portal.application_questions import load_application_questions
    from portal.application_views import review_sections

    application = reviews.application(application_id)
    company = reviews.accounts.company(application.company_id)
    print(f"Application {application.id} of {company.name} (version {application.version}, {application.state.value})")
    print(f"  started {application.created_at[:16]}, submitted {application.submitted_at[:16] or 'not yet'}")
    for contact in reviews.contacts(application):
        print(f"  Management Contact: {contact.display_name} <{contact.email}> {contact.phone}".rstrip())
    print(f"  authorized for: {', '.join(company.categories) or 'nothing yet'}")
    print("Categories:")
    for state in application.categories:
        decided = f" on {state.decided_at[:16]} by {state.decided_by}" if state.decided_at else ""
        note = f": {state.note}" if state.note else ""
        print(f"  {state.slug}: {state.status.label}{decided}{note}")
    for section in review_sections(application, reviews.catalog, load_application_questions(None, reviews.catalog)):
        print(f"{section['title']}:")
        for row in section["rows"]:
            print(f"  {row['label']}: {row['value']}")
    print("History:")
    for entry in reviews.records.audit(application.id):
        details = "; ".join(
            f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in entry.details.items()
        )
        print(
            f"  {entry.at[:19]}  v{entry.version}  {entry.actor.label} ({entry.actor.role})  {entry.action}  {details}"
        )
    return 0
