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
)


def seed_demo(table: Any) -> bool:
    """Create the demo companies and users unless any company exists; True when it created them."""
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(table))
    if accounts.find_company_by_name(DEMO_COMPANY):
        return False
    hashed = passwords.hash_password(DEMO_PASSWORD)
    company = accounts.create_company(
        DEMO_COMPANY, ("computers-tablets", "scanners", "visual-systems"), phone="+1-555-010-0142"
    )
    for email, first, last, role, status in DEMO_USERS:
        accounts.create_user(
            email,
            first,
            last,
            company.id,
            Role(role),
            UserStatus(status),
            phone="+1-555-010-0150",
            password_hash=hashed if status == "active" else None,
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
