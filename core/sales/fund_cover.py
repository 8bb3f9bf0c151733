"""The salary guarantee fund standing behind an entity after an act that cannot be
refused: no entity is below zero after any act.

Some acts are owed whatever the entity holds: a credit note correcting a wrong invoice,
a payslip for work already done (BE loi du 12 avril 1965; FR C. trav. L3242-1), a
client's default, a bank's charge. Refusing them would break the law or deny a fact;
accepting them may leave the entity's available funds and coverage (``F + C``, see
:mod:`partage.core.risk.solvency`) below zero. Then, in the same transaction:

* **advance** (:func:`cover_shortfall`): the fund advances the shortfall. In the
  entity's books the cooperative owes it that much (entity current account, debit:
  its funds rise back to zero) and it owes the fund the advance (``fund_advance``, a
  liaison account outside its available funds, as it is repaid from later receipts
  only); in the cooperative's books the fund's claim on the entity (``fund_advance``,
  debit) against the entity's current account (credit). The fund's own balance does
  not move: the advance is money lent, not lost, and it counts as tied up in the fund's
  capacity until repaid;
* **blocked**: while an entity owes an advance, it may commit nothing new (hire, buy,
  claim an expense, pay a supplier); payslips for work done stay owed and paid;
* **repaid first** (:func:`repay`): whatever the entity receives later repays the
  advance before anything else, up to its available funds, by the reverse entries.

The fund also holds the receivables it took over (:mod:`partage.core.risk.takeover`):
the entity was paid for them, so whatever later lowers such a receivable — the
client's payment or a credit note — is handed over to the fund (:func:`hand_over`): in
the entity's books its client account is restored and it owes the cooperative the
amount; in the cooperative's books the fund's receivable falls by as much. A payment
leaves the entity's funds where they were; a credit note lowers them, as it would
have without the takeover, and an advance covers what that leaves short.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, credit, debit
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import (
    Account,
    Book,
    EntryKind,
    JournalEntry,
    JournalKind,
    JournalLine,
)
from partage.core.ledger.reports import funds_query
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.sales.coverage import ELIGIBLE, due_after, offered
from partage.core.sales.models import Invoice

LINE = JournalLine.__table__

#: The act types of the fund's entries, as the books name them.
ADVANCE_ACT = "fund_advance"
REPAYMENT_ACT = "fund_repayment"
HAND_OVER_ACT = "fund_hand_over"
TAKEOVER_ACT = "fund_takeover"
ENTRY = JournalEntry.__table__

#: What every entity that ever had an advance owes the fund, minor units (credit
#: balance of ``fund_advance`` in its own book; zero once repaid).
ALL_ADVANCES = (
    select(Entity.id, func.sum(LINE.c.credit - LINE.c.debit).label("owed"))
    .select_from(LINE)
    .join(Book, Book.id == LINE.c.book_id)
    .join(Entity, Entity.code == Book.code)
    .join(Account, Account.id == LINE.c.account_id)
    .where(
        Account.role == PostingRole.FUND_ADVANCE.value,
        LINE.c.kind == EntryKind.NORMAL.value,
    )
    .group_by(Entity.id)
)

#: The same, for the entities of ``entity_ids``.
ADVANCES = ALL_ADVANCES.where(Entity.id.in_(bindparam("entity_ids", expanding=True)))


def advances_owed(
    session: Session, coop: Cooperative, entity_ids: Sequence[int]
) -> dict[int, Decimal]:
    """What each entity owes the fund in advances (zero for most)."""
    found: dict[int, int] = {}
    for start in range(0, len(entity_ids), 500):
        part = list(entity_ids[start : start + 500])
        found.update(session.execute(ADVANCES, {"entity_ids": part}).all())
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


@dataclass(frozen=True)
class Standing:
    """An entity's figures after an act.

    Attributes:
        funds: its available funds (``F``).
        covered: the coverage the rules offer it (``C``).
        advanced: what it owes the fund in advances.
    """

    funds: Decimal
    covered: Decimal
    advanced: Decimal

    @property
    def short(self) -> Decimal:
        """What it lacks to be at zero (``−(F + C)``, zero when it is not short)."""
        return max(-(self.funds + self.covered), Decimal(0))


def standing(session: Session, coop: Cooperative, entity: Entity, on: date) -> Standing:
    """The entity's funds, coverage and advances owed, every posted entry counted."""
    book_id = session.scalar(select(Book.id).where(Book.code == entity.code))
    row = session.execute(funds_query([book_id])).one_or_none() if book_id else None
    funds = from_minor(int(row.funds) if row is not None else 0, coop.currency)
    eligible = session.execute(
        ELIGIBLE,
        {"entity_ids": [entity.id], "due_after": due_after(coop.guarantee, on), "on": on},
    ).one_or_none()
    amount = from_minor(int(eligible[1]) if eligible else 0, coop.currency)
    covered = offered(amount, coop.guarantee, coop.currency)
    advanced = advances_owed(session, coop, [entity.id])[entity.id]
    return Standing(funds, covered, advanced)


def _post_pair(
    session: Session,
    coop: Cooperative,
    entity: Entity,
    *,
    on: date,
    actor: str,
    act: tuple[str, object],
    entity_lines: list[object],
    cooperative_lines: list[object],
    description: str,
) -> None:
    """The same act in the entity's books and in the cooperative's."""
    for book, lines in ((entity.code, entity_lines), (COOPERATIVE_BOOK, cooperative_lines)):
        coop.post(
            session,
            book=book,
            journal=JournalKind.MISCELLANEOUS,
            on=on,
            lines=lines,  # type: ignore[arg-type]
            act=act,
            actor=actor,
            reference=f"{act[0]}:{act[1]}",
            description=description,
        )


def lock(session: Session, entity: Entity) -> None:
    """Hold the entity's row until the transaction ends (PostgreSQL; SQLite serialises
    writing transactions), so that its figures are read once and acted on alone."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Entity.id).where(Entity.id == entity.id).with_for_update())


def cover_shortfall(
    session: Session, coop: Cooperative, entity: Entity, *, on: date, actor: str, cause: str
) -> Decimal:
    """Advance what ``entity`` lacks to be at zero after an act that could not be
    refused (``cause`` names it); return the advance (zero when none was needed)."""
    lock(session, entity)
    short = standing(session, coop, entity, on).short
    if not short:
        return short
    _post_pair(
        session,
        coop,
        entity,
        on=on,
        actor=actor,
        act=(ADVANCE_ACT, cause[:64]),
        entity_lines=[
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, short, partner="cooperative"),
            credit(PostingRole.FUND_ADVANCE, short, partner="guarantee_fund"),
        ],
        cooperative_lines=[
            debit(PostingRole.FUND_ADVANCE, short, partner=entity.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, short, partner=entity.code),
        ],
        description=f"Guarantee fund advance to {entity.code} after {cause}",
    )
    audit.record(
        session,
        actor=actor,
        action="guarantee_fund.advance",
        subject=f"entity:{entity.code}",
        reason=cause,
        data={"amount": str(short)},
    )
    return short


def repay(session: Session, coop: Cooperative, entity: Entity, *, on: date, actor: str) -> Decimal:
    """Repay what the entity owes the fund from its available funds, as far as they go;
    return what was repaid."""
    lock(session, entity)
    state = standing(session, coop, entity, on)
    amount = min(state.advanced, max(state.funds, Decimal(0)))
    if amount <= 0:
        return Decimal(0)
    _post_pair(
        session,
        coop,
        entity,
        on=on,
        actor=actor,
        act=(REPAYMENT_ACT, entity.code),
        entity_lines=[
            debit(PostingRole.FUND_ADVANCE, amount, partner="guarantee_fund"),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner="cooperative"),
        ],
        cooperative_lines=[
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner=entity.code),
            credit(PostingRole.FUND_ADVANCE, amount, partner=entity.code),
        ],
        description=f"{entity.code} repays the guarantee fund's advance",
    )
    audit.record(
        session,
        actor=actor,
        action="guarantee_fund.repaid",
        subject=f"entity:{entity.code}",
        data={"amount": str(amount), "left": str(state.advanced - amount)},
    )
    return amount


def held_by_fund(session: Session, coop: Cooperative, invoice: Invoice) -> Decimal:
    """What the fund holds of a receivable it took over: what it paid, less what was
    handed over to it since (the cooperative's ``clients`` lines of those acts)."""
    amount = session.scalar(
        select(func.coalesce(func.sum(LINE.c.debit - LINE.c.credit), 0))
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Book, Book.id == LINE.c.book_id)
        .join(Account, Account.id == LINE.c.account_id)
        .where(
            Book.code == COOPERATIVE_BOOK,
            Account.role == PostingRole.CLIENTS.value,
            ENTRY.c.act_type.in_((TAKEOVER_ACT, HAND_OVER_ACT)),
            ENTRY.c.act_id == invoice.number,
        )
    )
    return from_minor(int(amount or 0), coop.currency)


def hand_over(
    session: Session,
    coop: Cooperative,
    invoice: Invoice,
    amount: Decimal,
    *,
    on: date,
    actor: str,
    cause: str,
) -> None:
    """Pass to the fund what lowered a receivable it took over (``cause``: the payment
    or the credit note), up to what it holds of it; nothing for another invoice."""
    if invoice.taken_over_on is None or invoice.written_off_on is not None:
        return
    amount = min(amount, held_by_fund(session, coop, invoice))
    if amount <= 0:
        return
    entity = session.get(Entity, invoice.entity_id)
    party = session.get(Party, invoice.party_id)
    assert entity is not None and party is not None
    _post_pair(
        session,
        coop,
        entity,
        on=on,
        actor=actor,
        act=(HAND_OVER_ACT, invoice.number),
        entity_lines=[
            debit(PostingRole.CLIENTS, amount, partner=party.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner="cooperative"),
        ],
        cooperative_lines=[
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner=entity.code),
            credit(PostingRole.CLIENTS, amount, partner=party.code),
        ],
        description=f"{cause} on {invoice.number}, taken over by the guarantee fund",
    )


def after_receipt(
    session: Session,
    coop: Cooperative,
    entity: Entity,
    settled: Iterable[tuple[str, Decimal]],
    *,
    on: date,
    actor: str,
    cause: str,
) -> None:
    """What a receipt does for the fund: hand over what it paid on receivables the fund
    holds, then repay the entity's advances first."""
    for number, amount in settled:
        invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
        hand_over(session, coop, invoice, amount, on=on, actor=actor, cause=cause)
    repay(session, coop, entity, on=on, actor=actor)
