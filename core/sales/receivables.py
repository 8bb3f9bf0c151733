"""What clients still owe: the outstanding amount of each invoice, net of its credit notes
and the payments allocated to it, as one query the payment matching, the guarantee
fund and the reports share.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select
from sqlalchemy.orm import Session, aliased

from partage.core.sales.models import Allocation, Invoice, InvoiceKind

CREDIT_NOTE = aliased(Invoice, name="credit_note")


def _outstanding() -> ColumnElement[int]:
    """Total − allocations − credit notes of the invoice row in scope, in minor units.

    Payments and credit notes are summed per invoice by correlated subqueries (indexed
    on the invoice), so asking about one entity or one invoice reads only its own rows,
    however large the instance.
    """
    paid = (
        select(func.coalesce(func.sum(Allocation.amount), literal(0)))
        .where(Allocation.invoice_id == Invoice.id)
        .scalar_subquery()
    )
    credited = (
        select(func.coalesce(func.sum(CREDIT_NOTE.total), literal(0)))
        .where(
            CREDIT_NOTE.credits_id == Invoice.id,
            CREDIT_NOTE.kind == InvoiceKind.CREDIT_NOTE.value,
        )
        .scalar_subquery()
    )
    return Invoice.total - paid - credited


OUTSTANDING = _outstanding()

#: Open invoices: ``(invoice id, entity id, due_on, outstanding)``; paid, credited and
#: written-off ones are left out. Statements are built once: acts ask many times.
OPEN_INVOICES = select(
    Invoice.id, Invoice.entity_id, Invoice.due_on, OUTSTANDING.label("outstanding")
).where(
    Invoice.kind == InvoiceKind.INVOICE.value,
    Invoice.written_off_on.is_(None),
    OUTSTANDING > 0,
)

#: What is owed on one invoice (``invoice_id``), zero or below when settled.
OWED = select(OUTSTANDING).where(Invoice.id == bindparam("invoice_id"))


def outstanding_query(entity_id: int | None = None) -> Select[tuple[int, int, date, int]]:
    """Open invoices (see :data:`OPEN_INVOICES`), of one entity when given."""
    if entity_id is None:
        return OPEN_INVOICES  # type: ignore[return-value]
    return OPEN_INVOICES.where(Invoice.entity_id == entity_id)  # type: ignore[return-value]


def owed(session: Session, invoice: Invoice) -> int:
    """What the client still owes on an invoice, in minor units (0 when settled,
    credited or written off)."""
    if invoice.kind != InvoiceKind.INVOICE.value or invoice.written_off_on is not None:
        return 0
    return max(0, int(session.execute(OWED, {"invoice_id": invoice.id}).scalar_one()))
