"""Acts that wait for a person's validation before they raise an entity's funds.

An entity's available funds rise only through money the bank confirms (a statement line
matched), a sale invoiced to a client within the guarantee's rules, or an act that staff
of its office validated. What a login declares alone waits as **pending**:

* cash received from a client (:mod:`partage.core.sales.payments`): no bank saw it;
* a supplier's credit note without its invoice in the entity's books
  (:mod:`partage.core.spending.supplier_credits`): nothing ties it to money spent here;
* an expense claim whose VAT no rate of the country explains for its category
  (:mod:`partage.core.spending.expenses`): VAT the State would owe back on a figure no
  law gives;
* a subsidy or a gift declared (:mod:`partage.core.spending.other_income`): no bank saw
  it either.

A pending act's row is written (a cash receipt's idempotency key, a credit note's
supplier reference are taken) but **not posted to the books** (so it takes no number of
the cooperative's own: journal entries are numbered as they are posted): the ledger, and
so the funds, the guarantee's coverage, the VAT return and the payment files, know
nothing of it. Staff of the entity's office (an adviser, an office manager, an
administrator) validate it — it is then posted, on its own date, as if entered then, and
checked as such (an expense claim against the entity's funds) — or refuse it, saying
why: it is then never posted. A refused cash receipt keeps its idempotency key (a replay
of the declaration must not enter it again); a refused credit note gives its supplier's
number back, so that the supplier's genuine document of that number can be booked
(:func:`partage.core.spending.supplier_credits.release_refused`). The login that entered
it may not validate it (the four-eyes rule, as for suppliers' bank accounts), so that no
one vouches for what they brought in themselves. Posting on validation, rather than
posting at once to a suspense account the funds leave out, keeps every book, report and
return free of money nobody vouched for, with nothing to reverse when an act is refused.

Each step is in the audit log with its actor: ``pending.enter``, ``pending.validate``
and ``pending.refuse``. The services trust the caller to have checked that the actor
is staff of the entity's office (the faces ask :mod:`partage.core.access.roles`); the
four-eyes rule they check themselves.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from partage.core.acts.cooperative import ActError, ClosedRecord, InvalidAct, NotFound
from partage.core.acts.models import PendingAct, PendingKind, PendingStatus
from partage.core.contract.errors import N_, Word
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow


class FourEyes(ActError):
    """A login would validate what it entered itself (the four-eyes rule): another
    staff login must do it."""


#: What each kind is called in refusals and in the audit log's subjects.
SUBJECTS = {
    PendingKind.CASH_RECEIPT: "payment",
    PendingKind.SUPPLIER_CREDIT_NOTE: "purchase",
    PendingKind.EXPENSE_CLAIM: "expense",
    PendingKind.OTHER_INCOME: "other_income",
    PendingKind.INVOICE_DEFAULT: "invoice",
}


def subject(kind: PendingKind, subject_id: int) -> str:
    """The audit subject of a pending act's row (``payment:12``)."""
    return f"{SUBJECTS[kind]}:{subject_id}"


def enter(
    session: Session,
    *,
    kind: PendingKind,
    subject_id: int,
    entity_id: int,
    amount: int,
    rule: str,
    actor: str,
    data: dict[str, Any] | None = None,
) -> PendingAct:
    """Record that the act ``subject_id`` of ``kind`` waits for staff, and why."""
    row = PendingAct(
        kind=kind.value,
        subject_id=subject_id,
        entity_id=entity_id,
        amount=amount,
        rule=rule,
        status=PendingStatus.PENDING.value,
        entered_by=actor,
        data=data or {},
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="pending.enter",
        subject=subject(kind, subject_id),
        reason=rule,
        data={"pending": row.id, "kind": kind.value, "amount": amount},
    )
    return row


def unvalidated(kind: PendingKind, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The condition on rows of ``kind`` (their id ``column``) that do not count: waiting
    for staff, or refused."""
    return column.in_(
        select(PendingAct.subject_id).where(
            PendingAct.kind == kind.value,
            PendingAct.status != PendingStatus.VALIDATED.value,
        )
    )


def counted(kind: PendingKind, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The condition on rows of ``kind`` that count: never pending, or validated."""
    return ~unvalidated(kind, column)


def of_subject(session: Session, kind: PendingKind, subject_id: int) -> PendingAct | None:
    """The pending act of a row, if it ever waited."""
    return session.scalars(
        select(PendingAct).where(PendingAct.kind == kind.value, PendingAct.subject_id == subject_id)
    ).one_or_none()


def statuses_of(
    session: Session, kind: PendingKind, subject_ids: Collection[int]
) -> dict[int, PendingAct]:
    """The pending acts of rows of ``kind``, by row id (rows that never waited are left
    out)."""
    if not subject_ids:
        return {}
    return {
        row.subject_id: row
        for row in session.scalars(
            select(PendingAct).where(
                PendingAct.kind == kind.value, PendingAct.subject_id.in_(sorted(subject_ids))
            )
        )
    }


def decidable(session: Session, pending_id: int) -> PendingAct:
    """The pending act ``pending_id``, locked, if it still waits for a decision."""
    row = session.get(PendingAct, pending_id, with_for_update=True)
    if row is None:
        raise NotFound("pending", N_("no such pending act"), value=pending_id)
    if row.status != PendingStatus.PENDING.value:
        raise ClosedRecord(
            "pending",
            N_(
                "pending act {pending_id} was {row_status} by "
                "{row_decided_by}, not waiting for a decision"
            ),
            value=pending_id,
            pending_id=pending_id,
            row_status=Word(row.status),
            row_decided_by=row.decided_by,
        )
    return row


def check_four_eyes(row: PendingAct, actor: str) -> None:
    """Refuse a decision by the login that entered the act."""
    if actor == row.entered_by:
        raise FourEyes(
            "pending",
            N_(
                "four-eyes rule: {actor} entered this {item_a}; another staff "
                "login of the entity's office must validate it"
            ),
            value=row.id,
            actor=actor,
            item_a=row.kind.replace("_", " "),
        )


def _facts(row: PendingAct) -> dict[str, object]:
    return {"pending": row.id, "kind": row.kind, "amount": row.amount, "entered_by": row.entered_by}


def validated(session: Session, row: PendingAct, *, actor: str) -> PendingAct:
    """Mark a pending act validated (its caller has just posted it), and audit it."""
    check_four_eyes(row, actor)
    row.status = PendingStatus.VALIDATED.value
    row.decided_by, row.decided_at = actor, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="pending.validate",
        subject=subject(PendingKind(row.kind), row.subject_id),
        data=_facts(row),
    )
    return row


def refuse(session: Session, pending_id: int, *, actor: str, reason: str) -> PendingAct:
    """Refuse a pending act: it is never posted and never counts. Anyone of the office's
    staff may refuse, its own author included (withdrawing adds no money)."""
    reason = reason.strip()
    if not reason:
        raise InvalidAct("reason", N_("say why the act is refused"))
    row = decidable(session, pending_id)
    row.status = PendingStatus.REFUSED.value
    row.decided_by, row.decided_at, row.reason = actor, utcnow(), reason[:2000]
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="pending.refuse",
        subject=subject(PendingKind(row.kind), row.subject_id),
        reason=reason,
        data=_facts(row),
    )
    return row
