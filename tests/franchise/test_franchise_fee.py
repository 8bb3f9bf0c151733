"""The franchise fee: contract periods, the fee computed from the posted books on each
basis (fee income, invoiced volume, flat) with dated changes, posted once per period in
the cooperative's books with the VAT the country plugin gives it (domestic, reverse
charge) and found in the VAT return, and `partage franchise invoice` on the command
line."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from partage.core.acts.cooperative import next_number
from partage.core.cli.main import exit_status, main
from partage.core.contract.accounting import PostingRole
from partage.core.contract.periods import Period
from partage.core.declarations import returns as declarations
from partage.core.franchise.fee import (
    FranchiseRefusal,
    PeriodError,
    compute_fee,
    parse_period,
    period_between,
)
from partage.core.franchise.fee_invoicing import AlreadyInvoiced, invoice_fee
from partage.core.ledger.books import account_for_role
from partage.core.ledger.models import JournalKind
from partage.core.ledger.periods import ensure_year
from partage.core.ledger.posting import Ledger
from partage.core.ledger.trial_balances import trial_balance
from partage.core.ledger.types import Entry, Line
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.platform.db.engine import transaction
from partage.core.platform.network import FeeTerms, NetworkConfig, NetworkParty, UnknownFranchisee
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import build_runtime, load_config
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from tests import engine_support
from tests.builders import person
from tests.declarations.test_declarations import build_country_world
from tests.engine_support import World, build_world

D = Decimal
Q3 = parse_period("2026-Q3")
AFTER = date(2026, 11, 1)


# --- a Testland instance with invoices around the third quarter -------------------------
def contract(registry: PluginRegistry, **fee: object) -> NetworkConfig:
    """The shipped contract with Testland (zz) as a franchisee and the fee changed."""
    network = load_config("be", registry=registry).network
    zz = NetworkParty("zz", "Partage Testland SC", "ZZ", "Runs the Testland instance.")
    return replace(
        network,
        franchisees=(*network.franchisees, zz),
        franchise_fee=replace(network.franchise_fee, **fee),  # type: ignore[arg-type]
    )


#: What entity E000001 invoices Acme, and when (fee 6.5 %: 32.50, 65.00, 21.70, 26.00).
TRADING = [
    (date(2026, 6, 30), "500"),
    (date(2026, 7, 6), "1000"),
    (date(2026, 9, 30), "333.85"),
    (date(2026, 10, 1), "400"),
]


def invoice_acme(world: World, sales: list[tuple[date, str]]) -> None:
    """Entity E000001 invoices Acme each amount on its day."""
    for day, amount in sales:
        with world.act() as s:
            invoices.issue_invoice(
                s,
                world.coop,
                entity="E000001",
                client="C000001",
                lines=[LineInput("Work", "1", amount)],
                on=day,
                actor="t",
            )


def trading_world(engine: Engine, through: date = date(2026, 10, 1)) -> World:
    """Entity E000001 invoices Acme what :data:`TRADING` says up to ``through``
    (invoices are numbered in date order: a caller adds earlier ones before the rest)."""
    world = build_world(engine)
    opened = date(2026, 6, 1)
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=1, on=opened, actor="t"
        )
        members.open_entity(
            s,
            world.coop,
            holders=[1],
            name="Design",
            kind="freelance",
            office="cap",
            on=opened,
            actor="t",
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="client",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        )
    invoice_acme(world, [(day, amount) for day, amount in TRADING if day <= through])
    return world


@pytest.fixture
def world(engine: Engine) -> World:
    return trading_world(engine)


def count(world: World, table: str) -> int:
    with world.engine.connect() as c:
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def snapshot(world: World) -> dict[str, int]:
    return {t: count(world, t) for t in ("journal_entry", "journal_line", "audit_log", "counter")}


def fee_lines(world: World) -> list[tuple[str, str | None, int, int]]:
    """(role, VAT code, debit, credit) of the franchise fee's lines, debits first."""
    with world.engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT a.role, l.vat_code, l.debit, l.credit FROM journal_line l "
                "JOIN journal_entry e ON e.id = l.entry_id JOIN account a ON a.id = l.account_id "
                "WHERE e.act_type = 'franchise_fee' ORDER BY l.credit, l.debit DESC"
            )
        ).all()
    return [(r.role, r.vat_code, int(r.debit), int(r.credit)) for r in rows]


# --- periods -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "kind", "start", "end"),
    [
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H2", "half-year", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2028-Q1", "quarter", date(2028, 1, 1), date(2028, 3, 31)),
        ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2028-02", "month", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_period_label_names_its_days(label: str, kind: str, start: date, end: date) -> None:
    period = parse_period(label)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert period_between(start, end, kind) == period


@pytest.mark.parametrize("label", ["2026-Q5", "2026-13", "Q3-2026", "2026-H3", ""])
def test_a_bad_period_label_is_refused_naming_the_option(label: str) -> None:
    with pytest.raises(PeriodError, match=r"--period: .* is not a period") as refused:
        parse_period(label)
    assert exit_status(refused.value) == 2


def test_from_and_to_must_span_exactly_one_contract_period() -> None:
    with pytest.raises(PeriodError, match=r"not a quarter .* runs from 2026-07-01 to 2026-09-30"):
        period_between(date(2026, 7, 1), date(2026, 8, 31), "quarter")
    assert Period.of_kind("quarter", date(2027, 1, 15)).preceding().label == "2026-Q4"
    assert Period.of_kind("month", date(2026, 3, 1)).preceding().label == "2026-02"


# --- computation ---------------------------------------------------------------------------
def test_fee_on_fee_income_counts_the_period_and_rounds_half_away_from_zero(
    world: World, registry: PluginRegistry
) -> None:
    with world.act() as s:
        fee = compute_fee(s, contract(registry), world.coop.instance, Q3)
    # Q3 fee income 65.00 + 21.70 = 86.70 (June's 32.50 and October's 26.00 left out);
    # 5 % of it is 4.335, rounded half away from zero.
    assert (fee.base, fee.fee, fee.currency) == (D("86.70"), D("4.34"), "EUR")
    assert ("fee income", "86.70 EUR") in fee.explain()


def test_fee_on_invoiced_volume_is_net_of_credit_notes(
    world: World, registry: PluginRegistry
) -> None:
    with world.act() as s:
        credit_notes.issue_credit_note(
            s,
            world.coop,
            invoice="F2026-000002",
            lines=[LineInput("Discount", "1", "200")],
            on=date(2026, 9, 15),
            actor="t",
            reason="partly unsatisfied",
        )
    network = contract(registry, basis="invoiced_volume", rate=D("0.004"))
    with world.act() as s:
        fee = compute_fee(s, network, world.coop.instance, Q3)
    assert fee.base == D("1133.85")  # 1000 + 333.85 − 200
    assert fee.fee == D("4.54")  # 4.5354


def test_a_flat_fee_is_due_whatever_the_books_but_only_in_their_currency(
    world: World, registry: PluginRegistry
) -> None:
    flat = contract(registry, basis="flat", rate=None, amount=D("1500.00"), currency="EUR")
    with world.act() as s:
        fee = compute_fee(s, flat, world.coop.instance, Q3)
    assert (fee.base, fee.fee) == (None, D("1500.00"))
    in_chf = contract(registry, basis="flat", rate=None, amount=D("1400.00"), currency="CHF")
    with (
        pytest.raises(
            FranchiseRefusal, match=r"flat fee is 1400\.00 CHF.*books of instance zz are in EUR"
        ),
        world.act() as s,
    ):
        compute_fee(s, in_chf, world.coop.instance, Q3)


def test_a_dated_change_decides_the_period_kind_and_the_basis(
    world: World, registry: PluginRegistry
) -> None:
    monthly = FeeTerms("invoiced_volume", D("0.01"), None, None, "month", date(2026, 10, 1))
    network = contract(registry, changes=(monthly,))
    with world.act() as s:
        assert compute_fee(s, network, world.coop.instance, Q3).fee == D("4.34")
        with pytest.raises(PeriodError, match=r"per month on 2026-10-01 \(for example 2026-10\)"):
            compute_fee(s, network, world.coop.instance, parse_period("2026-Q4"))
        october = compute_fee(s, network, world.coop.instance, parse_period("2026-10"))
    assert (october.base, october.fee) == (D("400.00"), D("4.00"))


def test_an_instance_the_contract_does_not_list_owes_nothing_and_is_told(
    world: World, registry: PluginRegistry
) -> None:
    network = load_config("be", registry=registry).network
    with (
        pytest.raises(UnknownFranchisee, match="instance 'zz' is not a franchisee"),
        world.act() as s,
    ):
        compute_fee(s, network, world.coop.instance, Q3)


# --- posting -------------------------------------------------------------------------------
def test_invoicing_posts_the_fee_once_against_the_franchisor(
    world: World, registry: PluginRegistry
) -> None:
    network = contract(registry)
    with world.act() as s:
        done = invoice_fee(s, world.coop, network, Q3, actor="t", today=AFTER)
    assert done.reference == "FF2026-Q3"
    with world.act() as s:
        tb = trial_balance(s, book="cooperative", start=date(2026, 9, 30), end=date(2026, 9, 30))
        expense = account_for_role(s, PostingRole.FRANCHISE_FEE)
        supplier = account_for_role(s, PostingRole.SUPPLIERS)
    moved = {r.account: (r.debit, r.credit) for r in tb.rows}
    assert moved[expense] == (D("4.34"), D("0.00"))
    assert moved[supplier] == (D("0.00"), D("4.34"))
    with world.engine.connect() as c:
        entry = c.execute(
            text(
                "SELECT e.date, j.kind, e.reference, e.act_type, e.act_id FROM journal_entry e "
                "JOIN journal j ON j.id = e.journal_id WHERE e.act_type = 'franchise_fee'"
            )
        ).one()
        partners = (
            c.execute(
                text(
                    "SELECT DISTINCT l.partner FROM journal_line l JOIN journal_entry e "
                    "ON e.id = l.entry_id WHERE e.act_type = 'franchise_fee'"
                )
            )
            .scalars()
            .all()
        )
        audit = c.execute(
            text("SELECT subject, data FROM audit_log WHERE action = 'franchise.invoice'")
        ).one()
    assert (str(entry.date), entry.kind, entry.reference, entry.act_id) == (
        "2026-09-30",
        JournalKind.PURCHASES.value,
        "FF2026-Q3",
        "2026-Q3",
    )
    assert partners == ["franchisor"]
    assert audit.subject == "franchise_fee:2026-Q3" and "4.34" in str(audit.data)
    # Testland reverse-charges a service bought from a business of another member state:
    # the Belgian franchisor invoices no VAT, the fee line carries the code.
    assert (done.vat, done.vat_code) == (D("0.00"), "RC")
    assert fee_lines(world) == [("franchise_fee", "RC", 434, 0), ("suppliers", None, 0, 434)]
    data = json.loads(audit.data) if isinstance(audit.data, str) else audit.data
    assert (data["fee"], data["vat"], data["vat_code"]) == ("4.34", "0.00", "RC")

    before = snapshot(world)
    with (
        pytest.raises(
            AlreadyInvoiced, match=r"2026-Q3: already invoiced \(FF2026-Q3 of 2026-09-30\)"
        ),
        world.act() as s,
    ):
        invoice_fee(s, world.coop, network, Q3, actor="t", today=AFTER)
    assert snapshot(world) == before


def test_a_concurrent_run_that_took_the_period_first_stops_this_one(
    world: World, registry: PluginRegistry
) -> None:
    with world.act() as s:
        next_number(s, "franchise_fee:2026-Q3", 2026)
    before = snapshot(world)
    with pytest.raises(AlreadyInvoiced, match="invoiced by another run"), world.act() as s:
        invoice_fee(s, world.coop, contract(registry), Q3, actor="t", today=AFTER)
    assert snapshot(world) == before


def test_a_period_not_yet_over_is_refused_and_nothing_is_written(
    world: World, registry: PluginRegistry
) -> None:
    before = snapshot(world)
    with (
        pytest.raises(FranchiseRefusal, match=r"ends on 2026-09-30; .* once it has ended"),
        world.act() as s,
    ):
        invoice_fee(s, world.coop, contract(registry), Q3, actor="t", today=date(2026, 9, 30))
    assert snapshot(world) == before


def test_a_period_with_nothing_due_writes_nothing_and_stays_open(
    world: World, registry: PluginRegistry
) -> None:
    before = snapshot(world)
    quiet = parse_period("2026-Q1")
    with world.act() as s:
        done = invoice_fee(s, world.coop, contract(registry), quiet, actor="t", today=AFTER)
    assert (done.reference, done.computation.fee) == (None, D("0.00"))
    assert snapshot(world) == before


# --- VAT -----------------------------------------------------------------------------------
def post_fee_income(world: World, day: date, amount: str) -> None:
    """Management-fee income in the cooperative's book (the fee-income basis)."""
    with world.act() as s:
        Ledger().post(
            s,
            Entry(
                book="cooperative",
                journal=JournalKind.MISCELLANEOUS,
                date=day,
                lines=(
                    Line(account_for_role(s, PostingRole.ENTITY_CURRENT_ACCOUNT), debit=amount),
                    Line(account_for_role(s, PostingRole.MANAGEMENT_FEE_INCOME), credit=amount),
                ),
            ),
            actor="t",
        )


def country_world(engine: Engine, code: str) -> World:
    """The shipped ``be`` or ``fr`` instance with 1000.00 of fee income in Q3: a fee of
    50.00 (5 %)."""
    world = build_country_world(engine, code)
    post_fee_income(world, date(2026, 8, 14), "1000.00")
    return world


def shipped_network(code: str, registry: PluginRegistry) -> NetworkConfig:
    return load_config(code, registry=registry).network


def vat_return(world: World) -> declarations.VatReturn:
    with world.act() as s:
        return declarations.vat_return(s, world.coop, Q3)


def test_a_belgian_franchisee_deducts_belgian_vat_on_the_belgian_franchisors_fee(
    engine: Engine, registry: PluginRegistry
) -> None:
    world = country_world(engine, "be")
    network = shipped_network("be", registry)
    assert (network.franchisor.country, network.franchisor.vat_number) == ("BE", "BE0876543270")
    with world.act() as s:
        done = invoice_fee(s, world.coop, network, Q3, actor="t", today=AFTER)
    # 5 % of 1000.00 is 50.00; 21 % of it is 10.50, invoiced and deducted.
    assert (done.computation.fee, done.vat, done.vat_code) == (
        D("50.00"),
        D("10.50"),
        "P-STANDARD-SERVICES",
    )
    assert fee_lines(world) == [
        ("franchise_fee", "P-STANDARD-SERVICES", 5000, 0),
        ("vat_deductible", "P-STANDARD-SERVICES", 1050, 0),
        ("suppliers", None, 0, 6050),
    ]
    assert ("VAT", "10.50 EUR (P-STANDARD-SERVICES, 21 %)") in done.explain()
    declared = vat_return(world)
    expected = {
        "82": D("50.00"),  # services bought
        "81": D("0.00"),
        "88": D("0.00"),  # not an intra-EU service: nothing self-assessed
        "55": D("0.00"),
        "59": D("10.50"),  # deductible VAT
        "71": D("0.00"),
        "72": D("10.50"),
    }
    assert {box: declared.box(box) for box in expected} == expected
    assert declared.uncoded_deductible == D(0)


def test_a_french_franchisee_self_assesses_the_vat_on_the_belgian_franchisors_fee(
    engine: Engine, registry: PluginRegistry
) -> None:
    world = country_world(engine, "fr")
    with world.act() as s:
        done = invoice_fee(
            s, world.coop, shipped_network("fr", registry), Q3, actor="t", today=AFTER
        )
    # The franchisor is a Belgian business: no VAT invoiced, reverse charge in France.
    assert (done.computation.fee, done.vat, done.vat_code) == (
        D("50.00"),
        D("0.00"),
        "UE_SERVICES_20",
    )
    assert fee_lines(world) == [
        ("franchise_fee", "UE_SERVICES_20", 5000, 0),
        ("suppliers", None, 0, 5000),
    ]
    assert any(label == "VAT" and "reverse charge" in value for label, value in done.explain())
    declared = vat_return(world)
    assert ("UE_SERVICES_20", "purchase", D("50.00"), D("0.00")) in {
        (m.vat_code, m.direction, m.base, m.vat) for m in declared.movements
    }
    expected = {
        "A3": D("50.00"),  # a service bought from a business established elsewhere
        "B2": D("0.00"),
        "08-base": D("50.00"),
        "08-taxe": D("10.00"),  # 20 % of 50.00, owed ...
        "16": D("10.00"),
        "17": D("0.00"),  # not an intra-EU acquisition of goods
        "20": D("10.00"),  # ... and deducted at once
        "23": D("10.00"),
        "28": D("0.00"),
        "25": D("0.00"),
    }
    assert {box: declared.box(box) for box in expected} == expected


def without_vat_number(network: NetworkConfig) -> NetworkConfig:
    return replace(network, franchisor=replace(network.franchisor, vat_number=None))


def test_a_franchisor_without_vat_number_in_the_same_country_charges_domestic_vat(
    engine: Engine, registry: PluginRegistry
) -> None:
    """The Belgian plugin charges Belgian VAT on a Belgian supplier's service, VAT
    number or not: the fee is posted as with the number."""
    world = country_world(engine, "be")
    with world.act() as s:
        done = invoice_fee(
            s,
            world.coop,
            without_vat_number(shipped_network("be", registry)),
            Q3,
            actor="t",
            today=AFTER,
        )
    assert (done.vat, done.vat_code) == (D("10.50"), "P-STANDARD-SERVICES")
    assert vat_return(world).box("82") == D("50.00")


def test_a_franchisor_abroad_without_vat_number_is_refused_and_nothing_is_written(
    engine: Engine, registry: PluginRegistry
) -> None:
    """Without the number, the French plugin would take the Belgian franchisor for a
    private person and post French VAT it never invoices: the fee is refused instead,
    naming the contract's key."""
    world = country_world(engine, "fr")
    before = snapshot(world)
    network = without_vat_number(shipped_network("fr", registry))
    with (
        pytest.raises(
            FranchiseRefusal,
            match=r"network\.franchisor\.vat_number: .* from BE, the franchisee fr is in FR",
        ),
        world.act() as s,
    ):
        invoice_fee(s, world.coop, network, Q3, actor="t", today=AFTER)
    assert snapshot(world) == before
    # Once the contract gives the number, the same period is invoiced.
    with world.act() as s:
        done = invoice_fee(
            s, world.coop, shipped_network("fr", registry), Q3, actor="t", today=AFTER
        )
    assert done.vat_code == "UE_SERVICES_20"


class NoVatland(engine_support.Testland):
    """Testland without a VAT treatment: the plugin of a country without VAT."""

    partage_vat_treatment = None  # type: ignore[assignment]


def test_a_plugin_without_vat_posts_the_fee_without_code(
    world: World, registry: PluginRegistry
) -> None:
    plugins = PluginRegistry(autoload=False)
    plugins.add(NoVatland("zz"), name="zz", kind=PluginKind.COUNTRY)
    coop = replace(world.coop, plugins=plugins.manager("zz"))
    with world.act() as s:
        done = invoice_fee(s, coop, contract(registry), Q3, actor="t", today=AFTER)
    assert (done.vat, done.vat_code) == (D("0.00"), None)
    assert fee_lines(world) == [("franchise_fee", None, 434, 0), ("suppliers", None, 0, 434)]
    assert ("VAT", "none: the country plugin treats no VAT") in done.explain()


# --- command line ---------------------------------------------------------------------------
def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def belgian_fee_income(url: str, day: date, amount: str) -> None:
    """Post management-fee income in a Belgian demo database's cooperative book."""
    with build_runtime("be", database_url=url) as runtime, transaction(runtime.sessions) as s:
        ensure_year(s, day.year, actor="t")
        Ledger().post(
            s,
            Entry(
                book="cooperative",
                journal=JournalKind.MISCELLANEOUS,
                date=day,
                lines=(
                    Line(account_for_role(s, PostingRole.ENTITY_CURRENT_ACCOUNT), debit=amount),
                    Line(account_for_role(s, PostingRole.MANAGEMENT_FEE_INCOME), credit=amount),
                ),
            ),
            actor="t",
        )


@pytest.mark.usefixtures("clean_environment")
def test_franchise_invoice_on_the_command_line(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", database_url, "setup"], capsys)[0] == 0
    belgian_fee_income(database_url, date(2026, 2, 15), "1000.00")
    cli = ["--database-url", database_url, "franchise", "invoice"]

    code, out, _ = run([*cli, "--period", "2026-Q1", "--dry-run"], capsys)
    assert code == 0
    assert "fee income: 1000.00 EUR" in out and "franchise fee: 50.00 EUR" in out
    assert "VAT: 10.50 EUR (P-STANDARD-SERVICES, 21 %)" in out
    assert "owed to the franchisor: 60.50 EUR" in out
    assert out.strip().endswith("dry run: nothing written")

    code, out, _ = run([*cli, "--period", "2026-Q1"], capsys)
    assert code == 0
    assert "VAT: 10.50 EUR (P-STANDARD-SERVICES, 21 %)" in out
    assert "owed to the franchisor: 60.50 EUR" in out
    assert "posted FF2026-Q1 on 2026-03-31 in the cooperative's books" in out

    for again in (["--period", "2026-Q1"], ["--from", "2026-01-01", "--to", "2026-03-31"]):
        code, out, _ = run([*cli, *again], capsys)
        assert code == 0
        assert "franchise fee for 2026-Q1: already invoiced (FF2026-Q1 of 2026-03-31)" in out

    code, out, _ = run([*cli, "--period", "2026-Q1", "--dry-run"], capsys)
    assert "already invoiced: FF2026-Q1 of 2026-03-31" in out

    code, _, err = run([*cli, "--period", "2026-02"], capsys)
    assert code == 2 and "per quarter" in err and "2026-Q1" in err
    code, _, err = run([*cli, "--from", "2026-01-01", "--to", "2026-02-28"], capsys)
    assert code == 2 and "not a quarter of the contract" in err
    code, _, err = run([*cli, "--period", "2026-Q9"], capsys)
    assert code == 2 and err.startswith("partage: error: --period: '2026-Q9' is not a period")
