"""``partage follow-up`` and ``partage workshop`` on the demo instance: a note, an
appointment and a document in a member's record, shown or hidden per the office's
default; a workshop planned, seated and marked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from partage.core.cli.main import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    code, _, err = run(["--database-url", url, "demo", "--members", "4"], capsys)
    assert code == 0, err
    return url


def test_a_members_record_from_the_command_line(
    demo: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["--database-url", demo]
    code, out, err = run(
        [*db, "follow-up", "note", "1", "--subject", "First talk", "--office", "bru"], capsys
    )
    assert code == 0, err
    assert "hidden from them" in out  # the office's default
    code, out, _ = run([*db, "follow-up", "default", "bru", "--visible"], capsys)
    assert code == 0
    code, out, err = run(
        [
            *db,
            "follow-up",
            "appointment",
            "1",
            "--subject",
            "Review",
            "--at",
            "2026-06-02T14:00",
            "--place",
            "Office",
            "--office",
            "bru",
        ],
        capsys,
    )
    assert code == 0 and "shown to them" in out, err
    plan = tmp_path / "plan.txt"
    plan.write_text("business plan")
    code, out, err = run(
        [*db, "follow-up", "document", "1", str(plan), "--subject", "Plan", "--hidden"], capsys
    )
    assert code == 0 and "hidden from them" in out, err
    code, out, _ = run([*db, "follow-up", "list", "1", "--format", "json"], capsys)
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["document", "appointment", "note"]
    code, out, _ = run([*db, "follow-up", "list", "1", "--shown-only", "--format", "json"], capsys)
    assert [r["subject"] for r in json.loads(out)] == ["Review"]
    code, _, err = run(
        [*db, "follow-up", "appointment", "1", "--subject", "x", "--at", "soon"], capsys
    )
    assert code != 0 and "soon" in err


def test_the_demo_names_its_adviser_before_serving(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--database-url", demo, "office", "list", "--format", "json"], capsys)
    rostered = [row["advisers"] for row in json.loads(out) if row["advisers"]]
    assert code == 0 and rostered == [["demo-adviser", "demo-manager"]]
    code, out, _ = run(["--database-url", demo, "demo", "--members", "4"], capsys)
    assert "on its roster" not in out  # once only


def test_a_workshop_from_the_command_line(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--database-url", demo]
    code, out, err = run(
        [
            *db,
            "workshop",
            "plan",
            "--office",
            "bru",
            "--title",
            "Pricing",
            "--at",
            "2020-03-01T10:00",
            "--seats",
            "2",
        ],
        capsys,
    )
    assert code == 0, err
    code_ = out.split()[1]
    assert run([*db, "workshop", "register", code_, "1", "2"], capsys)[0] == 0
    code, _, err = run([*db, "workshop", "register", code_, "3"], capsys)
    assert code != 0 and "full" in err
    code, out, err = run([*db, "workshop", "attend", code_, "2"], capsys)
    assert code == 0 and "1 present, 1 absent" in out, err
    code, out, _ = run([*db, "workshop", "show", code_, "--format", "json"], capsys)
    assert {r["member"]: r["attendance"] for r in json.loads(out)} == {1: "absent", 2: "present"}
    code, out, _ = run([*db, "workshop", "list", "--format", "json"], capsys)
    assert json.loads(out)[0]["came"] == 1
