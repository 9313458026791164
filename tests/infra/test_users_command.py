"""``portal users import``: users from the old portal, with per-row errors and safe re-runs."""

from __future__ import annotations

import json

import pytest

from infra.cli import main

GOOD_CSV = """email,first_name,last_name,phone,company,role,title,categories
pat.lee@example.org,Pat,Lee,+1-555-010-0101,Lee Systems,Management Contact,Mx.,scanners;pos
Chris.Kim@Example.org,Chris,Kim,555-010-0102,Lee Systems,Account User,,
dana.ruiz@example.org,Dana,Ruiz,,Ruiz Retail,reseller admin,Ms.,visual-systems
"""


@pytest.fixture
def state(tmp_path):
    """An empty local state file."""
    return tmp_path / "state.json"


def run_import(state, tmp_path, text, *extra):
    source = tmp_path / "users.csv"
    source.write_text(text, encoding="utf-8")
    return main(["users", "import", str(source), "--state", str(state), *extra])


def users_in(state) -> dict[str, dict]:
    items = json.loads(state.read_text())["tables"]["PortalTable"]
    return {i["email"]["S"]: i for i in items if i["sk"]["S"] == "PROFILE" and i["pk"]["S"].startswith("USER#")}


def test_import_creates_users_who_must_set_a_new_password(state, tmp_path, capsys):
    assert run_import(state, tmp_path, GOOD_CSV) == 0
    users = users_in(state)
    assert set(users) == {"pat.lee@example.org", "chris.kim@example.org", "dana.ruiz@example.org"}
    assert {u["status"]["S"] for u in users.values()} == {"must_set_password"}
    assert all("password_hash" not in u for u in users.values())
    assert users["dana.ruiz@example.org"]["role"]["S"] == "reseller_admin"
    assert users["pat.lee@example.org"]["company_id"] == users["chris.kim@example.org"]["company_id"]
    assert "3 created, 0 already there, 2 companies created, 0 rows with errors" in capsys.readouterr().out


def test_running_the_same_file_again_creates_nothing_twice(state, tmp_path, capsys):
    run_import(state, tmp_path, GOOD_CSV)
    before = json.loads(state.read_text())["tables"]["PortalTable"]
    assert run_import(state, tmp_path, GOOD_CSV.replace("Chris.Kim@Example.org", "CHRIS.KIM@example.org")) == 0
    after = json.loads(state.read_text())["tables"]["PortalTable"]
    assert len(after) == len(before)
    assert "0 created, 3 already there, 0 companies created" in capsys.readouterr().out


def test_bad_rows_are_reported_with_their_line_numbers_and_the_rest_imports(state, tmp_path, capsys):
    text = (
        "email,first_name,last_name,phone,company,role\n"
        "ok.one@example.org,Ok,One,,Good Co,Account User\n"  # line 2
        "not-an-email,Bad,Email,,Good Co,Account User\n"  # line 3
        "no.role@example.org,No,Role,,Good Co,Boss\n"  # line 4
        "ok.one@example.org,Dup,Licate,,Good Co,Account User\n"  # line 5
        "phone@example.org,Bad,Phone,call me,Good Co,Account User\n"  # line 6
        ",,,,,\n"  # line 7
    )
    assert run_import(state, tmp_path, text) == 1
    err = capsys.readouterr().err
    assert "line 3: email" in err.replace("line 3: Email", "line 3: email") or "line 3:" in err
    assert "line 4:" in err and "Account User, Reseller Admin" in err
    assert "line 5: email: ok.one@example.org is already on line 2" in err
    assert "line 6:" in err and "phone" in err
    assert "line 7:" in err
    assert set(users_in(state)) == {"ok.one@example.org"}


def test_a_file_without_the_needed_columns_is_refused(state, tmp_path, capsys):
    assert run_import(state, tmp_path, "mail,name\nx@example.org,X\n") == 1
    assert "line 1: the header lacks the column(s) email, first_name" in capsys.readouterr().err
    assert not state.exists() or users_in(state) == {}


def test_unknown_categories_are_refused(state, tmp_path, capsys):
    text = "email,first_name,last_name,phone,company,role,categories\nq@example.org,Q,R,,Q Co,Account User,toasters\n"
    assert run_import(state, tmp_path, text) == 1
    assert "line 2: categories: unknown category toasters" in capsys.readouterr().err


def test_dry_run_changes_nothing(state, tmp_path, capsys):
    assert run_import(state, tmp_path, GOOD_CSV, "--dry-run") == 0
    assert not state.exists() or users_in(state) == {}


def test_import_refuses_to_run_while_the_server_uses_the_state(state, tmp_path, capsys):
    import os

    from infra.local.offline import lock_path

    lock_path(state).write_text(str(os.getpid()))
    assert run_import(state, tmp_path, GOOD_CSV) == 1
    assert "portal serve is running" in capsys.readouterr().err


def test_imported_users_can_set_a_password_and_sign_in(state, tmp_path):
    """The migration path end to end: import, Request New Password, link, new password, sign in."""
    from helpers import REPO, latest_link, service
    from portal.accounts import Accounts
    from portal.store import Store

    from infra.local.offline import local_table

    run_import(state, tmp_path, GOOD_CSV)
    with local_table(REPO, state) as table:
        accounts = Accounts(Store(table))
        signin = service({"accounts": accounts})
        signin.mail_reset_link("pat.lee@example.org")
        cookie = signin.use_link(*latest_link("pat.lee@example.org"))
        signin.change_password(signin.identity(cookie), "amber valley trumpet forty", None)
        identity, _ = signin.sign_in("Pat.Lee@example.org", "amber valley trumpet forty", "192.0.2.1")
        assert identity.user.first_name == "Pat"
