"""Local offices as records: loaded from the configuration, edited by administrators,
with advisers and the sectors each enables from a date — never retroactively."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from partage.core.acts.cooperative import InvalidAct, NotFound, RefusedBySector
from partage.core.cli.main import main
from partage.core.members import offices
from partage.core.members.instance import load_instance
from partage.core.payroll import service as payroll
from partage.core.payroll.models import PayslipRecord
from partage.core.platform.config import OfficeConfig
from partage.core.platform.db.models import AuditRecord
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.sectors import rules as sectors
from tests.engine_support import INSTANCE, World, build_world, with_sectors
from tests.sector_support import (
    DAY,
    NEW_YEAR,
    client,
    enable,
    fund,
    member_with_entity,
    snapshot,
)

INSTALLED = ["artists_be", "construction", "couriers"]


@pytest.fixture
def world(engine: Engine) -> World:
    return with_sectors(build_world(engine), *INSTALLED)


def audit_actions(world: World, subject: str) -> list[str]:
    with world.act() as s:
        return list(
            s.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.subject == subject)
                .order_by(AuditRecord.id)
            )
        )


def view(world: World, code: str = "cap") -> offices.OfficeView:
    with world.act() as s:
        return next(v for v in offices.list_offices(s) if v.code == code)


# --- records ------------------------------------------------------------------------------
def test_offices_come_from_the_configuration_with_their_sectors_dated(world: World) -> None:
    configured = replace(
        INSTANCE,
        offices=(
            OfficeConfig("cap", "Capital", "1 Main Street", ("couriers",)),
            OfficeConfig("port", "Harbour", "2 Quay", ("construction", "couriers")),
        ),
    )
    with world.act() as s:
        report = load_instance(s, configured, actor="loader", today=NEW_YEAR)
    assert report.offices_created == ["port"]
    assert report.sectors_enabled == ["cap:couriers", "port:construction", "port:couriers"]
    assert view(world, "port").enabled_on(NEW_YEAR) == ["construction", "couriers"]
    assert view(world, "port").enabled_on(date(2025, 12, 31)) == []


def test_an_administrators_decision_outlives_a_reload_of_the_configuration(
    world: World,
) -> None:
    configured = replace(
        INSTANCE, offices=(OfficeConfig("cap", "Capital", "1 Main Street", ("couriers",)),)
    )
    with world.act() as s:
        load_instance(s, configured, actor="loader", today=NEW_YEAR)
        offices.disable_sector(
            s, "cap", "couriers", actor="admin", disabled_from=date(2026, 2, 1), today=NEW_YEAR
        )
    with world.act() as s:
        report = load_instance(s, configured, actor="loader", today=date(2026, 3, 1))
    assert report.sectors_enabled == []
    assert view(world).enabled_on(date(2026, 3, 1)) == []


def test_administrators_create_and_edit_offices_and_advisers(world: World) -> None:
    with world.act() as s:
        offices.create_office(
            s, code="hill", name="Hillside", address="3 Slope Road", actor="admin"
        )
        offices.update_office(s, "hill", name="Hillside office", actor="admin")
        offices.add_adviser(s, "hill", "marie", actor="admin")
        offices.add_adviser(s, "hill", "jan", actor="admin")
        offices.remove_adviser(s, "hill", "marie", actor="admin", reason="moved to cap")
    hill = view(world, "hill")
    assert (hill.name, hill.address, hill.advisers) == ("Hillside office", "3 Slope Road", ("jan",))
    assert audit_actions(world, "office:hill") == [
        "office.create",
        "office.update",
        "office.add_adviser",
        "office.add_adviser",
        "office.remove_adviser",
    ]


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (
            lambda s: offices.create_office(s, code="Cap!", name="X", address="Y", actor="a"),
            InvalidAct,
            "code: 'Cap!' must be a short code",
        ),
        (
            lambda s: offices.create_office(s, code="cap", name="X", address="Y", actor="a"),
            InvalidAct,
            "office 'cap' already exists",
        ),
        (
            lambda s: offices.create_office(s, code="new", name=" ", address="Y", actor="a"),
            InvalidAct,
            "name: is required",
        ),
        (
            lambda s: offices.update_office(s, "nowhere", name="X", actor="a"),
            NotFound,
            r"office 'nowhere': no such office \(offices: cap\)",
        ),
        (
            lambda s: offices.add_adviser(s, "cap", "jan", person="P999999", actor="a"),
            NotFound,
            "person 'P999999'",
        ),
        (
            lambda s: offices.remove_adviser(s, "cap", "ghost", actor="a"),
            NotFound,
            "'ghost' does not advise in office cap",
        ),
    ],
)
def test_bad_office_edits_are_refused_naming_the_field(
    world: World,
    action,
    error: type[Exception],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    before = audit_actions(world, "office:cap")
    with pytest.raises(error, match=message), world.act() as s:
        action(s)
    assert audit_actions(world, "office:cap") == before


def test_an_adviser_is_added_once(world: World) -> None:
    with world.act() as s:
        offices.add_adviser(s, "cap", "jan", actor="admin")
    with pytest.raises(InvalidAct, match="'jan' already advises in office cap"), world.act() as s:
        offices.add_adviser(s, "cap", "jan", actor="admin")


# --- enabling sectors ---------------------------------------------------------------------
def test_enabling_an_unknown_sector_is_refused_naming_the_installed_ones(world: World) -> None:
    with pytest.raises(InvalidAct) as refused, world.act() as s:
        offices.enable_sector(
            s, "cap", "bakers", installed=sectors.installed(world.coop.plugins), actor="admin"
        )
    assert str(refused.value) == (
        "sector: 'bakers' is not an installed sector plugin (artists_be, construction, couriers)"
    )
    assert view(world).sectors == ()


def test_enabling_is_never_retroactive(world: World) -> None:
    with pytest.raises(InvalidAct) as refused, world.act() as s:
        offices.enable_sector(
            s,
            "cap",
            "couriers",
            installed=INSTALLED,
            actor="admin",
            enabled_from=date(2026, 6, 30),
            today=date(2026, 7, 1),
        )
    assert str(refused.value) == (
        "enabled_from: 2026-06-30 is before today (2026-07-01); enabling or disabling a "
        "sector is never retroactive"
    )
    assert view(world).sectors == ()


def test_enabling_twice_disabling_what_is_not_enabled_and_going_back_are_refused(
    world: World,
) -> None:
    enable(world, "couriers")
    refusals = [
        (
            lambda s: offices.enable_sector(
                s, "cap", "couriers", installed=INSTALLED, actor="a", today=DAY
            ),
            "'couriers' is already enabled in office cap .since 2026-01-01.",
        ),
        (
            lambda s: offices.disable_sector(s, "cap", "construction", actor="a", today=DAY),
            r"'construction' is not enabled in office cap \(enabled: couriers\)",
        ),
        (
            lambda s: offices.disable_sector(
                s, "cap", "couriers", actor="a", today=DAY, disabled_from=date(2026, 7, 5)
            ),
            "disabled_from: 2026-07-05 is before today",
        ),
    ]
    for action, message in refusals:
        with pytest.raises(InvalidAct, match=message), world.act() as s:
            action(s)
    with world.act() as s:
        offices.disable_sector(
            s, "cap", "couriers", actor="a", today=DAY, disabled_from=date(2026, 9, 1)
        )
    last_disabled = "before 2026-09-01, when 'couriers' was last disabled"
    with pytest.raises(InvalidAct, match=last_disabled), world.act() as s:
        offices.enable_sector(
            s,
            "cap",
            "couriers",
            installed=INSTALLED,
            actor="a",
            today=DAY,
            enabled_from=date(2026, 8, 1),
        )
    with world.act() as s:
        offices.enable_sector(
            s,
            "cap",
            "couriers",
            installed=INSTALLED,
            actor="a",
            today=DAY,
            enabled_from=date(2026, 10, 1),
        )
    periods = [(p.enabled_from, p.disabled_from) for p in view(world).sectors]
    assert periods == [
        (date(2026, 1, 1), date(2026, 9, 1)),
        (date(2026, 10, 1), None),
    ]
    assert view(world).enabled_on(date(2026, 9, 15)) == []
    assert audit_actions(world, "office:cap")[-3:] == [
        "office.enable_sector",
        "office.disable_sector",
        "office.enable_sector",
    ]


# --- effect on acts -----------------------------------------------------------------------
def invoice(world: World, on: date):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Works", "1", "800")],
            on=on,
            actor="t",
        )


def test_an_act_dated_before_enabled_from_is_not_subject_to_the_sector(world: World) -> None:
    member_with_entity(world, 1, ["construction"])
    client(world)
    with world.act() as s:
        offices.enable_sector(
            s,
            "cap",
            "construction",
            installed=INSTALLED,
            actor="admin",
            enabled_from=date(2026, 8, 1),
            today=DAY,
        )
    assert invoice(world, date(2026, 7, 31)).number == "F2026-000001"
    before = snapshot(world)
    with pytest.raises(RefusedBySector, match="construction on 2026-08-01"):
        invoice(world, date(2026, 8, 1))
    assert snapshot(world) == before


def test_a_sector_enabled_today_applies_at_once_to_new_acts(world: World) -> None:
    member_with_entity(world, 1, ["construction"])
    client(world)
    enable(world, "construction", DAY)
    with pytest.raises(RefusedBySector, match="construction on 2026-07-06"):
        invoice(world, DAY)


def test_a_sector_enabled_in_another_office_does_not_apply(world: World) -> None:
    with world.act() as s:
        offices.create_office(s, code="port", name="Harbour", address="2 Quay", actor="admin")
    enable(world, "construction", office="port")
    member_with_entity(world, 1, ["construction"])  # an entity of office cap
    client(world)
    assert invoice(world, DAY).number == "F2026-000001"


def shift(world: World, day: date) -> PayslipRecord:
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=day,
            end=day,
            hourly_rate="15",
            actor="t",
        )
        return payroll.pay(
            s, world.coop, contract.code, month=day, paid_on=day, hours="1", actor="t"
        )


def test_disabling_a_sector_does_not_change_posted_acts(world: World) -> None:
    member_with_entity(world, 1, ["couriers"])
    fund(world, "E000001", client(world))
    enable(world, "couriers")
    posted = shift(world, DAY)
    assert posted.gross == 4500
    with world.act() as s:
        offices.disable_sector(
            s,
            "cap",
            "couriers",
            actor="admin",
            disabled_from=date(2026, 8, 1),
            today=date(2026, 7, 20),
        )
    assert shift(world, date(2026, 7, 21)).gross == 4500  # still in force on that day
    assert shift(world, date(2026, 8, 3)).gross == 1500  # no longer: an hour is an hour
    with world.act() as s:
        kept = s.get(PayslipRecord, posted.id)
        assert kept is not None and (kept.gross, kept.net) == (posted.gross, posted.net)


# --- entity sectors -----------------------------------------------------------------------
def test_an_entity_works_in_installed_sectors_only(world: World) -> None:
    code = member_with_entity(world, 1, ["couriers"])
    unknown = r"sectors: 'bakers' is not an installed sector"
    with pytest.raises(InvalidAct, match=unknown), world.act() as s:
        sectors.set_entity_sectors(s, world.coop, code, ["bakers"], actor="t")
    with pytest.raises(InvalidAct, match="at least one sector"), world.act() as s:
        sectors.set_entity_sectors(s, world.coop, code, [], actor="t")
    with world.act() as s:
        assert sectors.set_entity_sectors(
            s, world.coop, code, ["construction", "couriers"], actor="t"
        ) == ["construction", "couriers"]
        entity_id = s.scalar(select(sectors.Entity.id).where(sectors.Entity.code == code))
        assert sectors.entity_sectors(s, entity_id) == ["construction", "couriers"]
    assert audit_actions(world, f"entity:{code}")[-1] == "entity.sectors"


# --- command line -------------------------------------------------------------------------
def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'offices.db'}"
    assert run(["--database-url", url, "setup"], capsys)[0] == 0
    return url


def test_cli_adds_and_removes_an_adviser(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    def advisers_of_bru() -> list[str]:
        code, out, _ = run(
            ["--database-url", demo_db, "office", "list", "--format", "json"], capsys
        )
        assert code == 0
        return next(row for row in json.loads(out) if row["code"] == "bru")["advisers"]

    code, out, err = run(
        ["--database-url", demo_db, "office", "add-adviser", "bru", "claire.d"], capsys
    )
    assert code == 0, err
    assert out.strip() == "claire.d advises in office bru"
    assert advisers_of_bru() == ["claire.d"]
    code, out, _ = run(
        ["--database-url", demo_db, "office", "remove-adviser", "bru", "claire.d"], capsys
    )
    assert code == 0 and out.strip() == "claire.d no longer advises in office bru"
    assert advisers_of_bru() == []
    code, _, err = run(
        ["--database-url", demo_db, "office", "remove-adviser", "bru", "claire.d"], capsys
    )
    assert code != 0 and "claire.d" in err


def test_cli_enables_and_disables_a_sector(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date.today().isoformat()
    code, out, err = run(
        ["--database-url", demo_db, "office", "enable-sector", "bru", "couriers", "--review"],
        capsys,
    )
    assert code == 0, err
    assert out.strip() == f"sector couriers enabled in office bru for acts dated from {today}"
    code, out, _ = run(["--database-url", demo_db, "office", "list", "--format", "json"], capsys)
    bru = next(row for row in json.loads(out) if row["code"] == "bru")
    assert bru["sectors"] == ["couriers"]
    assert bru["history"] == [f"couriers (from {today}, review)"]
    code, out, _ = run(
        ["--database-url", demo_db, "office", "disable-sector", "bru", "couriers"], capsys
    )
    assert code == 0
    assert "posted acts are unchanged" in out
    code, out, _ = run(["--database-url", demo_db, "office", "list", "--format", "json"], capsys)
    bru = next(row for row in json.loads(out) if row["code"] == "bru")
    assert bru["sectors"] == [] and bru["history"] == [
        f"couriers (from {today} until {today}, review)"
    ]


def test_cli_refuses_an_unknown_sector_a_past_date_and_a_bad_date(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["--database-url", demo_db, "office", "enable-sector", "bru", "bakers"], capsys
    )
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "partage: error: sector: 'bakers' is not an installed sector plugin "
        "(artists_be, construction, couriers)"
    )
    code, _, err = run(
        [
            "--database-url",
            demo_db,
            "office",
            "enable-sector",
            "bru",
            "couriers",
            "--from",
            "2020-01-01",
        ],
        capsys,
    )
    assert code == 1 and "never retroactive" in err
    code, _, err = run(
        [
            "--database-url",
            demo_db,
            "office",
            "enable-sector",
            "bru",
            "couriers",
            "--from",
            "next week",
        ],
        capsys,
    )
    assert code == 2 and "--from: 'next week' is not a date" in err
    code, out, _ = run(["--database-url", demo_db, "office", "list"], capsys)
    assert "bru" in out and "couriers" not in out
