"""How an invoice or a credit note is recorded: numbered, then posted in both books.

In the entity's books (sales journal): the client's receivable, the sales per VAT
category, the VAT collected, and the management fee it owes the cooperative; in the
cooperative's books: the fee as income, and the share of it allocated to the salary
guarantee fund. A credit note posts the same lines on the other side.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, credit, debit, next_number, reference
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party
from partage.core.sales.models import Invoice, InvoiceKind


def post_sale(
    session: Session,
    coop: Cooperative,
    *,
    invoice: Invoice,
    entity: Entity,
    party: Party,
    by_code: dict[str, tuple[Decimal, Decimal]],
    fee: Decimal,
    allocation: Decimal,
    actor: str,
    sign: int,
) -> None:
    """Post an invoice (``sign`` 1) or a credit note (``sign`` -1) in both books."""
    out, back = (debit, credit) if sign > 0 else (credit, debit)
    total = sum((b + v for b, v in by_code.values()), Decimal(0))
    entity_lines = [out(PostingRole.CLIENTS, total, partner=party.code)]
    for code, (base, vat) in sorted(by_code.items()):
        entity_lines.append(back(PostingRole.SALES, base, partner=party.code, vat_code=code))
        entity_lines.append(back(PostingRole.VAT_COLLECTED, vat, partner=party.code, vat_code=code))
    entity_lines += [
        out(PostingRole.MANAGEMENT_FEE_EXPENSE, fee),
        back(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner="cooperative"),
    ]
    act = (invoice.kind, invoice.number)
    what = N_("Credit note {number} to {party}") if sign < 0 else N_("Invoice {number} to {party}")
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.SALES,
        on=invoice.issued_on,
        lines=entity_lines,
        act=act,
        actor=actor,
        reference=invoice.number,
        description=what.format(number=invoice.number, party=party.name),
    )
    if fee:
        coop.post(
            session,
            book="cooperative",
            journal=JournalKind.SALES,
            on=invoice.issued_on,
            lines=[
                out(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner=entity.code),
                back(PostingRole.MANAGEMENT_FEE_INCOME, fee, partner=entity.code),
                out(PostingRole.GUARANTEE_FUND_ALLOCATION, allocation),
                back(PostingRole.GUARANTEE_FUND, allocation),
            ],
            act=act,
            actor=actor,
            reference=invoice.number,
            description=f"Management fee on {invoice.number} ({entity.code})",
        )


def new_invoice(
    session: Session, kind: InvoiceKind, series: str, on: date, **fields: object
) -> Invoice:
    """A new invoice or credit note, numbered gaplessly in its series and year."""
    sequence = next_number(session, series, on.year)
    invoice = Invoice(
        kind=kind.value,
        series=series,
        year=on.year,
        sequence=sequence,
        number=reference(series, sequence, on.year),
        issued_on=on,
        **fields,
    )
    session.add(invoice)
    session.flush()
    return invoice
