"""What a simulated month works with: the open entities, the clients and the suppliers.

They are read from the database once the month's newcomers are in, so a later month
works with everyone earlier months admitted, and its entities keep their contracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.demo.schedule import MonthSchedule
from partage.core.members.models import Entity, EntityHolder, Member, Party, PartyKind
from partage.core.payroll.models import Contract


@dataclass
class OpenEntity:
    """An open entity as the month's plan sees it.

    Attributes:
        code, id, kind: the entity.
        holder: the membership number of its first holder, who works for it.
        opened_on: the day it opened.
        clients: the few clients it sells to this month.
        contract: the code of its holder's contract, once hired.
        monthly: whether that contract is paid a monthly gross (else by the hour).
    """

    code: str
    id: int
    kind: str
    holder: int
    opened_on: date
    clients: list[str] = field(default_factory=list)
    contract: str | None = None
    monthly: bool = False


@dataclass(frozen=True)
class World:
    """The month's open entities (each with its clients drawn), clients and suppliers,
    in the order they were created."""

    entities: tuple[OpenEntity, ...]
    clients: tuple[str, ...]
    suppliers: tuple[str, ...]


def load_world(month: MonthSchedule) -> World:
    """Read the open entities, the clients not in default and the suppliers, and draw
    each entity's clients of the month (the read is journalled: a resumed month plans
    from what its first run read)."""
    rows = month.recall("world", _read_world)
    entities = [
        OpenEntity(code, id_, kind, holder, date.fromisoformat(opened), [], contract, monthly)
        for code, id_, kind, holder, opened, contract, monthly in rows["entities"]
    ]
    clients, suppliers = rows["clients"], rows["suppliers"]
    for entity in entities:
        entity.clients = month.rng.sample(clients, min(len(clients), 3))
    return World(tuple(entities), tuple(clients), tuple(suppliers))


def _read_world(session: Session) -> dict[str, list[Any]]:
    """The open entities (with their first holder and contract), the clients not in
    default and the suppliers, in the order they were created, as JSON."""
    holders = dict(
        session.execute(
            select(EntityHolder.entity_id, func.min(Member.number))
            .join(Member, Member.id == EntityHolder.member_id)
            .group_by(EntityHolder.entity_id)
        ).all()
    )
    contracts = {
        entity_id: (code, gross is not None)
        for entity_id, code, gross in session.execute(
            select(Contract.entity_id, Contract.code, Contract.monthly_gross).order_by(Contract.id)
        )
    }
    entities = [
        [code, id_, kind, holders[id_], opened.isoformat(), *contracts.get(id_, (None, False))]
        for id_, code, kind, opened in session.execute(
            select(Entity.id, Entity.code, Entity.kind, Entity.opened_on)
            .where(Entity.closed_on.is_(None))
            .order_by(Entity.id)
        )
    ]
    clients = list(
        session.scalars(
            select(Party.code)
            .where(
                Party.kind.in_((PartyKind.CLIENT.value, PartyKind.BOTH.value)),
                Party.defaulted_on.is_(None),
            )
            .order_by(Party.id)
        )
    )
    suppliers = list(
        session.scalars(
            select(Party.code)
            .where(Party.kind.in_((PartyKind.SUPPLIER.value, PartyKind.BOTH.value)))
            .order_by(Party.id)
        )
    )
    return {"entities": entities, "clients": clients, "suppliers": suppliers}
