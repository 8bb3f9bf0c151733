"""Tables of employment: contracts and the payslips paid under them.

A payslip row keeps the figures the country plugin computed on the day it was paid
(lines included, as JSON), so that it is reproduced exactly as issued even after the
law's parameters change; recomputing it from the contract and the same date gives the
same result, which the tests prove.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.ledger.models import DecimalText
from partage.core.platform.db.base import Base


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
