"""Supplier credit notes: booked against the invoice they credit (or stand-alone, pending
validation), and what remains owed on a supplier invoice once its credit notes count.

A credit note against an invoice booked here gives back part of money the entity spent,
so it is booked at once. A stand-alone one — its invoice is not in the entity's books —
is only a document saying a supplier owes money: anyone can write one, and booking it
would raise the entity's funds by its total out of nothing. It waits as a pending act
(:mod:`partage.core.acts.pending`), its row written but not posted, until staff of the
entity's office, another login than the one who entered it, validate it
(:func:`book_pending_credit_note`) or refuse it; until then no refund is owed on it
either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import (
    Cooperative,
    InvalidAct,
    NotFound,
    positive_amount,
)
from partage.core.acts.models import PendingAct, PendingKind
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.contract.sectors import ActKind
from partage.core.members.models import Entity, Party
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.sales.models import InvoiceKind
from partage.core.sectors.rules import check_act
from partage.core.spending.models import (
    Purchase,
)
from partage.core.spending.purchases import (
    SUPPLIER_REFERENCE_LENGTH,
    book_purchase,
    check_supplier,
    new_supplier_reference,
    stated_vat,
)


def _credited(session: Session, holder: Entity, party: Party, credits: str) -> Purchase:
    """The supplier invoice a credit note names, locked against a concurrent credit."""
    number = credits.strip()
    invoice = session.scalars(
        select(Purchase)
        .where(
            Purchase.party_id == party.id,
            Purchase.kind == InvoiceKind.INVOICE.value,
            Purchase.supplier_reference == number,
        )
        .with_for_update()
    ).one_or_none()
    if invoice is None:
        raise NotFound(
            "credits",
            N_("supplier {party_code} has no invoice {number} booked"),
            party_code=party.code,
            number=repr(number),
        )
    if invoice.entity_id != holder.id:
        other = session.get(Entity, invoice.entity_id)
        raise InvalidAct(
            "credits",
            N_(
                "invoice {number} of supplier {party_code} was booked for "
                "entity {item_a}, not for {holder_code}"
            ),
            number=number,
            party_code=party.code,
            item_a=other.code if other else invoice.entity_id,
            holder_code=holder.code,
        )
    return invoice


def _credit_notes(
    session: Session, invoice_ids: Sequence[int], *, open_only: bool
) -> dict[int, list[Purchase]]:
    found: dict[int, list[Purchase]] = defaultdict(list)
    for part in chunks(invoice_ids):
        query = select(Purchase).where(
            Purchase.kind == InvoiceKind.CREDIT_NOTE.value, Purchase.credits_id.in_(part)
        )
        if open_only:
            query = query.where(Purchase.paid_on.is_(None))
        for note in session.scalars(query.order_by(Purchase.id)):
            assert note.credits_id is not None
            found[note.credits_id].append(note)
    return found


def open_credit_notes(session: Session, invoice_ids: Sequence[int]) -> dict[int, list[Purchase]]:
    """The credit notes not settled yet of each supplier invoice: what paying it deducts."""
    return _credit_notes(session, invoice_ids, open_only=True)


def amount_owed(invoice: Purchase, notes: Sequence[Purchase]) -> int:
    """What paying a supplier invoice transfers, minor units: its total less its open
    credit notes ``notes``. Always above zero for an unpaid invoice: the credit note
    that cancels the rest of an invoice settles it."""
    return invoice.total - sum(note.total for note in notes)


def _within_invoice(
    session: Session,
    coop: Cooperative,
    invoice: Purchase,
    on: date,
    amount: Decimal,
    vat_code: str | None,
    vat: int,
    *,
    same_document: bool = False,
) -> tuple[int, bool]:
    """The VAT a credit note of ``amount`` gives back on ``invoice``, in minor units, and
    whether it credits the rest of it; refuses a note dated before the invoice, of
    another VAT code, or crediting more than earlier notes left."""
    if on < invoice.on:
        raise InvalidAct(
            "on",
            N_(
                "the credit note of {on} is dated before invoice "
                "{invoice_supplier_reference} of {invoice_on}"
            ),
            on=on,
            invoice_supplier_reference=invoice.supplier_reference,
            invoice_on=invoice.on,
        )
    if vat_code != invoice.vat_code and not same_document:
        raise InvalidAct(
            "rate_code",
            N_(
                "the credit note's VAT code {vat_code} is not that of invoice "
                "{invoice_supplier_reference}, {invoice_vat_code}"
            ),
            vat_code=vat_code,
            invoice_supplier_reference=invoice.supplier_reference,
            invoice_vat_code=invoice.vat_code,
        )
    earlier = _credit_notes(session, [invoice.id], open_only=False)[invoice.id]
    net_left = invoice.net - sum(n.net for n in earlier)
    vat_left = invoice.vat - sum(n.vat for n in earlier)
    if coop.minor(amount) > net_left:
        raise InvalidAct(
            "net",
            N_(
                "{amount} exceeds what is left to credit of invoice "
                "{invoice_supplier_reference}, {item_a} ({item_b} invoiced, "
                "{len_earlier} earlier credit note(s))"
            ),
            amount=amount,
            invoice_supplier_reference=invoice.supplier_reference,
            item_a=from_minor(net_left, coop.currency),
            item_b=from_minor(invoice.net, coop.currency),
            len_earlier=len(earlier),
        )
    if same_document:
        return vat, False
    cancels = coop.minor(amount) == net_left
    return (vat_left if cancels else min(vat, vat_left)), cancels


def record_supplier_credit_note(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    supplier: str,
    supplier_reference: str,
    net: Decimal | str,
    on: date,
    actor: str,
    credits: str | None = None,
    category: str | None = None,
    rate_code: str | None = None,
    description: str = "",
    vat: Decimal | str | None = None,
    deductible: bool = True,
    same_document: bool = False,
) -> Purchase:
    """Book a supplier's credit note for an entity: the mirror of a purchase.

    ``vat`` and ``deductible`` are :func:`~partage.core.spending.purchases.record_purchase`'s:
    the VAT the supplier's document states, or none for VAT of another country.
    ``same_document`` books the part of a supplier's invoice that sums below zero in its
    own VAT category (a returned deposit, an exempt refund) against another category
    of that invoice, ``credits``: it gives back its own VAT, not the credited part's.

    ``credits`` is the supplier's number of the invoice it corrects, booked for the same
    entity; the credit note then takes that invoice's category (``category`` may only
    repeat it) and VAT as it stood on the invoice's date, and never credits more than
    what earlier credit notes left of the invoice's net. Its VAT never exceeds what is
    left of the invoice's either, and the note that credits the rest of the net gives
    back the rest of the VAT, so an invoice credited in full owes exactly nothing: it
    is settled there and then, with its credit notes, and no transfer is made.

    It adds to the entity's funds, so no funds check applies; sector rules see it as a
    credit note, which corrects an act already judged. Without ``credits`` it waits
    for staff, written but not posted (see the module).
    """
    holder = entity_by_code(session, entity)
    party = party_by_code(session, supplier)
    check_act(
        session,
        coop,
        holder,
        ActKind.CREDIT_NOTE,
        on,
        amount=net,
        counterpart=party,
        category=category,
        direction="purchase",
    )
    check_supplier(party)
    invoice = _credited(session, holder, party, credits) if credits is not None else None
    if invoice is not None and category not in (None, invoice.category):
        raise InvalidAct(
            "category",
            N_(
                "invoice {invoice_supplier_reference} was booked as "
                "{invoice_category}; its credit note gives back the same, not "
                "{category}"
            ),
            invoice_supplier_reference=invoice.supplier_reference,
            invoice_category=invoice.category,
            category=category,
        )
    kept = category or (invoice.category if invoice is not None else "purchases")
    reference = new_supplier_reference(
        session, party, InvoiceKind.CREDIT_NOTE, supplier_reference, kept
    )
    amount = positive_amount(net, coop.currency, field="net")
    vat_code, charged = stated_vat(
        coop,
        invoice.on if invoice else on,
        party,
        amount,
        rate_code=rate_code,
        vat=vat,
        deductible=deductible,
    )
    given_back = coop.minor(charged)
    cancels = False
    if invoice is not None:
        given_back, cancels = _within_invoice(
            session, coop, invoice, on, amount, vat_code, given_back, same_document=same_document
        )
    row = Purchase(
        kind=InvoiceKind.CREDIT_NOTE.value,
        entity_id=holder.id,
        party_id=party.id,
        supplier_reference=reference,
        credits_id=invoice.id if invoice is not None else None,
        on=on,
        due_on=on,
        category=kept,
        description=description,
        net=coop.minor(amount),
        vat=given_back,
        vat_code=vat_code,
    )
    if invoice is None:
        session.add(row)
        session.flush()
        cur = coop.currency
        pending.enter(
            session,
            kind=PendingKind.SUPPLIER_CREDIT_NOTE,
            subject_id=row.id,
            entity_id=holder.id,
            amount=row.total,
            rule=(
                f"credits: credit note {reference} of supplier {party.code} for "
                f"{from_minor(row.total, cur)} {cur} ({amount} {cur} + VAT "
                f"{from_minor(given_back, cur)} {cur}) names no invoice booked for {holder.code}: "
                "it counts once staff of the entity's office validate it"
            ),
            actor=actor,
        )
        return row
    book_purchase(session, coop, row, holder=holder, party=party, actor=actor)
    if invoice is not None and cancels and invoice.paid_on is None:
        _settle_by_credit(session, invoice, on=on, actor=actor)
    return row


def book_pending_credit_note(
    session: Session, coop: Cooperative, row: PendingAct, *, actor: str
) -> Purchase:
    """Post a stand-alone credit note a staff login validates (``row``, checked waiting
    and four-eyes by the caller): money the supplier owes back from now on."""
    note = session.get(Purchase, row.subject_id)
    assert note is not None and row.kind == PendingKind.SUPPLIER_CREDIT_NOTE
    holder = session.get(Entity, note.entity_id)
    party = session.get(Party, note.party_id)
    assert holder is not None and party is not None  # foreign keys
    return book_purchase(session, coop, note, holder=holder, party=party, actor=actor)


def release_refused(session: Session, row: PendingAct) -> Purchase:
    """Give back the supplier's number a refused stand-alone credit note took.

    The number on a received document is the supplier's, not the cooperative's: no
    number of ours was taken (a purchase's journal entry is numbered when it is posted,
    and a pending note never is), so refusing it leaves no gap in our books. But while
    the refused row holds the supplier's number, the supplier's genuine credit note of
    that number, or the same one entered again with the invoice it corrects, would be
    refused as "already booked", which it never was. So the refused row keeps its
    number only as words, marked refused (``CN-7 [refused 12]``, the number cut to fit
    if need be); the pending act's rule and the audit log keep it whole.
    """
    note = session.get(Purchase, row.subject_id)
    assert note is not None and row.kind == PendingKind.SUPPLIER_CREDIT_NOTE
    mark = f" [refused {row.id}]"
    kept = note.supplier_reference[: SUPPLIER_REFERENCE_LENGTH - len(mark)]
    note.supplier_reference = kept + mark
    session.flush()
    return note


def _settle_by_credit(session: Session, invoice: Purchase, *, on: date, actor: str) -> None:
    """An unpaid invoice its credit notes cancel in full: settled, and they with it."""
    notes = open_credit_notes(session, [invoice.id])[invoice.id]
    invoice.paid_on = on
    for note in notes:
        note.paid_on = on
    audit.record(
        session,
        actor=actor,
        action="purchase.cancel",
        subject=f"purchase:{invoice.id}",
        reason="credited in full by the supplier: nothing is paid",
        data={"credit_notes": [note.supplier_reference for note in notes]},
    )
