"""Money a supplier pays back: the refund of a supplier's credit note.

A supplier's credit note lowers what the entity owes that supplier. While the invoice
it corrects is unpaid, paying that invoice deducts it
(:func:`partage.core.spending.settlement.pay_purchase`) and no money comes back. Once the
invoice is paid — or when the credit note corrects no invoice booked here — nothing is
left to deduct it from: the supplier owes the money back, and the entity's account with
the supplier stands in its favour until the refund arrives in the bank. Receiving it
clears that account against the bank and settles the credit note.

The refund was already counted in the entity's funds when the credit note was booked
(the purchase it gave back), so receiving it moves money from the supplier's account to
the bank and changes nothing to them: no funds check applies.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from partage.core.acts import pending
from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
)
from partage.core.acts.models import PendingKind
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.sales.models import InvoiceKind
from partage.core.spending.models import Purchase


def refunds_owed(session: Session, *, entity_ids: Collection[int] | None = None) -> list[Purchase]:
    """The supplier credit notes whose money the supplier owes back, oldest first: not
    settled, and crediting no invoice or an invoice already paid (an unpaid invoice
    deducts its credit notes instead). ``entity_ids`` narrows them to those entities."""
    invoice = aliased(Purchase)
    query = (
        select(Purchase)
        .outerjoin(invoice, invoice.id == Purchase.credits_id)
        .where(
            Purchase.kind == InvoiceKind.CREDIT_NOTE.value,
            Purchase.paid_on.is_(None),
            or_(Purchase.credits_id.is_(None), invoice.paid_on.is_not(None)),
            pending.counted(PendingKind.SUPPLIER_CREDIT_NOTE, Purchase.id),
        )
        .order_by(Purchase.on, Purchase.id)
    )
    if entity_ids is None:
        return list(session.scalars(query))
    found: list[Purchase] = []
    for part in chunks(sorted(set(entity_ids))):
        found.extend(session.scalars(query.where(Purchase.entity_id.in_(part))))
    return sorted(found, key=lambda note: (note.on, note.id))


def refund_due(session: Session, credit_note_id: int) -> Purchase:
    """The credit note ``credit_note_id``, locked, if its refund can be received now;
    else the refusal naming why. The lock makes a concurrent receipt of the same refund
    wait and then see this one."""
    note = session.get(Purchase, credit_note_id, with_for_update=True)
    if note is None:
        raise NotFound(
            "credit_note",
            N_("purchase {credit_note_id}: no such purchase"),
            credit_note_id=credit_note_id,
        )
    if note.kind != InvoiceKind.CREDIT_NOTE.value:
        raise InvalidAct(
            "credit_note",
            N_(
                "purchase {credit_note_id} is supplier invoice "
                "{note_supplier_reference}, not a credit note"
            ),
            credit_note_id=credit_note_id,
            note_supplier_reference=note.supplier_reference,
        )
    if note.paid_on is not None:
        raise ClosedRecord(
            "credit_note",
            N_("credit note {note_supplier_reference} was settled on {note_paid_on}"),
            note_supplier_reference=note.supplier_reference,
            note_paid_on=note.paid_on,
        )
    waiting = pending.of_subject(session, PendingKind.SUPPLIER_CREDIT_NOTE, note.id)
    if waiting is not None and waiting.status != "validated":
        raise ClosedRecord(
            "credit_note",
            N_(
                "credit note {note_supplier_reference} names no invoice "
                "booked here and is {waiting_status}: staff of the entity's "
                "office validate it before any refund"
            ),
            note_supplier_reference=note.supplier_reference,
            waiting_status=Word(waiting.status),
        )
    if note.credits_id is not None:
        invoice = session.get(Purchase, note.credits_id)
        assert invoice is not None
        if invoice.paid_on is None:
            raise InvalidAct(
                "credit_note",
                N_(
                    "credit note {note_supplier_reference} credits invoice "
                    "{invoice_supplier_reference}, not paid yet: it will be "
                    "deducted when invoice {invoice_supplier_reference} is paid, "
                    "not refunded"
                ),
                note_supplier_reference=note.supplier_reference,
                invoice_supplier_reference=invoice.supplier_reference,
            )
    return note


def receive_supplier_refund(
    session: Session,
    coop: Cooperative,
    credit_note_id: int,
    *,
    on: date,
    actor: str,
    reference: str = "",
) -> Purchase:
    """Receive in the entity's bank the refund of a supplier's credit note, its total
    with VAT (the VAT itself was given back to the State when the credit note was
    booked), and settle the credit note. ``reference`` is what identifies the money
    received (a bank entry's reference); the credit note's number by default.

    Refused, writing nothing, for an unknown purchase, a supplier invoice, a credit note
    already settled, or one still deductible from its unpaid invoice.
    """
    note = refund_due(session, credit_note_id)
    holder = session.get(Entity, note.entity_id)
    party = session.get(Party, note.party_id)
    assert holder is not None and party is not None
    total = from_minor(note.total, coop.currency)
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(PostingRole.BANK, total, partner=party.code),
            credit(PostingRole.SUPPLIERS, total, partner=party.code),
        ],
        act=("supplier_refund", note.id),
        actor=actor,
        reference=reference or note.supplier_reference,
        description=f"Refund of credit note {note.supplier_reference} by {party.name}",
    )
    note.paid_on = on
    audit.record(
        session,
        actor=actor,
        action="purchase.refund",
        subject=f"purchase:{note.id}",
        reason=f"credit note {note.supplier_reference} of {party.code} refunded to {holder.code}",
        data={"amount": str(total), "from": party.code, "reference": reference},
    )
    return note
