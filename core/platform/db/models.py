"""Foundation models: the instance a database serves, its offices and the audit log.

Later parts of the core (ledger, members, trade...) add their own model modules; every
model module is imported by :mod:`partage.core.schema` so that Alembic sees them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow


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
        origin: where the actor acted from: the client's address for the web and the
            API, ``cli@<host>`` for the command line, ``""`` when unknown.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    origin: Mapped[str] = mapped_column(String(64), default="")


class SimulationStep(Base):
    """One step of a simulated month, committed: the journal that lets an interrupted
    simulation finish its month without doing an act twice.

    A simulated month runs hundreds of acts, each in its own transaction; a run killed
    half-way leaves the acts it committed. Each act writes its step here in its own
    transaction (a refused act, in the one after its rollback), and so does each read of
    the database the month's plan is drawn from: a later run replays the month from the
    same seed, takes what the journal holds instead of acting or reading again, and goes
    on from the first step it lacks.

    Attributes:
        month: the simulated month, ``"YYYY-MM"``.
        step: the step's place in the month's one order of steps.
        kind: the act kind (``"invoice.issue"``), or the name of the read.
        outcome: ``"done"``, ``"refused"``, or ``"read"``.
        data: what the step left for the steps after it (results, counts, the read), as
            JSON.
    """

    __tablename__ = "simulation_step"
    __table_args__ = (UniqueConstraint("month", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    step: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
