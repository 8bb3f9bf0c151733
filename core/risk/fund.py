"""The salary guarantee fund: fed by a share of fee income, it absorbs what defaulting
clients never pay.

Fed: each invoice allocates ``guarantee_fund_share × fee`` in the cooperative's books
(debit the allocation expense, credit the fund); credit notes take it back pro rata.

Absorbing a loss: when a client defaults or goes bankrupt, each of its open invoices is
written off. In the entity's books the receivable is replaced — its VAT part by a
regularisation of the VAT collected (the VAT of an unpaid debt is recovered from the
State), the rest by a claim on the cooperative (entity current account) — so the
entity keeps its budget and the salaries it already paid stay paid. In the
cooperative's books the fund pays that claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct, credit, debit
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor, round_money
from partage.core.ledger.models import Account, Book, JournalEntry, JournalKind, JournalLine
from partage.core.members.models import Entity, Party
from partage.core.members.service import party_by_code
from partage.core.platform import audit
from partage.core.risk.solvency import coverages, funds_by_entity
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import outstanding_query
from partage.core.sales.receivables import owed as owed_minor

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


@dataclass(frozen=True)
class WriteOff:
    """What writing off one invoice did.

    Attributes:
        invoice: its number.
        outstanding: what the client still owed.
        vat_recovered: the VAT part regularised.
        absorbed: the part the fund paid the entity.
    """

    invoice: str
    outstanding: Decimal
    vat_recovered: Decimal
    absorbed: Decimal


def write_off(
    session: Session, coop: Cooperative, number: str, *, on: date, actor: str, reason: str
) -> WriteOff:
    """Write off what is left of one invoice against the fund."""
    if not reason.strip():
        raise InvalidAct("reason", "a write-off needs a reason")
    invoice = invoice_by_number(session, number)
    if invoice.written_off_on is not None:
        raise ClosedRecord("invoice", f"written off on {invoice.written_off_on}", value=number)
    left = owed_minor(session, invoice)
    if not left:
        raise ClosedRecord("invoice", "nothing is owed on it", value=number)
    owed = from_minor(left, coop.currency)
    total = invoice.total
    vat_part = round_money(owed * invoice.vat / total, coop.currency) if total else Decimal(0)
    absorbed = owed - vat_part
    entity = session.get(Entity, invoice.entity_id)
    party = session.get(Party, invoice.party_id)
    assert entity is not None and party is not None
    act = ("write_off", number)
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.VAT_COLLECTED, vat_part, partner=party.code),
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, absorbed, partner="cooperative"),
            credit(PostingRole.CLIENTS, owed, partner=party.code),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=f"Write-off of {number} ({party.name}): guarantee fund",
    )
    coop.post(
        session,
        book="cooperative",
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.GUARANTEE_FUND, absorbed, partner=entity.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, absorbed, partner=entity.code),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=f"Guarantee fund absorbs {number} of {entity.code}",
    )
    invoice.written_off_on = on
    audit.record(
        session,
        actor=actor,
        action="invoice.write_off",
        subject=f"invoice:{number}",
        reason=reason,
        data={"owed": str(owed), "vat": str(vat_part), "absorbed": str(absorbed)},
    )
    return WriteOff(number, owed, vat_part, absorbed)


def declare_default(
    session: Session, coop: Cooperative, client: str, *, on: date, actor: str, reason: str
) -> list[WriteOff]:
    """Declare a client in default (or bankrupt) and write off all its open invoices."""
    party = party_by_code(session, client)
    if party.defaulted_on is not None:
        raise ClosedRecord("client", f"in default since {party.defaulted_on}", value=client)
    party.defaulted_on = on
    audit.record(
        session, actor=actor, action="party.default", subject=f"party:{client}", reason=reason
    )
    open_rows = outstanding_query().where(Invoice.party_id == party.id).order_by(Invoice.id)
    numbers = [
        session.get(Invoice, r.id).number  # type: ignore[union-attr]
        for r in session.execute(open_rows)
    ]
    return [write_off(session, coop, n, on=on, actor=actor, reason=reason) for n in numbers]


@dataclass(frozen=True)
class FundReport:
    """The fund's state on a day.

    Attributes:
        balance: what the fund holds (allocations less losses).
        exposure: what it guarantees now: for each entity relying on it (available
            funds below zero... or commitments beyond funds), the part of its coverage
            it uses, i.e. ``min(coverage, max(0, −available funds))``, summed.
        coverage_ratio: ``balance / exposure`` (``None`` with no exposure).
        losses_absorbed: write-offs paid by the fund, all time.
        guaranteed_receivables: coverage offered to every entity, summed.
    """

    balance: Decimal
    exposure: Decimal
    coverage_ratio: Decimal | None
    losses_absorbed: Decimal
    guaranteed_receivables: Decimal


def _role_total(session: Session, role: PostingRole, book: str, column: str) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(getattr(LINE.c, column)), 0))
            .join(Account, Account.id == LINE.c.account_id)
            .join(Book, Book.id == LINE.c.book_id)
            .where(Account.role == role.value, Book.code == book, LINE.c.kind == "normal")
        )
        or 0
    )


def fund_report(session: Session, coop: Cooperative, *, on: date) -> FundReport:
    """Fund balance, guaranteed exposure, coverage ratio and losses absorbed."""
    credits = _role_total(session, PostingRole.GUARANTEE_FUND, "cooperative", "credit")
    debits = _role_total(session, PostingRole.GUARANTEE_FUND, "cooperative", "debit")
    losses = session.scalar(
        select(func.coalesce(func.sum(LINE.c.debit), 0))
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Account, Account.id == LINE.c.account_id)
        .where(Account.role == PostingRole.GUARANTEE_FUND.value, ENTRY.c.act_type == "write_off")
    )
    relying = list(session.scalars(select(outstanding_query().subquery().c.entity_id).distinct()))
    covered = coverages(session, coop, relying, on)
    funds = funds_by_entity(session, coop, relying)
    exposure = sum((min(covered[i], max(-funds[i], Decimal(0))) for i in relying), Decimal(0))
    offered = sum(covered.values(), Decimal(0))
    balance = from_minor(credits - debits, coop.currency)
    ratio = (balance / exposure).quantize(Decimal("0.0001")) if exposure else None
    return FundReport(
        balance, exposure, ratio, from_minor(int(losses or 0), coop.currency), offered
    )
