"""The cooperative's monthly headcount counted from the payslips it paid: working time
and days of the month the contract covers (C. trav. art. L1111-2, CSS art. R130-1 II)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert, select

from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.models import Entity, Member
from partage.core.payroll.headcount import monthly_headcounts
from partage.core.payroll.models import Contract, PayslipRecord
from tests.acts.test_engine import DAY
from tests.builders import person
from tests.engine_support import World, build_world

D = Decimal


@pytest.fixture
def world(engine: Engine) -> World:
    world = build_world(engine)
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s, world.coop, holders=[1], name="E", kind="freelance", office="cap", on=DAY, actor="t"
        )
    return world


def _paid(
    world: World, code: str, start: date, end: date | None, part: str, months: list[date]
) -> None:
    """A contract and its payslips written as a past payroll left them."""
    with world.act() as s:
        entity = s.scalars(select(Entity.id)).one()
        member = s.scalars(select(Member.id)).one()
        contract = s.execute(
            insert(Contract)
            .values(
                code=code,
                entity_id=entity,
                member_id=member,
                worker_category="employee",
                start=start,
                end=end,
                monthly_gross=200000,
                part_time=D(part),
                tax_situation="single",
                dependent_children=0,
            )
            .returning(Contract.id)
        ).scalar_one()
        for first in months:
            last = date(first.year, first.month, 28 if first.month == 2 else 30)
            if first.month in (1, 3, 5, 7, 8, 10, 12):
                last = date(first.year, first.month, 31)
            s.execute(
                insert(PayslipRecord).values(
                    contract_id=contract,
                    period_start=first,
                    period_end=last,
                    paid_on=last,
                    gross=200000,
                    employee_contributions=0,
                    employer_contributions=0,
                    withholding=0,
                    net=200000,
                    employer_cost=200000,
                    insurance=0,
                    lines=[],
                )
            )


def test_months_count_working_time_and_days_covered(world: World) -> None:
    _paid(world, "C1", date(2024, 1, 1), None, "1", [date(2025, 1, 1), date(2025, 2, 1)])
    # half time from 16 April 2025 (15 of April's 30 days) to 31 May 2025
    _paid(
        world,
        "C2",
        date(2025, 4, 16),
        date(2025, 5, 31),
        "0.5",
        [date(2025, 4, 1), date(2025, 5, 1)],
    )
    # outside the five years before 2026
    _paid(world, "C3", date(2019, 1, 1), None, "1", [date(2020, 12, 1)])
    with world.act() as s:
        found = dict(monthly_headcounts(s, date(2026, 3, 1)))
    assert found == {
        date(2025, 1, 1): D(1),
        date(2025, 2, 1): D(1),
        date(2025, 4, 1): D("0.25"),
        date(2025, 5, 1): D("0.5"),
    }


def test_each_office_names_the_authority_of_its_place_of_work(fr) -> None:  # type: ignore[no-untyped-def]
    """The French instance's offices: Paris, Lyon and Nantes each with their mobility
    authority, read for the entity's office by the payroll run and hiring."""
    from partage.core.members.service import entity_by_code
    from partage.core.payroll.service import workplace_authorities

    with fr.act() as s:
        lyon = members.open_entity(
            s, fr.coop, holders=[1], name="Lyon", kind="freelance", office="lyo", on=DAY, actor="t"
        )
        paris = entity_by_code(s, fr.entity)
        found = workplace_authorities(s, fr.coop, [paris, entity_by_code(s, lyon.code)])
    assert sorted(found.values()) == ["idfm_paris_petite_couronne", "sytral_metropole_de_lyon"]


def test_the_budget_simulator_keeps_the_place_of_work() -> None:
    from partage.core.contract.payroll import EmploymentContract
    from partage.core.payroll.budget import _with_gross

    terms = EmploymentContract(
        "non_cadre", DAY, hourly_rate=D(15), hours=D(10), workplace_authority="nantes_metropole"
    )
    full = _with_gross(terms, D(2500))
    assert (full.monthly_gross, full.hourly_rate, full.part_time) == (D(2500), None, D(1))
    assert full.workplace_authority == "nantes_metropole"
