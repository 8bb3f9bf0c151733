"""Invoicing the franchise fee: one entry in the cooperative's books per period, once.

Invoicing posts, dated the period's last day, one purchases entry in the cooperative's
book, with the franchisor as partner: debit ``franchise_fee`` (the fee) and
``vat_deductible`` (its VAT, none for a reverse charge), both with the VAT code, so that
the fee reaches the VAT return's boxes; credit ``suppliers`` with what is owed, fee and
VAT. A plugin that treats no VAT leaves the entry as fee against supplier, without a
code. It is one transaction with its audit record, and happens once per period: the
entry is found again by its act (``franchise_fee``, period label), and a gapless
counter per period serialises two concurrent runs so that only one posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ActError, Cooperative, credit, debit, next_number
from partage.core.contract.accounting import PostingRole
from partage.core.contract.periods import Period
from partage.core.franchise.fee import (
    FeeComputation,
    FeeVat,
    FranchiseRefusal,
    compute_fee,
    fee_vat,
    no_vat,
)
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import JournalEntry, JournalKind
from partage.core.platform import audit
from partage.core.platform.network import NetworkConfig

ENTRY = JournalEntry.__table__
ACT_TYPE = "franchise_fee"


class AlreadyInvoiced(ActError):
    """The period's fee was invoiced before; nothing was written this time.

    Attributes:
        reference: the earlier entry's reference.
        posted_on: its date.
    """

    def __init__(self, rule: str, reference: str, posted_on: date) -> None:
        super().__init__(None, rule)
        self.reference, self.posted_on = reference, posted_on


@dataclass(frozen=True)
class FeeInvoice:
    """What invoicing a period did.

    Attributes:
        computation: the fee and how it was computed.
        reference: the posted entry's reference; ``None`` when nothing was due.
        fee_vat: the VAT of the franchisor's invoice, as posted.
    """

    computation: FeeComputation
    reference: str | None
    fee_vat: FeeVat

    @property
    def vat(self) -> Decimal:
        """The VAT posted as deductible (zero for a reverse charge or no VAT)."""
        return self.fee_vat.amount

    @property
    def vat_code(self) -> str | None:
        """The VAT code posted on the fee's lines, if any."""
        return self.fee_vat.code

    def explain(self) -> list[tuple[str, str]]:
        """The computation, then the VAT when something was posted, for people."""
        rows = self.computation.explain()
        if self.reference is not None:
            rows += self.fee_vat.explain(self.computation.fee, self.computation.currency)
        return rows


def invoiced_entry(session: Session, period: Period) -> tuple[str, date] | None:
    """The reference and date of the entry that invoiced ``period``, if any."""
    row = session.execute(
        select(ENTRY.c.reference, ENTRY.c.date).where(
            and_(ENTRY.c.act_type == ACT_TYPE, ENTRY.c.act_id == period.label)
        )
    ).first()
    return (row.reference, row.date) if row else None


def _refuse_if_invoiced(session: Session, period: Period) -> None:
    found = invoiced_entry(session, period)
    if found is not None:
        raise AlreadyInvoiced(
            f"franchise fee for {period.label}: already invoiced ({found[0]} of {found[1]}); "
            "nothing written",
            *found,
        )


def invoice_fee(
    session: Session,
    coop: Cooperative,
    network: NetworkConfig,
    period: Period,
    *,
    actor: str,
    today: date,
) -> FeeInvoice:
    """Compute and post the period's fee in the cooperative's books, once per period.

    Refuses a period that has not ended by ``today``, a period already invoiced
    (:class:`AlreadyInvoiced`) and a fee whose VAT cannot be told (:func:`fee_vat`);
    when nothing is due, writes nothing.
    """
    if period.end >= today:
        raise FranchiseRefusal(
            "--period",
            f"the period ends on {period.end}; its franchise fee is invoiced once it has ended",
            value=period.label,
        )
    _refuse_if_invoiced(session, period)
    computation = compute_fee(session, network, coop.instance, period)
    if computation.fee == 0:
        return FeeInvoice(computation, None, no_vat(computation.currency))
    vat = fee_vat(coop, computation)
    if next_number(session, f"{ACT_TYPE}:{period.label}", period.start.year) > 1:
        raise AlreadyInvoiced(
            f"franchise fee for {period.label}: invoiced by another run; nothing written",
            "",
            period.end,
        )
    reference = f"FF{period.label}"
    franchisor = network.franchisor
    basis = (
        f"{computation.terms.rate} of {computation.terms.basis.replace('_', ' ')} "
        f"{computation.base} {computation.currency}"
        if computation.base is not None
        else "flat"
    )
    coop.post(
        session,
        book=COOPERATIVE_BOOK,
        journal=JournalKind.PURCHASES,
        on=period.end,
        lines=[
            debit(
                PostingRole.FRANCHISE_FEE,
                computation.fee,
                partner=franchisor.code,
                vat_code=vat.code,
            ),
            debit(
                PostingRole.VAT_DEDUCTIBLE, vat.amount, partner=franchisor.code, vat_code=vat.code
            ),
            credit(PostingRole.SUPPLIERS, computation.fee + vat.amount, partner=franchisor.code),
        ],
        act=(ACT_TYPE, period.label),
        actor=actor,
        reference=reference,
        description=f"Franchise fee {period.label} owed to {franchisor.legal_name} ({basis})",
    )
    audit.record(
        session,
        actor=actor,
        action="franchise.invoice",
        subject=f"franchise_fee:{period.label}",
        reason=f"franchise fee under contract {network.contract_version}",
        data={
            "basis": computation.terms.basis,
            "rate": None if computation.terms.rate is None else str(computation.terms.rate),
            "base": None if computation.base is None else str(computation.base),
            "fee": str(computation.fee),
            "vat": str(vat.amount),
            "vat_code": vat.code,
            "currency": computation.currency,
        },
    )
    return FeeInvoice(computation, reference, vat)
