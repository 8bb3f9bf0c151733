"""``partage lists show``: an entity's list from the command line, searched and
filtered by the database, as CSV and as a PDF file; an unknown list or entity is
refused naming it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.cli.test_risk_cli import instance  # noqa: F401  (fixture)


def test_an_entitys_lists_are_shown_and_exported(
    capsys: pytest.CaptureFixture[str],
    instance: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = ["--database-url", instance]
    code, out, _ = run([*db, "lists", "show", "E000001", "invoices", "-q", "client"], capsys)
    assert code == 0 and "Client SA" in out and "1 row(s), page 1 of 1" in out
    code, out, _ = run(
        [*db, "lists", "show", "E000001", "invoices", "--status", "open", "--format", "csv"],
        capsys,
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0] == "number" and rows[1][4] == "12100.00"
    code, out, _ = run([*db, "lists", "show", "E000001", "invoices", "--status", "paid"], capsys)
    assert code == 0 and "0 row(s)" in out
    target = tmp_path / "invoices.pdf"
    code, out, _ = run([*db, "lists", "show", "E000001", "invoices", "--pdf", str(target)], capsys)
    assert code == 0 and target.read_bytes().startswith(b"%PDF") and "1 row(s)" in out
    code, _, err = run([*db, "lists", "show", "E000001", "secrets"], capsys)
    assert code != 0 and "secrets" in err
    code, _, err = run([*db, "lists", "show", "E000001", "invoices", "--sort", "colour"], capsys)
    assert code != 0 and "sort" in err
    code, _, err = run([*db, "lists", "show", "E999999", "invoices"], capsys)
    assert code != 0 and "E999999" in err
