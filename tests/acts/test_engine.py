"""The shared-enterprise engine on Testland: members and shares, entities, parties,
invoices with fee and guarantee fund, payments, spending, payroll and the
no-bankruptcy rule. Each act is one transaction; each refusal writes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from partage.core.acts.cooperative import (
    ActError,
    EntityBlocked,
    InsufficientFunds,
    InvalidAct,
    NotFound,
)
from partage.core.ledger.reports import available_funds
from partage.core.ledger.trial_balances import trial_balance
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.models import Entity
from partage.core.payroll import budget
from partage.core.payroll import service as payroll
from partage.core.risk import fund
from partage.core.risk.solvency import END_OF_TIME, coverage
from partage.core.sales import credit_notes, invoices, payments
from partage.core.sales.fund_cover import standing
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice, Quote
from partage.core.spending import copyright, expenses, internal_invoices, purchases
from partage.core.spending.models import ExpenseClaim, Purchase
from tests.builders import person
from tests.engine_support import World, build_world

D = Decimal
DAY = date(2026, 7, 6)


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


@pytest.fixture
def setup(world: World) -> World:
    return set_up(world)


def set_up(world: World) -> World:
    """Member 1 holding entity E000001; clients C000001 (domestic) and C000002 (EU)."""
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=2, on=DAY, actor="t"
        )
        members.open_entity(
            s,
            world.coop,
            holders=[1],
            name="Design",
            kind="freelance",
            office="cap",
            on=DAY,
            actor="t",
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="both",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Berlin GmbH",
            kind="client",
            country="DE",
            vat_number="DE123",
            actor="t",
        )
    return world


def rows(world: World, table: str) -> int:
    with world.engine.connect() as c:
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def snapshot(world: World) -> dict[str, int]:
    return {
        t: rows(world, t)
        for t in (
            "journal_entry",
            "journal_line",
            "invoice",
            "payment",
            "audit_log",
            "payslip",
            "purchase",
        )
    }


def funds(world: World, book: str = "E000001") -> Decimal:
    with world.act() as s:
        return available_funds(s, book=book, on=END_OF_TIME)


def endow(world: World, amount: str = "1000") -> None:
    """The general assembly allocates ``amount`` to the guarantee fund, so that its
    capacity (balance × leverage 10) is not what a test about coverage meets."""
    with world.act() as s:
        fund.allocate(s, world.coop, amount, on=DAY, actor="t", reason="general assembly")


def issue(world: World, amount: str = "1000", client: str = "C000001", **kw: object):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client=client,
            lines=[LineInput("Design work", "1", amount)],
            on=kw.pop("on", DAY),
            actor="t",
            **kw,  # type: ignore[arg-type]
        )


# --- members and shares -------------------------------------------------------------------
def test_admission_subscribes_capital_in_the_cooperative_books(setup: World) -> None:
    with setup.act() as s:
        tb = trial_balance(s, book="cooperative", start=date(2026, 1, 1), end=date(2026, 12, 31))
    balances = {r.account: r.closing for r in tb.rows}
    assert balances["3010"] == D("60.00")  # 2 shares × 30.00 in the bank
    assert balances["1010"] == D("-60.00")


def test_redemption_is_at_nominal_and_register_exports(setup: World) -> None:
    with setup.act() as s:
        membership.admit_member(
            s, setup.coop, person(2), share_class="B", shares=3, on=DAY, actor="t"
        )
        membership.redeem_shares(s, setup.coop, 2, 3, on=DAY, actor="t", reason="leaves")
        register = list(csv.DictReader(io.StringIO(membership.register_csv(s, setup.coop))))
    assert [(r["number"], r["shares"], r["capital_EUR"], r["left_on"]) for r in register] == [
        ("1", "2", "60.00", ""),
        ("2", "0", "0.00", DAY.isoformat()),
    ]


def test_a_holder_keeps_the_minimum_share_while_holding_an_open_entity(setup: World) -> None:
    with setup.act() as s:
        membership.redeem_shares(s, setup.coop, 1, 1, on=DAY, actor="t", reason="one")
    with pytest.raises(ActError, match="keeps at least 1 share"), setup.act() as s:
        membership.redeem_shares(s, setup.coop, 1, 1, on=DAY, actor="t", reason="all")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"national_id": "123"},
            "national_id: '123' is not a valid person: length must be 11 digits",
        ),
        ({"iban": "XX12"}, "iban: 'XX12' is not a valid iban"),
        ({"language": "de"}, "language: 'de' must be one of en, fr"),
        ({"email": "nope"}, "email: 'nope' must look like name@domain"),
    ],
)
def test_bad_applicants_are_refused_naming_the_field(
    world: World, change: dict[str, str], message: str
) -> None:
    from dataclasses import replace

    before = snapshot(world)
    with pytest.raises(InvalidAct) as refused, world.act() as s:
        membership.admit_member(
            s,
            world.coop,
            replace(person(1), **change),
            share_class="A",
            shares=1,
            on=DAY,
            actor="t",
        )
    assert str(refused.value).startswith(message)
    assert snapshot(world) == before


def test_unknown_share_class_and_too_few_shares(world: World) -> None:
    with pytest.raises(InvalidAct, match="share_class: 'C' must be one of A, B"), world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="C", shares=1, on=DAY, actor="t"
        )
    with pytest.raises(InvalidAct, match="shares: 0 is below the minimum"), world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=0, on=DAY, actor="t"
        )


# --- invoices, fee, guarantee fund ---------------------------------------------------------
def test_an_invoice_posts_sale_vat_fee_and_fund_allocation(setup: World) -> None:
    invoice = issue(setup, "1000")
    assert invoice.number == "F2026-000001"
    assert (invoice.net, invoice.vat, invoice.fee) == (100000, 21000, 6500)
    with setup.act() as s:
        entity = {
            r.account: r.closing for r in trial_balance(s, book="E000001", start=DAY, end=DAY).rows
        }
        coop = {
            r.account: r.closing
            for r in trial_balance(s, book="cooperative", start=DAY, end=DAY).rows
        }
        whole = trial_balance(s, book=None, start=DAY, end=DAY)
    assert entity == {
        "2010": D("1210.00"),
        "7010": D("-1000.00"),
        "2120": D("-210.00"),
        "6030": D("65.00"),
        "2160": D("-65.00"),
    }
    assert (
        coop["7020"] == D("-65.00") and coop["1110"] == D("13.00") and coop["1100"] == D("-13.00")
    )
    consolidated = {r.account: r.closing for r in whole.rows}
    assert "2160" not in consolidated or consolidated["2160"] == 0  # current accounts net out
    # Receivable not in funds; VAT and fee owed are: -210 - 65.
    assert funds(setup) == D("-275.00")


def test_reverse_charge_prints_its_mention_and_carries_no_vat(setup: World) -> None:
    invoice = issue(setup, "500", client="C000002")
    assert invoice.vat == 0
    with setup.act() as s:
        from sqlalchemy import select

        from partage.core.sales.models import InvoiceLine

        stored = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).one()
    assert (stored.vat_code, stored.legal_mention) == ("RC", "Reverse charge")


def test_the_fee_rate_in_force_on_the_invoice_date_applies(setup: World) -> None:
    later = issue(setup, "1000", on=date(2027, 1, 4))
    assert later.fee == 7000 and later.number == "F2027-000001"


def test_invoice_numbers_are_gapless_when_an_invoice_is_refused(setup: World) -> None:
    issue(setup, "10")
    with pytest.raises(InvalidAct, match=r"lines\[1\].unit_price: -5 must be a positive amount"):
        issue(setup, "-5")
    assert issue(setup, "20").number == "F2026-000002"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"entity": "E999999"}, NotFound, "entity 'E999999': no such entity"),
        ({"client": "C999999"}, NotFound, "party 'C999999': no such party"),
        (
            {"lines": [LineInput("x", "0", "10")]},
            InvalidAct,
            r"lines\[1\].quantity: 0 must be positive",
        ),
        ({"lines": [LineInput("x", "1", 10.5)]}, InvalidAct, "is a float"),  # type: ignore[arg-type]
        ({"lines": []}, InvalidAct, "lines: an invoice needs at least one line"),
        ({"due_on": date(2026, 1, 1)}, InvalidAct, "due_on: 2026-01-01 is before the invoice date"),
    ],
)
def test_bad_invoices_are_refused_and_write_nothing(
    setup: World, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    before = snapshot(setup)
    args = {
        "entity": "E000001",
        "client": "C000001",
        "lines": [LineInput("Work", "1", "10")],
    } | kwargs
    with pytest.raises(error, match=message), setup.act() as s:
        invoices.issue_invoice(s, setup.coop, on=DAY, actor="t", **args)  # type: ignore[arg-type]
    assert snapshot(setup) == before


def test_a_partial_credit_note_reverses_the_fee_pro_rata(setup: World) -> None:
    issue(setup, "1000")
    with setup.act() as s:
        note = credit_notes.issue_credit_note(
            s,
            setup.coop,
            invoice="F2026-000001",
            on=DAY,
            actor="t",
            reason="discount",
            lines=[LineInput("Discount", "1", "400")],
        )
    assert (note.number, note.net, note.vat, note.fee) == ("C2026-000001", 40000, 8400, 2600)
    with (
        pytest.raises(InvalidAct, match=r"exceeds the 600\.00 EUR left to credit"),
        setup.act() as s,
    ):
        credit_notes.issue_credit_note(
            s,
            setup.coop,
            invoice="F2026-000001",
            on=DAY,
            actor="t",
            reason="too much",
            lines=[LineInput("More", "1", "600.01")],
        )
    with setup.act() as s:
        full = credit_notes.issue_credit_note(
            s,
            setup.coop,
            invoice="F2026-000001",
            on=DAY,
            actor="t",
            reason="rest",
            lines=[LineInput("Rest", "1", "600")],
        )
    assert full.fee == 3900
    assert funds(setup) == 0  # everything credited: nothing owed, nothing held


def test_a_full_credit_note_copies_the_invoice(setup: World) -> None:
    issue(setup, "250")
    with setup.act() as s:
        note = credit_notes.issue_credit_note(
            s, setup.coop, invoice="F2026-000001", on=DAY, actor="t", reason="cancelled"
        )
    assert (note.net, note.vat, note.fee) == (25000, 5250, 1625)


# --- payments --------------------------------------------------------------------------------
def test_payments_settle_oldest_first_and_keep_overpayment_as_credit(setup: World) -> None:
    issue(setup, "100", due_on=date(2026, 8, 1))  # 121.00
    issue(setup, "200", due_on=date(2026, 7, 20))  # 242.00
    with setup.act() as s:
        first = payments.receive_payment(
            s,
            setup.coop,
            key="stmt-1",
            entity="E000001",
            client="C000001",
            amount="300",
            on=DAY,
            actor="t",
        )
    assert first.settled == (("F2026-000002", D("242.00")), ("F2026-000001", D("58.00")))
    with setup.act() as s:
        second = payments.receive_payment(
            s,
            setup.coop,
            key="stmt-2",
            entity="E000001",
            client="C000001",
            amount="100",
            on=DAY,
            actor="t",
        )
    assert second.settled == (("F2026-000001", D("63.00")),) and second.credit_left == D("37.00")
    issue(setup, "10")  # 12.10
    with setup.act() as s:
        used = payments.apply_credit(s, setup.coop, entity="E000001", client="C000001", actor="t")
    assert used == [("F2026-000003", D("12.10"))]


def test_a_payment_key_seen_twice_returns_the_first_and_writes_nothing(setup: World) -> None:
    issue(setup, "100")
    with setup.act() as s:
        payments.receive_payment(
            s,
            setup.coop,
            key="k",
            entity="E000001",
            client="C000001",
            amount="50",
            on=DAY,
            actor="t",
        )
    before = snapshot(setup)
    with setup.act() as s:
        again = payments.receive_payment(
            s,
            setup.coop,
            key="k",
            entity="E000001",
            client="C000001",
            amount="50",
            on=DAY,
            actor="t",
        )
    assert again.replayed and again.settled == (("F2026-000001", D("50.00")),)
    assert snapshot(setup) == before
    with (
        pytest.raises(ActError, match="key: 'k' was already used for another payment"),
        setup.act() as s,
    ):
        payments.receive_payment(
            s,
            setup.coop,
            key="k",
            entity="E000001",
            client="C000001",
            amount="51",
            on=DAY,
            actor="t",
        )


def test_named_allocations_cannot_exceed_what_is_owed(setup: World) -> None:
    issue(setup, "100")
    before = snapshot(setup)
    with (
        pytest.raises(
            InvalidAct, match=r"allocations\[F2026-000001\]: 200.00 exceeds the 121.00 EUR owed"
        ),
        setup.act() as s,
    ):
        payments.receive_payment(
            s,
            setup.coop,
            key="x",
            entity="E000001",
            client="C000001",
            amount="200",
            on=DAY,
            actor="t",
            allocations=[("F2026-000001", "200")],
        )
    assert snapshot(setup) == before


# --- the no-bankruptcy rule and the guarantee fund ----------------------------------------
def test_a_purchase_beyond_funds_is_refused_with_the_missing_amount(setup: World) -> None:
    before = snapshot(setup)
    with pytest.raises(InsufficientFunds) as refused, setup.act() as s:
        purchases.record_purchase(
            s,
            setup.coop,
            entity="E000001",
            supplier="C000001",
            supplier_reference="S1",
            net="100",
            on=DAY,
            actor="t",
        )
    assert refused.value.missing == D("100.00")
    assert "100.00 EUR missing" in str(refused.value)
    assert snapshot(setup) == before


def test_the_guarantee_lets_a_member_be_paid_before_the_client_pays(setup: World) -> None:
    endow(setup)
    issue(setup, "3000")  # 3630 receivable, guaranteed at 80 %: 2904.00
    with setup.act() as s:
        assert coverage(s, setup.coop, 1, DAY) == D("2904.00")
        contract = payroll.hire(
            s,
            setup.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="20",
            actor="t",
        )
        slip = payroll.pay(
            s, setup.coop, contract.code, month=DAY, paid_on=DAY, hours="80", actor="t"
        )
    assert (slip.gross, slip.employer_cost, slip.insurance) == (160000, 200000, 1600)
    assert slip.net == 160000 - 20800 - 27840  # gross − 13 % − 20 % of taxable
    # August's hours were worked: they are paid past the coverage, the fund advances
    # what that leaves short, and the entity commits nothing new until repaid
    with setup.act() as s:
        payroll.pay(
            s, setup.coop, contract.code, month=date(2026, 8, 1), paid_on=DAY, hours="80", actor="t"
        )
    with setup.act() as s:
        after = standing(s, setup.coop, s.get(Entity, 1), DAY)  # type: ignore[arg-type]
    assert after.advanced > 0 and after.funds + after.covered == 0
    with pytest.raises(EntityBlocked), setup.act() as s:
        purchases.record_purchase(
            s, setup.coop, entity="E000001", supplier="C000001", supplier_reference="S9",
            net="1", on=DAY, actor="t",
        )  # fmt: skip


def test_a_defaulting_client_is_written_off_against_the_fund_and_pay_stays_paid(
    setup: World,
) -> None:
    endow(setup, "100")
    issue(setup, "1000")
    with setup.act() as s:
        contract = payroll.hire(
            s,
            setup.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="10",
            actor="t",
        )
        payroll.pay(s, setup.coop, contract.code, month=DAY, paid_on=DAY, hours="20", actor="t")
        offs = fund.declare_default(s, setup.coop, "C000001", on=DAY, actor="t", reason="bankrupt")
        report = fund.fund_report(s, setup.coop, on=DAY)
    assert [(o.invoice, o.outstanding, o.vat_recovered, o.absorbed) for o in offs] == [
        ("F2026-000001", D("1210.00"), D("210.00"), D("1000.00"))
    ]
    assert report.losses_absorbed == D("1000.00")
    assert report.balance == D("100.00") + D("13.00") - D("1000.00")
    assert rows(setup, "payslip") == 1
    # The entity keeps its budget: fund's 1000 less the fee 65, the payslip cost 250 and premium 2.
    assert funds(setup) == D("1000.00") - D("65.00") - D("250.00") - D("2.00")


def test_expense_claims_need_a_receipt_a_holder_and_funds(setup: World) -> None:
    with setup.act() as s:
        payments.receive_payment(
            s,
            setup.coop,
            key="p",
            entity="E000001",
            client="C000001",
            amount="100",
            on=DAY,
            actor="t",
        )
        claim = expenses.claim_expense(
            s,
            setup.coop,
            entity="E000001",
            member=1,
            category="travel",
            net="40",
            vat="2.40",
            on=DAY,
            receipt_name="train.pdf",
            receipt=b"%PDF",
            actor="t",
        )
        expenses.reimburse_expense(s, setup.coop, claim.id, on=DAY, actor="t")
    assert funds(setup) == D("60.00")
    with (
        pytest.raises(InvalidAct, match="receipt: an expense claim needs its receipt"),
        setup.act() as s,
    ):
        expenses.claim_expense(
            s,
            setup.coop,
            entity="E000001",
            member=1,
            category="travel",
            net="1",
            on=DAY,
            receipt_name="",
            receipt=b"",
            actor="t",
        )
    with pytest.raises(InvalidAct, match="category: 'yacht'"), setup.act() as s:
        expenses.claim_expense(
            s,
            setup.coop,
            entity="E000001",
            member=1,
            category="yacht",
            net="1",
            on=DAY,
            receipt_name="r",
            receipt=b"r",
            actor="t",
        )


def second_entity(world: World, cash: str) -> None:
    """Member 2 holding E000002, with ``cash`` received from C000001."""
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(2), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s,
            world.coop,
            holders=[2],
            name="Studio",
            kind="project",
            office="cap",
            on=DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            world.coop,
            key="cash-2",
            entity="E000002",
            client="C000001",
            amount=cash,
            on=DAY,
            actor="t",
        )


def test_an_internal_invoice_moves_budget_once_the_buyer_accepts(setup: World) -> None:
    second_entity(setup, "500")
    with setup.act() as s:
        internal = internal_invoices.propose_internal_invoice(
            s,
            setup.coop,
            seller="E000001",
            buyer="E000002",
            amount="300",
            description="Subcontracted",
            on=DAY,
            actor="t",
        )
    assert funds(setup, "E000002") == D("500.00")
    with pytest.raises(ActError, match="member 1 does not hold the buyer entity"), setup.act() as s:
        internal_invoices.decide_internal_invoice(
            s, setup.coop, internal.number, accept=True, by_member=1, on=DAY, actor="t"
        )
    with setup.act() as s:
        internal_invoices.decide_internal_invoice(
            s, setup.coop, internal.number, accept=True, by_member=2, on=DAY, actor="t"
        )
    assert (funds(setup, "E000001"), funds(setup, "E000002")) == (D("300.00"), D("200.00"))


def test_closing_an_entity_needs_a_zero_balance(setup: World) -> None:
    issue(setup, "100")
    with pytest.raises(ActError, match="cannot close with a non-zero balance"), setup.act() as s:
        members.close_entity(s, setup.coop, "E000001", on=DAY, actor="t", reason="done")
    with setup.act() as s:
        members.open_entity(
            s,
            setup.coop,
            holders=[1],
            name="Empty",
            kind="quick_job",
            office="cap",
            on=DAY,
            actor="t",
        )
        members.close_entity(s, setup.coop, "E000002", on=DAY, actor="t", reason="done")
    with pytest.raises(ActError, match="entity E000002: closed on"), setup.act() as s:
        invoices.issue_invoice(
            s,
            setup.coop,
            entity="E000002",
            client="C000001",
            lines=[LineInput("x", "1", "1")],
            on=DAY,
            actor="t",
        )


def test_copyright_cession_posts_the_withholding(setup: World) -> None:
    with setup.act() as s:
        payments.receive_payment(
            s,
            setup.coop,
            key="p",
            entity="E000001",
            client="C000001",
            amount="1000",
            on=DAY,
            actor="t",
        )
        cession = copyright.cede_copyright(
            s, setup.coop, entity="E000001", member=1, work="Logo", amount="600", on=DAY, actor="t"
        )
    assert (cession.flat_rate_costs, cession.withholding) == (30000, 4500)
    assert funds(setup) == D("400.00")


def test_quotes_have_versions_and_an_accepted_one_is_invoiced(setup: World) -> None:
    with setup.act() as s:
        first = invoices.send_quote(
            s,
            setup.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Logo", "1", "900")],
            on=DAY,
            actor="t",
        )
        second = invoices.send_quote(
            s,
            setup.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Logo", "1", "800")],
            on=DAY,
            revises=first.reference,
            actor="t",
        )
        invoices.decide_quote(s, setup.coop, first.reference, accept=True, on=DAY, actor="t")
        invoice = invoices.issue_invoice(
            s,
            setup.coop,
            entity="E000001",
            client="C000001",
            lines=invoices.quote_lines(second),
            on=DAY,
            quote=first.reference,
            actor="t",
        )
    assert (second.version, invoice.net, invoice.quote_id) == (2, 80000, second.id)


def test_a_documents_total_is_its_net_plus_its_vat_in_python_and_in_sql(setup: World) -> None:
    """``total`` is defined once per model and reads the same on a row and in a query."""
    issue(setup, "1000")
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="500",
            on=DAY, actor="t",
        )  # fmt: skip
        quote = invoices.send_quote(
            s, setup.coop, entity="E000001", client="C000001",
            lines=[LineInput("Logo", "1", "900")], on=DAY, actor="t",
        )  # fmt: skip
        purchase = purchases.record_purchase(
            s, setup.coop, entity="E000001", supplier="C000001", supplier_reference="S1",
            net="100", on=DAY, actor="t",
        )  # fmt: skip
        claim = expenses.claim_expense(
            s, setup.coop, entity="E000001", member=1, category="travel", net="40",
            vat="2.40", on=DAY, receipt_name="train.pdf", receipt=b"%PDF", actor="t",
        )  # fmt: skip
        invoice = s.scalars(select(Invoice)).one()
        expected: list[tuple[Any, Any, int]] = [
            (Quote, quote, 90000 + 18900),
            (Invoice, invoice, 100000 + 21000),
            (Purchase, purchase, 10000 + 2100),
            (ExpenseClaim, claim, 4000 + 240),
        ]
        for model, row, total in expected:
            assert (model.__name__, row.total) == (model.__name__, total)
            in_sql = s.scalar(select(model.total).where(model.id == row.id))
            assert (model.__name__, in_sql) == (model.__name__, total)


def test_the_budget_simulation_runs_payroll_backwards(setup: World) -> None:
    result = budget.simulate_invoice(
        setup.coop, invoiced="1000", on=DAY, worker_category="employee", vat_rate=D("0.21")
    )
    assert (result.fee, result.budget, result.vat) == (D("65.00"), D("935.00"), D("210.00"))
    # employer cost 1.25 g + premium 0.01 g ≤ 935: g = 742.06
    assert result.gross == D("742.06")
    assert result.employer_cost + result.insurance <= result.budget
    assert result.net == result.gross - result.employee_contributions - result.withholding
