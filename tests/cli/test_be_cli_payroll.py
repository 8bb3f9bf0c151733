"""``partage payroll simulate`` on the Belgian instance: table, JSON, inverse, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)


def test_json_lists_every_line_and_the_totals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        [
            "--instance",
            "be",
            "payroll",
            "simulate",
            "--date",
            "2026-01-15",
            "--gross",
            "3500",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["period"] == {"start": "2026-01-01", "end": "2026-01-31"}
    first = document["lines"][0]
    assert first == {
        "code": "onss_employee",
        "label": "Cotisation personnelle ONSS",
        "payer": "employee",
        "base": "3500.00",
        "rate": "0.1307",
        "amount": "457.45",
    }
    assert document["totals"] == {
        "gross": "3500.00",
        "employee_contributions": "490.46",
        "withholding": "617.41",
        "net": "2392.13",
        "employer_contributions": "875.00",
        "employer_cost": "4375.00",
    }
    assert not (tmp_path / "partage.db").exists()  # a simulation writes nothing


def test_employer_cost_runs_the_inverse(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "payroll",
            "simulate",
            "--date",
            "2026-01-15",
            "--employer-cost",
            "4375",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["totals"]["gross"] == "3500.00"


def test_table_and_hourly_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "payroll",
            "simulate",
            "--date",
            "2026-04-02",
            "--hourly-rate",
            "20",
            "--hours",
            "80",
            "--category",
            "worker",
            "--tax-situation",
            "married_one_income",
            "--children",
            "2",
        ],
        capsys,
    )
    assert code == 0
    assert "onss_employer_holiday" in out and "employer_cost" in out
    assert "1600.00" in out  # 80 h x 20


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--date", "2026-02-30", "--gross", "1"], 2, "--date: '2026-02-30' is not a date"),
        (["--date", "2026-01-01"], 2, "give exactly one of --gross, --employer-cost"),
        (["--date", "2026-01-01", "--gross", "abc"], 2, "--gross: 'abc' is not a number"),
        (
            ["--date", "2026-01-01", "--hourly-rate", "20"],
            2,
            "--hourly-rate and --hours go together",
        ),
        (
            ["--date", "2026-01-01", "--gross", "1", "--category", "boss"],
            1,
            "worker_category: 'boss' is not a Belgian category",
        ),
        (
            ["--date", "2026-01-01", "--hourly-rate", "20", "--hours", "-3"],
            1,
            "hours: -3 must not be negative",
        ),
        (
            ["--date", "2025-12-31", "--gross", "3000"],
            1,
            # December 2025's contributions are known; its pay, paid on the month's last
            # day, is withheld with the 2025 key formula, not yet a parameter
            "tax.withholding.scale: no value in force on 2025-12-31; the earliest applies"
            " from 2026-01-01",
        ),
    ],
)
def test_bad_input_gets_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], status: int, message: str
) -> None:
    code, _, err = run(["--instance", "be", "payroll", "simulate", *args], capsys)
    assert code == status
    assert err.startswith("partage: error: ") and message in err
    assert len(err.strip().splitlines()) == 1
