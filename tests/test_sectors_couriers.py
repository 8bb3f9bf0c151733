"""The couriers sector: a shift paid for at least 3 hours, bike repairs reimbursed as
professional expenses, and the delivery platform as the client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import InvalidAct, RefusedBySector
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.payroll import service as payroll
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.sectors.records import set_platform
from partage.core.spending import expenses
from partage.plugins.sectors import couriers
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY, client, enable, fund, member_with_entity, snapshot

D = Decimal
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))


@pytest.fixture
def world(engine: Engine) -> World:
    """Member 1's entity E000001 rides for platforms (couriers enabled in the office from
    1 January 2026); member 2's E000002 does design; C000001 is a platform, C000002 not."""
    world = with_sectors(build_world(engine), "couriers")
    enable(world, "couriers")
    member_with_entity(world, 1, ["couriers"])
    member_with_entity(world, 2, [])
    client(world, "Deliveries Ltd", "ZZ0000000001")
    client(world, "Corner Bistro", "ZZ0000000002")
    with world.act() as s:
        set_platform(s, "C000001", platform=True, actor="adviser", reason="delivery platform")
    for entity in ("E000001", "E000002"):
        fund(world, entity, "C000001")
    return world


def shift(world: World, hours: str, entity: str = "E000001", member: int = 1, day: date = DAY):  # type: ignore[no-untyped-def]
    """Hire for a one-day shift at 15.00 an hour and pay the hours worked."""
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity=entity,
            member=member,
            worker_category="employee",
            start=day,
            end=day,
            hourly_rate="15",
            actor="t",
        )
        return payroll.pay(
            s, world.coop, contract.code, month=day, paid_on=day, hours=hours, actor="t"
        )


def test_a_one_hour_shift_is_paid_as_three_hours(world: World) -> None:
    slip = shift(world, "1")
    assert slip.gross == 4500  # 3 h × 15.00, not 1 h
    assert D(slip.hours) == 1  # the hours worked stay on record
    employee = next(line for line in slip.lines if line["code"] == "ss_employee")
    assert D(employee["base"]) == D("45.00")  # contributions on what is paid


def test_a_shift_longer_than_the_minimum_is_paid_as_worked(world: World) -> None:
    assert shift(world, "4.5").gross == 6750


def test_outside_the_trade_an_hour_is_an_hour(world: World) -> None:
    assert shift(world, "1", entity="E000002", member=2).gross == 1500


def test_a_contract_over_several_days_is_not_a_shift() -> None:
    month = EmploymentContract(
        "employee", date(2026, 7, 1), hourly_rate=D(15), hours=D(1), end=date(2026, 7, 31)
    )
    assert couriers.partage_paid_hours(contract=month, period=JULY) is None


def test_the_minimum_starts_with_the_2016_agreement() -> None:
    def one_hour(day: date) -> EmploymentContract:
        return EmploymentContract("employee", day, hourly_rate=D(15), hours=D(1), end=day)

    may = Period(date(2016, 5, 1), date(2016, 5, 31))
    assert couriers.partage_paid_hours(contract=one_hour(date(2016, 5, 3)), period=may) is None
    assert couriers.partage_paid_hours(contract=one_hour(date(2016, 5, 4)), period=may) == 3
    source = couriers.PARAMETERS["shift.minimum_paid_hours"].at(date(2016, 5, 4))
    assert "Smart" in source.reference and source.value == 3


def test_bike_repairs_are_a_reimbursable_professional_expense_of_couriers(
    world: World,
) -> None:
    assert couriers.BIKE_REPAIR.reimbursable
    with world.act() as s:
        claim = expenses.claim_expense(
            s,
            world.coop,
            entity="E000001",
            member=1,
            category="bike_repair",
            net="38.50",
            on=DAY,
            receipt_name="cycle-shop.pdf",
            receipt=b"receipt",
            actor="t",
        )
    assert (claim.category, claim.net) == ("bike_repair", 3850)
    outside = "category: 'bike_repair' must be one of"
    with pytest.raises(InvalidAct, match=outside), world.act() as s:
        expenses.claim_expense(
            s,
            world.coop,
            entity="E000002",
            member=2,
            category="bike_repair",
            net="38.50",
            on=DAY,
            receipt_name="cycle-shop.pdf",
            receipt=b"receipt",
            actor="t",
        )


def invoice(world: World, party: str):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client=party,
            lines=[LineInput("Deliveries, week 27", "20", "15")],
            on=DAY,
            actor="t",
        )


def test_a_courier_invoices_the_platform_not_the_restaurant(world: World) -> None:
    before = snapshot(world)
    with pytest.raises(RefusedBySector) as refused:
        invoice(world, "C000002")
    assert str(refused.value) == (
        "sector couriers: a courier's work is sold to the delivery platform: client "
        "C000002 (Corner Bistro) is not registered as a platform"
    )
    assert snapshot(world) == before
    assert invoice(world, "C000001").number == "F2026-000001"


def test_once_registered_as_a_platform_the_party_can_be_invoiced(world: World) -> None:
    with world.act() as s:
        set_platform(s, "C000002", platform=True, actor="adviser")
    assert invoice(world, "C000002").number == "F2026-000001"


def test_couriers_go_to_the_committee_with_their_questions() -> None:
    assert couriers.partage_review_required() is True
    codes = [q.code for q in couriers.partage_review_questions()]
    assert codes == ["platforms", "equipment", "hours"]
