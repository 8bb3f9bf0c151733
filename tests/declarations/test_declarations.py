"""Declarations on the Belgian and French instances: the VAT return rebuilt from acts
posted through the engine (several rates, intra-EU reverse charge, a deductible purchase,
an intra-EU acquisition, a credit note) and the monthly social summary of real payslips.

Expected boxes are computed by hand in each test from the amounts the acts carry.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import ModuleType

import pytest
from sqlalchemy import Engine, func, select

import partage.plugins.belgium as belgium
import partage.plugins.france as france
from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.cli import declarations as declaration_exports
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.declarations import returns as declarations
from partage.core.declarations.returns import DeclarationError
from partage.core.ledger.posting import Ledger
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import bootstrap
from partage.core.payroll import service as payroll
from partage.core.platform.clock import FixedClock
from partage.core.platform.db.engine import session_factory
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import load_config
from partage.core.sales import credit_notes, invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice, InvoiceLine
from partage.core.spending import expenses, other_income, purchases
from partage.core.spending.models import ExpenseClaim
from partage.core.web.admin import declarations as admin_declarations
from tests.builders import person
from tests.documents_support import validate_pending
from tests.engine_support import WORLD_DAY, World

D = Decimal
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
DAY = date(2026, 7, 6)
PLUGINS: dict[str, ModuleType] = {"be": belgium, "fr": france}


# --- a world of a real country ----------------------------------------------------------
def build_country_world(engine: Engine, code: str) -> World:
    """A migrated database of the shipped ``be`` or ``fr`` instance, its books set up
    from the real plugin's chart and 2026 open."""
    registry = PluginRegistry(autoload=False)
    registry.add(PLUGINS[code], name=code, kind=PluginKind.COUNTRY)
    config = load_config(code, registry=registry)
    plugins = registry.manager(code)
    instance = config.instance
    bootstrap(engine, instance, plugins, actor="tester", fiscal_years=[2026])
    coop = Cooperative(instance, plugins, Ledger(), clock=FixedClock(WORLD_DAY))
    return World(engine, session_factory(engine), coop)


#: (name, kind, country, VAT number) of the parties, registered as C000001, C000002...
PARTIES = {
    "be": [
        ("Client Bruxelles", "client", "BE", "BE0403019261"),
        ("Kunde Berlin", "client", "DE", "DE136695976"),
        ("Fournisseur Liège", "supplier", "BE", "BE0202239951"),
        ("Fournisseur Lille", "supplier", "FR", "FR40303265045"),
    ],
    "fr": [
        ("Client Paris", "client", "FR", "FR40303265045"),
        ("Kunde Berlin", "client", "DE", "DE136695976"),
        ("Fournisseur Lyon", "supplier", "FR", "FR96552100554"),
        ("Lieferant Köln", "supplier", "DE", "DE129273398"),
    ],
}


def populate(world: World, code: str) -> None:
    """Member 1 holding entity E000001, the country's parties."""
    office = world.coop.instance.offices[0].code
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1, code), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s,
            world.coop,
            holders=[1],
            name="Atelier",
            kind="freelance",
            office=office,
            on=DAY,
            actor="t",
        )
        for name, kind, country, vat in PARTIES[code]:
            members.register_party(
                s,
                world.coop,
                address="1 Main Street\n1000 Town",
                name=name,
                kind=kind,
                country=country,
                vat_number=vat,
                actor="t",
            )


def invoice(world: World, client: str, lines: list[LineInput], on: date = DAY) -> str:
    with world.act() as s:
        issued = invoices.issue_invoice(
            s, world.coop, entity="E000001", client=client, lines=lines, on=on, actor="t"
        )
        total = D(issued.net + issued.vat) / 100
        payments.receive_payment(
            s,
            world.coop,
            key=f"pay-{issued.number}",
            entity="E000001",
            client=client,
            amount=total,
            on=on,
            actor="t",
        )
        return issued.number


def purchase(world: World, supplier: str, net: str, reference: str, on: date = DAY) -> None:
    with world.act() as s:
        purchases.record_purchase(
            s,
            world.coop,
            entity="E000001",
            supplier=supplier,
            supplier_reference=reference,
            net=net,
            on=on,
            actor="t",
        )


def vat_return(world: World, period: Period = JULY) -> declarations.VatReturn:
    with world.act() as s:
        return declarations.vat_return(s, world.coop, period)


# --- Belgium: the periodic return's grids ------------------------------------------------
@pytest.fixture
def belgian(engine: Engine) -> World:
    world = build_country_world(engine, "be")
    populate(world, "be")
    return world


def post_belgian_month(world: World) -> None:
    """July 2026: an invoice at 21, 12 and 6 %, a service to a German business, a credit
    note, a domestic purchase and an intra-EU acquisition of goods; one August invoice."""
    first = invoice(
        world,
        "C000001",
        [
            LineInput("Graphisme", "10", "100"),  # 1000 at 21 %: VAT 210
            LineInput("Rénovation", "1", "500", rate_code="intermediate"),  # 500 at 12 %: 60
            LineInput("Livres", "2", "50", rate_code="reduced", supply="goods"),  # 100 at 6 %: 6
        ],
    )
    invoice(world, "C000002", [LineInput("Design for Berlin", "1", "2000")])
    with world.act() as s:
        credit_notes.issue_credit_note(
            s,
            world.coop,
            invoice=first,
            on=date(2026, 7, 20),
            actor="t",
            reason="two days not worked",
            lines=[LineInput("Graphisme", "2", "100")],  # 200 at 21 %: VAT 42
        )
    purchase(world, "C000003", "400", "L-17")  # 400 at 21 %: deductible 84
    purchase(world, "C000004", "300", "FR-88")  # intra-EU acquisition: self-assessed 63
    invoice(world, "C000001", [LineInput("Graphisme", "1", "999")], on=date(2026, 8, 3))


def test_belgian_return_grids_from_posted_acts(belgian: World) -> None:
    post_belgian_month(belgian)
    declared = vat_return(belgian)
    expected = {
        "00": D("0.00"),
        "01": D("100.00"),
        "02": D("500.00"),
        "03": D("1000.00"),
        "44": D("2000.00"),
        "49": D("200.00"),
        "54": D("276.00"),  # 210 + 60 + 6
        "64": D("42.00"),
        "81": D("700.00"),  # goods bought: 400 in Belgium + 300 from France
        "82": D("0.00"),
        "86": D("300.00"),
        "55": D("63.00"),  # 21 % of 300, owed and ...
        "59": D("147.00"),  # ... deducted, with the 84 of the domestic purchase
        # due 276 + 63 = 339; deductible 147 + 42 = 189
        "71": D("150.00"),
        "72": D("0.00"),
    }
    assert {box: declared.box(box) for box in expected} == expected
    assert declared.uncoded_collected == declared.uncoded_deductible == D(0)


def test_belgian_movements_keep_credit_notes_apart(belgian: World) -> None:
    post_belgian_month(belgian)
    moves = {(m.vat_code, m.base, m.vat) for m in vat_return(belgian).movements}
    assert ("S-STANDARD", D("1000.00"), D("210.00")) in moves
    assert ("S-STANDARD", D("-200.00"), D("-42.00")) in moves
    assert ("S-EU-SERVICES", D("2000.00"), D("0")) in moves
    assert ("P-EU-GOODS-STANDARD", D("300.00"), D("0")) in moves


def test_august_is_declared_apart_and_a_quarter_adds_the_months(belgian: World) -> None:
    post_belgian_month(belgian)
    august = vat_return(belgian, Period(date(2026, 8, 1), date(2026, 8, 31)))
    assert august.box("03") == D("999.00")
    assert august.box("54") == D("209.79")  # 999 × 21 % = 209.79
    quarter = vat_return(belgian, Period(date(2026, 7, 1), date(2026, 9, 30)))
    assert quarter.box("03") == D("1999.00")
    assert quarter.box("71") == D("359.79")


def test_an_empty_month_declares_zero(belgian: World) -> None:
    declared = vat_return(belgian, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert declared.groups == () and declared.movements == ()
    assert all(box.amount == 0 for box in declared.boxes)


def claim(world: World, category: str, net: str, vat: str, rate_code: str | None = None) -> None:
    with world.act() as s:
        expenses.claim_expense(
            s,
            world.coop,
            entity="E000001",
            member=1,
            category=category,
            net=net,
            vat=vat,
            rate_code=rate_code,
            on=DAY,
            receipt_name="ticket.pdf",
            receipt=b"%PDF-1.4 ticket",
            actor="t",
        )


def test_an_expense_claims_vat_goes_in_the_boxes_of_a_domestic_purchase(belgian: World) -> None:
    post_belgian_month(belgian)
    claim(belgian, "supplies", "50", "10.50")  # 21 % of 50: the standard rate's code
    claim(belgian, "travel", "50", "0", rate_code="reduced")  # 6 % computed: 3.00
    declared = vat_return(belgian)
    assert declared.box("81") == D("750.00")  # goods: 700 + the supplies
    assert declared.box("82") == D("50.00")  # services: the train ticket
    assert declared.box("59") == D("160.50")  # 147 + 10.50 + 3.00
    assert declared.uncoded_deductible == D(0)


def test_a_receipt_whose_vat_no_rate_explains_waits_then_is_reported_not_boxed(
    belgian: World,
) -> None:
    post_belgian_month(belgian)
    claim(belgian, "supplies", "50", "7.40")  # items at two rates on one receipt
    assert vat_return(belgian).uncoded_deductible == D(0)  # pending: not in the books
    assert validate_pending(belgian) != []  # an adviser saw the receipt
    declared = vat_return(belgian)
    assert declared.uncoded_deductible == D("7.40")
    assert declared.box("59") == D("147.00")


def test_a_receipts_vat_that_is_not_its_rate_is_refused_naming_vat(belgian: World) -> None:
    with pytest.raises(InvalidAct, match=r"vat: 7\.40 is not the net 50\.00 at the standard"):
        claim(belgian, "supplies", "50", "7.40", rate_code="standard")
    with belgian.act() as s:
        assert s.scalar(select(func.count()).select_from(ExpenseClaim)) == 0


def test_groups_say_journal_and_document(belgian: World) -> None:
    post_belgian_month(belgian)
    groups = {
        (g.vat_code, g.journal, g.document): (g.base, g.vat) for g in vat_return(belgian).groups
    }
    assert groups[("S-STANDARD", "sales", "invoice")] == (D("1000.00"), D("210.00"))
    assert groups[("S-STANDARD", "sales", "credit_note")] == (D("-200.00"), D("-42.00"))
    assert groups[("P-STANDARD-GOODS", "purchases", "invoice")] == (D("400.00"), D("84.00"))


def test_exports_csv_boxes_and_json_document(belgian: World) -> None:
    post_belgian_month(belgian)
    declared = vat_return(belgian)
    rows = list(csv.DictReader(io.StringIO(declaration_exports.vat_return_csv(declared))))
    assert {r["box"]: r["amount"] for r in rows}["71"] == "150.00"
    document = json.loads(declaration_exports.vat_return_json(declared))
    assert document["period"] == {"start": "2026-07-01", "end": "2026-07-31"}
    assert {b["box"]: b["amount"] for b in document["boxes"]}["54"] == "276.00"
    assert {"vat_code": "S-STANDARD", "direction": "sale", "base": "-200.00", "vat": "-42.00"} in (
        document["movements"]
    )


def test_a_period_that_ends_before_it_starts_is_refused(belgian: World) -> None:
    with pytest.raises(DeclarationError, match="period: starts on 2026-07-31"):
        vat_return(belgian, Period(date(2026, 7, 31), date(2026, 7, 1)))


# --- France: the CA3 ---------------------------------------------------------------------
@pytest.fixture
def french(engine: Engine) -> World:
    world = build_country_world(engine, "fr")
    populate(world, "fr")
    return world


def test_french_ca3_lines_from_posted_acts(french: World) -> None:
    first = invoice(
        french,
        "C000001",
        [
            LineInput("Conseil", "4", "250"),  # 1000 at 20 %: 200
            LineInput("Travaux", "1", "300", rate_code="intermediate"),  # 300 at 10 %: 30
            LineInput("Repas", "4", "50", rate_code="reduced", supply="goods"),  # 200 at 5,5 %: 11
            LineInput("Presse", "1", "100", rate_code="super_reduced", supply="goods"),  # 2,10
        ],
    )
    invoice(french, "C000002", [LineInput("Beratung", "3", "500")])  # autoliquidation: E2
    with french.act() as s:
        credit_notes.issue_credit_note(
            s,
            french.coop,
            invoice=first,
            on=date(2026, 7, 21),
            actor="t",
            reason="une journée annulée",
            lines=[LineInput("Conseil", "1", "250")],  # −250 at 20 %: −50
        )
    purchase(french, "C000003", "600", "LY-5")  # 600 at 20 %: deductible 120
    purchase(french, "C000004", "400", "K-9")  # intra-EU acquisition: 80 due and deducted
    declared = vat_return(french)
    expected = {
        "A1": D("1350.00"),  # 1000 + 300 + 200 + 100 − 250
        "E2": D("1500.00"),
        "B2": D("400.00"),
        "08-base": D("1150.00"),  # 1000 − 250 + 400
        "08-taxe": D("230.00"),  # 200 − 50 + 80
        "9B-base": D("300.00"),
        "9B-taxe": D("30.00"),
        "09-base": D("200.00"),
        "09-taxe": D("11.00"),
        "14-base": D("100.00"),
        "14-taxe": D("2.10"),
        "16": D("273.10"),
        "17": D("80.00"),
        "20": D("200.00"),  # 120 + 80
        "23": D("200.00"),
        "28": D("73.10"),
        "25": D("0.00"),
        "32": D("73.10"),
    }
    assert {box: declared.box(box) for box in expected} == expected


def test_french_credit_note_larger_than_the_month_gives_a_vat_credit(french: World) -> None:
    first = invoice(french, "C000001", [LineInput("Conseil", "1", "100")], on=date(2026, 6, 2))
    with french.act() as s:
        credit_notes.issue_credit_note(
            s, french.coop, invoice=first, on=date(2026, 7, 2), actor="t", reason="annulé"
        )
    purchase(french, "C000003", "50", "LY-6")  # deductible 10
    declared = vat_return(french)
    assert declared.box("08-taxe") == D("-20.00")
    assert declared.box("16") == D("-20.00")
    assert declared.box("25") == D("30.00")  # 10 deductible + the 20 given back
    assert declared.box("28") == D("0.00")


# --- the social summary ------------------------------------------------------------------
def hire_and_pay(world: World, hires: list[dict[str, object]]) -> None:
    """A large paid invoice funds the entity, then each hire is paid for July."""
    invoice(world, "C000001", [LineInput("Production", "1", "60000")], on=date(2026, 7, 1))
    for number, terms in enumerate(hires, start=1):
        hours = terms.pop("hours", None)
        with world.act() as s:
            if number > 1:
                membership.admit_member(
                    s,
                    world.coop,
                    person(number, world.coop.instance.code),
                    share_class="A",
                    shares=1,
                    on=DAY,
                    actor="t",
                )
            contract = payroll.hire(
                s,
                world.coop,
                entity="E000001",
                member=number,
                start=date(2026, 7, 1),
                actor="t",
                **terms,  # type: ignore[arg-type]
            )
            payroll.pay(
                s,
                world.coop,
                contract.code,
                month=date(2026, 7, 1),
                paid_on=date(2026, 7, 31),
                actor="t",
                hours=hours,  # type: ignore[arg-type]
            )


def social(world: World, period: Period = JULY) -> declarations.SocialSummary:
    with world.act() as s:
        return declarations.social_summary(s, world.coop, period)


def test_belgian_social_summary_per_contribution(belgian: World) -> None:
    hire_and_pay(
        belgian,
        [
            {"worker_category": "employee", "monthly_gross": "3500"},
            {"worker_category": "worker", "monthly_gross": "2800", "part_time": "0.8"},
            {"worker_category": "student", "hourly_rate": "15", "hours": "40"},
        ],
    )
    summary = social(belgian)
    assert (summary.totals.payslips, summary.totals.workers) == (3, 3)
    assert summary.totals.gross == D("6340.00")  # 3500 + 2800 × 0.8 + 15 × 40
    onss = summary.totals.contribution("onss_employee")
    # bases: 3500, and 108 % of the manual worker's 2240 = 2419.20; 13.07 % of each
    assert (onss.workers, onss.base, onss.payer) == (2, D("5919.20"), "employee")
    assert onss.employee == D("457.45") + D("316.19") and onss.employer == 0
    employer = summary.totals.contribution("onss_employer")
    assert (employer.base, employer.employer) == (D("5919.20"), D("875.00") + D("604.80"))
    holiday = summary.totals.contribution("onss_employer_holiday")
    assert (holiday.workers, holiday.employer) == (1, D("383.20"))  # 15.84 % of 2419.20
    student = summary.totals.contribution("student_solidarity_employee")
    assert (student.workers, student.base, student.employee) == (1, D("600"), D("16.26"))
    assert summary.totals.contribution("student_solidarity_employer").employer == D("32.52")


def test_social_totals_match_the_payslips_the_plugin_computes(belgian: World) -> None:
    hire_and_pay(
        belgian,
        [
            {"worker_category": "employee", "monthly_gross": "3500"},
            {
                "worker_category": "artist",
                "monthly_gross": "2200",
                "tax_situation": "married_one_income",
            },
        ],
    )
    summary = social(belgian)
    totals = summary.totals
    hook = belgian.coop.plugins.hook
    slips = [
        hook.partage_payslip(
            contract=EmploymentContract(
                category, date(2026, 7, 1), monthly_gross=D(gross), tax_situation=situation
            ),
            period=JULY,
        )
        for category, gross, situation in (
            ("employee", "3500", "single"),
            ("artist", "2200", "married_one_income"),
        )
    ]
    assert totals.withholding == sum((s.withholding for s in slips), D(0))
    assert totals.net == sum((s.net for s in slips), D(0))
    assert totals.employer_cost == sum((s.employer_cost for s in slips), D(0))
    assert totals.employee_contributions == sum((c.employee for c in totals.contributions), D(0))
    assert totals.employer_contributions == sum((c.employer for c in totals.contributions), D(0))
    boxes = {b.box: b.amount for b in summary.boxes}
    assert boxes["workers"] == 2 and boxes["gross"] == D("5700.00")


def test_french_social_summary_per_contribution(french: World) -> None:
    hire_and_pay(
        french,
        [
            {"worker_category": "non_cadre", "monthly_gross": "2500"},
            {"worker_category": "cadre", "monthly_gross": "4500"},
            {"worker_category": "non_cadre", "monthly_gross": "2000", "part_time": "0.5"},
        ],
    )
    summary = social(french)
    assert summary.totals.gross == D("8000.00")
    capped = summary.totals.contribution("vieillesse_plafonnee_salarie")
    # capped at the PMSS of 4005 × the working time: 2500, 4005, 1000 (cap 2002.50)
    assert (capped.workers, capped.base) == (3, D("7505.00"))
    assert capped.employee == D("172.50") + D("276.35") + D("69.00")  # 6.90 %
    assert summary.totals.contribution("apec_salarie").workers == 1
    assert summary.totals.withholding > 0  # July 2026: the grid of 1 May 2026 applies
    boxes = {b.box: b.amount for b in summary.boxes}
    assert boxes["effectif"] == 3 and boxes["pas"] == summary.totals.withholding


def test_social_csv_and_json(belgian: World) -> None:
    hire_and_pay(belgian, [{"worker_category": "employee", "monthly_gross": "3500"}])
    summary = social(belgian)
    rows = {
        r["code"]: r
        for r in csv.DictReader(io.StringIO(declaration_exports.social_summary_csv(summary)))
    }
    assert rows["onss_employee"]["employee"] == "457.45"
    assert rows["onss_employee"]["workers"] == "1"
    assert rows["withholding"]["employee"] == str(summary.totals.withholding)
    document = json.loads(declaration_exports.social_summary_json(summary))
    assert document["totals"]["gross"] == "3500.00"
    assert document["totals"]["payslips"] == 1


def test_a_month_without_payslips_is_all_zero(belgian: World) -> None:
    summary = social(belgian)
    assert summary.totals.payslips == 0 and summary.totals.contributions == ()
    assert summary.totals.gross == 0


def test_social_summary_is_monthly(belgian: World) -> None:
    with pytest.raises(DeclarationError, match="not one calendar month"):
        social(belgian, Period(date(2026, 7, 1), date(2026, 9, 30)))


# --- France: VAT on services due at payment (CGI art. 269-2-c) --------------------------
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
MAY = Period(date(2026, 5, 1), date(2026, 5, 31))


def service_invoiced_in_march(world: World) -> str:
    """A French service of 1000 at 20 % invoiced on 10 March, unpaid."""
    with world.act() as s:
        issued = invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Conseil", "4", "250")],
            on=date(2026, 3, 10),
            actor="t",
        )
    return issued.number


def pay(world: World, amount: str, on: date, key: str) -> None:
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key=key,
            entity="E000001",
            client="C000001",
            amount=D(amount),
            on=on,
            actor="t",
        )


def test_a_french_service_invoiced_in_march_and_paid_in_may_is_in_mays_ca3(
    french: World,
) -> None:
    service_invoiced_in_march(french)
    march = vat_return(french, MARCH)
    assert march.box("08-base") == D("0.00")
    assert march.box("08-taxe") == D("0.00")
    assert [(g.vat_code, g.base, g.vat) for g in march.awaiting] == [
        ("FR20_ENC", D("1000.00"), D("200.00"))
    ]
    pay(french, "1200", date(2026, 5, 12), "may")
    may = vat_return(french, MAY)
    assert may.box("08-base") == D("1000.00")
    assert may.box("08-taxe") == D("200.00")
    assert may.box("28") == D("200.00")
    assert vat_return(french, MARCH).box("08-taxe") == D("0.00")
    document = json.loads(declaration_exports.vat_return_json(march))
    assert document["awaiting_payment"] == [
        {
            "vat_code": "FR20_ENC",
            "direction": "sale",
            "journal": "sales",
            "document": "invoice",
            "base": "1000.00",
            "vat": "200.00",
        }
    ]
    assert admin_declarations.vat_document(march)["awaiting_payment"][0]["vat"] == "200.00"
    receipts = [g for g in may.groups if g.journal == declarations.RECEIPTS]
    assert [(g.vat_code, g.base, g.vat) for g in receipts] == [
        ("FR20_ENC", D("1000.00"), D("200.00"))
    ]


def test_a_french_service_paid_in_two_parts_is_declared_in_proportion(french: World) -> None:
    service_invoiced_in_march(french)
    pay(french, "300", date(2026, 4, 3), "april")  # a quarter of 1200
    pay(french, "900", date(2026, 5, 3), "may")
    april = vat_return(french, Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert (april.box("08-base"), april.box("08-taxe")) == (D("250.00"), D("50.00"))
    may = vat_return(french, MAY)
    assert (may.box("08-base"), may.box("08-taxe")) == (D("750.00"), D("150.00"))


def test_a_credit_note_of_an_unpaid_service_declares_nothing_a_refund_does(
    french: World,
) -> None:
    first = service_invoiced_in_march(french)
    with french.act() as s:
        credit_notes.issue_credit_note(
            s,
            french.coop,
            invoice=first,
            on=date(2026, 3, 20),
            actor="t",
            reason="une journée annulée",
            lines=[LineInput("Conseil", "1", "250")],  # 300 VAT included, nothing paid
        )
    assert vat_return(french, MARCH).box("08-taxe") == D("0.00")
    pay(french, "900", date(2026, 5, 12), "may")  # the rest: 750 + 150
    may = vat_return(french, MAY)
    assert (may.box("08-base"), may.box("08-taxe")) == (D("750.00"), D("150.00"))
    with french.act() as s:
        credit_notes.issue_credit_note(
            s,
            french.coop,
            invoice=first,
            on=date(2026, 6, 2),
            actor="t",
            reason="une autre journée",
            lines=[LineInput("Conseil", "1", "250")],  # refunded after payment
        )
    june = vat_return(french, Period(date(2026, 6, 1), date(2026, 6, 30)))
    assert (june.box("08-base"), june.box("08-taxe")) == (D("-250.00"), D("-50.00"))


def test_goods_are_declared_at_the_invoice(french: World) -> None:
    with french.act() as s:
        invoices.issue_invoice(
            s,
            french.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Chaise", "1", "100", supply="goods")],
            on=date(2026, 3, 10),
            actor="t",
        )
    assert vat_return(french, MARCH).box("08-taxe") == D("20.00")


def test_with_the_debits_option_the_service_is_in_marchs_ca3_and_the_invoice_says_so(
    french: World,
) -> None:
    opted = replace(french.coop.instance, vat_on_debits=True)
    world = replace(
        french,
        coop=Cooperative(opted, french.coop.plugins, Ledger(), clock=FixedClock(WORLD_DAY)),
    )
    number = service_invoiced_in_march(world)
    assert vat_return(world, MARCH).box("08-taxe") == D("200.00")
    with world.act() as s:
        mentions = s.scalars(
            select(InvoiceLine.legal_mention)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.number == number)
        ).all()
    assert mentions == ["Option pour le paiement de la taxe d'après les débits"]
    pay(world, "1200", date(2026, 5, 12), "may")
    assert vat_return(world, MAY).box("08-taxe") == D("0.00")


def test_sponsorship_is_a_taxable_sale_and_patronage_is_in_no_box(belgian: World) -> None:
    """Sponsorship is a service sold (Code TVA art. 18): grids 03 and 54; a gift under
    patronage has nothing in return, so it is outside VAT and fills no grid."""
    with belgian.act() as s:
        other_income.invoice_sponsorship(
            s,
            belgian.coop,
            entity="E000001",
            sponsor="C000001",
            amount="1000",
            description="logo on the festival's poster",
            on=DAY,
            actor="t",
        )
    sponsored = {b.box: b.amount for b in vat_return(belgian).boxes}
    assert (sponsored["03"], sponsored["54"]) == (D("1000.00"), D("210.00"))
    with belgian.act() as s:
        other_income.record_other_income(
            s,
            belgian.coop,
            kind="patronage",
            entity="E000001",
            funder="C000001",
            amount="500",
            on=DAY,
            actor="member:1",
            reference_="Letter of 3 July",
        )
    assert validate_pending(belgian)
    assert {b.box: b.amount for b in vat_return(belgian).boxes} == sponsored
