"""An entity works in a sector from a day: a sector's categories are offered, and its
rules judge, only acts of the entities working in it that day whose office enabled it
that day; a sector of another country is refused to an office, naming the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from partage.core.acts.cooperative import InvalidAct
from partage.core.members import offices
from partage.core.members.follow_up import Document
from partage.core.members.models import AttestationRecord, Entity
from partage.core.members.sectors_in_force import in_force
from partage.core.platform.registry import sector_countries
from partage.core.sectors import records
from partage.core.sectors.rules import entity_sectors, installed, set_entity_sectors
from partage.core.spending.expenses import expense_category_labels, offered_expense_categories
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY, NEW_YEAR, OFFICE, enable, member_with_entity

LATER = DAY + timedelta(days=10)


@pytest.fixture
def world(engine: Engine) -> World:
    world = with_sectors(build_world(engine), "couriers", "construction", "artists_be")
    member_with_entity(world, 1, [])
    member_with_entity(world, 2, [])
    enable(world, "couriers", NEW_YEAR)
    return world


def _offered(world: World, code: str, on: date) -> tuple[str, ...]:
    with world.act() as s:
        entity = s.scalars(select(Entity).where(Entity.code == code)).one()
        return offered_expense_categories(s, world.coop, entity, on)


def test_a_sector_category_is_offered_only_where_and_when_the_sector_is_in_force(
    world: World,
) -> None:
    with world.act() as s:
        set_entity_sectors(
            s, world.coop, "E000001", ["couriers"], actor="adviser", since=LATER, today=DAY
        )
    assert "bike_repair" in _offered(world, "E000001", LATER)
    assert "bike_repair" not in _offered(world, "E000001", LATER - timedelta(days=1))
    assert "bike_repair" not in _offered(world, "E000002", LATER)  # works in no sector
    assert "travel" in _offered(world, "E000002", LATER)
    assert expense_category_labels(world.coop)["bike_repair"] == "Bike repair and upkeep"


def test_a_sector_the_office_has_not_enabled_offers_nothing(world: World) -> None:
    with world.act() as s:
        set_entity_sectors(
            s, world.coop, "E000001", ["construction"], actor="adviser", since=DAY, today=DAY
        )
        entity = s.scalars(select(Entity).where(Entity.code == "E000001")).one()
        assert in_force(s, entity, DAY) == []  # the office has not enabled construction
        assert entity_sectors(s, entity.id, DAY) == ["construction"]


def test_a_sector_left_out_stops_from_the_day_and_earlier_acts_keep_it(world: World) -> None:
    with world.act() as s:
        set_entity_sectors(
            s, world.coop, "E000001", ["couriers"], actor="adviser", since=DAY, today=DAY
        )
        set_entity_sectors(
            s, world.coop, "E000001", ["construction"], actor="adviser", since=LATER, today=DAY
        )
        entity = s.scalars(select(Entity).where(Entity.code == "E000001")).one()
        assert in_force(s, entity, LATER - timedelta(days=1)) == ["couriers"]
        assert in_force(s, entity, LATER) == []
        assert entity_sectors(s, entity.id, LATER) == ["construction"]


def test_sectors_never_change_for_acts_already_recorded(world: World) -> None:
    with world.act() as s, pytest.raises(InvalidAct) as refused:
        set_entity_sectors(
            s,
            world.coop,
            "E000001",
            ["couriers"],
            actor="adviser",
            since=DAY - timedelta(days=1),
            today=DAY,
        )
    assert refused.value.field == "since"


def test_an_office_may_not_enable_a_sector_of_another_country(world: World) -> None:
    countries = sector_countries(world.coop.plugins)
    assert countries == {"artists_be": "be", "construction": "any", "couriers": "any"}
    with world.act() as s, pytest.raises(InvalidAct) as refused:
        offices.enable_sector(
            s,
            OFFICE,
            "artists_be",
            installed=installed(world.coop.plugins),
            actor="admin",
            today=DAY,
            countries=countries,
            country="fr",
        )
    assert refused.value.field == "sector"
    assert "'artists_be' is a sector of country BE" in str(refused.value)
    assert "(FR)" in str(refused.value)
    with world.act() as s:  # a Belgian office may, and a sector of any country anywhere
        offices.enable_sector(
            s,
            OFFICE,
            "artists_be",
            installed=installed(world.coop.plugins),
            actor="admin",
            today=DAY,
            countries=countries,
            country="be",
        )
        offices.enable_sector(
            s,
            OFFICE,
            "construction",
            installed=installed(world.coop.plugins),
            actor="admin",
            today=DAY,
            countries=countries,
            country="fr",
        )


def test_an_attestation_keeps_its_file(world: World) -> None:
    scan = b"%PDF-1.4 attestation"
    with world.act() as s:
        record = records.register_attestation(
            s,
            world.coop,
            kind="ten_year_liability",
            issuer="Insurer",
            number="P-1",
            valid_from=NEW_YEAR,
            valid_until=date(2026, 12, 31),
            actor="adviser",
            entity="E000001",
            document=Document("policy.pdf", "application/pdf", scan),
        )
        ident = record.id
    with world.act() as s:
        row = s.get(AttestationRecord, ident)
        assert row is not None and row.content == scan and row.filename == "policy.pdf"
        assert row.sha256 is not None and len(row.sha256) == 64
