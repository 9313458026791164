"""Demo data for ``portal serve``: two companies and one user of each role (credentials in the README)."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "harbor lantern violet morning"
DEMO_COMPANY = "Example Systems LLC (sample)"
DEMO_USERS = (
    # email, first, last, role, status
    ("morgan.contact@example.com", "Morgan", "Contact", "management_contact", "active"),
    ("riley.admin@example.com", "Riley", "Admin", "reseller_admin", "active"),
    ("alex.user@example.com", "Alex", "User", "account_user", "active"),
    ("jordan.migrated@example.com", "Jordan", "Migrated", "account_user", "must_set_password"),
    ("drew.blocked@example.com", "Drew", "Blocked", "account_user", "blocked"),
)
# What the reseller application collected: the Management Contact sees and edits it in My Account.
DEMO_COMPANY_DETAILS = {
    "street": "100 Sample Way",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "United States",
    "company_phone": "+1-555-010-0142",
    "website": "https://www.example.com",
    "years_in_business": 12,
    "employees": 40,
    "sales_staff": 10,
    "technical_staff": 8,
    "annual_revenue": "$5-25 million",
    "customer_segment": "Education",
}


def seed_demo(table: Any) -> bool:
    """Create the demo companies and users unless any company exists; True when it created them."""
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.company_audit import CompanyAudit
    from portal.store import Store

    accounts = Accounts(Store(table))
    if accounts.find_company_by_name(DEMO_COMPANY):
        return False
    hashed = passwords.hash_password(DEMO_PASSWORD)
    company = accounts.create_company(
        DEMO_COMPANY, ("computers-tablets", "scanners", "visual-systems"), **DEMO_COMPANY_DETAILS
    )
    users = {}
    for email, first, last, role, status in DEMO_USERS:
        users[email] = accounts.create_user(
            email,
            first,
            last,
            company.id,
            Role(role),
            UserStatus(status),
            phone="+1-555-010-0150",
            password_hash=None if status == "must_set_password" else hashed,
        )
    # The account history shows who blocked the blocked user.
    CompanyAudit(accounts.store).record(
        company.id,
        users["morgan.contact@example.com"],
        "user_blocked",
        target=users["drew.blocked@example.com"],
        changes={"active": ("Yes", "No")},
    )
    pos_partner = accounts.create_company("Sample POS Partners", ("pos",))
    accounts.create_user(
        "taylor.pos@example.com", "Taylor", "Point", pos_partner.id, Role.MANAGEMENT_CONTACT,
        UserStatus.ACTIVE, password_hash=hashed,
    )  # fmt: skip
    manufacturer = accounts.create_company("Channel Team (manufacturer)", ())
    accounts.create_user(
        "casey.channel@example.com", "Casey", "Channel", manufacturer.id, Role.CHANNEL_TEAM,
        UserStatus.ACTIVE, password_hash=hashed,
    )  # fmt: skip
    return True
