"""The franchise fee: what a franchisee owes the franchisor for one period, computed from
its posted books and posted in the cooperative's own books.

The contract (:class:`~partage.core.platform.network.FranchiseFee`) says, for each period kind
(month, quarter, half-year, year) and from which day, whether the fee is

* a rate on **fee income**: the credit balance, over the period, of the account the
  ``management_fee_income`` role maps to, in the cooperative's book;
* a rate on **invoiced volume**: the credit balance of the ``sales`` account over the
  period, summed over every book (sales excluding VAT, net of credit notes);
* a **flat** amount per period, in the contract's currency (which must be the books').

A rate fee is rounded to the currency's minor unit, half away from zero; a negative
base (more credited than invoiced) owes nothing.

The fee is the franchisor's invoice of a service to a business, so it carries the VAT
the franchisee's country plugin gives a purchase of services from the franchisor
(:func:`fee_vat`): domestic VAT when both are in the same country, a reverse charge
when the franchisor invoices from another country (nothing invoiced; the cooperative
self-assesses the VAT, which its VAT return computes from the code). Without the
franchisor's VAT number a plugin takes it for a private person and would charge its own
domestic VAT on a foreign supplier's invoice, so a fee across borders is refused until
the contract gives the number.

Invoicing the fee, once per period, is :mod:`.fee_invoicing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ActError, Cooperative
from partage.core.contract import percent_label
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import PartageError
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.periods import Period
from partage.core.contract.tax import VatTreatmentKind
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import Account, Book, EntryKind
from partage.core.ledger.models import JournalLine as LineModel
from partage.core.platform.config import InstanceConfig
from partage.core.platform.network import FeeTerms, NetworkConfig, NetworkParty
from partage.core.spending.purchases import purchase_treatment

LINE = LineModel.__table__


class PeriodError(PartageError):
    """A period given on the command line is not one of the contract's periods."""

    usage = True


class FranchiseRefusal(ActError):
    """The fee cannot be invoiced for that period (not ended, currency mismatch...)."""


# --- periods -------------------------------------------------------------------------
def parse_period(text: str, option: str = "--period") -> Period:
    """``2026``, ``2026-H1``, ``2026-Q3`` or ``2026-07``; a :class:`PeriodError` else."""
    try:
        return Period.parse(text.strip())
    except ValueError:
        raise PeriodError(
            option,
            f"{text!r} is not a period: write 2026 (year), 2026-H2 (half-year), "
            "2026-Q3 (quarter) or 2026-07 (month)",
        ) from None


def period_between(start: date, end: date, kind: str) -> Period:
    """The period of ``kind`` that runs exactly from ``start`` to ``end``."""
    period = Period.of_kind(kind, start)
    if (period.start, period.end) != (start, end):
        raise PeriodError(
            None,
            f"--from {start} --to {end}: not a {kind} of the contract "
            f"(the {kind} containing {start} runs from {period.start} to {period.end})",
        )
    return period


# --- computation -----------------------------------------------------------------------
def role_flow(
    session: Session, role: PostingRole, *, start: date, end: date, book: str | None
) -> int:
    """Credits minus debits, in minor units, on the account of ``role`` over a range of
    days, in one book or (``book=None``) every book; closing and opening entries left
    out."""
    query = (
        select(func.coalesce(func.sum(LINE.c.credit - LINE.c.debit), 0))
        .join(Account, Account.id == LINE.c.account_id)
        .where(
            and_(
                Account.role == role.value,
                LINE.c.kind == EntryKind.NORMAL.value,
                LINE.c.date >= start,
                LINE.c.date <= end,
            )
        )
    )
    if book is not None:
        query = query.join(Book, Book.id == LINE.c.book_id).where(Book.code == book)
    return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class FeeComputation:
    """How one period's franchise fee was computed.

    Attributes:
        franchisee: who owes it (this instance).
        franchisor: to whom.
        period: the period it covers.
        terms: the contract's terms in force on the period's first day.
        currency: the books' currency.
        base: fee income or invoiced volume over the period; ``None`` for a flat fee.
        fee: what is owed, rounded to the minor unit.
    """

    franchisee: NetworkParty
    franchisor: NetworkParty
    period: Period
    terms: FeeTerms
    currency: str
    base: Decimal | None
    fee: Decimal

    def explain(self) -> list[tuple[str, str]]:
        """The computation as ``(label, value)`` rows, for people."""
        rows = [
            ("franchisee", f"{self.franchisee.code} ({self.franchisee.legal_name})"),
            ("franchisor", self.franchisor.legal_name),
            ("period", f"{self.period.label} ({self.period.start} to {self.period.end})"),
            ("basis", self.terms.basis),
        ]
        if self.base is not None:
            rows += [
                (self.terms.basis.replace("_", " "), f"{self.base} {self.currency}"),
                ("rate", f"{self.terms.rate}"),
            ]
        rows.append(("franchise fee", f"{self.fee} {self.currency}"))
        return rows


def compute_fee(
    session: Session, network: NetworkConfig, instance: InstanceConfig, period: Period
) -> FeeComputation:
    """The fee ``instance`` owes for ``period`` under the contract, from its books."""
    franchisee = network.franchisee(instance.code)
    terms = network.franchise_fee.terms_on(period.start)
    if period.kind != terms.period:
        example = Period.of_kind(terms.period, period.start).label
        raise PeriodError(
            "--period",
            f"the contract invoices the franchise fee per {terms.period} on {period.start} "
            f"(for example {example})",
            value=period.label,
        )
    currency = instance.currency
    if terms.basis == "flat":
        assert terms.amount is not None
        if terms.currency != currency:
            raise FranchiseRefusal(
                "network.franchise_fee",
                f"the flat fee is {terms.amount} {terms.currency}, "
                f"the books of instance {instance.code} are in {currency}; the contract must "
                f"state the fee in {currency}",
            )
        return FeeComputation(
            franchisee, network.franchisor, period, terms, currency, None, terms.amount
        )
    assert terms.rate is not None
    role, book = (
        (PostingRole.MANAGEMENT_FEE_INCOME, COOPERATIVE_BOOK)
        if terms.basis == "fee_income"
        else (PostingRole.SALES, None)
    )
    base = from_minor(
        role_flow(session, role, start=period.start, end=period.end, book=book), currency
    )
    fee = round_money(max(base, Decimal(0)) * terms.rate, currency)
    return FeeComputation(franchisee, network.franchisor, period, terms, currency, base, fee)


# --- VAT ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeeVat:
    """The VAT of the franchisor's invoice of the fee, as the franchisee's country
    plugin treats a purchase of services from the franchisor.

    Attributes:
        code: the VAT code posted on the fee's lines; ``None`` when the plugin treats
            no VAT (or nothing is due).
        kind: the treatment: domestic, reverse charge...; ``None`` with ``code``.
        rate: the fraction invoiced (zero for a reverse charge).
        amount: the VAT invoiced and deducted, fee × rate rounded to the minor unit.
    """

    code: str | None
    kind: VatTreatmentKind | None
    rate: Decimal
    amount: Decimal

    @property
    def reverse_charge(self) -> bool:
        """Whether the cooperative self-assesses the VAT instead of paying it."""
        return self.kind is VatTreatmentKind.INTRA_EU_REVERSE_CHARGE

    def explain(self, fee: Decimal, currency: str) -> list[tuple[str, str]]:
        """The VAT as ``(label, value)`` rows, for people, after the fee's."""
        if self.code is None:
            return [("VAT", "none: the country plugin treats no VAT")]
        if self.reverse_charge:
            return [
                (
                    "VAT",
                    f"reverse charge ({self.code}): none invoiced, the cooperative "
                    "self-assesses it in its VAT return",
                )
            ]
        return [
            (
                "VAT",
                f"{self.amount} {currency} ({self.code}, {percent_label(self.rate, '.')})",
            ),
            ("owed to the franchisor", f"{fee + self.amount} {currency}"),
        ]


def no_vat(currency: str) -> FeeVat:
    """The VAT of a fee that carries none (nothing due, or a plugin without VAT)."""
    return FeeVat(None, None, Decimal(0), round_money(Decimal(0), currency))


def fee_vat(coop: Cooperative, computation: FeeComputation) -> FeeVat:
    """The VAT of the computed fee: the country plugin's treatment of a purchase of
    services from the franchisor on the period's last day (the invoice's date).

    Refuses (:class:`FranchiseRefusal`) a franchisor in another country than the
    franchisee without a VAT number: inside the EU the place-of-supply rule takes a
    counterpart without one for a private person and would charge domestic VAT, which a
    foreign supplier never invoices; with the number, the fee is reverse-charged, and the
    number is what the franchisee's VAT return and the invoice must show.
    """
    franchisor, currency = computation.franchisor, computation.currency
    treatment = purchase_treatment(
        coop,
        computation.period.end,
        country=franchisor.country,
        vat_number=franchisor.vat_number,
        supply="services",
    )
    if treatment is None:
        return no_vat(currency)
    if franchisor.vat_number is None and franchisor.country != computation.franchisee.country:
        raise FranchiseRefusal(
            "network.franchisor.vat_number",
            f"the franchisor {franchisor.legal_name} invoices "
            f"from {franchisor.country}, the franchisee {computation.franchisee.code} is in "
            f"{computation.franchisee.country}: its fee is reverse-charged, which needs the "
            "franchisor's VAT number in the contract (network.toml); nothing written",
        )
    rate = (
        Decimal(0) if treatment.kind is VatTreatmentKind.INTRA_EU_REVERSE_CHARGE else treatment.rate
    )
    return FeeVat(
        treatment.vat_code, treatment.kind, rate, round_money(computation.fee * rate, currency)
    )
