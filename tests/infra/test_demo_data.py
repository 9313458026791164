"""The demo data ``portal serve`` adds: one user of each role, credentials that work."""

from __future__ import annotations


def test_demo_data_has_each_role_and_the_readme_credentials_sign_in(aws, people_free_store):
    from portal.accounts import Role, UserStatus
    from portal.passwords import password_problem

    from infra.local.demo import DEMO_PASSWORD, seed_demo

    accounts = people_free_store
    assert seed_demo(aws["table"]) is True
    assert seed_demo(aws["table"]) is False, "a second start adds nothing"
    users = [accounts.find_by_email(e) for e in (
        "morgan.contact@example.com", "riley.admin@example.com", "alex.user@example.com",
        "casey.channel@example.com", "taylor.pos@example.com", "jordan.migrated@example.com",
    )]  # fmt: skip
    assert {u.role for u in users} == set(Role)
    assert users[-1].status == UserStatus.MUST_SET_PASSWORD and users[-1].password_hash is None
    assert password_problem(DEMO_PASSWORD) is None, "the demo password follows the portal's own rules"
    readme = (__import__("helpers").REPO / "README.md").read_text()
    assert DEMO_PASSWORD in readme and all(u.email in readme for u in users)
