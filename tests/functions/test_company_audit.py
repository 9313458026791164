"""The company's account history through the real handler, and the checks every account write passes."""

from __future__ import annotations

import pytest
from account_world import build_world, call, cookie, snapshot


@pytest.fixture
def world(aws):
    """Companies A and B, the Channel team, and a session for each acting role."""
    return build_world(aws["table"])


@pytest.fixture
def table(aws):
    """The emulated table."""
    return aws["table"]


# ---- the trail ----


def test_the_trail_is_newest_first_in_pages_and_never_holds_a_secret(world, table):
    jane = world["target_a"]
    for _ in range(14):
        call("POST", f"/api/account/users/{jane.id}/block", None, cookie(world, "reseller_admin"))
        call("POST", f"/api/account/users/{jane.id}/unblock", None, cookie(world, "reseller_admin"))
    status, first = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"))
    assert status == 200 and len(first["entries"]) == 25 and first["next_cursor"]
    assert first["entries"][0]["action"] == "user_unblocked"
    times = [e["at"] for e in first["entries"]]
    assert times == sorted(times, reverse=True)
    _, second = call(
        "GET", "/api/account/audit", None, cookie(world, "reseller_admin"), {"cursor": first["next_cursor"]}
    )
    assert len(second["entries"]) == 3 and second["next_cursor"] is None
    assert second["entries"][-1]["action"] == "user_blocked"
    stored = repr([i for k, i in snapshot(table).items() if k[1].startswith("AUDIT#")])
    assert "argon2" not in stored and "token" not in stored


@pytest.mark.parametrize(
    "cursor", ["garbage", "QVVESVQjMjAyNg", "Q09NUEFOWSNhYmM"], ids=["garbage", "truncated", "other-key"]
)
def test_a_forged_cursor_is_refused(world, cursor):
    status, body = call("GET", "/api/account/audit", None, cookie(world, "reseller_admin"), {"cursor": cursor})
    assert status == 422 and body["errors"][0]["field"] == "cursor"


def test_a_signed_in_write_without_origin_is_refused(world, table):
    before = snapshot(table)
    jane = world["target_a"]
    status, _ = call(
        "POST", f"/api/account/users/{jane.id}/block", None, cookie(world, "reseller_admin"), headers={"origin": None}
    )
    assert status == 403 and snapshot(table) == before
