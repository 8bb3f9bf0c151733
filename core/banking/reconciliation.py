"""The reconciliation queue: bank transactions no rule matched, waiting for a person.

A person settles a queued transaction as a client's payment, posted as received with
the invoices it settles, as the refund of a supplier's credit note of exactly its
amount, or, for money out the bank took on its own, as a bank charge of an entity
(:func:`partage.core.banking.bank_debits.charge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct, NotFound
from partage.core.banking import bank_debits
from partage.core.banking.models import StatementTransaction, TransactionStatus
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.members.service import entity_by_code
from partage.core.platform import audit
from partage.core.sales.models import Invoice
from partage.core.sales.payments import receive_payment
from partage.core.spending.refunds import receive_supplier_refund, refund_due


def queue(session: Session) -> list[StatementTransaction]:
    """The reconciliation queue: transactions waiting for a person, oldest first."""
    return list(
        session.scalars(
            select(StatementTransaction)
            .where(StatementTransaction.status == TransactionStatus.QUEUED.value)
            .order_by(StatementTransaction.booked_on, StatementTransaction.id)
        )
    )


def settle_queued(
    session: Session,
    coop: Cooperative,
    transaction_id: int,
    *,
    actor: str,
    entity: str | None = None,
    client: str | None = None,
    allocations: Sequence[tuple[str, Decimal | str]] | None = None,
    credit_note: int | None = None,
    charge: bool = False,
) -> StatementTransaction:
    """A person says what a queued transaction is: the payment of ``client`` to
    ``entity`` (posted as received, ``allocations`` naming the invoices it settles),
    the refund of the supplier credit note ``credit_note``, whose amount it must be
    exactly, or (``charge``) money out the bank took as a charge of ``entity``."""
    row = session.get(StatementTransaction, transaction_id, with_for_update=True)
    if row is None:
        raise NotFound("bank transaction", N_("no such transaction"), value=transaction_id)
    if charge:
        return _settle_charge(session, coop, row, entity, client, allocations, credit_note, actor)
    if row.status != TransactionStatus.QUEUED.value or not row.credit:
        raise ClosedRecord(
            "bank transaction", N_("not a payment waiting in the queue"), value=transaction_id
        )
    if credit_note is not None:
        if entity is not None or client is not None or allocations:
            raise InvalidAct(
                "credit_note",
                N_(
                    "a supplier's refund names its credit note only, not an "
                    "entity, a client or invoices"
                ),
            )
        return _settle_refund(session, coop, row, credit_note, actor=actor)
    if not entity or not client:
        raise InvalidAct(
            "entity, client", N_("say whose payment it is (or which credit note it refunds)")
        )
    received = receive_payment(
        session,
        coop,
        key=f"bank:{row.key}"[:100],
        entity=entity,
        client=client,
        amount=from_minor(row.amount, coop.currency),
        on=row.booked_on,
        actor=actor,
        allocations=allocations,
        reference=(row.structured_reference or row.key)[:100],
    )
    row.status = TransactionStatus.MATCHED.value
    row.rule = "manual"
    row.payment_id = received.payment.id
    row.invoice_id = None
    if received.settled:
        row.invoice_id = session.scalars(
            select(Invoice.id).where(Invoice.number == received.settled[0][0])
        ).one()
    row.note = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="bank_transaction.settle",
        subject=f"bank_transaction:{row.id}",
        data={"entity": entity, "client": client},
    )
    return row


def _settle_refund(
    session: Session, coop: Cooperative, row: StatementTransaction, credit_note: int, *, actor: str
) -> StatementTransaction:
    """A queued transaction received as the refund of a supplier's credit note."""
    note = refund_due(session, credit_note)
    if row.amount != note.total:
        raise InvalidAct(
            "credit_note",
            N_(
                "bank transaction {row_id} brings {item_a} {coop_currency}; "
                "the refund of credit note {note_supplier_reference} is "
                "{item_b} {coop_currency}"
            ),
            row_id=row.id,
            item_a=from_minor(row.amount, coop.currency),
            coop_currency=coop.currency,
            note_supplier_reference=note.supplier_reference,
            item_b=from_minor(note.total, coop.currency),
        )
    receive_supplier_refund(
        session, coop, note.id, on=row.booked_on, actor=actor, reference=row.key[:100]
    )
    row.status = TransactionStatus.MATCHED.value
    row.rule = "manual"
    row.credit_note_id = note.id
    row.note = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="bank_transaction.settle",
        subject=f"bank_transaction:{row.id}",
        data={"credit_note": note.id, "supplier_reference": note.supplier_reference},
    )
    return row


def _settle_charge(
    session: Session,
    coop: Cooperative,
    row: StatementTransaction,
    entity: str | None,
    client: str | None,
    allocations: Sequence[tuple[str, Decimal | str]] | None,
    credit_note: int | None,
    actor: str,
) -> StatementTransaction:
    """A queued money out booked as a bank charge of ``entity``."""
    if row.status != TransactionStatus.QUEUED.value or row.credit:
        raise ClosedRecord(
            "bank transaction", N_("not money out waiting in the queue"), value=row.id
        )
    if not entity or client is not None or allocations or credit_note is not None:
        raise InvalidAct("entity", N_("a bank charge names the entity it is charged to, alone"))
    holder = entity_by_code(session, entity, open_only=False)
    bank_debits.charge(
        session,
        coop,
        holder,
        from_minor(row.amount, coop.currency),
        on=row.booked_on,
        key=row.key,
        code=None,
        actor=actor,
    )
    row.status = TransactionStatus.MATCHED.value
    row.rule = "manual"
    row.note = f"charged to {holder.code}"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="bank_transaction.settle",
        subject=f"bank_transaction:{row.id}",
        data={"entity": holder.code, "charge": True},
    )
    return row
