"""The artists_be sector: cessions taxed by the country's copyright regime, and the
artist's certificate that art. 1bis hiring asks for, recorded on the member."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import InvalidAct, RefusedBySector
from partage.core.contract.sectors import ActContext, ActKind, Attestation
from partage.core.payroll import service as payroll
from partage.core.sectors.records import register_attestation
from partage.core.spending import copyright
from partage.plugins.belgium import copyright as belgian_copyright
from partage.plugins.sectors import artists_be
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY, client, enable, fund, member_with_entity, snapshot

D = Decimal


@pytest.fixture
def world(engine: Engine) -> World:
    """Member 1's entity E000001 is an artist's (artists_be enabled from 1 January
    2026), funded by client C000001."""
    world = with_sectors(build_world(engine), "artists_be")
    enable(world, "artists_be")
    member_with_entity(world, 1, ["artists_be"])
    fund(world, "E000001", client(world))
    return world


def certificate(world: World, start: date, end: date, member: int = 1) -> None:
    with world.act() as s:
        register_attestation(
            s,
            world.coop,
            kind="artist_work_certificate",
            member=member,
            issuer="Commission du travail des arts",
            number="ATA-2025-1187",
            valid_from=start,
            valid_until=end,
            actor="adviser",
        )


def hire(world: World, category: str = "artist"):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category=category,
            start=DAY,
            hourly_rate="25",
            actor="t",
        )


def test_an_artist_without_certificate_is_not_hired_under_art_1bis(world: World) -> None:
    before = snapshot(world)
    with pytest.raises(RefusedBySector) as refused:
        hire(world)
    assert str(refused.value) == (
        "sector artists_be: art. 1bis: member 1 holds and never held an attestation du "
        "travail des arts on 2026-07-06 (loi du 16 décembre 2022)"
    )
    assert snapshot(world) == before


def test_a_certificate_held_in_the_past_is_enough_since_2024(world: World) -> None:
    certificate(world, date(2024, 3, 1), date(2025, 2, 28))
    assert hire(world).worker_category == "artist"


def test_a_certificate_starting_after_the_act_does_not_count(world: World) -> None:
    certificate(world, date(2026, 9, 1), date(2031, 8, 31))
    with pytest.raises(RefusedBySector, match="never held"):
        hire(world)


def test_other_categories_need_no_certificate(world: World) -> None:
    assert hire(world, "employee").worker_category == "employee"


def test_the_certificate_is_a_member_attestation(world: World) -> None:
    with pytest.raises(InvalidAct, match="held by a member"), world.act() as s:
        register_attestation(
            s,
            world.coop,
            kind="artist_work_certificate",
            entity="E000001",
            issuer="Commission",
            number="1",
            valid_from=DAY,
            valid_until=DAY,
            actor="t",
        )


def _hiring(on: date, held: tuple[Attestation, ...] = ()) -> ActContext:
    return ActContext(
        kind=ActKind.CONTRACT,
        entity="E000001",
        office="cap",
        on=on,
        details=(("worker_category", "artist"),),
        member=1,
        attestations=held,
    )


def test_the_certificate_rule_follows_the_law_in_force() -> None:
    visa = Attestation(
        "artist_work_certificate",
        "member:1",
        "Commission Artistes",
        "V-1",
        date(2016, 3, 1),
        date(2021, 2, 28),
    )
    # 2003-2013: art. 1bis covered every artistic performance, no certificate asked.
    assert artists_be.partage_validate_act(act=_hiring(date(2010, 5, 1))) is None
    # 2014-2023: a visa artistes valid on the day.
    assert artists_be.partage_validate_act(act=_hiring(date(2019, 5, 1), (visa,))) is None
    expired = artists_be.partage_validate_act(act=_hiring(date(2022, 5, 1), (visa,)))
    assert expired is not None and "no artist's certificate valid on 2022-05-01" in expired.message
    # From 2024: any certificate held now or in the past (the old visa is one).
    assert artists_be.partage_validate_act(act=_hiring(date(2024, 5, 1), (visa,))) is None
    someone_else = Attestation(
        "artist_work_certificate",
        "member:2",
        "Commission",
        "A-2",
        date(2024, 1, 1),
        date(2028, 12, 31),
    )
    assert artists_be.partage_validate_act(act=_hiring(date(2024, 5, 1), (someone_else,)))


def test_an_artists_cession_goes_through_the_countrys_copyright_regime(world: World) -> None:
    with world.act() as s:
        cession = copyright.cede_copyright(
            s,
            world.coop,
            entity="E000001",
            member=1,
            work="Album",
            amount="1000",
            on=DAY,
            actor="t",
        )
    # Testland's regime: half as flat-rate costs, 15 % withheld on the rest.
    assert (cession.flat_rate_costs, cession.withholding) == (50000, 7500)


def test_the_belgian_regime_an_artist_goes_through() -> None:
    """The Belgian hook this sector relies on: 50 % then 25 % flat-rate costs by yearly
    bracket, 15 % withheld on the rest (income 2024 brackets 19,480 / 38,970)."""
    taxed = belgian_copyright.taxation(D("5000"), date(2024, 6, 1), D("18000"))
    assert taxed.flat_rate_costs == D("1480") * D("0.5") + D("3520") * D("0.25")
    assert taxed.withholding == ((D("5000") - taxed.flat_rate_costs) * D("0.15")).quantize(
        D("0.01")
    )
    assert taxed.withholding_rate == D("0.15")


def test_artists_are_admitted_directly_and_asked_about_their_art() -> None:
    assert artists_be.partage_review_required() is False
    codes = [q.code for q in artists_be.partage_review_questions()]
    assert codes == ["discipline", "works", "certificate", "copyright"]
