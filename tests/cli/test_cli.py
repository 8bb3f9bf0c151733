"""The command line: the demo, config show/check, plugins list, db upgrade — and one
clear line with a non-zero status for every bad input, never a traceback."""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from partage.core.cli.main import main
from partage.core.contract.hookspecs import HOOK_API_VERSION
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import make_engine

HEAD = migrate.head()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_demo_creates_migrates_loads_and_is_idempotent(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    code, out, err = run(["--database-url", database_url, "demo", "--members", "12"], capsys)
    assert code == 0, err
    assert f"Schema: migrated from empty to revision {HEAD}" in out
    assert "Instance record: created" in out
    assert "Office bru (Bruxelles - Brussel): created" in out
    assert "management fee 6.5 %" in out
    code, out, _ = run(["--database-url", database_url, "demo", "--members", "12"], capsys)
    assert code == 0
    assert f"Schema: already at revision {HEAD}" in out
    assert "Office bru (Bruxelles - Brussel): unchanged" in out


def test_demo_default_database_is_a_sqlite_file_in_the_working_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(["--instance", "fr", "demo", "--members", "12"], capsys)
    assert code == 0
    assert (tmp_path / "partage.db").is_file()
    assert "Office par (Paris): created" in out
    assert "management fee 8.5 %" in out


def test_demo_refuses_a_database_of_another_instance(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    code, _, err = run(["--instance", "fr", "--database-url", sqlite_url, "demo"], capsys)
    assert code == 2
    assert (
        err.strip() == "partage: error: database serves instance 'be'; configuration asks for 'fr'"
    )


def test_setup_audits_as_partage_actor_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_ACTOR", "ops")
    code, out, err = run(["--database-url", database_url, "setup"], capsys)
    assert code == 0, err
    assert f"Schema: migrated from empty to revision {HEAD}" in out
    assert "Instance record: created" in out
    assert f"fiscal year {date.today().year} opened" in out
    actors = audit_actors(database_url)
    assert {"instance.create", "ledger.open_book", "ledger.open_year"} <= set(actors)
    assert set(actors.values()) == {"cli:ops"}
    code, out, _ = run(["--database-url", database_url, "setup"], capsys)
    assert code == 0
    assert "Instance record: already present" in out
    assert f"fiscal year {date.today().year} open\n" in out
    assert audit_actors(database_url) == actors


def audit_actors(url: str) -> dict[str, str]:
    """Each audited action of the database with the one actor who did it."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT DISTINCT action, actor FROM audit_log")).all()
    finally:
        engine.dispose()
    assert len({action for action, _ in rows}) == len(rows), rows
    return dict(rows)


def test_config_show_names_the_source_of_each_value(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE", "0.07")
    code, out, _ = run(["config", "show", "--format", "json"], capsys)
    assert code == 0
    rows = {row["key"]: row for row in json.loads(out)}
    assert (
        rows["instance.management_fee_rate"]["source"]
        == "env PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE"
    )
    assert rows["instance.code"]["source"].endswith("instances/be.toml")
    assert rows["network.franchise_fee.basis"]["source"].endswith("network.toml")
    assert rows["database_url"]["source"].endswith("settings.toml")
    code, out, _ = run(["config", "show"], capsys)
    assert code == 0 and out.splitlines()[0].split() == ["key", "value", "source"]


def test_config_check_accepts_both_shipped_instances(capsys: pytest.CaptureFixture[str]) -> None:
    for instance in ("be", "fr"):
        code, out, _ = run(["--instance", instance, "config", "check"], capsys)
        assert code == 0
        assert f"configuration of instance {instance} is valid" in out


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["config", "check"],
            {"PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE": "1.5"},
            "partage: error: env PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE: instance.management_fee_rate = '1.5': "
            "must be a fraction from 0 to 1 excluded (write 0.065 for 6.5 %)",
        ),
        (
            ["config", "check"],
            {"PARTAGE_INSTANCE__COUNTRY_PLUGIN": "atlantis"},
            "partage: error: env PARTAGE_INSTANCE__COUNTRY_PLUGIN: instance.country_plugin = 'atlantis': "
            "unknown country plugin (installed: be, fr",
        ),
        (
            ["--instance", "zz", "demo"],
            {},
            "instance = 'zz': no such instance file (known instances: be, fr",
        ),
        (
            ["--database-url", "mysql://root@x/db", "demo"],
            {},
            "partage: error: --database-url: database_url = 'mysql://root@x/db': back end 'mysql' is not supported",
        ),
        (
            ["demo"],
            {"PARTAGE_DATABASE_URL": "nonsense"},
            "partage: error: env PARTAGE_DATABASE_URL: database_url = 'nonsense': not a URL",
        ),
        (
            ["--database-url", "postgresql://u@h:port/db", "config", "check"],
            {},
            "partage: error: --database-url: database_url = 'postgresql://u@h:port/db': not a URL",
        ),
        (
            ["--database-url", "postgresql://nobody@127.0.0.1:9/x", "db", "upgrade"],
            {},
            "partage: error: database unreachable:",
        ),
    ],
)
def test_bad_input_gets_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert message in lines[0]


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["frobnicate"], capsys)
    assert code == 2
    assert "No such command 'frobnicate'" in err and "Traceback" not in err


def test_plugins_list_shows_name_kind_version_api_and_distribution(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["plugins", "list", "--format", "json"], capsys)
    assert code == 0
    rows = {(row["name"], row["kind"]): row for row in json.loads(out)}
    assert rows[("be", "country")]["distribution"] == "partage"
    assert rows[("fr", "country")]["api"] == HOOK_API_VERSION
    assert rows[("be", "country")]["version"]


def test_db_upgrade_then_current(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, _ = run(["--database-url", sqlite_url, "db", "upgrade"], capsys)
    assert code == 0
    assert "applied 0001: foundation: instance, offices, audit log" in out
    code, out, _ = run(["--database-url", sqlite_url, "db", "current"], capsys)
    assert json.loads(out) == {"current": HEAD, "head": HEAD}
    code, out, _ = run(["--database-url", sqlite_url, "db", "upgrade"], capsys)
    assert f"already at revision {HEAD}" in out


@pytest.mark.parametrize(
    "command",
    [["books", "trial-balance"], ["risk", "report"], ["serve"], ["office", "list"]],
    ids=" ".join,
)
def test_a_missing_database_is_refused_in_one_sentence_and_not_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    code, out, err = run(command, capsys)
    assert (code, out) == (2, "")
    assert err == (
        "partage: error: database sqlite:///partage.db: no such file: "
        "run `partage setup` to create it\n"
    )
    assert not (tmp_path / "partage.db").exists()


def test_an_empty_or_outdated_database_names_the_command_that_makes_it_current(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "partage.db").touch()
    code, _, err = run(["books", "trial-balance"], capsys)
    assert code == 2
    assert "holds no Partage tables: run `partage setup` to create them" in err
    assert run(["db", "upgrade", "--revision", "0005"], capsys)[0] == 0
    code, _, err = run(["serve"], capsys)
    assert code == 2
    assert f"is at revision 0005, this Partage needs {HEAD}: run `partage db upgrade`" in err
    assert run(["db", "upgrade"], capsys)[0] == 0
    code, out, _ = run(["books", "trial-balance"], capsys)
    assert code == 0 and out.startswith("account")
    engine = make_engine(f"sqlite:///{tmp_path / 'partage.db'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    code, _, err = run(["books", "trial-balance"], capsys)
    assert code == 2
    assert f"is at revision 9999, newer than this Partage ({HEAD}): upgrade Partage" in err


def test_a_payslip_is_simulated_without_any_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(["payroll", "calendar", "--date", "2026-03-01"], capsys)
    assert code == 0, err
    assert "22 working days" in out
    assert not (tmp_path / "partage.db").exists()


def test_a_taken_port_ends_the_demo_before_it_writes_anything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(["demo", "--serve", "--port", str(port)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"partage: error: --port: {port} on 127.0.0.1 cannot be listened on (")
    assert not (tmp_path / "partage.db").exists()


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "partage"
    assert script.exists(), "the partage console script is not installed beside python"
    result = subprocess.run([str(script), "version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("partage ")


@pytest.mark.parametrize(
    "command", [["setup", "--actor", "anyone"], ["books", "open-year", "--actor", "x"]]
)
def test_no_command_takes_a_free_text_actor(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = run(command, capsys)
    assert code == 2
    assert "No such option: --actor" in err


def test_without_partage_actor_the_system_user_acts(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    code, _, err = run(["--database-url", database_url, "setup"], capsys)
    assert code == 0, err
    assert set(audit_actors(database_url).values()) == {f"os:{getpass.getuser()}"}
