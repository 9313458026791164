"""Demo data for ``portal serve``: a submitted reseller application waiting in the channel team's queue."""

from __future__ import annotations

from typing import Any

DEMO_APPLICANT = "taylor.pos@example.com"
DEMO_USER_INFORMATION = {
    "title": "Mx.",
    "first_name": "Taylor",
    "last_name": "Point",
    "phone": "+1-555-010-0160",
    "company_name": "Sample POS Partners",
    "street": "20 Sample Market Street",
    "city": "Riverside",
    "state": "CA",
    "postal_code": "92501",
    "country": "United States",
    "company_phone": "+1-555-010-0161",
    "website": "https://pos.example.com",
    "years_in_business": 8,
    "employees": 25,
    "sales_staff": 6,
    "technical_staff": 9,
    "annual_revenue": "$1-5 million",
    "customer_segment": "Retail and hospitality",
    "referred": True,
    "representative_name": "Sam Sample (sample)",
}
DEMO_ANSWERS = {
    "wireless": {"years-selling": 5, "site-surveys": True, "environments": ["Warehouses", "Hospitality"]},
    "rugged-handhelds": {
        "years-selling": 3,
        "applications": ["Retail inventory", "Warehouse and logistics"],
        "mdm": True,
        "largest-rollout": 400,
    },
}


def seed_demo_applications(table: Any) -> bool:
    """Add the sample application unless its company has one already; True when it added it."""
    from datetime import UTC, datetime

    from portal.accounts import Accounts, new_id
    from portal.application_records import Application, ApplicationRecords, CategoryState, CategoryStatus
    from portal.application_steps import SAVED_STEPS
    from portal.audit import Actor, AuditEntry
    from portal.store import Store

    store = Store(table)
    accounts, records = Accounts(store), ApplicationRecords(store)
    contact = accounts.find_by_email(DEMO_APPLICANT)
    if contact is None or records.for_company(contact.company_id):
        return False
    now = datetime.now(UTC).isoformat()
    application = Application(
        id=new_id(),
        company_id=contact.company_id,
        contact_user_id=contact.id,
        created_at=now,
        updated_at=now,
        submitted_at=now,
        categories=tuple(CategoryState(slug, CategoryStatus.SUBMITTED) for slug in DEMO_ANSWERS),
        steps_done=SAVED_STEPS,
        user_information=DEMO_USER_INFORMATION,
        product_answers=DEMO_ANSWERS,
    )
    entry = AuditEntry(now, Actor.of_user(contact), "submitted", {"categories": list(DEMO_ANSWERS), "demo": True}, 1)
    records.create(application, entry, [])
    return True
