"""Reading the audit log: the administrators' filtered view of who did what, when and
from where, and its export.

The log is append-only and grows with every act, so a listing is always one page of
it (newest first) and an export is bounded: a filter matching more than
:data:`EXPORT_LIMIT` records is refused, naming the rule, rather than answered in part
or at the cost of the server's memory. An export is itself an act on personal data:
it is recorded in the log (who exported, which filter, how many records) in the same
transaction that reads the rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.platform import audit
from partage.core.platform.db.models import AuditRecord

#: The most records one export carries; narrow the filter (dates, action) beyond it.
EXPORT_LIMIT = 10_000
#: Records per page of a listing, by default and at most.
PER_PAGE, MOST_PER_PAGE = 50, 500
#: The formats of an export.
ExportFormat = Literal["csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "json")
#: The columns of a listing and of an export, in order.
COLUMNS = ("id", "at", "actor", "action", "subject", "origin", "reason", "data")
#: The days a filter may name: the log holds nothing outside them.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
#: A spreadsheet runs a cell starting with these as a formula: an export quotes them.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """Which records to read; every criterion given must hold.

    Attributes:
        actor: who acted, exactly (``"admin"``, ``"os:jane"``).
        action: the start of the dotted action (``"login"`` matches ``"login.failed"``).
        subject: the start of what it was done to (``"entity:E000001"``).
        origin: where the actor acted from, exactly (a client address).
        since: the first day, included (UTC).
        until: the last day, included (UTC).
    """

    actor: str | None = None
    action: str | None = None
    subject: str | None = None
    origin: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        for field, most in (("actor", 200), ("action", 100), ("subject", 200), ("origin", 64)):
            value = getattr(self, field)
            if value is not None and len(value) > most:
                raise InvalidAct(field, N_("at most {most} characters"), most=most)
        for field in ("since", "until"):
            day = getattr(self, field)
            if day is not None and not EARLIEST <= day <= LATEST:
                raise InvalidAct(
                    field,
                    N_("{day} must be between {earliest} and {latest}"),
                    day=day,
                    earliest=EARLIEST,
                    latest=LATEST,
                )
        if self.since and self.until and self.since > self.until:
            raise InvalidAct(
                "since", N_("{since} is after until {until}"), since=self.since, until=self.until
            )

    def given(self) -> dict[str, str]:
        """The criteria given, as text (what an export's own record keeps)."""
        return {k: str(v) for k, v in asdict(self).items() if v not in (None, "")}

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.actor:
            found.append(AuditRecord.actor == self.actor)
        if self.action:
            found.append(AuditRecord.action.startswith(self.action, autoescape=True))
        if self.subject:
            found.append(AuditRecord.subject.startswith(self.subject, autoescape=True))
        if self.origin:
            found.append(AuditRecord.origin == self.origin)
        if self.since:
            found.append(AuditRecord.at >= datetime.combine(self.since, time(), UTC))
        if self.until:
            after = datetime.combine(self.until + timedelta(days=1), time(), UTC)
            found.append(AuditRecord.at < after)
        return found


@dataclass(frozen=True)
class AuditRow:
    """One record as it is read and exported."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    origin: str
    reason: str
    data: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    """One page of a listing, newest first.

    Attributes:
        rows: the records of the page.
        page: its number, from 1.
        per_page: how many records a full page holds.
        total: how many records the filter matches in all.
    """

    rows: tuple[AuditRow, ...]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _query(criteria: AuditFilter) -> Select[AuditRecord]:
    return (
        select(AuditRecord)
        .where(*criteria.conditions())
        .order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
    )


def _row(record: AuditRecord) -> AuditRow:
    return AuditRow(
        id=record.id,
        at=record.at,
        actor=record.actor,
        action=record.action,
        subject=record.subject,
        origin=record.origin or "",
        reason=record.reason,
        data=dict(record.data or {}),
    )


def count(session: Session, criteria: AuditFilter) -> int:
    """How many records the filter matches."""
    return int(
        session.scalar(select(func.count()).select_from(AuditRecord).where(*criteria.conditions()))
        or 0
    )


def search(
    session: Session, criteria: AuditFilter, *, page: int = 1, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of the records the filter matches, newest first."""
    if page < 1:
        raise InvalidAct("page", N_("must be 1 or more"))
    if not 1 <= per_page <= MOST_PER_PAGE:
        raise InvalidAct(
            "per_page", N_("must be between 1 and {most_per_page}"), most_per_page=MOST_PER_PAGE
        )
    found = session.scalars(_query(criteria).limit(per_page).offset((page - 1) * per_page))
    return AuditPage(
        rows=tuple(_row(r) for r in found),
        page=page,
        per_page=per_page,
        total=count(session, criteria),
    )


def export(
    session: Session,
    criteria: AuditFilter,
    fmt: str,
    *,
    actor: str,
    origin: str = "",
) -> str:
    """The records the filter matches as CSV or JSON text, newest first; the export is
    recorded in the log in the caller's transaction (who, which filter, how many).

    Refused when the filter matches more than :data:`EXPORT_LIMIT` records.
    """
    if fmt not in FORMATS:
        raise InvalidAct(
            "format", N_("{fmt} is not one of {item_a}"), fmt=repr(fmt), item_a=", ".join(FORMATS)
        )
    matched = count(session, criteria)
    if matched > EXPORT_LIMIT:
        raise InvalidAct(
            "since",
            N_(
                "{matched} records match; an export holds at most "
                "{export_limit}: narrow the dates or the action"
            ),
            matched=matched,
            export_limit=EXPORT_LIMIT,
        )
    rows = [_row(r) for r in session.scalars(_query(criteria))]
    text = to_csv(rows) if fmt == "csv" else to_json(rows)
    audit.record(
        session,
        actor=actor,
        action="audit.export",
        subject="audit_log",
        reason=f"{len(rows)} records as {fmt}",
        data={"filter": criteria.given(), "format": fmt, "records": len(rows)},
        origin=origin,
    )
    return text


def _cell(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"'{text}" if text.startswith(_FORMULA) else text


def to_csv(rows: Iterable[AuditRow]) -> str:
    """Records as CSV with a header line; a cell a spreadsheet would run as a formula
    is quoted with a leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, c)) for c in COLUMNS])
    return buffer.getvalue()


def as_dict(row: AuditRow) -> dict[str, Any]:
    """One record as JSON-ready values (the time in ISO 8601)."""
    return {**asdict(row), "at": row.at.isoformat()}


def to_json(rows: Sequence[AuditRow]) -> str:
    """Records as a JSON array."""
    return json.dumps([as_dict(r) for r in rows], ensure_ascii=False, indent=2, default=str)
