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
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, DecimalText, UTCDateTime


class QuoteStatus(enum.StrEnum):
    """Where a quote version stands."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class DraftStatus(enum.StrEnum):
    """Where a draft quote or invoice stands."""

    DRAFT = "draft"  # being written; its holder edits it
    SUBMITTED = "submitted"  # awaiting the office's validation
    RETURNED = "returned"  # sent back with a reason; editable again
    ISSUED = "issued"  # sent or issued: it is a quote or an invoice now


class DocumentDraft(Base):
    """A quote or invoice being written: no number, nothing posted.

    A number is given only when it is issued (gapless numbering), so a draft may be
    edited, submitted, returned and edited again freely. Where the entity's office
    requires it (:attr:`partage.core.members.models.Office.validates_documents`), a draft
    goes to the office's staff, who issue it or return it with a reason.

    Attributes:
        entity_id: whose draft.
        kind: ``"quote"`` or ``"invoice"``.
        party_id: the client, once chosen.
        content: the lines, discount and notes as JSON text.
        status: :class:`DraftStatus`.
        reason: why it was returned, if it was.
        created_by, submitted_by, decided_by: the actors of each step.
        issued: the quote reference or invoice number it became.
    """

    __tablename__ = "document_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    issued: Mapped[str | None] = mapped_column(String(32))


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
        lines: the offered lines as JSON-ready text (description, quantity, unit, unit
            price, discount, rate code) — a quote posts nothing, so it keeps its lines as
            a document.
        discount_percent, discount_amount: the document's own discount, as given.
        notes: the free text it prints.
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
    discount_percent: Mapped[str | None] = mapped_column(DecimalText())
    discount_amount: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)

    @hybrid_property
    def total(self) -> int:
        """``net + vat``, minor units: what the quote asks, VAT included. One definition
        for Python (``quote.total``) and SQL (``Quote.total``)."""
        return self.net + self.vat


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
        supplied_on: the day the goods were delivered or the services rendered, when it
            differs from ``issued_on`` (printed then: Directive 2006/112/EC art. 226 7°,
            BE AR n°1 art. 5 §1, FR CGI ann. II art. 242 nonies A I); ``None`` when
            supplied on the invoice's date.
        net, vat: totals excluding VAT and of VAT, minor units.
        fee: management fee taken on ``net``; fee_rate: the rate applied.
        tender_reference: the public tender it answers, if any.
        written_off_on: the day the fund absorbed what the client never paid.
        taken_over_on: the day the salary guarantee fund took the receivable over
            (:mod:`partage.core.risk.takeover`): it paid the entity what was owed, and
            what the client pays from then on is the fund's.
        discount_percent, discount_amount: the document's own discount as given; its
            EN 16931 document-level allowances per VAT code are derived from it and the
            lines (:func:`partage.core.sales.invoices.document_allowances`).
        notes: the free text it prints.
        purpose: ``"deposit"`` or ``"balance"`` for an invoice of an accepted quote.
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
    supplied_on: Mapped[date | None] = mapped_column(Date)
    # indexed: the guarantee fund's exposure reads the invoices due in its window only
    due_on: Mapped[date] = mapped_column(Date, index=True)
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    fee_rate: Mapped[str] = mapped_column(DecimalText())
    tender_reference: Mapped[str | None] = mapped_column(String(64))
    written_off_on: Mapped[date | None] = mapped_column(Date)
    taken_over_on: Mapped[date | None] = mapped_column(Date)
    discount_percent: Mapped[str | None] = mapped_column(DecimalText())
    discount_amount: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(String(16))

    @hybrid_property
    def total(self) -> int:
        """``net + vat``, minor units: what the client is asked to pay (or, for a credit
        note, is given back). One definition for Python (``invoice.total``) and SQL
        (``Invoice.total``)."""
        return self.net + self.vat


class InvoiceLine(Base):
    """One line of an invoice or credit note, with the VAT the country plugin decided.

    Attributes:
        description, quantity, unit_price: as printed (unit price in minor units).
        net: quantity × unit price, rounded, less the line's allowance, minor units
            (EN 16931 BT-131; negative on a balance invoice's deduction of a deposit).
        unit: what the quantity counts (:data:`partage.core.sales.invoices.UNITS`).
        allowance: the line's discount, minor units (BT-136).
        discount_percent: that discount as the percentage typed, if it was one.
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
    unit: Mapped[str] = mapped_column(String(16), default="unit", server_default="unit")
    allowance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    discount_percent: Mapped[str | None] = mapped_column(DecimalText())


class Payment(Base):
    """Money received from a client for an entity (bank transfer or cash).

    Attributes:
        key: the idempotency key the caller supplied, the entity's own: the same key
            twice for one entity returns the first payment and writes nothing new.
        entity_id, party_id: for whom, from whom.
        received_on: value date.
        amount: the whole amount received, minor units.
        method: ``"bank"``, or ``"cash"`` or ``"cheque"`` (a declaration staff confirm).
        reference: bank reference or receipt number.
    """

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("entity_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
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
