"""Foundation models: the instance a database serves, its offices and the audit log.

Later parts of the core (ledger, members, trade...) add their own model modules; every
model module is imported by :mod:`partage.core.db.metadata` so that Alembic sees them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partage.core.db.base import Base, UTCDateTime, utcnow


class InstanceRecord(Base):
    """The national instance this database belongs to (one row).

    Attributes:
        code: instance code (``"be"``).
        name: display name.
        legal_name: the cooperative's registered name.
        country_plugin: the country plugin that serves it.
        currency: ISO 4217 code of the books.
        created_at: when the database was first loaded.
    """

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str] = mapped_column(String(200))
    country_plugin: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Office(Base):
    """A local office of the instance, with its advisers and enabled sectors.

    Attributes:
        code: short stable code (``"bru"``).
        name: display name.
        address: postal address.
        sectors: the sector plugins enabled there, with their history.
    """

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    sectors: Mapped[list[OfficeSector]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="OfficeSector.sector"
    )


class OfficeSector(Base):
    """A sector plugin enabled in an office from a moment on (and maybe disabled later).

    Keeping both timestamps, rather than deleting the row, is what makes enabling and
    disabling never retroactive: an act is judged by the sectors enabled when it posts.

    Attributes:
        sector: the sector plugin's name.
        enabled_at: when the office enabled it.
        disabled_at: when it disabled it, ``None`` while enabled.
    """

    __tablename__ = "office_sector"
    __table_args__ = (UniqueConstraint("office_id", "sector", "enabled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    sector: Mapped[str] = mapped_column(String(64))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    office: Mapped[Office] = relationship(back_populates="sectors")


class AuditRecord(Base):
    """One change to money or people: who, when, what, why.

    Append-only: the services write it in the same transaction as the change it
    records, so a change and its audit trail commit or roll back together.

    Attributes:
        at: when it happened (UTC).
        actor: who did it (a user name, ``"system"``, ``"demo"``).
        action: what was done, as a dotted verb (``"office.create"``).
        subject: what it was done to (``"office:bru"``).
        reason: why, in the actor's words.
        data: the facts of the change, as JSON.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
