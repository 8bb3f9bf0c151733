"""The salary guarantee fund: fed by a share of fee income, it absorbs what defaulting
clients never pay.

The fund is equity the general assembly earmarks, never a provision: a self-insurance
fund fed by a share of fees covers no precisely defined risk (BE: AR du 29 avril 2019,
art. 3:28; FR: PCG art. 322-1, no provision "pour propre assureur"), and a provision
would not be deductible (BE: CIR 92 art. 48; FR: CGI art. 39-1-5°). Two views:

* **management** (what the coverage rules read, :data:`~partage.core.risk.solvency.
  FUND_BALANCE`): the reserve already earmarked (role ``guarantee_fund_reserve``) plus
  the movements since the last appropriation, kept on the pair ``guarantee_fund`` /
  ``guarantee_fund_allocation`` (two equity accounts whose sum is always zero);
* **statutory**: the earmarked reserve only; the pair is left out of the statutory
  statements (:mod:`partage.core.ledger.statutory`), and the general assembly's
  appropriation of the year's result (:mod:`partage.core.acts.appropriation`) turns
  the year's movements into reserve.

Fed: each invoice moves ``guarantee_fund_share × fee`` onto the pair in the
cooperative's books (credit the fund, debit its counterpart); credit notes take it
back pro rata. Allocated by the general assembly: beyond the fee share, an allocation
decided by the general assembly (numbered ``G2026-000001``) posts the same pair; it
raises the fund's balance and so its capacity (:mod:`partage.core.risk.solvency`).

A receivable whose coverage lapsed is first taken over by the fund
(:mod:`partage.core.risk.takeover`); its write-off then leaves the entity's funds where
they are and the fund's balance absorbs the loss.

Absorbing a loss: when a client defaults or goes bankrupt, each of its open invoices is
written off. In the entity's books the receivable is replaced — its VAT part by a
regularisation of the VAT collected (the VAT of an unpaid debt is recovered from the
State), the rest by a claim on the cooperative (entity current account) — so the
entity keeps its budget and the salaries it already paid stay paid. In the
cooperative's books the loss is a bad debt (an expense of the year, in both views) and
the fund's balance goes down by it on the management pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    Posting,
    credit,
    debit,
    next_number,
    positive_amount,
    reference,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor, round_money
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import Account, JournalEntry, JournalKind, JournalLine
from partage.core.members.models import Entity, Party
from partage.core.members.service import party_by_code
from partage.core.platform import audit
from partage.core.risk.solvency import (
    fund_balance,
    fund_capacity,
    lock_entities,
    lock_entity,
    lock_fund,
)
from partage.core.risk.takeover import settle_with_fund
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import outstanding_query
from partage.core.sales.receivables import owed as owed_minor

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


@dataclass(frozen=True)
class FundAllocation:
    """What one allocation to the fund did.

    Attributes:
        reference: its number (``G2026-000001``).
        amount: what was allocated.
        balance: the fund's balance after it.
    """

    reference: str
    amount: Decimal
    balance: Decimal


def allocate(
    session: Session,
    coop: Cooperative,
    amount: Decimal | str,
    *,
    on: date,
    actor: str,
    reason: str,
) -> FundAllocation:
    """Allocate ``amount`` to the fund, as the general assembly decided (``reason``
    names the decision): the management pair (credit the fund, debit its
    counterpart) in the cooperative's books, made statutory by the year's
    appropriation."""
    value = positive_amount(amount, coop.currency, field="amount")
    if not reason.strip():
        raise InvalidAct("reason", N_("an allocation names the general assembly's decision"))
    number = reference("G", next_number(session, "fund_allocation", on.year), on.year)
    coop.post(
        session,
        book=COOPERATIVE_BOOK,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.GUARANTEE_FUND_ALLOCATION, value),
            credit(PostingRole.GUARANTEE_FUND, value),
        ],
        act=("fund_allocation", number),
        actor=actor,
        reference=number,
        description=f"Allocation to the salary guarantee fund: {reason.strip()}",
    )
    audit.record(
        session,
        actor=actor,
        action="guarantee_fund.allocate",
        subject=f"guarantee_fund:{number}",
        reason=reason.strip(),
        data={"amount": str(value)},
    )
    return FundAllocation(number, value, fund_balance(session, coop))


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
    """Write off what is left of one invoice against the fund (under its entity's lock,
    then the fund's, so that a commitment checking the fund's capacity sees the loss or
    comes after it)."""
    if not reason.strip():
        raise InvalidAct("reason", N_("a write-off needs a reason"))
    invoice = invoice_by_number(session, number)
    lock_entity(session, invoice.entity_id)  # entities first, then the fund, as every act
    lock_fund(session)
    if invoice.written_off_on is not None:
        raise ClosedRecord(
            "invoice",
            N_("written off on {invoice_written_off_on}"),
            value=number,
            invoice_written_off_on=invoice.written_off_on,
        )
    if invoice.taken_over_on is not None:
        settle_with_fund(session, coop, invoice, on=on, actor=actor)
    left = owed_minor(session, invoice)
    if not left:
        raise ClosedRecord("invoice", N_("nothing is owed on it"), value=number)
    owed = from_minor(left, coop.currency)
    total = invoice.total
    vat_part = round_money(owed * invoice.vat / total, coop.currency) if total else Decimal(0)
    absorbed = owed - vat_part
    entity = session.get(Entity, invoice.entity_id)
    party = session.get(Party, invoice.party_id)
    assert entity is not None and party is not None
    act = ("write_off", number)
    if invoice.taken_over_on is not None:
        _write_off_held(session, coop, invoice, entity, party, owed, vat_part, on, actor)
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
            debit(PostingRole.BAD_DEBTS, absorbed, partner=party.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, absorbed, partner=entity.code),
            *_absorbed_by_fund(absorbed, entity.code),
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


def _write_off_held(
    session: Session,
    coop: Cooperative,
    invoice: Invoice,
    entity: Entity,
    party: Party,
    owed: Decimal,
    vat_part: Decimal,
    on: date,
    actor: str,
) -> None:
    """Write off a receivable the fund took over (:mod:`partage.core.risk.takeover`):
    the entity was paid for it, so its funds do not move. In its books the VAT of the
    unpaid debt is regularised and passed to the fund, which paid it; in the
    cooperative's books the fund's balance absorbs the rest and its receivable is
    gone."""
    act = ("write_off", invoice.number)
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.VAT_COLLECTED, vat_part, partner=party.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, vat_part, partner="cooperative"),
        ],
        act=act,
        actor=actor,
        reference=invoice.number,
        description=f"Write-off of {invoice.number} ({party.name}): VAT to the guarantee fund",
    )
    coop.post(
        session,
        book=COOPERATIVE_BOOK,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.BAD_DEBTS, owed - vat_part, partner=party.code),
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, vat_part, partner=entity.code),
            credit(PostingRole.CLIENTS, owed, partner=party.code),
            *_absorbed_by_fund(owed - vat_part, entity.code),
        ],
        act=act,
        actor=actor,
        reference=invoice.number,
        description=f"Guarantee fund absorbs {invoice.number}, which it took over",
    )


def _absorbed_by_fund(amount: Decimal, entity: str) -> list[Posting]:
    """The management pair that lowers the fund's balance by a loss it absorbed: the
    loss itself is an expense of the year (bad debts) in both views, and the general
    assembly's appropriation makes the fund's lower balance statutory."""
    return [
        debit(PostingRole.GUARANTEE_FUND, amount, partner=entity),
        credit(PostingRole.GUARANTEE_FUND_ALLOCATION, amount, partner=entity),
    ]


def declare_default(
    session: Session, coop: Cooperative, client: str, *, on: date, actor: str, reason: str
) -> list[WriteOff]:
    """Declare a client in default (or bankrupt) and write off all its open invoices."""
    party = party_by_code(session, client)
    if party.defaulted_on is not None:
        raise ClosedRecord(
            "client",
            N_("in default since {party_defaulted_on}"),
            value=client,
            party_defaulted_on=party.defaulted_on,
        )
    party.defaulted_on = on
    audit.record(
        session, actor=actor, action="party.default", subject=f"party:{client}", reason=reason
    )
    open_rows = outstanding_query().where(Invoice.party_id == party.id).order_by(Invoice.id)
    rows = session.execute(open_rows).all()
    lock_entities(session, [r.entity_id for r in rows])  # all of them before the fund
    numbers = [
        session.get(Invoice, r.id).number  # type: ignore[union-attr]
        for r in rows
    ]
    return [write_off(session, coop, n, on=on, actor=actor, reason=reason) for n in numbers]


@dataclass(frozen=True)
class FundReport:
    """The fund's state on a day.

    Attributes:
        balance: what the fund holds (allocations less losses).
        exposure: the coverage granted and in use across the instance (see
            :mod:`partage.core.risk.solvency`): for each entity whose funds are below
            zero, ``min(coverage, −available funds)``, summed.
        coverage_ratio: ``balance / exposure`` (``None`` with no exposure).
        losses_absorbed: write-offs paid by the fund, all time.
        guaranteed_receivables: coverage the rules offer every entity, summed.
        leverage: the instance's leverage.
        capacity: ``max(0, balance) × leverage``: the most exposure the fund bears.
    """

    balance: Decimal
    exposure: Decimal
    coverage_ratio: Decimal | None
    losses_absorbed: Decimal
    guaranteed_receivables: Decimal
    leverage: Decimal
    capacity: Decimal

    @property
    def headroom(self) -> Decimal:
        """Capacity not yet in use (zero once exposure reaches it)."""
        return max(self.capacity - self.exposure, Decimal(0))


#: The fund's debits that paid a loss: write-offs, minor units.
LOSSES = (
    select(func.coalesce(func.sum(LINE.c.debit), 0))
    .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
    .join(Account, Account.id == LINE.c.account_id)
    .where(Account.role == PostingRole.GUARANTEE_FUND.value, ENTRY.c.act_type == "write_off")
)


def fund_report(session: Session, coop: Cooperative, *, on: date) -> FundReport:
    """Fund balance, capacity, exposure, coverage ratio and losses absorbed."""
    state = fund_capacity(session, coop, on)
    exposure = state.exposure
    ratio = (state.balance / exposure).quantize(Decimal("0.0001")) if exposure else None
    return FundReport(
        state.balance,
        exposure,
        ratio,
        from_minor(int(session.scalar(LOSSES) or 0), coop.currency),
        state.granted,
        state.leverage,
        state.capacity,
    )
