"""Read models of spending: an entity's expense claims, the supplier documents booked
for it, and what one import booked."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Literal

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session, aliased

from partage.core.acts import pending
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.acts.models import PendingKind, PendingStatus
from partage.core.banking.payees import PayeeHold, payment_holds
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.errors import N_
from partage.core.contract.money import round_money
from partage.core.documents.importing import ImportedPurchase
from partage.core.members.models import Entity, Member, Party
from partage.core.sales.models import InvoiceKind
from partage.core.spending.models import (
    CopyrightCession,
    ExpenseClaim,
    InternalInvoice,
    OtherIncome,
    Purchase,
)
from partage.core.spending.receipts import kept_for
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
    filed = kept_for(session, "purchase", [p.id for p, *_ in rows])
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
            receipt=p.id in filed,
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


def internal_out(
    row: InternalInvoice, seller: Entity, buyer: Entity, currency: str
) -> s.InternalInvoiceOut:
    return s.InternalInvoiceOut(
        number=row.number,
        seller=seller.code,
        seller_name=seller.name,
        buyer=buyer.code,
        buyer_name=buyer.name,
        on=row.on,
        description=row.description,
        amount=money(row.amount, currency),
        status="accepted"
        if row.status == "accepted"
        else "refused"
        if row.status == "refused"
        else "pending",
        decided_by=row.decided_by,
    )


def internal_invoices(
    session: Session, coop: Cooperative, entity: Entity
) -> list[s.InternalInvoiceOut]:
    """The internal invoices an entity sent or received, those waiting first, then the
    newest."""
    seller, buyer = aliased(Entity), aliased(Entity)
    rows = session.execute(
        select(InternalInvoice, seller, buyer)
        .join(seller, seller.id == InternalInvoice.seller_id)
        .join(buyer, buyer.id == InternalInvoice.buyer_id)
        .where(or_(InternalInvoice.seller_id == entity.id, InternalInvoice.buyer_id == entity.id))
        .order_by(
            case((InternalInvoice.status == "pending", 0), else_=1), InternalInvoice.id.desc()
        )
    ).all()
    return [internal_out(row, sold, bought, coop.currency) for row, sold, bought in rows]


def internal_invoice_of(session: Session, entity: Entity, number: str) -> InternalInvoice:
    """An internal invoice the entity sent or received, or :class:`NotFound` (another
    entity's is not told apart from none)."""
    row = session.scalars(
        select(InternalInvoice).where(
            InternalInvoice.number == number,
            or_(InternalInvoice.seller_id == entity.id, InternalInvoice.buyer_id == entity.id),
        )
    ).one_or_none()
    if row is None:
        raise NotFound("internal invoice", N_("no such internal invoice"), value=repr(number))
    return row


def internal_of(session: Session, coop: Cooperative, row: InternalInvoice) -> s.InternalInvoiceOut:
    seller = session.get(Entity, row.seller_id)
    buyer = session.get(Entity, row.buyer_id)
    assert seller is not None and buyer is not None  # foreign keys
    return internal_out(row, seller, buyer, coop.currency)


def copyright_out(row: CopyrightCession, entity: str, member: int, currency: str) -> s.CopyrightOut:
    return s.CopyrightOut(
        id=row.id,
        entity=entity,
        member=member,
        on=row.on,
        work=row.work,
        amount=money(row.amount, currency),
        flat_rate_costs=money(row.flat_rate_costs, currency),
        withholding=money(row.withholding, currency),
        net=money(row.amount - row.withholding, currency),
    )


def income_out(session: Session, row: OtherIncome, entity: str, currency: str) -> s.OtherIncomeOut:
    party = session.get(Party, row.party_id)
    assert party is not None  # foreign key
    waiting = _not_counted(session, PendingKind.OTHER_INCOME, [row.id]).get(row.id)
    sponsorship = row.kind == "sponsorship"
    return s.OtherIncomeOut(
        id=row.id,
        kind="sponsorship"
        if sponsorship
        else "patronage"
        if row.kind == "patronage"
        else "subsidy",
        entity=entity,
        funder=party.code,
        on=row.on,
        amount=money(row.amount, currency),
        reference="" if sponsorship else row.reference,
        pending=waiting,
        invoice=row.reference if sponsorship else None,
    )
