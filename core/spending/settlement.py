"""Paying what an entity owes from the bank: a supplier invoice net of its credit notes,
the same bank posting serving expense claims.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.sales.models import InvoiceKind
from partage.core.spending.models import (
    ExpenseClaim,
    Purchase,
)
from partage.core.spending.supplier_credits import (
    amount_owed,
    open_credit_notes,
)

Debt = TypeVar("Debt", Purchase, ExpenseClaim)


def unsettled(session: Session, model: type[Debt], row_id: int, what: str, done: str) -> Debt:
    """The purchase or claim ``row_id``, refused when unknown or already settled;
    locked, so that a concurrent payment or credit note waits and then sees this one."""
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise NotFound(what, N_("no such {what}"), value=row_id, what=what)
    settled = row.paid_on if isinstance(row, Purchase) else row.reimbursed_on
    if settled is not None:
        raise ClosedRecord(
            what, N_("{done} on {settled}"), value=row_id, done=done, settled=settled
        )
    return row


def pay_from_bank(
    session: Session,
    coop: Cooperative,
    row: Purchase | ExpenseClaim,
    *,
    amount: int,
    owed: PostingRole,
    partner: str,
    act: tuple[str, int],
    action: str,
    subject: str,
    on: date,
    actor: str,
    reference: str = "",
    description: str,
    data: dict[str, object] | None = None,
) -> None:
    """Pay ``amount`` (minor units) an entity owes for a purchase or an expense claim
    (to the supplier, to the member) from its bank, with its audit record. Its funds
    already counted the debt when it was booked, so paying it changes nothing to them
    and needs no new funds check."""
    holder = session.get(Entity, row.entity_id)
    assert holder is not None
    total = from_minor(amount, coop.currency)
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(owed, total, partner=partner),
            credit(PostingRole.BANK, total, partner=partner),
        ],
        act=act,
        actor=actor,
        reference=reference,
        description=description,
    )
    audit.record(
        session,
        actor=actor,
        action=action,
        subject=subject,
        data={"amount": str(total), "to": partner, **(data or {})},
    )


def pay_purchase(
    session: Session, coop: Cooperative, purchase_id: int, *, on: date, actor: str
) -> Purchase:
    """Pay a supplier invoice from the entity's bank, less its open credit notes,
    which this payment settles too. A supplier's credit note is not paid: the supplier
    owes it back."""
    purchase = unsettled(session, Purchase, purchase_id, "purchase", "already paid")
    if purchase.kind != InvoiceKind.INVOICE.value:
        raise InvalidAct(
            "purchase",
            N_("credit note {purchase_supplier_reference} is owed back by the supplier, not paid"),
            value=purchase_id,
            purchase_supplier_reference=purchase.supplier_reference,
        )
    party = session.get(Party, purchase.party_id)
    assert party is not None
    notes = open_credit_notes(session, [purchase.id])[purchase.id]
    pay_from_bank(
        session,
        coop,
        purchase,
        amount=amount_owed(purchase, notes),
        owed=PostingRole.SUPPLIERS,
        partner=party.code,
        act=("purchase_payment", purchase.id),
        action="purchase.pay",
        subject=f"purchase:{purchase.id}",
        on=on,
        actor=actor,
        reference=purchase.payment_reference or purchase.supplier_reference,
        description=f"Payment of {purchase.supplier_reference}",
        data={"credit_notes": [note.supplier_reference for note in notes]} if notes else None,
    )
    purchase.paid_on = on
    for note in notes:
        note.paid_on = on
    return purchase
