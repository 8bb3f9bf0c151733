"""Which sectors' rules apply to an act: the sectors the entity worked in on the act's
date that its office had enabled on that date.

The answer is read from the history in ``office_sector`` (one row per period a sector
was enabled), so the sectors in force on any past day can still be told. A payroll run
asks it for many entities at once (:func:`prefetch`); what it found stays in the session
until the transaction ends or an office's or entity's sectors change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, event, or_, select
from sqlalchemy.orm import Session

from partage.core.members.models import Entity, EntitySector, OfficeSector


def review_required_by_office(session: Session, office_id: int, sector: str, on: date) -> bool:
    """Whether the office, having the sector enabled on ``on``, requires the review of
    applications in that trade."""
    return bool(
        session.scalar(
            select(OfficeSector.id).where(
                OfficeSector.office_id == office_id,
                OfficeSector.sector == sector,
                OfficeSector.review_required.is_(True),
                enabled_on(on),
            )
        )
    )


PREFETCHED = "partage.sectors.in_force"
CHUNK = 500


def enabled_in_office(session: Session, office_id: int, on: date) -> list[str]:
    """Sectors an office had enabled on ``on``."""
    return list(
        session.scalars(
            select(OfficeSector.sector)
            .where(OfficeSector.office_id == office_id, enabled_on(on))
            .order_by(OfficeSector.sector)
        )
    )


def in_force(session: Session, entity: Entity, on: date) -> list[str]:
    """Sectors whose rules apply to an act of ``entity`` dated ``on``: the sectors the
    entity worked in that day that its office had enabled that day."""
    cached = session.info.get(PREFETCHED, {}).get((entity.id, on))
    if cached is not None:
        return list(cached)
    return sorted(_in_force_of(session, [entity.id], on).get(entity.id, ()))


def _in_force_of(session: Session, ids: Sequence[int], on: date) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(EntitySector.entity_id, EntitySector.sector)
            .join(Entity, Entity.id == EntitySector.entity_id)
            .join(
                OfficeSector,
                and_(
                    OfficeSector.sector == EntitySector.sector,
                    OfficeSector.office_id == Entity.office_id,
                ),
            )
            .where(
                EntitySector.entity_id.in_(ids[start : start + CHUNK]),
                enabled_on(on),
                worked_in_on(on),
            )
        )
        for entity_id, sector in rows:
            found.setdefault(entity_id, set()).add(sector)
    return found


def prefetch(session: Session, entities: Iterable[Entity], on: date) -> None:
    """Find at once the sectors in force for acts of many entities dated ``on`` (a
    payroll run), so that :func:`~partage.core.sectors.rules.check_act` asks the
    database once, not once per act.

    Kept in the session until its transaction ends, and dropped by any change to an
    office's or an entity's sectors made through it.
    """
    ids = [e.id for e in entities]
    found = _in_force_of(session, ids, on)
    cache = session.info.setdefault(PREFETCHED, {})
    cache.update({(i, on): tuple(sorted(found.get(i, ()))) for i in ids})
    if not event.contains(session, "after_transaction_end", forget_prefetched):
        event.listen(session, "after_transaction_end", forget_prefetched, once=True)


def forget_prefetched(session: Session, *_: object) -> None:
    """Drop what :func:`prefetch` found (sectors changed, or the transaction ended)."""
    session.info.pop(PREFETCHED, None)


def enabled_on(on: date) -> ColumnElement[bool]:
    """The condition that an ``office_sector`` period covers act date ``on``."""
    return and_(
        OfficeSector.enabled_from <= on,
        or_(OfficeSector.disabled_from.is_(None), OfficeSector.disabled_from > on),
    )


def worked_in_on(on: date) -> ColumnElement[bool]:
    """The condition that an ``entity_sector`` row covers act date ``on``."""
    return and_(
        or_(EntitySector.since.is_(None), EntitySector.since <= on),
        or_(EntitySector.until.is_(None), EntitySector.until > on),
    )
