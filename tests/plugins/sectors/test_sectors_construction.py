"""The construction sector: no act of the trade without a valid ten-year liability
insurance attestation on file for the entity on the act's date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import InvalidAct, NotFound, RefusedBySector
from partage.core.contract.sectors import ActContext, ActKind, Attestation
from partage.core.payroll import service as payroll
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.core.sectors.records import register_attestation
from partage.core.spending import purchases
from partage.plugins.sectors import construction
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY, client, enable, fund, member_with_entity, snapshot

REASON = "no valid insurance attestation for construction on"


@pytest.fixture
def world(engine: Engine) -> World:
    """Member 1's entity E000001 builds; member 2's E000002 does design; the office
    enabled construction on 1 January 2026; client C000001."""
    world = with_sectors(build_world(engine), "construction")
    enable(world, "construction")
    member_with_entity(world, 1, ["construction"])
    member_with_entity(world, 2, [])
    client(world)
    return world


def insure(world: World, entity: str = "E000001", until: date = date(2026, 12, 31)) -> None:
    with world.act() as s:
        register_attestation(
            s,
            world.coop,
            kind="ten_year_liability",
            entity=entity,
            issuer="Assurances du Bâtiment",
            number="RCD-2026-0042",
            valid_from=date(2026, 1, 1),
            valid_until=until,
            actor="adviser",
        )


def invoice(world: World, on: date = DAY, entity: str = "E000001"):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=entity,
            client="C000001",
            lines=[LineInput("Roof repair", "1", "2000")],
            on=on,
            actor="t",
        )


def test_an_invoice_without_attestation_is_refused_with_the_reason_and_writes_nothing(
    world: World,
) -> None:
    before = snapshot(world)
    with pytest.raises(RefusedBySector) as refused:
        invoice(world)
    assert str(refused.value) == f"sector construction: {REASON} 2026-07-06"
    assert snapshot(world) == before


def test_an_attestation_covering_the_date_lets_the_act_through(world: World) -> None:
    insure(world)
    assert invoice(world).number == "F2026-000001"


def test_an_expired_attestation_no_longer_covers(world: World) -> None:
    insure(world, until=date(2026, 6, 30))
    with pytest.raises(RefusedBySector, match=f"{REASON} 2026-07-06"):
        invoice(world)


def test_another_entitys_attestation_does_not_count(world: World) -> None:
    insure(world, entity="E000002")
    with pytest.raises(RefusedBySector, match=REASON):
        invoice(world)


def test_an_entity_outside_the_trade_is_not_subject(world: World) -> None:
    assert invoice(world, entity="E000002").number == "F2026-000001"


def test_quotes_purchases_and_hiring_are_refused_too(world: World) -> None:
    fund(world, "E000001", "C000001")
    before = snapshot(world)
    with pytest.raises(RefusedBySector, match=REASON), world.act() as s:
        invoices.send_quote(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Roof", "1", "900")],
            on=DAY,
            actor="t",
        )
    with pytest.raises(RefusedBySector, match=REASON), world.act() as s:
        purchases.record_purchase(
            s,
            world.coop,
            entity="E000001",
            supplier="C000001",
            supplier_reference="S-1",
            net="100",
            on=DAY,
            actor="t",
        )
    with pytest.raises(RefusedBySector, match=REASON), world.act() as s:
        payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="20",
            actor="t",
        )
    assert snapshot(world) == before


def test_a_credit_note_and_a_salary_owed_are_never_refused(world: World) -> None:
    insure(world, until=date(2026, 7, 31))
    fund(world, "E000001", "C000001")
    issued = invoice(world)
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="20",
            actor="t",
        )
    later = date(2026, 8, 10)  # the attestation expired on 31 July
    with world.act() as s:
        note = credit_notes.issue_credit_note(
            s, world.coop, invoice=issued.number, on=later, actor="t", reason="Leak fixed late"
        )
        slip = payroll.pay(
            s, world.coop, contract.code, month=DAY, paid_on=later, hours="10", actor="t"
        )
    assert note.number == "C2026-000001"
    assert slip.gross == 20000


def test_an_attestation_is_registered_with_its_kind_holder_and_period(world: World) -> None:
    attempts = [
        ({"kind": "fire_insurance"}, InvalidAct, "not an attestation kind of a sector"),
        ({"member": 1, "entity": None}, InvalidAct, "held by an entity"),
        ({"issuer": " "}, InvalidAct, "issuer: say who issued"),
        ({"number": ""}, InvalidAct, "number: the policy"),
        ({"valid_until": date(2025, 12, 31)}, InvalidAct, "is before valid_from"),
        ({"entity": "E000099"}, NotFound, "entity 'E000099'"),
    ]
    before = snapshot(world)
    for change, error, message in attempts:
        given = {
            "kind": "ten_year_liability",
            "entity": "E000001",
            "issuer": "Assurances du Bâtiment",
            "number": "RCD-1",
            "valid_from": date(2026, 1, 1),
            "valid_until": date(2026, 12, 31),
        } | change
        with pytest.raises(error, match=message), world.act() as s:
            register_attestation(s, world.coop, actor="adviser", **given)  # type: ignore[arg-type]
    assert snapshot(world) == before


def test_the_unknown_kind_refusal_names_the_known_kinds(world: World) -> None:
    with pytest.raises(InvalidAct, match=r"\(ten_year_liability\)"), world.act() as s:
        register_attestation(
            s,
            world.coop,
            kind="fire",
            entity="E000001",
            issuer="X",
            number="1",
            valid_from=DAY,
            valid_until=DAY,
            actor="t",
        )


def _act(on: date, attestations: tuple[Attestation, ...] = ()) -> ActContext:
    return ActContext(
        kind=ActKind.INVOICE,
        entity="E000001",
        office="cap",
        on=on,
        amount=Decimal("100"),
        attestations=attestations,
    )


def test_the_rule_starts_with_the_law_of_31_may_2017() -> None:
    assert construction.partage_validate_act(act=_act(date(2018, 6, 30))) is None
    refusal = construction.partage_validate_act(act=_act(date(2018, 7, 1)))
    assert refusal is not None and refusal.message == f"{REASON} 2018-07-01"
    cover = Attestation(
        "ten_year_liability", "entity:E000001", "Ins", "1", date(2018, 1, 1), date(2018, 12, 31)
    )
    assert construction.partage_validate_act(act=_act(date(2018, 7, 1), (cover,))) is None
    source = construction.PARAMETERS["insurance.required_attestation"].at(date(2018, 7, 1))
    assert "Loi du 31 mai 2017" in source.reference
