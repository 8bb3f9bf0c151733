"""``partage declarations vat|social`` on a database holding real Belgian and French acts:
table, CSV and JSON, a quarter, and bad periods."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from partage.core.payroll import service as payroll
from partage.core.sales.invoices import LineInput
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.declarations.test_declarations import (
    build_country_world,
    hire_and_pay,
    invoice,
    populate,
    post_belgian_month,
)

#: Their acts are dated in 2026: the clock says a day of that year, whatever the real date.
pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def belgian_url(engine: Engine, database_url: str) -> str:
    """A database of the Belgian instance with two payslips paid and July 2026 posted."""
    world = build_country_world(engine, "be")
    populate(world, "be")
    # invoices are numbered in date order: July 1st's funding invoice comes first
    hire_and_pay(
        world,
        [
            {"worker_category": "employee", "monthly_gross": "3500"},
            {"worker_category": "worker", "monthly_gross": "2800", "part_time": "0.8"},
        ],
    )
    post_belgian_month(world)
    return database_url


def declare(
    url: str, capsys: pytest.CaptureFixture[str], *args: str, instance: str = "be"
) -> tuple[int, str, str]:
    return run(["--instance", instance, "--database-url", url, "declarations", *args], capsys)


def test_vat_json_holds_boxes_movements_and_groups(
    belgian_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = declare(belgian_url, capsys, "vat", "--period", "2026-07", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    boxes = {b["box"]: b["amount"] for b in document["boxes"]}
    # the month of test_declarations.post_belgian_month plus the 60,000 production
    # invoice at 21 % that funds the payslips: 54 = 276 + 12,600
    assert boxes["03"] == "61000.00"
    assert boxes["54"] == "12876.00"
    assert boxes["71"] == "12750.00"
    assert document["uncoded"] == {"vat_collected": "0.00", "vat_deductible": "0.00"}


def test_vat_csv_is_the_boxes(belgian_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = declare(belgian_url, capsys, "vat", "--period", "2026-07", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["box", "label", "amount"]
    assert {r["box"]: r["amount"] for r in rows}["86"] == "300.00"


def test_vat_table_shows_boxes_then_groups(
    belgian_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = declare(belgian_url, capsys, "vat", "--period", "2026-07")
    assert code == 0, err
    boxes, groups = out.split("\n\n")[:2]
    assert boxes.splitlines()[0].split() == ["box", "label", "amount"]
    assert any(
        line.split()[:4] == ["S-STANDARD", "sale", "sales", "credit_note"]
        for line in groups.splitlines()
    )


def test_vat_of_a_quarter(belgian_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = declare(belgian_url, capsys, "vat", "--period", "2026-Q3", "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["period"] == {"start": "2026-07-01", "end": "2026-09-30"}
    assert {b["box"]: b["amount"] for b in document["boxes"]}["03"] == "61999.00"


def test_social_json_and_csv(belgian_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = declare(
        belgian_url, capsys, "social", "--period", "2026-07", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["totals"]["payslips"] == 2
    assert document["totals"]["gross"] == "5740.00"  # 3500 + 2800 × 0.8
    onss = next(c for c in document["contributions"] if c["code"] == "onss_employee")
    assert onss == {
        "code": "onss_employee",
        "label": "Cotisation personnelle ONSS",
        "payer": "employee",
        "workers": 2,
        "base": "5919.20",
        "employee": "773.64",
        "employer": "0.00",
    }
    code, out, err = declare(belgian_url, capsys, "social", "--period", "2026-07", "-f", "csv")
    assert code == 0, err
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["onss_employer_holiday"]["employer"] == "383.20"
    assert rows["withholding"]["employee"] == document["totals"]["withholding"]


def test_social_table(belgian_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = declare(belgian_url, capsys, "social", "--period", "2026-07")
    assert code == 0, err
    assert "onss_employee" in out and "workers" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["vat", "--period", "2026-13"], "--period: '2026-13' has no month 13"),
        (["vat", "--period", "July"], "--period: 'July' is not a period (YYYY-MM or YYYY-Qn)"),
        (["social", "--period", "2026-Q3"], "--period: '2026-Q3' is not a period (YYYY-MM)"),
    ],
)
def test_bad_periods_are_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = declare("sqlite:///never-opened.db", capsys, *args)
    assert code == 2
    assert err.strip() == f"partage: error: {message}"


# --- employment declarations: written from what is stored ------------------------------
def test_a_hire_declaration_made_at_hire_is_written_and_again_gives_the_same_bytes(
    belgian_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, again = tmp_path / "dimona.json", tmp_path / "again.json"
    code, out, err = declare(belgian_url, capsys, "hire", "K000001", "-o", str(first))
    assert code == 0, err
    assert out.startswith("dimona of K000001 (json, ") and out.strip().endswith(str(first))
    data = json.loads(first.read_bytes())
    assert data["declaration"] == "DIMONA-IN" and data["declaredOn"] == "2026-07-01"
    code, _, _ = declare(belgian_url, capsys, "hire", "K000001", "-o", str(again))
    assert code == 0 and again.read_bytes() == first.read_bytes()


def test_the_quarters_dmfa_is_written_and_a_month_is_refused_naming_the_rule(
    belgian_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "dmfa.json"
    code, out, err = declare(
        belgian_url, capsys, "employment", "--period", "2026-Q3", "-o", str(target)
    )
    assert code == 0, err
    data = json.loads(target.read_bytes())
    assert data["quarter"] == "2026-Q3" and data["totals"]["workers"] == 2
    assert "dmfa of 2026-07-01/2026-09-30" in out
    month = tmp_path / "month.json"
    code, _, err = declare(
        belgian_url, capsys, "employment", "--period", "2026-07", "-o", str(month)
    )
    assert code == 1 and "the DmfA declares a calendar quarter" in err
    assert not month.exists()


def test_a_contract_hired_without_issuer_facts_is_declared_now_if_work_has_not_started(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    world = build_country_world(engine, "be")
    populate(world, "be")
    invoice(world, "C000001", [LineInput("Production", "1", "20000")], on=date(2026, 7, 1))
    unregistered = replace(world.coop, instance=replace(world.coop.instance, issuer=None))
    with world.act() as s:
        contract = payroll.hire(
            s,
            unregistered,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=date(2026, 8, 1),
            monthly_gross="2500",
            actor="t",
        ).code
    late, target = tmp_path / "late.json", tmp_path / "dimona.json"
    code, _, err = declare(
        database_url, capsys, "hire", contract, "--on", "2026-08-03", "-o", str(late)
    )
    assert code == 1 and "AR du 5 novembre 2002, art. 4" in err and not late.exists()
    code, _, err = declare(
        database_url, capsys, "hire", contract, "--on", "2026-07-20", "-o", str(target)
    )
    assert code == 0, err
    assert json.loads(target.read_bytes())["declaredOn"] == "2026-07-20"
    code, _, err = declare(database_url, capsys, "hire", "K999999", "-o", str(late))
    assert code == 2
    assert err.strip().splitlines() == ["partage: error: contract 'K999999': no such contract"]
