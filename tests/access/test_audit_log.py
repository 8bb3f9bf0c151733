"""Reading the audit log: each filter, pages newest first, exports in CSV and JSON that
are themselves recorded, and the refusals naming their field; on both backends."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from partage.core.access import audit_log
from partage.core.access.audit_log import AuditFilter
from partage.core.acts.cooperative import InvalidAct
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import session_factory, transaction
from partage.core.platform.db.models import AuditRecord

Sessions = sessionmaker[Session]

#: (day of December 2026, actor, action, subject, reason)
RECORDS = [
    (1, "user:admin", "login.succeeded", "user:admin", ""),
    (2, "user:adviser", "office.add_adviser", "office:cap", ""),
    (3, "user:admin", "login.failed", "user:ada", ""),
    (4, "os:root", "period.close", "entity:E000001", '=HYPERLINK("x")'),
    (5, "user:admin", "loginx.other", "entity:E0000010", "100% sure_"),
]


@pytest.fixture
def sessions(engine: Engine) -> Sessions:
    migrate.upgrade(engine)
    made = session_factory(engine)
    with transaction(made) as session:
        session.add_all(
            AuditRecord(
                at=datetime(2026, 12, day, 10, 0, tzinfo=UTC),
                actor=actor,
                action=action,
                subject=subject,
                reason=reason,
                data={"n": day},
            )
            for day, actor, action, subject, reason in RECORDS
        )
    return made


def days(sessions: Sessions, criteria: AuditFilter, **paging: int) -> list[int]:
    with sessions() as session:
        return [r.data["n"] for r in audit_log.search(session, criteria, **paging).rows]


def test_each_filter_narrows_the_log_newest_first(sessions: Sessions) -> None:
    assert days(sessions, AuditFilter()) == [5, 4, 3, 2, 1]
    assert days(sessions, AuditFilter(actor="user:admin")) == [5, 3, 1]
    assert days(sessions, AuditFilter(action="login.")) == [3, 1]
    assert days(sessions, AuditFilter(subject="entity:E000001")) == [5, 4]
    assert days(sessions, AuditFilter(since=date(2026, 12, 2), until=date(2026, 12, 4))) == [
        4,
        3,
        2,
    ]
    assert days(sessions, AuditFilter(actor="user:admin", action="login")) == [5, 3, 1]
    # LIKE's wildcards are literal characters of a prefix, not patterns.
    assert days(sessions, AuditFilter(action="login_")) == []
    assert days(sessions, AuditFilter(action="%")) == []


def test_pages_count_the_whole_filter(sessions: Sessions) -> None:
    with sessions() as session:
        first = audit_log.search(session, AuditFilter(), page=1, per_page=2)
        last = audit_log.search(session, AuditFilter(), page=3, per_page=2)
    assert [r.data["n"] for r in first.rows] == [5, 4] and first.has_next
    assert (first.total, first.pages) == (5, 3)
    assert [r.data["n"] for r in last.rows] == [1] and not last.has_next


def test_an_export_carries_the_filtered_records_and_is_recorded(sessions: Sessions) -> None:
    criteria = AuditFilter(subject="entity:")
    with transaction(sessions) as session:
        text = audit_log.export(session, criteria, "csv", actor="user:admin", origin="10.0.0.9")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["action"] for r in rows] == ["loginx.other", "period.close"]
    assert rows[1]["reason"].startswith("'=HYPERLINK")  # never run by a spreadsheet
    assert json.loads(rows[0]["data"]) == {"n": 5}
    with transaction(sessions) as session:
        text = audit_log.export(session, criteria, "json", actor="user:admin")
    assert [r["subject"] for r in json.loads(text)] == ["entity:E0000010", "entity:E000001"]
    with sessions() as session:
        exports = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "audit.export").order_by(AuditRecord.id)
        ).all()
    assert [(e.actor, e.data["format"], e.data["records"]) for e in exports] == [
        ("user:admin", "csv", 2),
        ("user:admin", "json", 2),
    ]
    assert exports[0].data["filter"] == {"subject": "entity:"}
    assert [e.origin for e in exports] == ["10.0.0.9", ""]


def test_refusals_name_their_field(sessions: Sessions) -> None:
    with pytest.raises(InvalidAct) as late:
        AuditFilter(since=date(2026, 12, 5), until=date(2026, 12, 1))
    assert late.value.field == "since"
    with pytest.raises(InvalidAct) as far:
        AuditFilter(until=date.max)
    assert far.value.field == "until"
    with pytest.raises(InvalidAct) as long:
        AuditFilter(actor="x" * 201)
    assert long.value.field == "actor"
    with sessions() as session, pytest.raises(InvalidAct) as fmt:
        audit_log.export(session, AuditFilter(), "xml", actor="user:admin")
    assert fmt.value.field == "format"
    with sessions() as session, pytest.raises(InvalidAct) as page:
        audit_log.search(session, AuditFilter(), page=0)
    assert page.value.field == "page"


def test_an_export_beyond_the_bound_is_refused(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_log, "EXPORT_LIMIT", 4)
    with transaction(sessions) as session, pytest.raises(InvalidAct) as big:
        audit_log.export(session, AuditFilter(), "json", actor="user:admin")
    assert "at most 4" in str(big.value)
    assert days(sessions, AuditFilter(action="audit.")) == []  # refused, so not recorded
