"""How an invoice or a credit note is recorded: numbered, then posted in both books.

In the entity's books (sales journal): the client's receivable, the sales per VAT
category, the VAT collected, and the management fee it owes the cooperative; in the
cooperative's books: the fee as income, and the share of it allocated to the salary
guarantee fund. A credit note posts the same lines on the other side.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    Cooperative,
    InvalidAct,
    credit,
    debit,
    next_number,
    reference,
)
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


def series_of(coop: Cooperative, base: str, entity: Entity) -> tuple[str, str]:
    """The series an entity's invoice (``base`` ``"F"``) or credit note (``"C"``) is
    numbered in, and the prefix its printed number starts with.

    With the instance setting ``numbering = "instance"`` (the default) one series per
    kind runs through the cooperative: ``F2026-000123``. With ``numbering = "entity"``
    each entity numbers in a series of its own, printed with the entity's code:
    ``E000042-F2026-000007``. Both laws accept several series as long as each is
    continuous and chronological. The VAT directive asks for "a sequential number,
    based on one or more series, which uniquely identifies the invoice" (Directive
    2006/112/EC art. 226 2°), which Belgium writes into AR n°1 of 29 December 1992
    art. 5 §1 ("un numéro séquentiel, basé sur une ou plusieurs séries") and the SPF
    Finances' VAT commentary on invoicing reads as allowing a separate series per
    activity or establishment; France into CGI ann. II art. 242 nonies A I ("un numéro
    unique basé sur une séquence chronologique et continue ; la numérotation peut être
    établie ... sur une ou plusieurs séries lorsque les conditions d'exercice de
    l'activité le justifient"), which the tax administration's doctrine on invoice
    mentions (BOI-TVA-DECLA-30-20-20-10) applies to separate series per establishment
    or activity, each chronological and continuous. One member's late invoice then
    never holds another member's back.
    """
    if coop.instance.numbering == "entity":
        return f"{base}{entity.code}", f"{entity.code}-{base}"
    return base, base


def new_invoice(
    session: Session,
    kind: InvoiceKind,
    series: str,
    on: date,
    *,
    prefix: str | None = None,
    **fields: object,
) -> Invoice:
    """A new invoice or credit note, numbered gaplessly and chronologically in its
    series and year (``prefix`` starts its printed number; the series by default).

    The counter's row stays locked until the act commits, so the invoice numbered
    just before this one is read after its act committed: an invoice dated before it
    is refused, naming both, since the numbers of a series must follow the dates
    (Directive 2006/112/EC art. 226 2°; BE AR n°1 art. 5 §1; FR CGI ann. II art. 242
    nonies A I).
    """
    sequence = next_number(session, series, on.year)
    number = reference(prefix or series, sequence, on.year)
    last = session.execute(
        select(Invoice.number, Invoice.issued_on)
        .where(Invoice.series == series, Invoice.year == on.year)
        .order_by(Invoice.sequence.desc())
        .limit(1)
    ).one_or_none()
    if last is not None and on < last.issued_on:
        raise InvalidAct(
            "on",
            N_(
                "{number} dated {on} would follow {last_number} dated {last_on}: "
                "the numbers of a series follow the dates"
            ),
            value=on,
            number=number,
            on=on,
            last_number=last.number,
            last_on=last.issued_on,
        )
    invoice = Invoice(
        kind=kind.value,
        series=series,
        year=on.year,
        sequence=sequence,
        number=number,
        issued_on=on,
        **fields,
    )
    session.add(invoice)
    session.flush()
    return invoice
