"""Tables of the economic acts: quotes, invoices and credit notes, payments, purchases,
expense claims, internal invoices, other income and copyright cessions.

Amounts are integer minor units of the instance currency. An act row records what was
agreed and the journal entries it posted (``act_type``/``act_id`` on the entries point
back here); what is still owed on an invoice is derived from its allocations, never a
figure kept in sync by hand.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.ledger.models import DecimalText
from partage.core.platform.db.base import Base, UTCDateTime, utcnow


class QuoteStatus(enum.StrEnum):
    """Where a quote version stands."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class InvoiceKind(enum.StrEnum):
    """Whether a document, issued or received, is an invoice or a credit note."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class Quote(Base):
    """One version of a quote; a revision is a new version of the same reference.

    Attributes:
        reference: the quote's reference, shared by its versions (``"Q2026-000012"``).
        version: 1, 2, ... — only the latest version can be accepted.
        entity_id, party_id: who offers, to whom.
        issued_on, valid_until: its validity.
        status: :class:`QuoteStatus`.
        net, vat: totals in minor units.
        lines: the offered lines as JSON-ready text (description, quantity, unit price,
            rate code) — a quote posts nothing, so it keeps its lines as a document.
    """

    __tablename__ = "quote"
    __table_args__ = (UniqueConstraint("reference", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invoice(Base):
    """An invoice or credit note issued by the cooperative in an entity's name.

    Attributes:
        kind: invoice or credit note.
        series: the numbering series (``"F"`` invoices, ``"C"`` credit notes...).
        year: the year of the number.
        sequence: gapless number within series and year.
        number: the printed number (``"F2026-000123"``).
        entity_id, party_id: issuer entity and client.
        quote_id: the accepted quote it comes from, if any.
        credits_id: for a credit note, the invoice it credits.
        issued_on, due_on: dates.
        net, vat: totals excluding VAT and of VAT, minor units.
        fee: management fee taken on ``net``; fee_rate: the rate applied.
        tender_reference: the public tender it answers, if any.
        written_off_on: the day the fund absorbed what the client never paid.
    """

    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("series", "year", "sequence"),
        CheckConstraint("net >= 0 AND vat >= 0 AND fee >= 0", name="positive_amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    series: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"))
    credits_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    fee_rate: Mapped[str] = mapped_column(DecimalText())
    tender_reference: Mapped[str | None] = mapped_column(String(64))
    written_off_on: Mapped[date | None] = mapped_column(Date)


class InvoiceLine(Base):
    """One line of an invoice or credit note, with the VAT the country plugin decided.

    Attributes:
        description, quantity, unit_price: as printed (unit price in minor units).
        net: quantity × unit price, rounded, minor units.
        vat_code, vat_rate: the treatment's code and rate. VAT itself is computed per
            VAT category on the sum of its lines (EN 16931 rule BR-CO-17), so it lives
            on the invoice, not on each line.
        treatment: domestic, reverse charge, export or exempt.
        legal_mention: the text the document must print for that treatment.
    """

    __tablename__ = "invoice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[str] = mapped_column(DecimalText())
    unit_price: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    vat_code: Mapped[str] = mapped_column(String(32))
    vat_rate: Mapped[str] = mapped_column(DecimalText())
    treatment: Mapped[str] = mapped_column(String(32))
    legal_mention: Mapped[str | None] = mapped_column(Text)


class Payment(Base):
    """Money received from a client for an entity (bank transfer or cash).

    Attributes:
        key: the idempotency key the caller supplied: the same key twice returns the
            first payment and writes nothing new.
        entity_id, party_id: for whom, from whom.
        received_on: value date.
        amount: the whole amount received, minor units.
        method: ``"bank"`` or ``"cash"`` (a cash-receipt declaration).
        reference: bank reference or receipt number.
    """

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(100), default="")


class Allocation(Base):
    """Part of a payment (or of a client's credit) settling an invoice.

    Attributes:
        payment_id: the payment the money came from.
        invoice_id: the invoice settled.
        amount: minor units.
    """

    __tablename__ = "allocation"
    __table_args__ = (CheckConstraint("amount > 0", name="positive_amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class Purchase(Base):
    """A supplier invoice or a supplier's credit note booked for an entity.

    A credit note is the mirror of an invoice on the same row shape: it gives back
    purchases (or expenses) and deductible VAT and lowers what is owed to the supplier.
    When it names the invoice it corrects, paying that invoice deducts it; once the
    invoice is paid, it stays open as money the supplier owes back.

    Attributes:
        kind: ``"invoice"`` or ``"credit_note"`` (:class:`InvoiceKind`).
        entity_id, party_id: buyer entity and supplier.
        supplier_reference: the supplier's document number, unique per supplier and
            kind (suppliers often number credit notes in a series of their own).
        credits_id: for a credit note, the supplier invoice it corrects, if it names one.
        on, due_on: document date and due date.
        category: ``"purchases"`` (goods, subcontracting) or ``"expenses"`` (services).
        net, vat: minor units; vat_code: the deductible VAT's code.
        payment_reference: the structured reference the supplier asks payments to carry
            (EN 16931 BT-83): ``+++123/4567/89012+++`` or a compact ``RF`` reference.
        paid_on: the day it was settled, ``None`` while open: an invoice paid (or
            cancelled in full by its credit notes), a credit note deducted from the
            payment of its invoice.
    """

    __tablename__ = "purchase"
    __table_args__ = (UniqueConstraint("party_id", "kind", "supplier_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    supplier_reference: Mapped[str] = mapped_column(String(64))
    on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    vat_code: Mapped[str | None] = mapped_column(String(32))
    paid_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(
        String(16), default=InvoiceKind.INVOICE.value, server_default=InvoiceKind.INVOICE.value
    )
    credits_id: Mapped[int | None] = mapped_column(ForeignKey("purchase.id"), index=True)
    payment_reference: Mapped[str | None] = mapped_column(String(35))


class ExpenseClaim(Base):
    """A professional expense a worker paid and the entity reimburses.

    Attributes:
        entity_id, member_id: whose budget, who claims.
        on: the day of the expense.
        category: expense category (core or a sector's, e.g. ``"bike_repair"``).
        net, vat: minor units.
        receipt_name, receipt_sha256: the receipt's file name and digest; the receipt
            itself is kept by the document store.
        reimbursed_on: the day it was paid back, ``None`` while owed.
    """

    __tablename__ = "expense_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    receipt_name: Mapped[str] = mapped_column(String(200))
    receipt_sha256: Mapped[str] = mapped_column(String(64))
    reimbursed_on: Mapped[date | None] = mapped_column(Date)


class InternalInvoice(Base):
    """Subcontracting between two entities of the cooperative: budget moves from the
    buyer's books to the seller's once the buyer's holder accepts it.

    Attributes:
        number: reference in the internal series (``"I2026-000004"``).
        seller_id, buyer_id: the two entities.
        on: date; amount: minor units (no VAT inside one legal person, no fee).
        status: ``"pending"``, ``"accepted"`` or ``"refused"``.
        decided_by: the buyer's holder who decided.
    """

    __tablename__ = "internal_invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OtherIncome(Base):
    """Income that is not a sale invoice: a subsidy or a sponsorship received.

    Attributes:
        kind: ``"subsidy"`` or ``"sponsorship"``.
        entity_id, party_id: beneficiary entity and the funder.
        on: the day received; amount: minor units; reference: the grant's reference.
    """

    __tablename__ = "other_income"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(100), default="")


class CopyrightCession(Base):
    """A member's cession of copyright to the cooperative, paid from their entity.

    Attributes:
        entity_id, member_id: paying entity and author.
        on: date of the cession; amount: gross copyright income, minor units.
        flat_rate_costs, withholding: as the country plugin computed them.
        work: what work the rights are ceded on.
    """

    __tablename__ = "copyright_cession"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    work: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    flat_rate_costs: Mapped[int] = mapped_column(BigInteger)
    withholding: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
