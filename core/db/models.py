"""Foundation models: the instance a database serves, its offices and the audit log.

Later parts of the core (ledger, members, trade...) add their own model modules; every
model module is imported by :mod:`partage.core.db.metadata` so that Alembic sees them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint, false
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
        advisers: the advisers who coach members there.
    """

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    sectors: Mapped[list[OfficeSector]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="OfficeSector.sector"
    )
    advisers: Mapped[list[OfficeAdviser]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="OfficeAdviser.user_name"
    )


class OfficeSector(Base):
    """A sector plugin enabled in an office from a moment on (and maybe disabled later).

    Keeping the history, rather than deleting the row, is what makes enabling and
    disabling never retroactive: an act is judged by the sectors in force on its date,
    and the dates of a change are never earlier than the day it is made.

    Attributes:
        sector: the sector plugin's name.
        enabled_at: when the office enabled it.
        disabled_at: when it disabled it, ``None`` while enabled.
        enabled_from: first act date the sector's rules apply to.
        disabled_from: first act date they no longer apply to, ``None`` while enabled.
        review_required: applications in this sector's trade made through this office
            go to the ethics committee, whatever the sector plugin says.
    """

    __tablename__ = "office_sector"
    __table_args__ = (UniqueConstraint("office_id", "sector", "enabled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    sector: Mapped[str] = mapped_column(String(64))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enabled_from: Mapped[date] = mapped_column(Date)
    disabled_from: Mapped[date | None] = mapped_column(Date)
    review_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    office: Mapped[Office] = relationship(back_populates="sectors")


class OfficeAdviser(Base):
    """An adviser of a local office: who coaches members there.

    Attributes:
        user_name: the adviser's user name (how they sign in and appear as actor).
        person_id: the person, when the adviser is also known as one (a member).
        since: when they were added.
    """

    __tablename__ = "office_adviser"
    __table_args__ = (UniqueConstraint("office_id", "user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    office: Mapped[Office] = relationship(back_populates="advisers")


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
