"""Members and shares, autonomous entities and parties: the acts about people.

Identifiers (national numbers, IBANs, VAT numbers) are validated by the instance's
country plugin; an invalid one is refused with the check that failed. Shares are
subscribed and redeemed at the nominal value of the instance configuration — there is
no other price and no dividend path: the cooperative's shares never gain value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ActError,
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
    lookup,
    next_number,
    reference,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.identity import IdentifierKind
from partage.core.contract.money import from_minor
from partage.core.ledger.books import open_book
from partage.core.ledger.models import BookKind, JournalKind
from partage.core.ledger.reports import book_balance
from partage.core.members.models import (
    Entity,
    EntityHolder,
    EntityKind,
    Member,
    Office,
    Party,
    PartyKind,
    Person,
    ShareMovement,
)
from partage.core.platform import audit

EMAIL_SHAPE = "must look like name@domain"


def validated(coop: Cooperative, kind: IdentifierKind, value: str, field: str) -> str:
    """The identifier normalised by the country plugin, or a refusal naming the check."""
    check = coop.plugins.hook.partage_validate_identifier(kind=kind, value=value)
    if check is None:
        raise InvalidAct(field, f"the country plugin does not validate {kind.value} numbers")
    if not check.valid:
        raise InvalidAct(field, f"{value!r} is not a valid {kind.value}: {check.failed_check}")
    return str(check.normalized)


def _required(value: str, field: str) -> str:
    if not value or not value.strip():
        raise InvalidAct(field, "is required")
    return value.strip()


def _email(value: str) -> str:
    value = _required(value, "email")
    local, _, domain = value.partition("@")
    if not local or "." not in domain or " " in value:
        raise InvalidAct("email", f"{value!r} {EMAIL_SHAPE}")
    return value


# --- members and shares ----------------------------------------------------------------
@dataclass(frozen=True)
class PersonDetails:
    """What a person gives when applying."""

    first_name: str
    last_name: str
    national_id: str
    iban: str
    address: str
    email: str
    language: str


def admit_member(
    session: Session,
    coop: Cooperative,
    person: PersonDetails,
    *,
    share_class: str,
    shares: int,
    on: date,
    actor: str,
    reason: str = "admission",
) -> Member:
    """Admit a person as a member by their first subscription of shares.

    Refuses an unknown class, fewer shares than the class's minimum, an invalid national
    identifier or IBAN, a language the instance does not work in, and a person already
    a member.
    """
    classes = {c.code: c for c in coop.instance.share_classes}
    if share_class not in classes:
        raise InvalidAct("share_class", f"{share_class!r} must be one of {', '.join(classes)}")
    if shares < classes[share_class].minimum:
        raise InvalidAct(
            "shares",
            f"{shares} is below the minimum of {classes[share_class].minimum} "
            f"share(s) of class {share_class}",
        )
    national_id = validated(coop, IdentifierKind.PERSON, person.national_id, "national_id")
    iban = validated(coop, IdentifierKind.IBAN, person.iban, "iban")
    if person.language not in coop.instance.languages:
        raise InvalidAct(
            "language", f"{person.language!r} must be one of {', '.join(coop.instance.languages)}"
        )
    existing = session.scalar(select(Person.id).where(Person.national_id == national_id))
    if existing is not None and session.scalar(
        select(Member.id).where(Member.person_id == existing)
    ):
        raise InvalidAct("national_id", f"{national_id} is already a member")
    if existing is None:
        row = Person(
            code=reference("P", next_number(session, "person", 0)),
            first_name=_required(person.first_name, "first_name"),
            last_name=_required(person.last_name, "last_name"),
            national_id=national_id,
            iban=iban,
            address=_required(person.address, "address"),
            email=_email(person.email),
            language=person.language,
        )
        session.add(row)
        session.flush()
        existing = row.id
    member = Member(
        number=next_number(session, "member", 0),
        person_id=existing,
        share_class=share_class,
        admitted_on=on,
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="member.admit",
        subject=f"member:{member.number}",
        reason=reason,
        data={"class": share_class, "shares": shares},
    )
    subscribe_shares(session, coop, member.number, shares, on=on, actor=actor, reason=reason)
    return member


def member_by_number(session: Session, number: int) -> Member:
    member = session.scalars(select(Member).where(Member.number == number)).one_or_none()
    if member is None:
        raise NotFound("member", "no such member", value=number)
    return member


def shares_held(session: Session, member_id: int) -> int:
    """Shares a member holds now: the sum of their movements."""
    total = session.scalar(
        select(func.coalesce(func.sum(ShareMovement.quantity), 0)).where(
            ShareMovement.member_id == member_id
        )
    )
    return int(total or 0)


def subscribe_shares(
    session: Session,
    coop: Cooperative,
    member_number: int,
    quantity: int,
    *,
    on: date,
    actor: str,
    reason: str = "subscription",
) -> ShareMovement:
    """Subscribe shares at nominal: the cooperative's bank receives the capital."""
    if quantity <= 0:
        raise InvalidAct("quantity", f"{quantity} must be a positive number of shares")
    member = member_by_number(session, member_number)
    if member.left_on is not None:
        raise ClosedRecord(
            "member", f"left the cooperative on {member.left_on}", value=member_number
        )
    amount = coop.instance.share_nominal_value * quantity
    posted = coop.post(
        session,
        book="cooperative",
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(PostingRole.BANK, amount),
            credit(PostingRole.MEMBER_CAPITAL, amount, partner=f"M{member.number}"),
        ],
        act=("share_subscription", member.number),
        actor=actor,
        description=f"{quantity} share(s) of class {member.share_class}, member {member.number}",
    )
    movement = ShareMovement(
        member_id=member.id,
        share_class=member.share_class,
        quantity=quantity,
        nominal=coop.minor(coop.instance.share_nominal_value),
        on=on,
        entry_id=posted.id,
    )
    session.add(movement)
    audit.record(
        session,
        actor=actor,
        action="shares.subscribe",
        subject=f"member:{member.number}",
        reason=reason,
        data={"quantity": quantity, "amount": str(amount)},
    )
    session.flush()
    return movement


def redeem_shares(
    session: Session,
    coop: Cooperative,
    member_number: int,
    quantity: int,
    *,
    on: date,
    actor: str,
    reason: str,
) -> ShareMovement:
    """Redeem shares at their nominal value, never above (there is no other price).

    Redeeming every share ends the membership; a member who still holds an open entity
    keeps at least the class's minimum.
    """
    if quantity <= 0:
        raise InvalidAct("quantity", f"{quantity} must be a positive number of shares")
    member = member_by_number(session, member_number)
    held = shares_held(session, member.id)
    if quantity > held:
        raise InvalidAct("quantity", f"{quantity} exceeds the {held} share(s) member holds")
    minimum = {c.code: c.minimum for c in coop.instance.share_classes}[member.share_class]
    if held - quantity < minimum and _open_entities_of(session, member.id):
        raise ActError(
            "member",
            f"holds open entities, so keeps at least {minimum} share(s)",
            value=member_number,
        )
    nominal = session.scalar(
        select(ShareMovement.nominal).where(
            ShareMovement.member_id == member.id, ShareMovement.quantity > 0
        )
    )
    amount = from_minor(int(nominal or 0), coop.currency) * quantity
    posted = coop.post(
        session,
        book="cooperative",
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(PostingRole.MEMBER_CAPITAL, amount, partner=f"M{member.number}"),
            credit(PostingRole.BANK, amount),
        ],
        act=("share_redemption", member.number),
        actor=actor,
        description=f"redemption of {quantity} share(s) at nominal, member {member.number}",
    )
    movement = ShareMovement(
        member_id=member.id,
        share_class=member.share_class,
        quantity=-quantity,
        nominal=int(nominal or 0),
        on=on,
        entry_id=posted.id,
    )
    session.add(movement)
    if held == quantity:
        member.left_on = on
    audit.record(
        session,
        actor=actor,
        action="shares.redeem",
        subject=f"member:{member.number}",
        reason=reason,
        data={"quantity": quantity, "amount": str(amount)},
    )
    session.flush()
    return movement


def register_csv(session: Session, coop: Cooperative) -> str:
    """The register of members and shares, one row per member, as CSV."""
    held = (
        select(ShareMovement.member_id, func.sum(ShareMovement.quantity).label("shares"))
        .group_by(ShareMovement.member_id)
        .subquery()
    )
    rows = session.execute(
        select(Member, Person, held.c.shares)
        .join(Person, Person.id == Member.person_id)
        .join(held, held.c.member_id == Member.id)
        .order_by(Member.number)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    nominal = coop.instance.share_nominal_value
    writer.writerow(
        [
            "number",
            "last_name",
            "first_name",
            "class",
            "admitted_on",
            "left_on",
            "shares",
            f"capital_{coop.currency}",
        ]
    )
    for member, person, shares in rows:
        writer.writerow(
            [
                member.number,
                person.last_name,
                person.first_name,
                member.share_class,
                member.admitted_on.isoformat(),
                member.left_on.isoformat() if member.left_on else "",
                int(shares),
                f"{nominal * int(shares):.2f}",
            ]
        )
    return out.getvalue()


# --- entities -------------------------------------------------------------------------
def _open_entities_of(session: Session, member_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Entity.code)
            .join(EntityHolder, EntityHolder.entity_id == Entity.id)
            .where(EntityHolder.member_id == member_id, Entity.closed_on.is_(None))
        )
    )


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
        raise InvalidAct("kind", f"{kind!r} must be one of {', '.join(EntityKind)}")
    if not holders:
        raise InvalidAct("holders", "an entity needs at least one holder")
    office_id = session.scalar(select(Office.id).where(Office.code == office))
    if office_id is None:
        raise NotFound("office", "no such office", value=repr(office))
    members = [member_by_number(session, n) for n in dict.fromkeys(holders)]
    for member in members:
        if member.left_on is not None:
            raise ClosedRecord("holders", f"member {member.number} left on {member.left_on}")
    code = reference("E", next_number(session, "entity", 0))
    entity = Entity(
        code=code, name=_required(name, "name"), kind=kind, office_id=office_id, opened_on=on
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
        raise ClosedRecord("entity", f"closed on {entity.closed_on}", value=code)
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
        raise ActError("entity", f"cannot close with a non-zero balance ({shown})", value=code)
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
) -> Party:
    """Register a client or supplier, shared by every entity of the instance.

    A VAT number of the instance's country is validated by the country plugin; one
    from another country is kept as given, upper-cased (VIES checks belong to the
    e-invoicing exchange). A VAT number already registered is refused.
    """
    if kind not in set(PartyKind):
        raise InvalidAct("kind", f"{kind!r} must be one of {', '.join(PartyKind)}")
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidAct("country", f"{country!r} must be an ISO 3166 alpha-2 code")
    normalized = None
    if vat_number:
        if country == coop.instance.country_plugin.upper():
            normalized = validated(coop, IdentifierKind.VAT, vat_number, "vat_number")
        else:
            normalized = "".join(vat_number.split()).upper()
        if session.scalar(select(Party.code).where(Party.vat_number == normalized)):
            raise InvalidAct("vat_number", f"{normalized} is already registered")
    party = Party(
        code=reference("C", next_number(session, "party", 0)),
        name=_required(name, "name"),
        kind=kind,
        country=country,
        vat_number=normalized,
        address=address,
        email=_email(email) if email else "",
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
