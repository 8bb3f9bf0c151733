"""Helpers shared by the office, sector and membership-review tests: members with an
entity in a trade, money in an entity, sectors enabled in the Testland office ``cap``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from partage.core.members import membership, offices
from partage.core.members import service as members
from partage.core.sales import payments
from partage.core.sectors import rules as sectors
from tests.builders import person
from tests.engine_support import World

DAY = date(2026, 7, 6)
NEW_YEAR = date(2026, 1, 1)
OFFICE = "cap"


def member_with_entity(world: World, n: int, trades: list[str], office: str = OFFICE) -> str:
    """Admit member ``n`` with an entity working in ``trades``; returns the entity code."""
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(n), share_class="A", shares=1, on=DAY, actor="t"
        )
        entity = members.open_entity(
            s,
            world.coop,
            holders=[n],
            name=f"Activity {n}",
            kind="freelance",
            office=office,
            on=DAY,
            actor="t",
        )
        if trades:
            sectors.set_entity_sectors(s, world.coop, entity.code, trades, actor="t")
        return entity.code


def client(world: World, name: str = "Acme", vat: str = "ZZ0000000001") -> str:
    """Register a domestic client (and supplier); returns its code."""
    with world.act() as s:
        return members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name=name,
            kind="both",
            country="ZZ",
            vat_number=vat,
            actor="t",
        ).code


def fund(world: World, entity: str, party: str, amount: str = "5000", key: str = "") -> None:
    """Money received for the entity (a payment with no invoice to settle)."""
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key=key or f"fund-{entity}-{amount}",
            entity=entity,
            client=party,
            amount=amount,
            on=DAY,
            actor="t",
        )


def enable(world: World, sector: str, start: date = NEW_YEAR, office: str = OFFICE) -> None:
    """Enable a sector in an office from ``start``, the change made on ``start``."""
    with world.act() as s:
        offices.enable_sector(
            s,
            office,
            sector,
            installed=sectors.installed(world.coop.plugins),
            actor="admin",
            enabled_from=start,
            today=start,
        )


def count(world: World, table: str) -> int:
    with world.engine.connect() as c:
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def snapshot(world: World) -> dict[str, int]:
    """Row counts of the tables an act writes to, and the numbers its series gave."""
    with world.engine.connect() as c:
        numbers = c.execute(text("SELECT coalesce(sum(last_number), 0) FROM counter"))
        given = {"numbers given": numbers.scalar_one()}
    return given | {
        t: count(world, t)
        for t in (
            "journal_entry",
            "journal_line",
            "invoice",
            "quote",
            "purchase",
            "expense_claim",
            "contract",
            "payslip",
            "audit_log",
        )
    }
