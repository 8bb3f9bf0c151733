"""Members and their shares: admission, subscribing and redeeming, the register.

Shares are subscribed and redeemed at the nominal value of the instance configuration —
there is no other price and no dividend path: the cooperative's shares never gain
value. Each subscription brings the capital into the cooperative's bank and each
redemption pays it back, both posted in the cooperative's books.
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
    next_number,
    reference,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, Amount
from partage.core.contract.identity import IdentifierKind
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.members.checks import email_address, required, validated
from partage.core.members.models import (
    Entity,
    EntityHolder,
    Member,
    Person,
    ShareMovement,
    SharePaymentDue,
)
from partage.core.platform import audit
from partage.core.platform.defaults import rf_reference


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
    paid: bool = True,
) -> Member:
    """Admit a person as a member by their first subscription of shares.

    With ``paid`` the shares' capital is in the bank at once (staff admitting a person
    who paid); otherwise the shares wait for their transfer, carrying a reference of
    their own (:func:`shares_due`, then :func:`pay_shares` from the bank statement).

    Refuses an unknown class, fewer shares than the class's minimum, an invalid national
    identifier or IBAN, a language the instance does not work in, and a person already
    a member.
    """
    classes = {c.code: c for c in coop.instance.share_classes}
    if share_class not in classes:
        raise InvalidAct(
            "share_class",
            N_("{share_class} must be one of {item_a}"),
            share_class=repr(share_class),
            item_a=", ".join(classes),
        )
    if shares < classes[share_class].minimum:
        raise InvalidAct(
            "shares",
            N_("{shares} is below the minimum of {item_a} share(s) of class {share_class}"),
            shares=shares,
            item_a=classes[share_class].minimum,
            share_class=share_class,
        )
    national_id = validated(coop, IdentifierKind.PERSON, person.national_id, "national_id")
    iban = validated(coop, IdentifierKind.IBAN, person.iban, "iban")
    if person.language not in coop.instance.languages:
        raise InvalidAct(
            "language",
            N_("{person_language} must be one of {item_a}"),
            person_language=repr(person.language),
            item_a=", ".join(coop.instance.languages),
        )
    existing = session.scalar(select(Person.id).where(Person.national_id == national_id))
    if existing is not None and session.scalar(
        select(Member.id).where(Member.person_id == existing)
    ):
        raise InvalidAct(
            "national_id", N_("{national_id} is already a member"), national_id=national_id
        )
    if existing is None:
        row = Person(
            code=reference("P", next_number(session, "person", 0)),
            first_name=required(person.first_name, "first_name"),
            last_name=required(person.last_name, "last_name"),
            national_id=national_id,
            iban=iban,
            address=required(person.address, "address"),
            email=email_address(person.email),
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
    if paid:
        subscribe_shares(session, coop, member.number, shares, on=on, actor=actor, reason=reason)
    else:
        shares_due(session, coop, member, shares, on=on, actor=actor)
    return member


def shares_due(
    session: Session, coop: Cooperative, member: Member, quantity: int, *, on: date, actor: str
) -> SharePaymentDue:
    """Shares subscribed that wait for their payment by transfer, with the structured
    reference (ISO 11649 ``RF``) the transfer must carry."""
    count = session.scalar(
        select(func.count(SharePaymentDue.id)).where(SharePaymentDue.member_id == member.id)
    )
    due = SharePaymentDue(
        member_id=member.id,
        quantity=quantity,
        amount=coop.minor(coop.instance.share_nominal_value * quantity),
        reference=rf_reference(f"SHARES{member.number:07d}N{int(count or 0) + 1}"),
        due_since=on,
    )
    session.add(due)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="shares.due",
        subject=f"member:{member.number}",
        data={"quantity": quantity, "reference": due.reference},
    )
    return due


def subscribe_more(
    session: Session,
    coop: Cooperative,
    member_number: int,
    quantity: int,
    *,
    on: date,
    actor: str,
) -> SharePaymentDue:
    """A member subscribes more shares of their class, paid by transfer: they enter the
    register once the transfer carrying their reference arrives. Refuses a quantity that
    is not a positive whole number and a member who left."""
    if quantity <= 0:
        raise InvalidAct(
            "quantity", N_("{quantity} must be a positive number of shares"), quantity=quantity
        )
    member = member_by_number(session, member_number)
    if member.left_on is not None:
        raise ClosedRecord(
            "member",
            N_("left the cooperative on {member_left_on}"),
            value=member_number,
            member_left_on=member.left_on,
        )
    return shares_due(session, coop, member, quantity, on=on, actor=actor)


def due_by_reference(session: Session, reference: str) -> SharePaymentDue | None:
    """The unpaid shares a transfer's structured reference designates, if any."""
    wanted = "".join(ch for ch in reference if ch.isalnum()).upper()
    if not wanted.startswith("RF"):
        return None
    return session.scalars(
        select(SharePaymentDue).where(
            SharePaymentDue.reference == wanted, SharePaymentDue.paid_on.is_(None)
        )
    ).one_or_none()


def pay_shares(
    session: Session,
    coop: Cooperative,
    due: SharePaymentDue,
    amount: int,
    *,
    on: date,
    paid_by: str,
    actor: str,
) -> ShareMovement:
    """A transfer pays shares due: they enter the register on the day it was booked.

    Refuses an amount other than the shares' nominal value in full (the statutes ask
    shares to be paid up at nominal, never more, never part), writing nothing."""
    if amount != due.amount:
        raise InvalidAct(
            "amount",
            N_(
                "{paid} does not pay {quantity} share(s) at nominal: the subscription asks "
                "exactly {due}"
            ),
            paid=from_minor(amount, coop.currency),
            quantity=due.quantity,
            due=Amount(from_minor(due.amount, coop.currency), coop.currency),
        )
    member = session.get(Member, due.member_id)
    assert member is not None
    movement = subscribe_shares(
        session,
        coop,
        member.number,
        due.quantity,
        on=on,
        actor=actor,
        reason=f"paid by transfer {due.reference}",
    )
    due.paid_on = on
    due.paid_by = paid_by[:200]
    session.flush()
    return movement


def dues_of(session: Session, member_id: int) -> list[SharePaymentDue]:
    """A member's shares waiting for their payment, the oldest first."""
    return list(
        session.scalars(
            select(SharePaymentDue)
            .where(SharePaymentDue.member_id == member_id, SharePaymentDue.paid_on.is_(None))
            .order_by(SharePaymentDue.id)
        )
    )


def member_by_number(session: Session, number: int) -> Member:
    member = session.scalars(select(Member).where(Member.number == number)).one_or_none()
    if member is None:
        raise NotFound("member", N_("no such member"), value=number)
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
        raise InvalidAct(
            "quantity", N_("{quantity} must be a positive number of shares"), quantity=quantity
        )
    member = member_by_number(session, member_number)
    if member.left_on is not None:
        raise ClosedRecord(
            "member",
            N_("left the cooperative on {member_left_on}"),
            value=member_number,
            member_left_on=member.left_on,
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
    approved_by: str | None = None,
) -> ShareMovement:
    """Redeem shares at their nominal value, never above (there is no other price).

    Redeeming every share ends the membership; a member who still holds an open entity
    keeps at least the class's minimum. The statutes' rules
    (:class:`~partage.core.platform.config.RedemptionRules`) apply: the months a member
    holds shares before any is repaid, the most shares repaid in a calendar year, and
    the board's approval, recorded with the redemption (``approved_by``: the board's
    decision, as an administrator acting for it records it).
    """
    if quantity <= 0:
        raise InvalidAct(
            "quantity", N_("{quantity} must be a positive number of shares"), quantity=quantity
        )
    member = member_by_number(session, member_number)
    held = shares_held(session, member.id)
    if quantity > held:
        raise InvalidAct(
            "quantity",
            N_("{quantity} exceeds the {held} share(s) member holds"),
            quantity=quantity,
            held=held,
        )
    _statutes_allow(session, coop, member, quantity, on, approved_by)
    minimum = {c.code: c.minimum for c in coop.instance.share_classes}[member.share_class]
    if held - quantity < minimum and _open_entities_of(session, member.id):
        raise ActError(
            "member",
            N_("holds open entities, so keeps at least {minimum} share(s)"),
            value=member_number,
            minimum=minimum,
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
        data={"quantity": quantity, "amount": str(amount), "approved_by": approved_by},
    )
    session.flush()
    return movement


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _statutes_allow(
    session: Session,
    coop: Cooperative,
    member: Member,
    quantity: int,
    on: date,
    approved_by: str | None,
) -> None:
    """Refuse a redemption the statutes' rules do not allow, naming the rule."""
    rules = coop.instance.redemption
    if rules.board_approval and not (approved_by or "").strip():
        raise InvalidAct(
            "approved_by",
            N_("the statutes ask the board's approval of each redemption: record its decision"),
        )
    free = _months_after(member.admitted_on, rules.min_months_held)
    if on < free:
        raise InvalidAct(
            "on",
            N_(
                "the statutes repay shares {months} month(s) after admission at the earliest: "
                "not before {free}"
            ),
            months=rules.min_months_held,
            free=free,
        )
    if rules.yearly_limit >= 1:
        return
    first = date(on.year, 1, 1)
    issued = session.scalar(
        select(func.coalesce(func.sum(ShareMovement.quantity), 0)).where(ShareMovement.on < first)
    )
    redeemed = session.scalar(
        select(func.coalesce(-func.sum(ShareMovement.quantity), 0)).where(
            ShareMovement.on >= first,
            ShareMovement.on <= date(on.year, 12, 31),
            ShareMovement.quantity < 0,
        )
    )
    most = int(rules.yearly_limit * int(issued or 0))  # whole shares, rounded down
    if int(redeemed or 0) + quantity > most:
        raise InvalidAct(
            "quantity",
            N_(
                "the statutes repay at most {limit} of the {issued} share(s) issued on "
                "{first} in {year} ({most} share(s)); {redeemed} already repaid"
            ),
            limit=f"{rules.yearly_limit:%}",
            issued=int(issued or 0),
            first=first,
            year=on.year,
            most=most,
            redeemed=int(redeemed or 0),
        )


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
        .outerjoin(held, held.c.member_id == Member.id)  # admitted, shares not paid yet
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
                int(shares or 0),
                f"{nominal * int(shares or 0):.2f}",
            ]
        )
    return out.getvalue()


def _open_entities_of(session: Session, member_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Entity.code)
            .join(EntityHolder, EntityHolder.entity_id == Entity.id)
            .where(EntityHolder.member_id == member_id, Entity.closed_on.is_(None))
        )
    )
