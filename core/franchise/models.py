"""The franchisor's table: the network reports it received from its franchisees.

Each instance exports one report per reporting period (``partage network export``); the
franchisor keeps every one it receives, so that the network's figures can be followed
over time and not only for the last period.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow


class ReceivedReport(Base):
    """One instance's network report for one period, as the franchisor received it.

    Attributes:
        instance_code: the franchisee's code (the report's ``/instance/code``).
        period_from: the report's first day.
        period_to: its last day.
        currency: the currency of its amounts.
        schema_version: the report's schema version.
        document: the report itself, JSON as received (checked against its schema).
        received_at: when it was received; a report of the same instance and period
            received again replaces it.
        received_by: who received it.
    """

    __tablename__ = "network_report_received"
    __table_args__ = (UniqueConstraint("instance_code", "period_from", "period_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_code: Mapped[str] = mapped_column(String(2), index=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    schema_version: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_by: Mapped[str] = mapped_column(String(200))
