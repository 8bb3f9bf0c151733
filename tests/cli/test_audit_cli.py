"""``partage audit``: the log listed by page in each format, and an export recorded with
the operating-system user or the configured identity as its actor."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    """The Belgian instance set up: its offices are in the log."""
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    return sqlite_url


def test_audit_list_filters_and_pages_in_each_format(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    listed = ["--database-url", instance, "audit", "list"]
    code, out, err = run([*listed, "--format", "json"], capsys)
    assert code == 0, err
    every = json.loads(out)
    assert every and all(
        set(r) == {"at", "actor", "action", "subject", "origin", "reason"} for r in every
    )
    assert [r["at"] for r in every] == sorted((r["at"] for r in every), reverse=True)
    action = every[-1]["action"]
    code, out, _ = run([*listed, "--action", action.split(".")[0], "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and all(r["action"].startswith(action.split(".")[0]) for r in rows)
    code, out, _ = run([*listed, "--limit", "1"], capsys)
    assert code == 0 and f"{len(every)} records, page 1 of {len(every)}" in out
    code, _, err = run([*listed, "--since", "2026-13-01"], capsys)
    assert code == 2 and "--since" in err


def test_audit_export_is_recorded_with_the_configured_identity(
    capsys: pytest.CaptureFixture[str],
    instance: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PARTAGE_ACTOR", "jane")
    target = tmp_path / "audit.json"
    code, out, err = run(
        ["--database-url", instance, "audit", "export", "--format", "json", "-o", str(target)],
        capsys,
    )
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8"))
    code, out, _ = run(
        ["--database-url", instance, "audit", "list", "--action", "audit.export", "-f", "json"],
        capsys,
    )
    [export] = json.loads(out)
    assert (export["actor"], export["subject"]) == ("cli:jane", "audit_log")
    assert export["origin"].startswith("cli@")
