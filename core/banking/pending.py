"""Staff's decisions on pending acts, and what members and staff see of them.

The rule is :mod:`partage.core.acts.pending`'s: cash declared, a stand-alone supplier
credit note and an expense claim whose VAT no rate explains count only once staff of the
entity's office — another login than the one who entered them — validate them. This
module runs a validation (the act's own posting: :func:`~partage.core.sales.payments.
post_cash`, :func:`~partage.core.spending.supplier_credits.book_pending_credit_note`,
:func:`~partage.core.spending.expenses.book_pending_claim`) and lists pending acts with
what each is, for the queue and for the entity's page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.acts.models import PendingAct, PendingKind, PendingStatus
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor
from partage.core.members.models import Entity, Member, Party
from partage.core.risk import fund
from partage.core.sales import payments
from partage.core.sales.models import Invoice, Payment
from partage.core.spending import expenses, other_income, supplier_credits
from partage.core.spending.expenses import expense_category_labels
from partage.core.spending.models import ExpenseClaim, OtherIncome, Purchase


@dataclass(frozen=True)
class PendingView:
    """A pending act as members and staff see it.

    Attributes:
        id: the pending act.
        kind: a :class:`~partage.core.acts.models.PendingKind` value.
        entity: the entity's code.
        subject_id: the payment, purchase or expense claim.
        on: the act's own date.
        what: what it is, in words (``"cash from C000001 Acme"``).
        amount: what it would move.
        status: a :class:`~partage.core.acts.models.PendingStatus` value.
        rule: why it waits, with the field, the rule and the amounts.
        entered_by, entered_at: who entered it, when.
        decided_by, decided_at, reason: the staff decision, once made.
    """

    id: int
    kind: str
    entity: str
    subject_id: int
    on: date
    what: Word
    amount: Decimal
    status: str
    rule: str
    entered_by: str
    entered_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


#: Why each kind of act waits, as a page says it (the stored rule keeps the figures in
#: English for the command line and the API). An invoice's default waits for the
#: reason its adviser typed, shown as written.
WHY_IT_WAITS: dict[str, str] = {
    PendingKind.CASH_RECEIPT.value: N_(
        "declared, not seen by a bank: it counts once staff of the office validate it"
    ),
    PendingKind.SUPPLIER_CREDIT_NOTE.value: N_(
        "names no invoice in the books: it counts once staff of the office validate it"
    ),
    PendingKind.EXPENSE_CLAIM.value: N_(
        "no VAT rate explains the receipt's VAT: an adviser checks the receipt"
    ),
    PendingKind.OTHER_INCOME.value: N_("it counts once staff of the office see the money arrived"),
}


def validate(
    session: Session, coop: Cooperative, pending_id: int, *, actor: str, on: date
) -> PendingAct:
    """Validate a pending act: post it on its own date, then mark it validated, in the
    transaction of the caller. Refused to the login that entered it
    (:class:`~partage.core.acts.pending.FourEyes`), for an act already decided, and by
    the act's own rules (an expense claim the entity's funds cannot bear on ``on``)."""
    row = pending.decidable(session, pending_id)
    pending.check_four_eyes(row, actor)
    kind = PendingKind(row.kind)
    if kind is PendingKind.CASH_RECEIPT:
        payments.post_cash(session, coop, row, actor=actor)
    elif kind is PendingKind.SUPPLIER_CREDIT_NOTE:
        supplier_credits.book_pending_credit_note(session, coop, row, actor=actor)
    elif kind is PendingKind.OTHER_INCOME:
        other_income.book_pending_income(session, coop, row, actor=actor)
    elif kind is PendingKind.INVOICE_DEFAULT:
        invoice = session.get(Invoice, row.subject_id)
        if invoice is None:
            raise NotFound("invoice", N_("no such invoice"), value=row.subject_id)
        fund.write_off(session, coop, invoice.number, on=on, actor=actor, reason=row.rule)
    else:
        expenses.book_pending_claim(session, coop, row, actor=actor, on=on)
    return pending.validated(session, row, actor=actor)


def refuse(session: Session, pending_id: int, *, actor: str, reason: str) -> PendingAct:
    """Refuse a pending act: never posted, never counted (see
    :func:`partage.core.acts.pending.refuse`); a stand-alone credit note gives its
    supplier's number back (:func:`~partage.core.spending.supplier_credits.release_refused`)."""
    row = pending.refuse(session, pending_id, actor=actor, reason=reason)
    if row.kind == PendingKind.SUPPLIER_CREDIT_NOTE:
        supplier_credits.release_refused(session, row)
    return row


def entity_of(session: Session, pending_id: int) -> Entity:
    """The entity a pending act is for (the faces check the login reaches it)."""
    found = session.scalars(
        select(Entity)
        .join(PendingAct, PendingAct.entity_id == Entity.id)
        .where(PendingAct.id == pending_id)
    ).one_or_none()
    if found is None:
        raise NotFound("pending", N_("no such pending act"), value=pending_id)
    return found


def _descriptions(
    session: Session, coop: Cooperative, rows: list[PendingAct]
) -> dict[int, tuple[date, Word]]:
    """Each pending act's date and words, by pending id: one query per kind. The words
    are English (``str``) with their template apart, which a page says in its language."""
    labels = expense_category_labels(coop)
    ids: dict[str, dict[int, int]] = {k.value: {} for k in PendingKind}
    for row in rows:
        ids[row.kind][row.subject_id] = row.id
    found: dict[int, tuple[date, Word]] = {}
    cash = ids[PendingKind.CASH_RECEIPT]
    if cash:
        for payment, code, name in session.execute(
            select(Payment, Party.code, Party.name)
            .join(Party, Party.id == Payment.party_id)
            .where(Payment.id.in_(sorted(cash)))
        ):
            found[cash[payment.id]] = (
                payment.received_on,
                Word(N_("cash from {party}"), party=f"{code} {name}"),
            )
    notes = ids[PendingKind.SUPPLIER_CREDIT_NOTE]
    if notes:
        for note, code, name in session.execute(
            select(Purchase, Party.code, Party.name)
            .join(Party, Party.id == Purchase.party_id)
            .where(Purchase.id.in_(sorted(notes)))
        ):
            found[notes[note.id]] = (
                note.on,
                Word(
                    N_("credit note {reference} of supplier {party}"),
                    reference=note.supplier_reference,
                    party=f"{code} {name}",
                ),
            )
    claims = ids[PendingKind.EXPENSE_CLAIM]
    if claims:
        for claim, number in session.execute(
            select(ExpenseClaim, Member.number)
            .join(Member, Member.id == ExpenseClaim.member_id)
            .where(ExpenseClaim.id.in_(sorted(claims)))
        ):
            found[claims[claim.id]] = (
                claim.on,
                Word(
                    N_("expense claim {category} of member {number} ({receipt})"),
                    category=Word(labels.get(claim.category, claim.category)),
                    number=number,
                    receipt=claim.receipt_name,
                ),
            )
    gifts = ids[PendingKind.OTHER_INCOME]
    if gifts:
        for income, code, name in session.execute(
            select(OtherIncome, Party.code, Party.name)
            .join(Party, Party.id == OtherIncome.party_id)
            .where(OtherIncome.id.in_(sorted(gifts)))
        ):
            given = Word(
                other_income.INCOME_WORDS.get(income.kind, "{party}"), party=f"{code} {name}"
            )
            if income.reference:
                given = Word(N_("{what} ({reference})"), what=given, reference=income.reference)
            found[gifts[income.id]] = (income.on, given)
    defaults = ids[PendingKind.INVOICE_DEFAULT]
    if defaults:
        for invoice, code, name in session.execute(
            select(Invoice, Party.code, Party.name)
            .join(Party, Party.id == Invoice.party_id)
            .where(Invoice.id.in_(sorted(defaults)))
        ):
            found[defaults[invoice.id]] = (
                invoice.due_on,
                Word(
                    N_("default of invoice {number} of client {party}"),
                    number=invoice.number,
                    party=f"{code} {name}",
                ),
            )
    return found


def listing(
    session: Session,
    coop: Cooperative,
    *,
    scope: ColumnElement[bool] | None = None,
    entity_ids: Collection[int] | None = None,
    statuses: Collection[PendingStatus] | None = None,
    limit: int | None = None,
    ids: Collection[int] | None = None,
) -> list[PendingView]:
    """Pending acts, those waiting first, then the newest (``scope``: a condition on
    :class:`~partage.core.members.models.Entity` rows the reader reaches;
    ``entity_ids``, ``statuses``, ``ids``: only those; ``limit``: at most that many)."""
    query = (
        select(PendingAct, Entity.code)
        .join(Entity, Entity.id == PendingAct.entity_id)
        .order_by(
            case((PendingAct.status == PendingStatus.PENDING.value, 0), else_=1),
            PendingAct.id.desc(),
        )
        .limit(limit)
    )
    if scope is not None:
        query = query.where(scope)
    if entity_ids is not None:
        query = query.where(PendingAct.entity_id.in_(sorted(entity_ids)))
    if statuses is not None:
        query = query.where(PendingAct.status.in_([s.value for s in statuses]))
    if ids is not None:
        query = query.where(PendingAct.id.in_(sorted(ids)))
    found = session.execute(query).all()
    words = _descriptions(session, coop, [row for row, _ in found])
    return [
        PendingView(
            row.id,
            row.kind,
            code,
            row.subject_id,
            words[row.id][0],
            words[row.id][1],
            from_minor(row.amount, coop.currency),
            row.status,
            row.rule,
            row.entered_by,
            row.entered_at,
            row.decided_by,
            row.decided_at,
            row.reason,
        )
        for row, code in found
    ]


def view(session: Session, coop: Cooperative, pending_id: int) -> PendingView:
    """One pending act as :func:`listing` shows it."""
    rows = listing(session, coop, ids=[pending_id])
    if not rows:
        raise NotFound("pending", N_("no such pending act"), value=pending_id)
    return rows[0]
