"""Every economic act of an entity asks the sectors in force before it writes: a sector
that records what it is shown sees each act, with its date, amount, counterpart and
member; a sector the entity's office has not enabled sees nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import RefusedBySector
from partage.core.contract.hookspecs import hookimpl
from partage.core.contract.sectors import ActContext, Refusal
from partage.core.payroll import service as payroll
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.core.sectors.rules import set_entity_sectors
from partage.core.spending import copyright, expenses, internal_invoices, purchases
from tests.engine_support import World, build_world
from tests.sector_support import DAY, client, enable, fund, member_with_entity, snapshot


class Recorder:
    """A sector that accepts every act and keeps what it was shown."""

    PARTAGE_HOOK_API = "2.0"

    def __init__(self) -> None:
        self.seen: list[ActContext] = []

    @hookimpl
    def partage_validate_act(self, act: ActContext) -> Refusal | None:
        self.seen.append(act)
        return None


class Refuser:
    """A sector that refuses purchases above 100."""

    PARTAGE_HOOK_API = "2.0"

    @hookimpl
    def partage_validate_act(self, act: ActContext) -> Refusal | None:
        if act.kind == "purchase" and act.amount is not None and act.amount > 100:
            return Refusal("thrifty", f"purchases above 100 wait for the next month ({act.amount})")
        return None


@pytest.fixture
def world(engine: Engine) -> World:
    world = build_world(engine)
    world.coop.plugins.register(Recorder(), name="sector:recorder")
    world.coop.plugins.register(Refuser(), name="sector:thrifty")
    member_with_entity(world, 1, [])
    member_with_entity(world, 2, [])
    with world.act() as s:
        for entity in ("E000001", "E000002"):
            set_entity_sectors(s, world.coop, entity, ["recorder", "thrifty"], actor="t")
    party = client(world)
    fund(world, "E000001", party)
    fund(world, "E000002", party, key="second")
    return world


def recorder(world: World) -> Recorder:
    found = world.coop.plugins.get_plugin("sector:recorder")
    assert isinstance(found, Recorder)
    return found


def every_act(world: World) -> None:
    c = world.coop
    line = [LineInput("Work", "2", "150")]
    with world.act() as s:
        invoices.send_quote(s, c, entity="E000001", client="C000001", lines=line, on=DAY, actor="t")
        issued = invoices.issue_invoice(
            s, c, entity="E000001", client="C000001", lines=line, on=DAY, actor="t"
        )
        credit_notes.issue_credit_note(
            s, c, invoice=issued.number, on=DAY, actor="t", reason="Gift"
        )
        purchases.record_purchase(
            s,
            c,
            entity="E000001",
            supplier="C000001",
            supplier_reference="S1",
            net="80",
            on=DAY,
            actor="t",
        )
        expenses.claim_expense(
            s,
            c,
            entity="E000001",
            member=1,
            category="travel",
            net="12",
            on=DAY,
            receipt_name="train.pdf",
            receipt=b"ticket",
            actor="t",
        )
        internal = internal_invoices.propose_internal_invoice(
            s,
            c,
            seller="E000001",
            buyer="E000002",
            amount="40",
            description="Layout",
            on=DAY,
            actor="t",
        )
        internal_invoices.decide_internal_invoice(
            s, c, internal.number, accept=True, by_member=2, on=DAY, actor="t"
        )
        copyright.cede_copyright(
            s, c, entity="E000001", member=1, work="Poster", amount="100", on=DAY, actor="t"
        )
        contract = payroll.hire(
            s,
            c,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="20",
            actor="t",
        )
        payroll.pay(s, c, contract.code, month=DAY, paid_on=DAY, hours="5", actor="t")


def test_every_act_of_an_entity_is_shown_to_the_sectors_in_force(world: World) -> None:
    enable(world, "recorder")
    every_act(world)
    seen = [(a.kind, a.entity, a.detail("side")) for a in recorder(world).seen]
    assert seen == [
        ("quote", "E000001", None),
        ("invoice", "E000001", None),
        ("credit_note", "E000001", None),
        ("purchase", "E000001", None),
        ("expense", "E000001", None),
        ("internal_invoice", "E000001", "seller"),
        ("internal_invoice", "E000002", "buyer"),
        ("copyright_cession", "E000001", None),
        ("contract", "E000001", None),
        ("payslip", "E000001", None),
    ]
    acts = {a.kind: a for a in recorder(world).seen}
    assert all(a.office == "cap" and a.on == DAY for a in acts.values())
    assert acts["invoice"].counterpart is not None
    assert acts["invoice"].counterpart.code == "C000001"
    assert acts["purchase"].amount == Decimal("80")
    assert acts["purchase"].detail("category") == "purchases"
    assert (acts["expense"].member, acts["expense"].detail("category")) == (1, "travel")
    assert (acts["contract"].member, acts["contract"].detail("worker_category")) == (1, "employee")
    assert (acts["payslip"].member, acts["payslip"].detail("hours")) == (1, "5")


def test_a_sector_not_enabled_in_the_office_is_not_asked(world: World) -> None:
    every_act(world)
    assert recorder(world).seen == []


def test_a_sector_enabled_later_is_not_asked_about_earlier_acts(world: World) -> None:
    enable(world, "recorder", date(2026, 7, 7))
    every_act(world)
    assert recorder(world).seen == []


def test_a_refusal_names_the_sector_and_writes_nothing(world: World) -> None:
    enable(world, "thrifty")
    before = snapshot(world)
    with pytest.raises(RefusedBySector) as refused, world.act() as s:
        purchases.record_purchase(
            s,
            world.coop,
            entity="E000001",
            supplier="C000001",
            supplier_reference="S9",
            net="250",
            on=DAY,
            actor="t",
        )
    assert str(refused.value) == (
        "sector thrifty: purchases above 100 wait for the next month (250)"
    )
    assert snapshot(world) == before
