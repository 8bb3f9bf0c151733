"""Tables of what an entity spends or receives besides its sales: purchases and supplier
credit notes, expense claims, invoices between entities, other income (subsidies,
sponsorship) and copyright cessions.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, DecimalText, UTCDateTime, utcnow
from partage.core.sales.models import InvoiceKind


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
        payee_iban: the account the supplier's document asks to be paid into (BT-84),
            ``None`` when the purchase was typed in or its document named none; a
            purchase naming an account staff have not verified is not paid
            (:mod:`partage.core.banking.payees`).
        paid_on: the day it was settled, ``None`` while open: an invoice paid (or
            cancelled in full by its credit notes), a credit note deducted from the
            payment of its invoice.
        currency: the supplier document's currency when it is not the books' (BT-5);
            ``None`` for a document in the books' currency.
        original_net, original_vat: this purchase's net and VAT as the document states
            them in ``currency``, in hundredths (EN 16931 gives every amount two
            decimals, whatever the currency); ``net`` and ``vat`` are their conversion.
        exchange_rate: units of ``currency`` for one unit of the books' currency (the
            ECB reference rate, :mod:`partage.core.ledger.rates`), and exchange_rate_on
            the day of that rate.
        foreign_vat: VAT of another country the supplier charged, minor units of the
            books' currency, included in ``net``: it is a cost, never deductible here;
            foreign_vat_country is that country.
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
    payee_iban: Mapped[str | None] = mapped_column(String(34))
    currency: Mapped[str | None] = mapped_column(String(3))
    original_net: Mapped[int | None] = mapped_column(BigInteger)
    original_vat: Mapped[int | None] = mapped_column(BigInteger)
    exchange_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    exchange_rate_on: Mapped[date | None] = mapped_column(Date)
    foreign_vat: Mapped[int | None] = mapped_column(BigInteger)
    foreign_vat_country: Mapped[str | None] = mapped_column(String(2))

    @hybrid_property
    def total(self) -> int:
        """``net + vat``, minor units: what the entity owes the supplier (or, for a credit
        note, is owed back). One definition for Python (``purchase.total``) and SQL
        (``Purchase.total``)."""
        return self.net + self.vat


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

    @hybrid_property
    def total(self) -> int:
        """``net + vat``, minor units: what the worker paid and is reimbursed. One
        definition for Python (``claim.total``) and SQL (``ExpenseClaim.total``)."""
        return self.net + self.vat


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


class ActReceipt(Base):
    """The file a member uploaded as proof of a spending act: the paper supplier invoice
    of a purchase, the receipt of an expense claim. Kept with the act so that staff
    who check the act, and the accountant later, see what the member saw.

    Attributes:
        subject: ``"purchase"`` or ``"expense_claim"``; subject_id: its row.
        name: the file's name as uploaded; media_type: what the file is.
        content: its bytes (bounded by ``[limits] receipt_bytes``); sha256: their digest.
    """

    __tablename__ = "act_receipt"
    __table_args__ = (UniqueConstraint("subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
