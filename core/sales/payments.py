"""Money received from clients: bank payments and cash-receipt declarations.

A payment is idempotent by the key its caller supplies (a bank statement line's id, a
form's submission id): receiving the same key again returns the first payment and
writes nothing. It settles open invoices of its entity and client — those named, or
else the oldest due first — and what is left over stays on the client's account as a
credit (a credit balance on the receivable), which :func:`apply_credit` later settles
invoices with.

Cash a login declares is not money any bank saw: it waits as a pending act
(:mod:`partage.core.acts.pending`) — its row written, its key taken, but nothing
settled and nothing posted — until staff of the entity's office, another login than the
one who declared it, validate it (:func:`post_cash`: it then settles and is posted on
the day it was received) or refuse it. Until then it counts nowhere: not in the
entity's funds, not against its invoices, not as a client's credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, bindparam, cast, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import (
    ActError,
    Cooperative,
    InvalidAct,
    credit,
    debit,
    positive_amount,
)
from partage.core.acts.models import PendingAct, PendingKind, PendingStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalEntry, JournalKind
from partage.core.members.models import Entity, Party
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.sales.fund_cover import after_receipt
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Allocation, Invoice, Payment
from partage.core.sales.receivables import outstanding_query, owed

#: How money is received, and the account it lands in once it counts. A cheque is
#: declared by the member like cash and counts once staff confirm it (they pay it in).
METHODS = {"bank": PostingRole.BANK, "cash": PostingRole.CASH, "cheque": PostingRole.BANK}
DESCRIPTIONS = {
    "cash": N_("Cash received from {party}"),
    "cheque": N_("Cheque received from {party}"),
}
#: The methods a login declares, which wait for staff (:mod:`partage.core.acts.pending`).
DECLARED = frozenset({"cash", "cheque"})
#: The act of a payment the bank returned (:mod:`partage.core.banking.bank_debits`): its
#: allocations are undone and it is no client's credit any more.
RETURN_ACT = "payment_return"
#: Whether a payment (the outer query's) was returned by the bank.
RETURNED = exists().where(
    JournalEntry.act_type == RETURN_ACT, JournalEntry.act_id == cast(Payment.id, String)
)


@dataclass(frozen=True)
class Received:
    """What receiving a payment did.

    Attributes:
        payment: the payment row (the first one, when the key was seen before).
        settled: ``(invoice number, amount)`` settled by it.
        credit_left: what stays on the client's account as credit.
        replayed: the key was seen before; nothing was written.
        pending: the payment's pending act when it is cash waiting for staff (or
            refused by them): it settled nothing and counts nowhere.
    """

    payment: Payment
    settled: tuple[tuple[str, Decimal], ...]
    credit_left: Decimal
    replayed: bool = False
    pending: PendingAct | None = None

    @property
    def status(self) -> str:
        """``"received"`` when it counts, else its pending act's status."""
        return "received" if self.pending is None else self.pending.status


def outstanding(session: Session, invoice: Invoice, currency: str) -> Decimal:
    """What the client still owes on an invoice (zero when settled or credited)."""
    return from_minor(owed(session, invoice), currency)


ALLOCATED = select(func.coalesce(func.sum(Allocation.amount), 0)).where(
    Allocation.payment_id == bindparam("payment_id")
)


def _unallocated(session: Session, payment: Payment) -> int:
    used = session.execute(ALLOCATED, {"payment_id": payment.id}).scalar_one()
    return payment.amount - int(used or 0)


def _open_invoices(session: Session, entity: Entity, party: Party) -> list[Invoice]:
    rows = outstanding_query(entity.id).where(Invoice.party_id == party.id).subquery()
    return list(
        session.scalars(
            select(Invoice).join(rows, rows.c.id == Invoice.id).order_by(Invoice.due_on, Invoice.id)
        )
    )


def _settle(
    session: Session,
    coop: Cooperative,
    payment: Payment,
    entity: Entity,
    party: Party,
    named: Sequence[tuple[str, Decimal | str]] | None,
) -> list[tuple[str, Decimal]]:
    available = from_minor(_unallocated(session, payment), coop.currency)
    plan: list[tuple[Invoice, Decimal]] = []
    if named is not None:
        for number, raw in named:
            invoice = invoice_by_number(session, number)
            if invoice.entity_id != entity.id or invoice.party_id != party.id:
                raise InvalidAct(
                    "allocations",
                    N_("invoice {number} is not of entity {entity_code} and client {party_code}"),
                    number=number,
                    entity_code=entity.code,
                    party_code=party.code,
                )
            amount = positive_amount(raw, coop.currency, field=f"allocations[{number}]")
            owed = outstanding(session, invoice, coop.currency)
            if amount > owed:
                raise InvalidAct(
                    f"allocations[{number}]",
                    N_("{amount} exceeds the {owed} {coop_currency} owed"),
                    amount=amount,
                    owed=owed,
                    coop_currency=coop.currency,
                )
            plan.append((invoice, amount))
        total = sum((a for _, a in plan), Decimal(0))
        if total > available:
            raise InvalidAct(
                "allocations",
                N_(
                    "{total} {coop_currency} allocated, but only {available} "
                    "{coop_currency} is available"
                ),
                total=total,
                coop_currency=coop.currency,
                available=available,
            )
    else:
        for invoice in _open_invoices(session, entity, party):
            if available <= 0:
                break
            amount = min(available, outstanding(session, invoice, coop.currency))
            plan.append((invoice, amount))
            available -= amount
    session.add_all(
        Allocation(payment_id=payment.id, invoice_id=i.id, amount=coop.minor(a)) for i, a in plan
    )
    session.flush()
    return [(i.number, a) for i, a in plan]


def receive_payment(
    session: Session,
    coop: Cooperative,
    *,
    key: str,
    entity: str,
    client: str,
    amount: Decimal | str,
    on: date,
    actor: str,
    method: str = "bank",
    allocations: Sequence[tuple[str, Decimal | str]] | None = None,
    reference: str = "",
) -> Received:
    """Receive money from a client for an entity; idempotent by ``key``, which is the
    entity's own (another entity's key is another payment, and reveals nothing of it).

    ``method="cash"`` is a cash-receipt declaration: the member received it in hand. It
    waits for staff (see the module): :attr:`Received.pending` is its pending act.
    A key seen before with other figures is refused rather than silently ignored.
    """
    if not key.strip():
        raise InvalidAct("key", N_("an idempotency key is required"))
    value = positive_amount(amount, coop.currency, field="amount")
    if method not in METHODS:
        raise InvalidAct("method", N_("{method} must be bank, cash or cheque"), method=repr(method))
    holder = entity_by_code(session, entity, open_only=False)
    party = party_by_code(session, client)
    seen = session.scalars(
        select(Payment).where(Payment.entity_id == holder.id, Payment.key == key)
    ).one_or_none()
    if seen is not None:
        return _replayed(session, coop, seen, holder, party, value)
    if holder.closed_on is not None:
        raise ActError(
            "entity",
            N_("closed on {holder_closed_on}"),
            value=entity,
            holder_closed_on=holder.closed_on,
        )
    payment = Payment(
        key=key,
        entity_id=holder.id,
        party_id=party.id,
        received_on=on,
        amount=coop.minor(value),
        method=method,
        reference=reference,
    )
    try:
        with session.begin_nested():  # a concurrent replay of the key may have won
            session.add(payment)
    except IntegrityError:
        seen = session.scalars(
            select(Payment).where(Payment.entity_id == holder.id, Payment.key == key)
        ).one_or_none()
        if seen is None:
            raise
        return _replayed(session, coop, seen, holder, party, value)
    if method in DECLARED:
        return _declare_cash(session, coop, payment, holder, party, allocations, actor=actor)
    return _post_payment(session, coop, payment, holder, party, allocations, actor=actor)


def _declare_cash(
    session: Session,
    coop: Cooperative,
    payment: Payment,
    holder: Entity,
    party: Party,
    allocations: Sequence[tuple[str, Decimal | str]] | None,
    *,
    actor: str,
) -> Received:
    """Cash declared: checked as it will settle (named invoices of the entity and
    client), then left waiting for staff, unposted."""
    value = from_minor(payment.amount, coop.currency)
    named = [(n, str(a)) for n, a in allocations] if allocations is not None else None
    for number, raw in named or ():
        invoice = invoice_by_number(session, number)
        if invoice.entity_id != holder.id or invoice.party_id != party.id:
            raise InvalidAct(
                "allocations",
                N_("invoice {number} is not of entity {holder_code} and client {party_code}"),
                number=number,
                holder_code=holder.code,
                party_code=party.code,
            )
        positive_amount(raw, coop.currency, field=f"allocations[{number}]")
    row = pending.enter(
        session,
        kind=PendingKind.CASH_RECEIPT,
        subject_id=payment.id,
        entity_id=holder.id,
        amount=payment.amount,
        rule=(
            f"method: {payment.method} of {value} {coop.currency} from {party.code} received on "
            f"{payment.received_on} is declared, not seen by a bank: it counts once staff "
            "of the entity's office validate it"
        ),
        actor=actor,
        data={"allocations": named},
    )
    return Received(payment, (), Decimal(0), pending=row)


def _post_payment(
    session: Session,
    coop: Cooperative,
    payment: Payment,
    holder: Entity,
    party: Party,
    allocations: Sequence[tuple[str, Decimal | str]] | None,
    *,
    actor: str,
) -> Received:
    """Settle invoices with a payment and post it: money the entity now holds."""
    value = from_minor(payment.amount, coop.currency)
    method, on, reference, key = (
        payment.method,
        payment.received_on,
        payment.reference,
        payment.key,
    )
    settled = _settle(session, coop, payment, holder, party, allocations)
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(METHODS[method], value, partner=party.code),
            credit(PostingRole.CLIENTS, value, partner=party.code),
        ],
        act=("payment", payment.id),
        actor=actor,
        reference=reference or key,
        description=DESCRIPTIONS.get(method, N_("Payment from {party}")).format(party=party.name),
    )
    after_receipt(session, coop, holder, settled, on=on, actor=actor, cause=f"payment {payment.id}")
    left = from_minor(_unallocated(session, payment), coop.currency)
    audit.record(
        session,
        actor=actor,
        action="payment.receive",
        subject=f"payment:{payment.id}",
        reason=f"{method} from {party.code} for {holder.code}",
        data={"key": key, "amount": str(value), "settled": [[n, str(a)] for n, a in settled]},
    )
    return Received(payment, tuple(settled), left)


def post_cash(session: Session, coop: Cooperative, row: PendingAct, *, actor: str) -> Received:
    """Post cash a staff login validates (``row``, checked waiting and four-eyes by the
    caller): it settles the invoices it named, or the client's oldest, as if received
    on its day, and counts from now on."""
    payment = session.get(Payment, row.subject_id)
    assert payment is not None and row.kind == PendingKind.CASH_RECEIPT
    holder = session.get(Entity, payment.entity_id)
    party = session.get(Party, payment.party_id)
    assert holder is not None and party is not None  # foreign keys
    named = row.data.get("allocations")
    allocations = [(str(n), str(a)) for n, a in named] if named is not None else None
    return _post_payment(session, coop, payment, holder, party, allocations, actor=actor)


def _replayed(
    session: Session, coop: Cooperative, seen: Payment, holder: Entity, party: Party, value: Decimal
) -> Received:
    """What the payment first received under this key did; refuses the key when the
    client or the amount differ."""
    if (seen.party_id, seen.amount) != (party.id, coop.minor(value)):
        raise ActError(
            "key",
            N_(
                "{seen_key} was already used for another payment ({item_a} "
                "{coop_currency}, {seen_received_on})"
            ),
            seen_key=repr(seen.key),
            item_a=from_minor(seen.amount, coop.currency),
            coop_currency=coop.currency,
            seen_received_on=seen.received_on,
        )
    allocated = session.execute(
        select(Invoice.number, Allocation.amount)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .where(Allocation.payment_id == seen.id)
        .order_by(Allocation.id)
    ).all()
    waiting = pending.of_subject(session, PendingKind.CASH_RECEIPT, seen.id)
    if waiting is not None and waiting.status != PendingStatus.VALIDATED:
        return Received(seen, (), Decimal(0), replayed=True, pending=waiting)
    return Received(
        seen,
        tuple((n, from_minor(a, coop.currency)) for n, a in allocated),
        from_minor(_unallocated(session, seen), coop.currency),
        replayed=True,
    )


def apply_credit(
    session: Session, coop: Cooperative, *, entity: str, client: str, actor: str
) -> list[tuple[str, Decimal]]:
    """Settle a client's open invoices with what earlier payments left as credit."""
    holder = entity_by_code(session, entity)
    party = party_by_code(session, client)
    settled: list[tuple[str, Decimal]] = []
    for payment in session.scalars(
        select(Payment)
        .where(
            Payment.entity_id == holder.id,
            Payment.party_id == party.id,
            pending.counted(PendingKind.CASH_RECEIPT, Payment.id),
            ~RETURNED,
        )
        .order_by(Payment.received_on, Payment.id)
    ):
        if _unallocated(session, payment) > 0:
            settled += _settle(session, coop, payment, holder, party, None)
    if settled:
        audit.record(
            session,
            actor=actor,
            action="payment.apply_credit",
            subject=f"party:{party.code}",
            data={"settled": [[n, str(a)] for n, a in settled]},
        )
    return settled
