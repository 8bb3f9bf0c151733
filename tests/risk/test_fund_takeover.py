"""No entity below zero after any act: the fund advances what an act that cannot be
refused leaves short, takes over receivables whose coverage lapsed, and hires reserve
what their contracts commit.

Figures on Testland (VAT 21 %, fee 6.5 %, 20 % of the fee to the fund, coverage 80 %,
60 days overdue): an invoice of 10,000.00 is 12,100.00 owed and leaves its entity at
−2,750.00 of funds (VAT and fee owed) with 9,680.00 of coverage.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from partage.core.acts.cooperative import EntityBlocked, InsufficientFunds
from partage.core.ledger.trial_balances import trial_balance
from partage.core.members.models import Entity
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract
from partage.core.platform.config import GuaranteeRules
from partage.core.risk import fund
from partage.core.risk.report import risk_report
from partage.core.risk.solvency import fund_capacity, headrooms
from partage.core.risk.takeover import run_takeovers, takeover_queue
from partage.core.sales import credit_notes, payments
from partage.core.sales.fund_cover import Standing, standing
from partage.core.sales.invoices import invoice_by_number
from tests.acts.test_engine import DAY, snapshot
from tests.engine_support import World, build_world
from tests.risk.test_fund_capacity import allocate, buy, invoice, two_entities

D = Decimal
DUE = DAY + timedelta(days=30)
LAPSED = DUE + timedelta(days=61)  # one day past the 60 days overdue the guarantee covers


@pytest.fixture
def world(engine: Engine) -> World:
    return two_entities(build_world(engine))


def state(world: World, code: str, on: date = DAY) -> Standing:
    with world.act() as s:
        entity = s.scalars(select(Entity).where(Entity.code == code)).one()
        return standing(s, world.coop, entity, on)


def balanced(world: World) -> bool:
    with world.act() as s:
        report = trial_balance(s, book=None, start=date(2026, 1, 1), end=date(2027, 12, 31))
    return report.total_debit == report.total_credit


def hire(world: World, entity: str, member: int, gross: str, end: date | None = None) -> str:
    with world.act() as s:
        return payroll.hire(
            s,
            world.coop,
            entity=entity,
            member=member,
            worker_category="employee",
            start=DAY,
            end=end,
            monthly_gross=gross,
            actor="t",
        ).code


def pay(world: World, contract: str, month: date) -> Decimal:
    with world.act() as s:
        slip = payroll.pay(s, world.coop, contract, month=month, paid_on=month, actor="t")
        return (D(slip.employer_cost + slip.insurance) / 100).quantize(D("0.01"))


def receive(world: World, entity: str, number: str, amount: str, key: str, on: date) -> None:
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key=key,
            entity=entity,
            client="C000001",
            amount=amount,
            on=on,
            actor="t",
            allocations=[(number, amount)],
        )


def test_a_credit_note_after_a_paid_salary_is_advanced_by_the_fund_and_blocks(
    world: World,
) -> None:
    number = invoice(world, "E000001", "10000")
    allocate(world, "2000")
    contract = hire(world, "E000001", 1, "3000")
    cost = pay(world, contract, DAY)
    with world.act() as s:
        credit_notes.issue_credit_note(
            s, world.coop, invoice=number, on=DAY, actor="t", reason="wrong client"
        )
    after = state(world, "E000001")
    # the credit note took back the receivable, VAT and fee: what the salary cost is
    # left short, and the fund advanced exactly that
    assert after.advanced == cost
    assert after.funds + after.covered == 0
    assert balanced(world)
    before = snapshot(world)
    with pytest.raises(EntityBlocked) as refused:
        buy(world, "E000001", "10", "S1")
    assert refused.value.field == "entity"
    assert refused.value.missing == cost
    assert f"owes the salary guarantee fund {cost} EUR" in str(refused.value)
    assert isinstance(refused.value, InsufficientFunds)
    assert snapshot(world) == before
    with pytest.raises(EntityBlocked):
        hire(world, "E000001", 1, "100")
    # wages for work done are still paid; the fund advances what they leave short
    second = pay(world, contract, date(2026, 8, 1))
    assert state(world, "E000001").advanced == cost + second
    # later receipts repay the advance first, then the entity is free again
    paid = invoice(world, "E000001", "10000")
    receive(world, "E000001", paid, "12100", "p1", DAY)
    after = state(world, "E000001")
    assert after.advanced == 0
    assert after.funds == D("12100") - D("2750") - cost - second
    buy(world, "E000001", "10", "S2")
    with world.act() as s:
        assert fund_capacity(s, world.coop, DAY).tied == 0
        assert takeover_queue(s, world.coop, on=DAY).blocked == ()
    assert balanced(world)


def test_the_fund_takes_over_a_lapsed_receivable_once_and_the_client_pays_it(
    world: World,
) -> None:
    with world.act() as s:
        from partage.core.sales import invoices
        from partage.core.sales.invoices import LineInput

        number = invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Work", "1", "10000")],
            on=DAY,
            due_on=DUE,
            actor="t",
        ).number
    allocate(world, "2000")
    contract = hire(world, "E000001", 1, "3000")
    cost = pay(world, contract, DAY)
    assert state(world, "E000001", LAPSED).funds + state(world, "E000001", LAPSED).covered < 0
    with world.act() as s:
        queue = takeover_queue(s, world.coop, on=LAPSED)
        assert (queue.to_take_over, queue.held) == (1, ())
        done = run_takeovers(s, world.coop, on=LAPSED, actor="t")
    assert [(t.invoice, t.amount) for t in done.taken_over] == [(number, D("12100.00"))]
    after = state(world, "E000001", LAPSED)
    assert (after.funds, after.covered, after.advanced) == (D("9350.00") - cost, 0, 0)
    before = snapshot(world)
    with world.act() as s:
        again = run_takeovers(s, world.coop, on=LAPSED, actor="t")
    assert not again.changed and snapshot(world) == before
    with world.act() as s:
        report = risk_report(s, world.coop, on=LAPSED)
        assert report.lapsed == ()
        assert [(r.invoice, r.outstanding) for r in report.taken_over] == [(number, D("12100.00"))]
        assert report.tied == D("12100.00")
        assert report.capacity == 0  # the fund's 2,130.00 are tied up in the receivable
        queue = takeover_queue(s, world.coop, on=LAPSED)
        assert [h.invoice for h in queue.held] == [number] and queue.to_take_over == 0
        assert invoice_by_number(s, number).taken_over_on == LAPSED
    # the client pays late: the money is the fund's, the entity's funds do not move
    receive(world, "E000001", number, "12100", "late", LAPSED)
    assert state(world, "E000001", LAPSED).funds == D("9350.00") - cost
    with world.act() as s:
        report = risk_report(s, world.coop, on=LAPSED)
        assert (report.taken_over, report.tied, report.capacity) == ((), 0, D("21300.00"))
    assert balanced(world)


def test_a_default_on_a_taken_over_receivable_is_the_funds_loss(world: World) -> None:
    with world.act() as s:
        from partage.core.sales import invoices
        from partage.core.sales.invoices import LineInput

        number = invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Work", "1", "1000")],
            on=DAY,
            due_on=DUE,
            actor="t",
        ).number
    with world.act() as s:
        run_takeovers(s, world.coop, on=LAPSED, actor="t")
    funds = state(world, "E000001", LAPSED).funds
    with world.act() as s:
        [loss] = fund.declare_default(
            s, world.coop, "C000001", on=LAPSED, actor="t", reason="bankrupt"
        )
        assert (loss.outstanding, loss.vat_recovered, loss.absorbed) == (
            D("1210.00"),
            D("210.00"),
            D("1000.00"),
        )
        state_after = fund_capacity(s, world.coop, LAPSED)
        report = risk_report(s, world.coop, on=LAPSED)
    assert state(world, "E000001", LAPSED).funds == funds  # the entity was paid already
    assert state_after.balance == D("13.00") - D("1000.00")
    assert state_after.tied == 0
    assert report.losses_absorbed == D("1000.00") and report.taken_over == ()
    assert [w.invoice for w in report.written_off] == [number]
    assert balanced(world)


def test_a_hire_reserves_its_fixed_term_and_its_payslips_are_always_paid(
    world: World,
) -> None:
    invoice(world, "E000001", "10000")
    allocate(world, "2000")  # capacity 21,300.00: the entity's own coverage binds
    with world.act() as s:
        room = headrooms(s, world.coop, [1], DAY)[1]
    assert room == D("6930.00")
    end = date(2026, 9, 30)  # three months: July to September
    hired, refused = [], []
    for _ in range(5):
        try:
            hired.append(hire(world, "E000001", 1, "1500", end))
        except InsufficientFunds as error:
            refused.append(error)
    assert hired and refused  # not all five three-month contracts fit
    assert all(e.field == "entity" and "3 months" in e.rule for e in refused)
    with world.act() as s:
        rows = s.scalars(select(Contract).where(Contract.code.in_(hired))).all()
        reserved = sum(D(r.reserved) / 100 for r in rows)
        left = headrooms(s, world.coop, [1], DAY)[1]
    assert reserved <= room and left == room - reserved
    # every month of every contract hired is paid: the work was done, and reserved
    for month in (DAY, date(2026, 8, 1), date(2026, 9, 1)):
        for code in hired:
            pay(world, code, month)
    with world.act() as s:
        assert headrooms(s, world.coop, [1], DAY)[1] == left  # released as paid
    after = state(world, "E000001")
    assert after.funds + after.covered >= 0
    assert balanced(world)


def test_a_credit_note_on_a_taken_over_receivable_gives_the_fund_back_what_it_paid(
    world: World,
) -> None:
    with world.act() as s:
        from partage.core.sales import invoices
        from partage.core.sales.invoices import LineInput

        number = invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Work", "1", "10000")],
            on=DAY,
            due_on=DUE,
            actor="t",
        ).number
    allocate(world, "2000")
    contract = hire(world, "E000001", 1, "3000")
    cost = pay(world, contract, DAY)
    with world.act() as s:
        run_takeovers(s, world.coop, on=LAPSED, actor="t")
        credit_notes.issue_credit_note(
            s, world.coop, invoice=number, on=LAPSED, actor="t", reason="never delivered"
        )
    after = state(world, "E000001", LAPSED)
    # as if there had been no takeover: the salary paid is what the entity lacks
    assert (after.funds, after.covered, after.advanced) == (D(0), D(0), cost)
    with world.act() as s:
        report = risk_report(s, world.coop, on=LAPSED)
    assert report.taken_over == () and report.tied == cost
    assert balanced(world)


def test_an_invoice_beyond_the_coverage_ceiling_is_advanced_its_vat_and_fee(
    engine: Engine,
) -> None:
    rules = replace(GuaranteeRules(), ceiling_per_entity=D("1000.00"))
    world = two_entities(build_world(engine, rules))
    invoice(world, "E000001", "10000")  # 2,750.00 owed at once, 1,000.00 covered
    after = state(world, "E000001")
    assert (after.funds, after.covered, after.advanced) == (
        D("-1000.00"),
        D("1000.00"),
        D("1750.00"),
    )
    with pytest.raises(EntityBlocked):
        buy(world, "E000001", "1", "S1")
