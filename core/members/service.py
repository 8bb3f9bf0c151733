"""Autonomous entities and parties: the entities members work through, and the clients
and suppliers every entity shares.

An entity is opened for members (:mod:`.membership`) with books of its own, and closed
only when those books are at zero. A VAT number of the instance's country is validated
by the country plugin (:mod:`.checks`); an invalid one is refused with the check that
failed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ActError,
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    lookup,
    next_number,
    reference,
)
from partage.core.contract.errors import N_
from partage.core.contract.identity import IdentifierKind
from partage.core.ledger.books import open_book
from partage.core.ledger.models import BookKind
from partage.core.ledger.reports import book_balance
from partage.core.members.checks import email_address, required, validated
from partage.core.members.membership import member_by_number
from partage.core.members.models import (
    Entity,
    EntityHolder,
    EntityKind,
    Member,
    Office,
    Party,
    PartyKind,
)
from partage.core.platform import audit


def open_entity(
    session: Session,
    coop: Cooperative,
    *,
    holders: list[int],
    name: str,
    kind: str,
    office: str,
    on: date,
    actor: str,
) -> Entity:
    """Open an autonomous entity for one or more members, with books of its own."""
    if kind not in set(EntityKind):
        raise InvalidAct(
            "kind",
            N_("{kind} must be one of {item_a}"),
            kind=repr(kind),
            item_a=", ".join(EntityKind),
        )
    if not holders:
        raise InvalidAct("holders", N_("an entity needs at least one holder"))
    office_id = session.scalar(select(Office.id).where(Office.code == office))
    if office_id is None:
        raise NotFound("office", N_("no such office"), value=repr(office))
    members = [member_by_number(session, n) for n in dict.fromkeys(holders)]
    for member in members:
        if member.left_on is not None:
            raise ClosedRecord(
                "holders",
                N_("member {member_number} left on {member_left_on}"),
                member_number=member.number,
                member_left_on=member.left_on,
            )
    code = reference("E", next_number(session, "entity", 0))
    entity = Entity(
        code=code, name=required(name, "name"), kind=kind, office_id=office_id, opened_on=on
    )
    session.add(entity)
    session.flush()
    session.add_all(EntityHolder(entity_id=entity.id, member_id=m.id) for m in members)
    open_book(
        session,
        code=code,
        name=entity.name,
        kind=BookKind.ENTITY,
        currency=coop.currency,
        actor=actor,
    )
    audit.record(
        session,
        actor=actor,
        action="entity.open",
        subject=f"entity:{code}",
        reason=f"{kind} entity in office {office}",
        data={"holders": [m.number for m in members]},
    )
    return entity


def entity_by_code(session: Session, code: str, *, open_only: bool = True) -> Entity:
    """The entity, refused when unknown or (by default) closed."""
    entity = lookup(session, Entity, "code", code, "entity")
    assert isinstance(entity, Entity)
    if open_only and entity.closed_on is not None:
        raise ClosedRecord(
            "entity",
            N_("closed on {entity_closed_on}"),
            value=code,
            entity_closed_on=entity.closed_on,
        )
    return entity


def holders_of(session: Session, entity_id: int) -> list[int]:
    """Membership numbers of an entity's holders."""
    return list(
        session.scalars(
            select(Member.number)
            .join(EntityHolder, EntityHolder.member_id == Member.id)
            .where(EntityHolder.entity_id == entity_id)
            .order_by(Member.number)
        )
    )


def close_entity(
    session: Session, coop: Cooperative, code: str, *, on: date, actor: str, reason: str
) -> Entity:
    """Close an entity whose books are at zero on every account.

    An entity whose project ended usually stays open with its funds for the next one;
    closing is for an activity that stops for good, and needs nothing left in its books.
    """
    entity = entity_by_code(session, code)
    balances = book_balance(session, book=code)
    left = {account: amount for account, amount in balances.items() if amount}
    if left:
        shown = ", ".join(f"{a}: {v} {coop.currency}" for a, v in sorted(left.items()))
        raise ActError(
            "entity", N_("cannot close with a non-zero balance ({shown})"), value=code, shown=shown
        )
    entity.closed_on = on
    audit.record(
        session, actor=actor, action="entity.close", subject=f"entity:{code}", reason=reason
    )
    return entity


# --- parties ----------------------------------------------------------------------------
def register_party(
    session: Session,
    coop: Cooperative,
    *,
    name: str,
    kind: str,
    country: str,
    vat_number: str | None = None,
    address: str = "",
    email: str = "",
    actor: str,
    member_id: int | None = None,
) -> Party:
    """Register a client or supplier, shared by every entity of the instance.

    ``member_id`` is the member who registers it from their own login: they see it
    among their parties from then on, before any act with it.

    A VAT number of the instance's country is validated by the country plugin; one
    from another country is kept as given, upper-cased (VIES checks belong to the
    e-invoicing exchange). A VAT number already registered is refused.
    """
    if kind not in set(PartyKind):
        raise InvalidAct(
            "kind",
            N_("{kind} must be one of {item_a}"),
            kind=repr(kind),
            item_a=", ".join(PartyKind),
        )
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidAct(
            "country", N_("{country} must be an ISO 3166 alpha-2 code"), country=repr(country)
        )
    normalized = None
    if vat_number:
        if country == coop.instance.country_plugin.upper():
            normalized = validated(coop, IdentifierKind.VAT, vat_number, "vat_number")
        else:
            normalized = "".join(vat_number.split()).upper()
        if session.scalar(select(Party.code).where(Party.vat_number == normalized)):
            raise InvalidAct(
                "vat_number", N_("{normalized} is already registered"), normalized=normalized
            )
    party = Party(
        code=reference("C", next_number(session, "party", 0)),
        name=required(name, "name"),
        kind=kind,
        country=country,
        vat_number=normalized,
        address=address,
        email=email_address(email) if email else "",
        registered_by_member_id=member_id,
    )
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="party.register",
        subject=f"party:{party.code}",
        data={"name": party.name, "kind": kind, "vat": normalized},
    )
    return party


def party_by_code(session: Session, code: str) -> Party:
    party = lookup(session, Party, "code", code, "party")
    assert isinstance(party, Party)
    return party
