"""The network report: an instance's indicators for a period, exported as versioned JSON
checked against its shipped schema; bad reports refused with the file and the JSON
pointer of the field; several instances consolidated in one currency at stated rates."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from partage.core.cli.main import exit_status
from partage.core.contract.errors import TooLarge
from partage.core.contract.periods import Period
from partage.core.franchise.consolidation import RateError, consolidate, parse_rates
from partage.core.franchise.fee import parse_period
from partage.core.franchise.fee_invoicing import invoice_fee
from partage.core.franchise.report import build_report
from partage.core.franchise.report_schema import ReportError, check_report, read_report, schema
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import load_instance
from partage.core.payroll import service as payroll
from partage.core.platform.config import OfficeConfig
from partage.core.platform.db.engine import make_engine
from partage.core.platform.limits import Limits
from partage.core.platform.network import NetworkConfig, report_schema_versions
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.risk import fund
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests.conftest import CountryPlugin
from tests.engine_support import INSTANCE, World
from tests.franchise.test_franchise_fee import (
    TRADING,
    belgian_fee_income,
    contract,
    invoice_acme,
    person,
    run,
    trading_world,
)

D = Decimal
START, END = date(2026, 7, 1), date(2026, 9, 30)
NOW = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)


def quarter_world(engine: Engine, registry: PluginRegistry) -> World:
    """The trading world with 100.00 allocated to the guarantee fund at the end of June,
    plus in the third quarter: member 2 (class B) admitted, a
    payslip paid, client Beta invoiced 300.00 then written off, and the quarter's
    franchise fee invoiced."""
    world = trading_world(engine, through=date(2026, 8, 9))
    with world.act() as s:  # the general assembly of June endows the fund
        fund.allocate(s, world.coop, "100", on=date(2026, 6, 30), actor="t", reason="GA")
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(2), share_class="B", shares=1, on=date(2026, 8, 1), actor="t"
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Beta",
            kind="client",
            country="ZZ",
            vat_number="ZZ0000000002",
            actor="t",
        )
        contract_ = payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=START,
            hourly_rate="10",
            actor="t",
        )
        payroll.pay(
            s,
            world.coop,
            contract_.code,
            month=START,
            paid_on=date(2026, 7, 31),
            hours="20",
            actor="t",
        )
    with world.act() as s:
        invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000002",
            lines=[LineInput("Job", "1", "300")],
            on=date(2026, 8, 10),
            actor="t",
        )
    invoice_acme(world, [(day, amount) for day, amount in TRADING if day > date(2026, 8, 9)])
    with world.act() as s:
        fund.declare_default(
            s, world.coop, "C000002", on=date(2026, 9, 1), actor="t", reason="bankrupt"
        )
    with world.act() as s:
        invoice_fee(
            s,
            world.coop,
            contract(registry),
            parse_period("2026-Q3"),
            actor="t",
            today=date(2026, 10, 2),
        )
    return world


@pytest.fixture
def world(engine: Engine, registry: PluginRegistry) -> World:
    return quarter_world(engine, registry)


def export(
    world: World, network: NetworkConfig, start: date = START, end: date = END
) -> dict[str, Any]:
    with world.act() as s:
        return build_report(
            s, world.coop, network, start=start, end=end, generated_at=NOW, schema_revision="test"
        )


def test_the_report_holds_the_quarters_indicators_as_exact_strings(
    world: World, registry: PluginRegistry
) -> None:
    report = export(world, contract(registry))
    assert report["schema_version"] == "1.0"
    assert report["instance"] == {
        "code": "zz",
        "name": "Partage Testland",
        "legal_name": "Partage Testland SC",
        "country": "ZZ",
        "currency": "EUR",
    }
    assert report["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert report["members"] == {"total": 2, "admitted": 1, "left": 0, "by_class": {"A": 1, "B": 1}}
    assert report["entities"] == {"open": 1, "active": 1, "opened": 0, "closed": 0}
    # Q3 invoices: 1000.00, 300.00 (Beta) and 333.85; fees 65.00 + 19.50 + 21.70.
    assert report["invoicing"] == {
        "invoices": 3,
        "credit_notes": 0,
        "invoiced_volume": "1633.85",
        "fee_income": "106.20",
    }
    assert report["payroll"] == {
        "payslips": 1,
        "workers": 1,
        "gross": "200.00",
        "employee_contributions": "26.00",
        "employer_contributions": "50.00",
        "withholding": "34.80",
        "net": "139.20",
        "employer_cost": "250.00",
    }
    gf = report["guarantee_fund"]
    # 20 % of each fee: 13.00 + 3.90 + 4.34 in Q3, after 6.50 and the general assembly's
    # 100.00 in June; Beta's 300.00 lost.
    assert (gf["allocated"], gf["losses_absorbed"], gf["balance"]) == ("21.24", "300.00", "-172.26")
    with world.act() as s:
        state = fund.fund_report(s, world.coop, on=END)
    assert (gf["exposure"], gf["guaranteed_receivables"]) == (
        str(state.exposure),
        str(state.guaranteed_receivables),
    )
    assert report["franchise_fee"] == "5.31"  # 5 % of 106.20
    assert report["offices"] == [
        {
            "code": "cap",
            "name": "Capital",
            "open_entities": 1,
            "active_entities": 1,
            "invoiced_volume": "1633.85",
        }
    ]
    check_report(json.loads(json.dumps(report)), "round-trip")


def test_flows_outside_the_period_are_left_out(world: World, registry: PluginRegistry) -> None:
    june = export(world, contract(registry), date(2026, 6, 1), date(2026, 6, 30))
    assert june["invoicing"]["invoiced_volume"] == "500.00"
    assert june["members"]["admitted"] == 1 and june["members"]["total"] == 1
    assert june["payroll"]["payslips"] == 0
    assert june["franchise_fee"] == "0.00"
    assert june["entities"]["opened"] == 1


def test_sectors_enabled_in_offices_are_reported(world: World, registry: PluginRegistry) -> None:
    office = OfficeConfig("cap", "Capital", "1 Main Street", ("couriers",))
    with world.act() as s:
        load_instance(s, replace(INSTANCE, offices=(office,)), actor="t")
    today = date.today()
    report = export(world, contract(registry), today - timedelta(days=30), today)
    assert report["sectors"] == [{"sector": "couriers", "offices": ["cap"]}]


def test_the_schema_ships_with_the_package_and_documents_every_field() -> None:
    assert "1.0" in report_schema_versions()
    shipped = schema("1.0")
    assert shipped["properties"]["schema_version"] == {
        "description": "The version of this schema the report follows.",
        "const": "1.0",
    }
    money = shipped["$defs"]["money"]
    assert money["type"] == "string" and "never" in shipped["description"]


# --- refusing bad reports ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A valid report, as read back from JSON (built once, on SQLite)."""
    registry = PluginRegistry(autoload=False)
    for code in ("be", "fr", "zz"):
        registry.add(CountryPlugin(code), name=code, kind=PluginKind.COUNTRY)
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('report') / 'good.db'}")
    try:
        world = quarter_world(engine, registry)
        return json.loads(json.dumps(export(world, contract(registry))))
    finally:
        engine.dispose()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def spoil(report: dict[str, Any], pointer: str, value: object) -> dict[str, Any]:
    """A copy of ``report`` with the field at ``pointer`` set (or removed when value is
    ``...``)."""
    spoiled = copy.deepcopy(report)
    *parents, last = pointer.strip("/").split("/")
    node: Any = spoiled
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is ...:
        del node[last]
    else:
        node[int(last) if isinstance(node, list) else last] = value
    return spoiled


@pytest.mark.parametrize(
    ("pointer", "value", "where", "rule"),
    [
        (
            "/schema_version",
            "2.0",
            "/schema_version",
            "'2.0' is not a report version this core reads (1.0)",
        ),
        ("/schema_version", ..., "/schema_version", "is required"),
        ("/members", ..., "/members", "is required"),
        ("/invoicing/fee_income", ..., "/invoicing/fee_income", "is required"),
        (
            "/invoicing/invoiced_volume",
            1633.85,
            "/invoicing/invoiced_volume",
            'must be a decimal string such as "1234.50", not a number',
        ),
        ("/payroll/gross", "200.001", "/payroll/gross", "more than 2 decimals for EUR"),
        ("/payroll/net", "lots", "/payroll/net", "does not match"),
        ("/offices/0/open_entities", -1, "/offices/0/open_entities", "less than the minimum"),
        ("/members/extra", 3, "/members/extra", "is not a field of this report version"),
        ("/instance/currency", "ZZZ", "/instance/currency", "not an ISO 4217 currency"),
        ("/period/to", "2026-06-30", "/period/to", "is before /period/from"),
    ],
)
def test_a_bad_report_is_refused_naming_file_and_field(
    good: dict[str, Any], tmp_path: Path, pointer: str, value: object, where: str, rule: str
) -> None:
    path = write(tmp_path, "bad.json", spoil(good, pointer, value))
    with pytest.raises(ReportError) as refused:
        read_report(path, Limits().report_bytes)
    error = refused.value
    assert (error.file, error.pointer) == (str(path), where)
    assert rule in error.rule
    assert str(error).startswith(f"{path}: {where}: ")
    assert exit_status(error) == 2


def test_a_report_over_its_limit_is_refused_before_it_is_read(
    good: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "good.json", good)
    size = path.stat().st_size
    assert read_report(path, size) == good
    monkeypatch.setattr(json, "loads", lambda *_: pytest.fail("the report was parsed"))
    with pytest.raises(TooLarge) as refused:
        read_report(path, size - 1)
    assert str(refused.value) == (
        f"{path}: {size:,} bytes, more than the {size - 1:,} accepted ([limits] report_bytes)"
    )
    assert exit_status(refused.value) == 2


def test_a_file_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"broken\.json: /: not valid JSON: line 1"):
        read_report(write(tmp_path, "broken.json", '{"schema_version": '), Limits().report_bytes)
    with pytest.raises(ReportError, match=r"list\.json: /: a network report must be a JSON object"):
        read_report(write(tmp_path, "list.json", []), Limits().report_bytes)
    with pytest.raises(ReportError, match=r"absent\.json: /: cannot be read"):
        read_report(tmp_path / "absent.json", Limits().report_bytes)


# --- consolidation -----------------------------------------------------------------------------
def in_francs(report: dict[str, Any], code: str = "fr") -> dict[str, Any]:
    swiss = copy.deepcopy(report)
    swiss["instance"].update(code=code, currency="CHF")
    return swiss


def test_reports_in_two_currencies_merge_at_the_stated_rate(
    good: dict[str, Any], registry: PluginRegistry
) -> None:
    view = consolidate(
        [("zz.json", good), ("fr.json", in_francs(good))],
        currency="EUR",
        rates=parse_rates(["CHF=0.95"]),
        network=contract(registry),
    )
    zz, fr = view.lines
    network = view.totals()
    assert (zz.code, zz.rate, zz.amounts["invoiced_volume"]) == ("zz", D(1), D("1633.85"))
    assert (fr.code, fr.rate) == ("fr", D("0.95"))
    assert fr.amounts["invoiced_volume"] == D("1552.16")  # 1633.85 × 0.95 = 1552.1575
    assert network.amounts["invoiced_volume"] == D("3186.01")
    assert network.amounts["fund_losses"] == D("585.00")  # 300.00 + 285.00
    assert network.counts["members"] == 4 and network.offices == 2
    rows = view.rows()
    assert [r[:3] for r in rows] == [
        ["zz", "EUR", "1"],
        ["fr", "CHF", "1 CHF = 0.95 EUR"],
        ["network", "EUR", ""],
    ]
    data = view.as_dict()
    assert data["rates"] == {"CHF": "0.95"}
    assert data["network"]["invoiced_volume"] == "3186.01"
    assert data["instances"][1]["rate"] == "0.95"


@pytest.mark.parametrize(
    ("second", "rates", "currency", "error", "message"),
    [
        (
            lambda r: in_francs(r),
            [],
            "EUR",
            ReportError,
            "b.json: /instance/currency: CHF: give --rate CHF=",
        ),
        (
            lambda r: in_francs(r),
            ["CHF=0.95", "USD=0.9"],
            "EUR",
            RateError,
            "--rate USD: no report is in USD",
        ),
        (
            lambda r: in_francs(r),
            ["EUR=1", "CHF=0.95"],
            "EUR",
            RateError,
            "--rate EUR: the target currency needs no rate",
        ),
        (lambda r: in_francs(r), [], None, RateError, "--currency: the reports are in CHF, EUR"),
        (
            lambda r: spoil(in_francs(r, "zz"), "/instance/currency", "EUR"),
            [],
            "EUR",
            ReportError,
            "b.json: /instance/code: 'zz' is already given by a.json",
        ),
        (
            lambda r: spoil(in_francs(r, "de"), "/instance/currency", "EUR"),
            [],
            "EUR",
            ReportError,
            "b.json: /instance/code: 'de' is not a franchisee of Partage network",
        ),
        (
            lambda r: spoil(in_francs(r), "/period/from", "2026-07-02"),
            ["CHF=0.95"],
            "EUR",
            ReportError,
            "b.json: /period/from: 2026-07-02 differs from 2026-07-01 in a.json",
        ),
        (
            lambda r: spoil(in_francs(r), "/network/name", "Other"),
            ["CHF=0.95"],
            "EUR",
            ReportError,
            "b.json: /network/name: 'Other' is not 'Partage network'",
        ),
    ],
)
def test_reports_that_cannot_be_merged_are_refused(
    good: dict[str, Any],
    registry: PluginRegistry,
    second: Any,
    rates: list[str],
    currency: str | None,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as refused:
        consolidate(
            [("a.json", good), ("b.json", second(good))],
            currency=currency,
            rates=parse_rates(rates),
            network=contract(registry),
        )
    assert message in str(refused.value)


@pytest.mark.parametrize("text", ["CHF:0.95", "CHF=abc", "CHF=-1", "CHF=0", "ABC=1", "CHF=NaN"])
def test_a_bad_rate_is_refused_naming_it(text: str) -> None:
    with pytest.raises(RateError, match="--rate"):
        parse_rates([text])


# --- command line -----------------------------------------------------------------------------
@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("clean_environment")
def test_export_and_consolidate_on_the_command_line(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", database_url, "setup"], capsys)[0] == 0
    belgian_fee_income(database_url, date(2026, 2, 15), "1000.00")
    a = tmp_path / "be.json"
    code, out, err = run(
        [
            "--database-url",
            database_url,
            "network",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "-o",
            str(a),
        ],
        capsys,
    )
    assert code == 0, err
    assert f"network report of be for 2026-01-01 to 2026-03-31 (schema 1.0) written to {a}" in out
    report = read_report(a, Limits().report_bytes)
    assert report["invoicing"]["fee_income"] == "1000.00"
    assert [o["code"] for o in report["offices"]] == ["ant", "bru", "gnt", "lge"]

    b = write(tmp_path, "fr.json", in_francs(report))
    common = ["network", "report", str(a), str(b), "--currency", "EUR", "--rate", "CHF=0.95"]
    code, out, err = run([*common, "--format", "csv"], capsys)
    assert code == 0, err
    rows = {r["instance"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["network"]["fee_income"] == "1950.00"
    assert rows["fr"]["rate"] == "1 CHF = 0.95 EUR"
    code, out, _ = run(common, capsys)
    assert out.splitlines()[0].endswith("amounts in EUR; rates: 1 CHF = 0.95 EUR")
    code, out, _ = run([*common, "--format", "json"], capsys)
    assert json.loads(out)["network"]["fee_income"] == "1950.00"

    c = write(tmp_path, "old.json", spoil(report, "/schema_version", "0.9"))
    code, _, err = run(["network", "report", str(a), str(c)], capsys)
    assert code == 2
    assert err.strip() == (
        f"partage: error: {c}: /schema_version: '0.9' is not a report version this core reads (1.0)"
    )

    code, out, _ = run(["--database-url", database_url, "network", "export"], capsys)
    last = Period.month_of(date.today()).preceding()
    assert json.loads(out)["period"] == {"from": str(last.start), "to": str(last.end)}
