"""The salary guarantee fund's capacity: the coverage in use across the instance never
passes ``balance × leverage`` through a commitment.

Figures, on Testland (VAT 21 %, fee 6.5 %, 20 % of the fee to the fund, coverage 80 %,
leverage 10): an invoice of 10,000.00 leaves its entity at −2,750.00 (VAT 2,100.00 and
fee 650.00 owed) with 9,680.00 of coverage, of which it uses 2,750.00, and brings the
fund 130.00; one of 1,000.00 leaves −275.00 with 968.00 of coverage and brings 13.00.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import FundCapacityReached, InsufficientFunds, InvalidAct
from partage.core.contract.money import from_minor
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.payroll import service as payroll
from partage.core.platform.config import GuaranteeRules
from partage.core.platform.db.engine import make_engine
from partage.core.risk import fund
from partage.core.risk.report import risk_report
from partage.core.risk.solvency import Commitments, fund_capacity, headrooms
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending import purchases
from tests.acts.test_engine import DAY, snapshot
from tests.builders import person
from tests.engine_support import World, build_world

D = Decimal


@pytest.fixture
def world(engine: Engine) -> World:
    return two_entities(build_world(engine))


def two_entities(world: World) -> World:
    """Members 1 and 2 holding E000001 and E000002; C000001 a domestic client and
    supplier."""
    with world.act() as s:
        for n in (1, 2):
            membership.admit_member(
                s, world.coop, person(n), share_class="A", shares=1, on=DAY, actor="t"
            )
            members.open_entity(
                s,
                world.coop,
                holders=[n],
                name=f"E{n}",
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
    return world


def invoice(world: World, entity: str, net: str) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=entity,
            client="C000001",
            lines=[LineInput("Work", "1", net)],
            on=DAY,
            actor="t",
        ).number


def allocate(world: World, amount: str) -> None:
    with world.act() as s:
        fund.allocate(s, world.coop, amount, on=DAY, actor="t", reason="general assembly")


def buy(world: World, entity: str, net: str, ref: str) -> None:
    with world.act() as s:
        purchases.record_purchase(
            s,
            world.coop,
            entity=entity,
            supplier="C000001",
            supplier_reference=ref,
            net=net,
            on=DAY,
            actor="t",
        )


def capacity(world: World) -> tuple[Decimal, Decimal, Decimal]:
    with world.act() as s:
        state = fund_capacity(s, world.coop, DAY)
    return state.balance, state.capacity, state.exposure


def test_a_commitment_beyond_the_capacity_is_refused_with_the_funds_figures(
    world: World,
) -> None:
    invoice(world, "E000001", "10000")
    invoice(world, "E000002", "1000")
    assert capacity(world) == (D("143.00"), D("1430.00"), D("3025.00"))
    allocate(world, "500")
    assert capacity(world) == (D("643.00"), D("6430.00"), D("3025.00"))
    buy(world, "E000001", "3000", "S1")  # needs 3,000.00 of the 3,405.00 left
    assert capacity(world)[2] == D("6025.00")
    before = snapshot(world)
    with pytest.raises(FundCapacityReached) as refused:
        buy(world, "E000002", "500", "S2")  # within E000002's own coverage, not the fund's
    error = refused.value
    assert error.field == "guarantee_fund"
    assert "at capacity" in error.rule
    assert (error.balance, error.leverage, error.capacity) == (D("643.00"), D(10), D("6430.00"))
    assert (error.exposure, error.needed, error.missing) == (D("6025.00"), D("500"), D("95.00"))
    assert error.entity == "E000002"
    assert (
        "balance 643.00 EUR × leverage 10 = capacity 6430.00 EUR, exposure already granted "
        "6025.00 EUR, this act needs 500.00 EUR of coverage, 95.00 EUR beyond capacity"
    ) in str(error)
    assert isinstance(error, InsufficientFunds)  # a lack of funds, as faces show it
    assert snapshot(world) == before
    buy(world, "E000002", "405", "S3")  # exactly the capacity left
    assert capacity(world)[1:] == (D("6430.00"), D("6430.00"))


def test_own_funds_never_ask_the_fund_even_past_its_capacity(world: World) -> None:
    invoice(world, "E000001", "10000")
    number = invoice(world, "E000002", "1000")
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key="p",
            entity="E000002",
            client="C000001",
            amount="1210",
            on=DAY,
            actor="t",
            allocations=[(number, "1210")],
        )
    _, cap, exposure = capacity(world)
    assert exposure > cap  # E000001's invoice alone uses more than the fund bears
    buy(world, "E000002", "935", "S1")  # 1,210.00 received less 275.00 owed
    with pytest.raises(InsufficientFunds) as refused:
        buy(world, "E000002", "0.01", "S2")
    assert not isinstance(refused.value, FundCapacityReached)  # no coverage left to ask
    with pytest.raises(FundCapacityReached):
        buy(world, "E000001", "0.01", "S3")


def test_headroom_is_funds_plus_the_coverage_the_capacity_grants(world: World) -> None:
    invoice(world, "E000001", "10000")
    invoice(world, "E000002", "1000")
    allocate(world, "500")  # 3,405.00 of capacity left
    with world.act() as s:
        rooms = headrooms(s, world.coop, [1, 2], DAY)
        rule = Commitments(s, world.coop, [1, 2], DAY, lock=False)
        granted = (rule.granted(1), rule.granted(2))
    # E000001: uses 2,750.00 of 9,680.00 and may draw 3,405.00 more: −2,750 + 6,155
    # E000002: uses 275.00 of 968.00 and may draw its last 693.00
    assert granted == (D("6155.00"), D("968.00"))
    assert rooms == {1: D("3405.00"), 2: D("693.00")}


def test_a_payroll_run_pays_work_done_past_the_capacity(world: World) -> None:
    invoice(world, "E000001", "10000")
    invoice(world, "E000002", "10000")
    allocate(world, "590")  # capacity 8,500.00, exposure 5,500.00: 3,000.00 left
    with world.act() as s:
        contracts = [
            payroll.hire(
                s,
                world.coop,
                entity=f"E00000{n}",
                member=n,
                worker_category="employee",
                start=DAY,
                hourly_rate="20",
                actor="t",
            ).code
            for n in (1, 2)
        ]
    with world.act() as s:
        run = payroll.run_payroll(
            s,
            world.coop,
            [payroll.PayrollItem(c, "80") for c in contracts],  # 2,016.00 each
            month=DAY,
            paid_on=DAY,
            actor="t",
        )
    # wages for work done are owed: both are paid, past the capacity; the commitments
    # that follow wait until the fund grows or the clients pay
    assert [p.contract for p in run.paid] == contracts and not run.refused
    assert capacity(world)[1:] == (D("8500.00"), D("5500.00") + 2 * D("2016.00"))
    with pytest.raises(FundCapacityReached):
        buy(world, "E000002", "1", "S1")


def test_a_fund_below_zero_grants_nothing_new(world: World) -> None:
    number = invoice(world, "E000001", "1000")
    with world.act() as s:
        fund.write_off(s, world.coop, number, on=DAY, actor="t", reason="gone")
    balance, cap, _ = capacity(world)
    assert balance == D("13.00") - D("1000.00")
    assert cap == 0
    invoice(world, "E000002", "1000")
    with pytest.raises(FundCapacityReached) as refused:
        buy(world, "E000002", "1", "S1")
    assert refused.value.capacity == 0


def test_leverage_zero_suspends_the_coverage(engine: Engine) -> None:
    world = two_entities(build_world(engine, replace(GuaranteeRules(), leverage=D(0))))
    invoice(world, "E000001", "10000")
    allocate(world, "100000")
    with pytest.raises(FundCapacityReached) as refused:
        buy(world, "E000001", "1", "S1")
    assert refused.value.capacity == 0


def test_an_allocation_needs_an_amount_and_the_decision(world: World) -> None:
    before = snapshot(world)
    with pytest.raises(InvalidAct, match="amount"), world.act() as s:
        fund.allocate(s, world.coop, "-5", on=DAY, actor="t", reason="ga")
    with pytest.raises(InvalidAct, match="reason"), world.act() as s:
        fund.allocate(s, world.coop, "5", on=DAY, actor="t", reason=" ")
    assert snapshot(world) == before
    with world.act() as s:
        done = fund.allocate(s, world.coop, "250", on=DAY, actor="t", reason="GA 2026")
    assert (done.reference, done.amount, done.balance) == ("G2026-000001", D("250.00"), D("250.00"))


def test_the_risk_report_lists_coverage_lapses_and_write_offs(world: World) -> None:
    late = date(2026, 3, 2)
    with world.act() as s:
        old = invoices.issue_invoice(
            s,
            world.coop,
            entity="E000002",
            client="C000001",
            lines=[LineInput("Old work", "1", "100")],
            on=late,
            due_on=date(2026, 4, 1),
            actor="t",
        ).number
    lost = invoice(world, "E000002", "1000")
    with world.act() as s:
        fund.write_off(s, world.coop, lost, on=DAY, actor="t", reason="bankrupt")
    invoice(world, "E000001", "10000")
    allocate(world, "1000")
    with world.act() as s:
        report = risk_report(s, world.coop, on=DAY)
    # 1.30 + 13.00 + 130.00 of fees, 1,000.00 allocated, 1,000.00 absorbed
    assert (report.balance, report.leverage, report.capacity) == (
        D("144.30"),
        D(10),
        D("1443.00"),
    )
    assert report.losses_absorbed == D("1000.00")
    [entity] = report.entities
    assert (entity.entity, entity.eligible, entity.coverage, entity.in_use) == (
        "E000001",
        D("12100.00"),
        D("9680.00"),
        D("2750.00"),
    )
    assert report.in_use == D("2750.00") and report.granted == D("9680.00")
    assert report.headroom == 0
    [lapsed] = report.lapsed
    # VAT was 20 % in March
    assert (lapsed.entity, lapsed.invoice, lapsed.outstanding) == ("E000002", old, D("120.00"))
    assert lapsed.days_overdue == (DAY - date(2026, 4, 1)).days == 96
    [written] = report.written_off
    assert (written.invoice, written.outstanding, written.vat_recovered, written.absorbed) == (
        lost,
        D("1210.00"),
        D("210.00"),
        D("1000.00"),
    )


@pytest.mark.postgresql
def test_two_entities_racing_for_the_last_capacity_one_passes(postgresql_url: str) -> None:
    """Each entity's own coverage allows its purchase; the fund's capacity allows one."""
    engine = make_engine(postgresql_url, pool_size=4)
    world = two_entities(build_world(engine))
    invoice(world, "E000001", "10000")
    invoice(world, "E000002", "10000")
    allocate(world, "590")  # capacity 8,500.00, exposure 5,500.00: 3,000.00 left
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def commit(entity: str) -> None:
        barrier.wait()
        try:
            buy(world, entity, "2000", f"S-{entity}")
            outcomes[entity] = "ok"
        except FundCapacityReached:
            outcomes[entity] = "refused"

    threads = [threading.Thread(target=commit, args=(e,)) for e in ("E000001", "E000002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["ok", "refused"]
    assert capacity(world)[1:] == (D("8500.00"), D("7500.00"))
    engine.dispose()


def test_what_hires_reserve_counts_in_the_fund_s_exposure(world: World) -> None:
    """A hire's reservation is committed: an entity whose coverage carries it uses that
    coverage, and the instance-wide exposure (and the risk report) count it as the rule
    for the entity does."""
    allocate(world, "1000")
    invoice(world, "E000001", "10000")  # −2,750.00 of funds on 9,680.00 of coverage
    assert capacity(world)[2] == D("2750.00")
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            end=date(2026, 9, 30),
            monthly_gross="1000",
            actor="t",
        )
        reserved = from_minor(contract.reserved, world.coop.currency)
    assert reserved > 0
    with world.act() as s:
        rule = Commitments(s, world.coop, [1, 2], DAY, lock=False)
        report = risk_report(s, world.coop, on=DAY)
    exposure = capacity(world)[2]
    assert exposure == D("2750.00") + reserved == rule.in_use(1) + rule.in_use(2)
    assert report.in_use == exposure
    (row,) = report.entities
    assert (row.in_use, row.available_funds) == (exposure, D("-2750.00") - reserved)
