"""Tables of employment: contracts, the offers of contracts waiting for a worker's
consent, and the payslips paid under contracts.

A payslip row keeps the figures the country plugin computed on the day it was paid
(lines included, as JSON), so that it is reproduced exactly as issued even after the
law's parameters change; recomputing it from the contract and the same date gives the
same result, which the tests prove.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, DecimalText, UTCDateTime, utcnow
from partage.core.platform.db.immutable import refuse_change


class Contract(Base):
    """An employment contract between the cooperative and a member, paid from an entity.

    Attributes:
        code: reference (``"K000031"``).
        entity_id, member_id: the paying entity and the worker.
        worker_category: the country plugin's category code.
        start, end: the contract's term (``end`` ``None`` when open-ended).
        monthly_gross, hourly_rate: minor units; one of them is set.
        part_time: fraction of full time.
        tax_situation, dependent_children: what withholding depends on.
        reserved: what the hire reserved of the entity's funds for the contract's legal
            commitment (minor units, :func:`partage.core.payroll.service.reserved_months`);
            the payslips paid on it release it.
    """

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    worker_category: Mapped[str] = mapped_column(String(32))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    monthly_gross: Mapped[int | None] = mapped_column(BigInteger)
    hourly_rate: Mapped[int | None] = mapped_column(BigInteger)
    part_time: Mapped[str] = mapped_column(DecimalText())
    tax_situation: Mapped[str] = mapped_column(String(32))
    dependent_children: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class OfferStatus(enum.StrEnum):
    """Where a contract offer stands (see :mod:`partage.core.payroll.offers`)."""

    PENDING = "pending"  # waiting for the worker's answer
    ACCEPTED = "accepted"  # the worker (or staff for them) accepted: the contract exists
    REFUSED = "refused"  # the worker (or staff for them) said no
    WITHDRAWN = "withdrawn"  # the entity's side took it back before an answer


class ContractOffer(Base):
    """An employment contract an entity offers a member who is not the one offering:
    nothing is committed, declared or reserved until the worker accepts it.

    Attributes:
        code: reference (``"O000003"``).
        entity_id, member_id: the entity that would pay and the worker asked.
        worker_category, start, end, monthly_gross, hourly_rate, part_time,
        tax_situation, dependent_children: the terms, as :class:`Contract` keeps them.
        status: an :class:`OfferStatus`.
        offered_by, offered_at: who offered it, and when.
        decided_by, decided_at: who answered or withdrew it, and when.
        on_behalf: the answer was given by staff for the worker (recorded so).
        reason: why it was refused or withdrawn.
        contract_id: the contract its acceptance made.
    """

    __tablename__ = "contract_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    worker_category: Mapped[str] = mapped_column(String(32))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    monthly_gross: Mapped[int | None] = mapped_column(BigInteger)
    hourly_rate: Mapped[int | None] = mapped_column(BigInteger)
    part_time: Mapped[str] = mapped_column(DecimalText())
    tax_situation: Mapped[str] = mapped_column(String(32))
    dependent_children: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), index=True)
    offered_by: Mapped[str] = mapped_column(String(200))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))


class PayslipRecord(Base):
    """A payslip paid: the figures as computed, and the entry that posted them.

    Attributes:
        contract_id: the contract paid.
        period_start, period_end: the month paid.
        paid_on: the accounting date.
        hours: hours paid (hourly contracts).
        gross, employee_contributions, employer_contributions, withholding, net,
        employer_cost, insurance: minor units.
        lines: every line as ``{code, label, payer, base, rate, amount}`` strings.
    """

    __tablename__ = "payslip"
    __table_args__ = (UniqueConstraint("contract_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[str | None] = mapped_column(DecimalText())
    gross: Mapped[int] = mapped_column(BigInteger)
    employee_contributions: Mapped[int] = mapped_column(BigInteger)
    employer_contributions: Mapped[int] = mapped_column(BigInteger)
    withholding: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    employer_cost: Mapped[int] = mapped_column(BigInteger)
    insurance: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class DeclarationRecord(Base):
    """An employment declaration as produced for social security.

    Attributes:
        kind: ``"dimona"``, ``"dmfa"``, ``"dpae"``, ``"dsn"``...
        subject: what it declares: a contract's code for a hire, ``"2026-07-01/2026-09-30"``
            for a period.
        format: ``"json"`` or the official format's name.
        filename: the file name.
        content: the bytes; sha256: their digest.
        created_at, created_by: when and by whom.
    """

    __tablename__ = "declaration_file"
    __table_args__ = (UniqueConstraint("kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


# Registered with the model, so that no process can change a declaration without the
# refusal, whichever modules it happens to have imported.
event.listen(DeclarationRecord, "before_update", refuse_change)
event.listen(DeclarationRecord, "before_delete", refuse_change)
