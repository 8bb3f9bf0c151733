"""Tables of the acts' kernel: the counters that number documents and records, and the
acts that wait for a person's validation before they count."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow


class Counter(Base):
    """The last number given in a series (invoices per series and year, members...).

    Incremented by one atomic upsert inside the act's transaction: the row stays locked
    until commit, so numbers are unique under concurrency, and a rolled-back act gives
    its number back, so they are gapless.
    """

    __tablename__ = "counter"

    series: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class PendingKind(enum.StrEnum):
    """What a pending act is, and so which row ``subject_id`` names."""

    CASH_RECEIPT = "cash_receipt"  # a ``payment`` declared in cash
    SUPPLIER_CREDIT_NOTE = "supplier_credit_note"  # a stand-alone credit note (``purchase``)
    EXPENSE_CLAIM = "expense_claim"  # an ``expense_claim`` whose VAT no rate explains
    OTHER_INCOME = "other_income"  # a subsidy or gift declared (``other_income``)
    INVOICE_DEFAULT = "invoice_default"  # an ``invoice`` an adviser proposes to write off


class PendingStatus(enum.StrEnum):
    """Where a pending act stands: waiting, or decided by staff."""

    PENDING = "pending"
    VALIDATED = "validated"
    REFUSED = "refused"


class PendingAct(Base):
    """An act a login entered that counts only once staff of its entity's office have
    validated it (see :mod:`partage.core.acts.pending`).

    Attributes:
        kind: a :class:`PendingKind`.
        subject_id: the act's row (a payment, a purchase, an expense claim), written but
            not posted to the books while it waits.
        entity_id: the entity it is for.
        amount: what it would move, minor units (the cash, the credit note's total, the
            claim's net + VAT).
        rule: why it waits, naming the field and the rule with the amounts.
        status: a :class:`PendingStatus`.
        entered_by, entered_at: the login that entered it (who may not validate it) and
            when.
        decided_by, decided_at: the staff login that validated or refused it, and when.
        reason: why it was refused (or what the validation says).
        data: what its validation needs besides its row (a payment's allocations).
    """

    __tablename__ = "pending_act"
    __table_args__ = (UniqueConstraint("kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Appropriation(Base):
    """The general assembly's appropriation of a closed year's result: one per fiscal
    year, posted from this record (see :mod:`partage.core.acts.appropriation`).

    Attributes:
        fiscal_year: the year whose result is appropriated.
        decided_on: the general assembly's date (the entry's date).
        decision: the decision's reference (minutes, resolution number).
        result: the year's statutory result, minor units (negative for a loss).
        legal_reserve: what went to the legal reserve, minor units.
        guarantee_fund: what went to the salary guarantee fund's reserve.
        other_reserves: what went to the other reserves.
        carried_forward: what stays on the result account (result less the rest).
        fund_movements: the fund's movements of the management view the appropriation
            made statutory (allocations less losses since the previous one).
        decided_by: who recorded it.
        recorded_at: when.
    """

    __tablename__ = "appropriation"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    decided_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(200))
    result: Mapped[int] = mapped_column(BigInteger)
    legal_reserve: Mapped[int] = mapped_column(BigInteger)
    guarantee_fund: Mapped[int] = mapped_column(BigInteger)
    other_reserves: Mapped[int] = mapped_column(BigInteger)
    carried_forward: Mapped[int] = mapped_column(BigInteger)
    fund_movements: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
