"""Money the bank takes that no one can refuse: its charges, and the return of a
payment it had credited (an R-transaction), booked as acts of the entity they concern
when a statement says so.

Both are facts, not requests: the bank has already debited the account. So they are
accepted whatever the entity holds, like a credit note correcting a wrong invoice, and
if they leave the entity's funds and coverage below zero the salary guarantee fund
advances the shortfall by a recorded act and the entity is blocked until it is repaid
(:func:`partage.core.sales.fund_cover.cover_shortfall`).

What a debit entry is comes from its ISO 20022 bank transaction code
(``BkTxCd/Domn``: domain, family, sub-family) and its return information:

* a **return** is an entry with a return reason (``RtrInf/Rsn``) or a returning
  sub-family (:data:`RETURNING`). It returns the payment received by the matched
  transaction with the same end-to-end id, else the same structured reference, for
  exactly its amount. The act reverses the payment: in the entity's books the client
  owes again (clients debited, bank credited) and the payment's allocations are
  undone, so the invoices it settled are open again (their coverage and dunning follow
  again from their due dates), and it is no client's credit any more;
* a **charge** is an entry of a charging sub-family (:data:`CHARGING`). It is the
  entity's when it names a payment order of the entity (end-to-end id) or a payment the
  entity received (end-to-end id, else structured reference): the act books it as an
  expense of the entity (expenses debited, bank credited).

A debit the rules cannot attribute (a charge on the cooperative's account as a whole,
a return of a payment no import matched, a payment partly returned, or one on a
receivable the fund took over) waits in the reconciliation queue with the reason, as
any other unmatched transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, credit, debit
from partage.core.banking.models import PaymentOrder, StatementTransaction, TransactionStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.bank import BankTransaction
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.sales.fund_cover import cover_shortfall, held_by_fund
from partage.core.sales.models import Allocation, Invoice, Payment
from partage.core.sales.payments import RETURN_ACT

#: Sub-families of the ISO 20022 External Bank Transaction Domain codes that return
#: money received: unpaid direct debit, reversal due to a payment return, to a payment
#: cancellation request, and an automated clearing house return.
RETURNING = frozenset({"UPDD", "RRTN", "RPCR", "ARET"})
#: Sub-families that are the bank's charges and fees.
CHARGING = frozenset({"CHRG", "FEES", "COMM"})

CHARGE_ACT = "bank_charge"


def kind_of(transaction: BankTransaction) -> str | None:
    """``"return"``, ``"charge"`` or ``None`` for a debit entry (see the module)."""
    if transaction.credit:
        return None
    sub = (transaction.code or "").rsplit("/", 1)[-1]
    if transaction.return_reason or sub in RETURNING:
        return "return"
    if sub in CHARGING:
        return "charge"
    return None


def _received(session: Session, transaction: BankTransaction) -> StatementTransaction | None:
    """The matched money in that ``transaction`` refers to: same end-to-end id, else
    same structured reference; the latest when several."""
    keys = [
        (StatementTransaction.end_to_end_id, transaction.end_to_end_id),
        (StatementTransaction.structured_reference, transaction.structured_reference),
    ]
    for column, value in keys:
        if not value:
            continue
        found = session.scalars(
            select(StatementTransaction)
            .where(
                column == value,
                StatementTransaction.credit.is_(True),
                StatementTransaction.payment_id.is_not(None),
            )
            .order_by(StatementTransaction.id.desc())
            .limit(1)
        ).first()
        if found is not None:
            return found
    return None


def book_return(
    session: Session, coop: Cooperative, transaction: BankTransaction, key: str, *, actor: str
) -> dict[str, object]:
    """Book a returned payment, or say why it waits for a person (see the module):
    the statement transaction's fields."""
    original = _received(session, transaction)
    if original is None or original.payment_id is None:
        return {"note": "a returned payment that no matched payment received explains"}
    payment = session.get(Payment, original.payment_id)
    assert payment is not None
    amount = coop.minor(transaction.amount)
    if amount != payment.amount:
        return {
            "note": f"returns {transaction.amount} of payment {payment.id} of "
            f"{from_minor(payment.amount, coop.currency)}: a partial return is settled by hand"
        }
    settled = [
        (allocation, session.get(Invoice, allocation.invoice_id))
        for allocation in session.scalars(
            select(Allocation).where(Allocation.payment_id == payment.id)
        )
    ]
    for _, invoice in settled:
        if invoice is not None and held_by_fund(session, coop, invoice) > 0:
            return {
                "note": f"returns payment {payment.id} on {invoice.number}, a receivable the "
                "guarantee fund took over: settled by hand"
            }
    entity = session.get(Entity, payment.entity_id)
    party = session.get(Party, payment.party_id)
    assert entity is not None and party is not None  # foreign keys
    value = from_minor(amount, coop.currency)
    session.execute(delete(Allocation).where(Allocation.payment_id == payment.id))
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.BANK,
        on=transaction.booked_on,
        lines=[
            debit(PostingRole.CLIENTS, value, partner=party.code),
            credit(PostingRole.BANK, value, partner=party.code),
        ],
        act=(RETURN_ACT, payment.id),
        actor=actor,
        reference=key[:100],
        description=(
            N_("Payment from {party} returned by the bank ({return_reason})")
            if transaction.return_reason
            else N_("Payment from {party} returned by the bank")
        ).format(party=party.name, return_reason=transaction.return_reason),
    )
    audit.record(
        session,
        actor=actor,
        action="payment.returned",
        subject=f"payment:{payment.id}",
        reason=transaction.return_reason or transaction.code or "returned",
        data={
            "amount": str(value),
            "entity": entity.code,
            "reopened": [
                [invoice.number if invoice else None, str(from_minor(a.amount, coop.currency))]
                for a, invoice in settled
            ],
        },
    )
    cover_shortfall(
        session,
        coop,
        entity,
        on=transaction.booked_on,
        actor=actor,
        cause=f"returned payment {payment.id}",
    )
    return {
        "status": TransactionStatus.MATCHED.value,
        "rule": RETURN_ACT,
        "payment_id": payment.id,
        "note": f"returned payment of {entity.code}",
    }


def _charged_entity(session: Session, transaction: BankTransaction) -> Entity | None:
    """The entity a charge is about: the one of the payment order, or of the payment
    received, that the entry names."""
    if transaction.end_to_end_id:
        order = session.scalars(
            select(PaymentOrder.entity_id).where(
                PaymentOrder.end_to_end_id == transaction.end_to_end_id
            )
        ).first()
        if order is not None:
            return session.get(Entity, order)
    original = _received(session, transaction)
    if original is None or original.payment_id is None:
        return None
    payment = session.get(Payment, original.payment_id)
    return session.get(Entity, payment.entity_id) if payment is not None else None


def book_charge(
    session: Session, coop: Cooperative, transaction: BankTransaction, key: str, *, actor: str
) -> dict[str, object]:
    """Book a bank charge as the entity's expense, or say why it waits for a person:
    the statement transaction's fields."""
    entity = _charged_entity(session, transaction)
    if entity is None:
        return {"note": "a bank charge that names no entity's payment or payment order"}
    charge(
        session,
        coop,
        entity,
        Decimal(transaction.amount),
        on=transaction.booked_on,
        key=key,
        code=transaction.code,
        actor=actor,
    )
    return {
        "status": TransactionStatus.MATCHED.value,
        "rule": CHARGE_ACT,
        "note": f"charged to {entity.code}",
    }


def charge(
    session: Session,
    coop: Cooperative,
    entity: Entity,
    amount: Decimal,
    *,
    on: date,
    key: str,
    code: str | None,
    actor: str,
) -> None:
    """The act of a bank charge ``amount`` the bank took for ``entity`` (statement
    transaction ``key``): the entity's expense, accepted whatever it holds, the fund
    advancing what it leaves short."""
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(PostingRole.EXPENSES, amount, partner="bank"),
            credit(PostingRole.BANK, amount, partner="bank"),
        ],
        act=(CHARGE_ACT, key[:64]),
        actor=actor,
        reference=key[:100],
        description=f"Bank charge ({code or 'charges'})",
    )
    audit.record(
        session,
        actor=actor,
        action="bank.charge",
        subject=f"entity:{entity.code}",
        reason=code or "charges",
        data={"amount": str(amount), "key": key},
    )
    cover_shortfall(session, coop, entity, on=on, actor=actor, cause=f"bank charge {key}")
