"""Tables of the bank: payment batches sent (pain.001) with their orders, statements
received with their transactions, and the reconciliation queue.

The queue is not a table of its own: it is the statement transactions whose status is
``queued`` — money that moved on the account but that no rule could match to an open
invoice, a refund a supplier owes or a payment order, waiting for a person.
Idempotency lives in unique keys: a statement is keyed by its account and the bank's
statement id, a transaction by its account and entry reference, and an item (payslip,
expense claim, purchase) can be in one payment order only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow
from partage.core.platform.db.immutable import refuse_change


class OrderKind(enum.StrEnum):
    """What a payment order pays."""

    SALARY = "salary"
    EXPENSE = "expense"
    SUPPLIER = "supplier"


class TransactionStatus(enum.StrEnum):
    """Where a statement transaction stands."""

    MATCHED = "matched"  # posted as a payment received (to an invoice or credit) or a refund
    PAID_OUT = "paid_out"  # money out that settles a payment order of a batch
    QUEUED = "queued"  # waiting in the reconciliation queue


class PaymentBatch(Base):
    """A SEPA credit-transfer file (pain.001) and what it pays.

    Attributes:
        reference: the batch's reference, also the file's message id.
        execution_on: the requested execution date.
        debtor_iban: the cooperative's account the money leaves.
        count, total: number of orders and their sum (minor units).
        content: the pain.001 file; sha256: its digest.
        created_at, created_by: when and by whom.
    """

    __tablename__ = "payment_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(35), unique=True)
    execution_on: Mapped[date] = mapped_column(Date)
    debtor_iban: Mapped[str] = mapped_column(String(34))
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class PaymentOrder(Base):
    """One transfer of a batch.

    Attributes:
        batch_id: the batch.
        kind: salary (a payslip's net pay), expense (a claim's reimbursement) or
            supplier (a purchase).
        subject_id: the payslip, expense claim or purchase paid.
        entity_id: the entity whose money it is.
        payee_name, iban, bic: who is paid, where.
        amount: minor units.
        end_to_end_id: the SEPA end-to-end identifier, found again on the statement.
        remittance: the communication sent with the transfer.
    """

    __tablename__ = "payment_order"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id"),
        CheckConstraint("amount > 0", name="positive_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    payee_name: Mapped[str] = mapped_column(String(200))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    amount: Mapped[int] = mapped_column(BigInteger)
    end_to_end_id: Mapped[str] = mapped_column(String(35), unique=True)
    remittance: Mapped[str] = mapped_column(String(140))


class PayeeStatus(enum.StrEnum):
    """Where a supplier's bank account stands (see :mod:`partage.core.banking.payees`)."""

    PENDING = "pending"  # proposed by a document, waiting for staff to confirm or reject it
    VERIFIED = "verified"  # the account the supplier is paid into
    REJECTED = "rejected"  # staff refused it: nothing is ever paid into it
    REPLACED = "replaced"  # was verified; a newer verified account replaced it


class PayeeSource(enum.StrEnum):
    """Where a supplier's bank account came from."""

    STAFF = "staff"  # typed in by a staff login
    DOCUMENT = "document"  # read from the supplier's e-invoice (EN 16931 BT-84)
    RECORDED = "recorded"  # on file before accounts were verified (migration 0010)


class PayeeAccount(Base):
    """A bank account a supplier is, was, or asks to be paid into.

    A supplier has at most one ``verified`` account, the one payment files pay; the
    others are its history (``replaced``, ``rejected``) and the accounts its documents
    named that wait for a staff decision (``pending``, one row per IBAN).

    Attributes:
        party_id: the supplier.
        iban, bic: the account, checked when recorded.
        status: a :class:`PayeeStatus`.
        source: a :class:`PayeeSource`.
        proposed_by: who entered it or uploaded the document that named it first.
        proposers: everyone who entered it or uploaded a document naming it; none of
            them may confirm it (the four-eyes rule).
        proposed_at: when it was first entered or named.
        document: what named it (``"invoice INV-77 for E000001"``), if a document did.
        decided_by, decided_at: the staff login that verified or rejected it, and when.
        reason: why it was rejected, or what replaced it.
    """

    __tablename__ = "payee_account"
    __table_args__ = (
        Index(
            "uq_payee_account_verified",
            "party_id",
            unique=True,
            sqlite_where=text("status = 'verified'"),
            postgresql_where=text("status = 'verified'"),
        ),
        Index(
            "uq_payee_account_pending",
            "party_id",
            "iban",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    status: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16))
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposers: Mapped[list[str]] = mapped_column(JSON)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    document: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class StatementRecord(Base):
    """A bank statement imported.

    Attributes:
        key: ``<account IBAN>/<statement id>``: the same statement imported twice is
            recognised by it.
        format: ``"camt.053"``, ``"coda"``...
        statement_id, account_iban, currency: as the bank gave them.
        transactions: how many entries it held.
        sha256: digest of the file as imported.
        imported_at, imported_by: when and by whom.
    """

    __tablename__ = "bank_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    format: Mapped[str] = mapped_column(String(16))
    statement_id: Mapped[str] = mapped_column(String(80))
    account_iban: Mapped[str] = mapped_column(String(34))
    currency: Mapped[str] = mapped_column(String(3))
    transactions: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200))


class StatementTransaction(Base):
    """One entry of an imported statement and what became of it.

    Attributes:
        statement_id: the statement.
        key: ``<account IBAN>/<entry key>``, unique: an entry is imported once.
        amount: minor units, positive; credit: money in (``True``) or out.
        booked_on, value_on: dates.
        counterparty_name, counterparty_iban, structured_reference, remittance,
        end_to_end_id: as the bank gave them.
        status: :class:`TransactionStatus`.
        rule: the matching rule that settled it (``"structured_reference"``,
            ``"invoice_number"``, ``"amount_and_party"``, ``"supplier_reference"``,
            ``"supplier_amount"``, ``"payment_order"``, ``"manual"``), ``None`` while
            queued.
        invoice_id: the invoice it settled, if any.
        payment_id: the payment it was posted as, if any.
        order_id: the payment order it settles (money out), if any.
        credit_note_id: the supplier credit note whose refund it is, if any.
        note: why it waits in the queue.
    """

    __tablename__ = "bank_transaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statement.id"), index=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    credit: Mapped[bool] = mapped_column(Boolean)
    booked_on: Mapped[date] = mapped_column(Date)
    value_on: Mapped[date] = mapped_column(Date)
    counterparty_name: Mapped[str | None] = mapped_column(String(140))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    structured_reference: Mapped[str | None] = mapped_column(String(35))
    remittance: Mapped[str | None] = mapped_column(Text)
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(String(16), index=True)
    rule: Mapped[str | None] = mapped_column(String(32))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("payment_order.id"))
    note: Mapped[str | None] = mapped_column(Text)
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("purchase.id"))


event.listen(PaymentBatch, "before_update", refuse_change)
event.listen(PaymentBatch, "before_delete", refuse_change)
