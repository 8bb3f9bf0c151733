"""Read models of spending: an entity's expense claims, the supplier documents booked
for it, and what one import booked."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from partage.core.acts import pending
from partage.core.acts.cooperative import Cooperative
from partage.core.acts.models import PendingKind, PendingStatus
from partage.core.banking.payees import PayeeHold, payment_holds
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.money import round_money
from partage.core.documents.importing import ImportedPurchase
from partage.core.members.models import Entity, Member, Party
from partage.core.sales.models import InvoiceKind
from partage.core.spending.models import ExpenseClaim, Purchase
from partage.core.web.schemas import money
from partage.core.web.spending import schemas as s


def _not_counted(
    session: Session, kind: PendingKind, ids: Collection[int]
) -> dict[int, Literal["pending", "refused"]]:
    """Of the rows ``ids`` of ``kind``, those that do not count yet, and why."""
    return {
        subject: "refused" if row.status == PendingStatus.REFUSED else "pending"
        for subject, row in pending.statuses_of(session, kind, ids).items()
        if row.status != PendingStatus.VALIDATED
    }


def expense_claims(session: Session, coop: Cooperative, entity: Entity) -> list[s.ExpenseOut]:
    rows = session.execute(
        select(ExpenseClaim, Member.number)
        .join(Member, Member.id == ExpenseClaim.member_id)
        .where(ExpenseClaim.entity_id == entity.id)
        .order_by(ExpenseClaim.id.desc())
    ).all()
    waiting = _not_counted(session, PendingKind.EXPENSE_CLAIM, [c.id for c, _ in rows])
    return [expense_out(c, entity.code, n, coop.currency, waiting.get(c.id)) for c, n in rows]


def expense_waiting(session: Session, claim_id: int) -> Literal["pending", "refused"] | None:
    """Whether one expense claim waits for an adviser (or was refused)."""
    return _not_counted(session, PendingKind.EXPENSE_CLAIM, [claim_id]).get(claim_id)


def expense_out(
    c: ExpenseClaim,
    entity: str,
    member: int,
    currency: str,
    waiting: Literal["pending", "refused"] | None = None,
) -> s.ExpenseOut:
    return s.ExpenseOut(
        id=c.id,
        entity=entity,
        member=member,
        on=c.on,
        category=c.category,
        net=money(c.net, currency),
        vat=money(c.vat, currency),
        receipt_name=c.receipt_name,
        reimbursed_on=c.reimbursed_on,
        pending=waiting,
    )


def purchases(
    session: Session,
    coop: Cooperative,
    entity: Entity,
    *,
    limit: int | None = None,
    ids: Collection[int] | None = None,
) -> list[s.PurchaseOut]:
    """Supplier invoices and credit notes booked for an entity, the newest first (only
    ``ids`` when given: what one import booked)."""
    credited = aliased(Purchase)
    query = (
        select(Purchase, Party.code, Party.name, credited.supplier_reference)
        .join(Party, Party.id == Purchase.party_id)
        .outerjoin(credited, credited.id == Purchase.credits_id)
        .where(Purchase.entity_id == entity.id)
        .order_by(Purchase.on.desc(), Purchase.id.desc())
        .limit(limit)
    )
    if ids is not None:
        query = query.where(Purchase.id.in_(ids))
    cur = coop.currency
    rows = session.execute(query).all()
    open_invoices = [
        p for p, *_ in rows if p.kind == InvoiceKind.INVOICE.value and p.paid_on is None
    ]
    holds = payment_holds(session, open_invoices)
    waiting = _not_counted(
        session,
        PendingKind.SUPPLIER_CREDIT_NOTE,
        [p.id for p, *_ in rows if p.kind == InvoiceKind.CREDIT_NOTE.value],
    )
    return [
        s.PurchaseOut(
            id=p.id,
            kind=p.kind,
            entity=entity.code,
            supplier_reference=p.supplier_reference,
            supplier=code,
            supplier_name=name,
            issued_on=p.on,
            due_on=p.due_on,
            category=p.category,
            net=money(p.net, cur),
            vat=money(p.vat, cur),
            total=money(p.total, cur),
            payment_reference=p.payment_reference,
            credits=credits,
            paid_on=p.paid_on,
            payee_iban=p.payee_iban,
            payment=_payment(p, holds),
            payment_hold=holds[p.id].reason if p.id in holds else None,
            pending=waiting.get(p.id),
            currency=p.currency,
            original_total=(
                str(Decimal((p.original_net or 0) + (p.original_vat or 0)).scaleb(-2))
                if p.currency
                else None
            ),
            exchange_rate=str(p.exchange_rate) if p.exchange_rate is not None else None,
            exchange_rate_on=p.exchange_rate_on,
            foreign_vat=money(p.foreign_vat, cur) if p.foreign_vat is not None else None,
            foreign_vat_country=p.foreign_vat_country,
        )
        for p, code, name, credits in rows
    ]


def _payment(
    purchase: Purchase, holds: dict[int, PayeeHold]
) -> Literal["verified", "no_verified_account", "account_pending"] | None:
    """Whether a payment file may pay an open invoice, and if not why (see
    :class:`~.schemas.PurchaseOut`)."""
    if purchase.kind != InvoiceKind.INVOICE.value or purchase.paid_on is not None:
        return None
    hold = holds.get(purchase.id)
    return "verified" if hold is None else hold.status


def finding_out(finding: Finding) -> s.FindingOut:
    return s.FindingOut(rule=finding.rule, message=finding.message, where=finding.where)


def imported_out(
    done: ImportedPurchase, coop: Cooperative, entity: str, filename: str
) -> s.PurchaseImportOut:
    """What importing a supplier document booked, its figures as the document states them."""
    document = done.document
    return s.PurchaseImportOut(
        entity=entity,
        filename=filename,
        format="cii" if done.format == "cii" else "ubl",
        kind="credit_note" if document.is_credit_note else "invoice",
        number=document.number,
        supplier=done.supplier,
        supplier_name=document.seller.name,
        total=str(round_money(document.total, coop.currency)),
        currency=document.currency,
        purchases=list(done.purchases),
        replayed=done.replayed,
        warnings=[finding_out(f) for f in done.warnings],
        books_currency=coop.currency,
        booked_total=str(done.booked_total),
        exchange_rate=str(done.conversion.rate) if done.conversion else None,
        exchange_rate_on=done.conversion.on if done.conversion else None,
        foreign_vat=str(done.foreign_vat) if done.foreign_vat else None,
    )
