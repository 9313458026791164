"""The ``portal`` command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.cli import main


def test_help_lists_the_serve_command(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--help"])

    assert stopped.value.code == 0
    assert "serve" in capsys.readouterr().out


def test_serve_outside_a_repository_fails_with_a_clear_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)

    status = main(["serve"])

    err = capsys.readouterr().err
    assert status == 1
    assert "No mkdocs.yml" in err
    assert "Traceback" not in err


def test_a_failing_build_prints_mkdocs_message_without_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Broken\nstrict: true\ndocs_dir: pages\n")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.md").write_text("[a broken link](nowhere.md)\n")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text("Resources: {}\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")

    status = main(["serve", "--port", "0"])

    err = capsys.readouterr().err
    assert status == 1
    assert "portal serve: Aborted with 1 warnings in strict mode!" in err
    assert "Traceback" not in err
    assert not (tmp_path / ".portal" / "state.json").exists()


def test_serve_with_no_build_and_no_built_site_says_what_to_do(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Unbuilt\ndocs_dir: pages\n")
    (tmp_path / "pages").mkdir()
    monkeypatch.chdir(tmp_path)

    status = main(["serve", "--no-build"])

    assert status == 1
    assert "run without --no-build" in capsys.readouterr().err


def test_serve_with_a_corrupt_state_file_names_it_and_says_what_to_do(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Portal\n")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text("Resources: {}\n")
    state = tmp_path / ".portal" / "state.json"
    state.parent.mkdir()
    state.write_text('{"format": "portal-local-state", "version": 1, "tables": {"PortalTable": [{"pk"')
    monkeypatch.chdir(tmp_path)

    status = main(["serve", "--port", "0"])

    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"portal serve: {state}: cannot read the state file")
    assert f"mv {state} {state}.broken" in err
    assert "make clean" in err
    assert "Traceback" not in err


def test_a_command_on_a_corrupt_state_file_says_so_without_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    state = tmp_path / "state.json"
    state.write_text("not json")
    (tmp_path / "users.csv").write_text("email,first_name,last_name,phone,company,role\n")

    status = main(["users", "import", str(tmp_path / "users.csv"), "--state", str(state)])

    err = capsys.readouterr().err
    assert status == 1
    assert f"portal users import: {state}: cannot read the state file" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_the_save_delay_must_be_milliseconds(value: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--save-delay", value])

    assert "expected a whole number of milliseconds" in capsys.readouterr().err
