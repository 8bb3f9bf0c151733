"""Balances kept as lines are posted: each book's debits and credits per account, month
and kind of entry, so that reports read rows in proportion to accounts and months, not
to lines.

Writing: :meth:`partage.core.ledger.posting.Ledger._write`, the one path every line
takes (single entries, batches, reversals, closing and opening entries, the
appropriation), adds its lines to the kept balances in the posting transaction, summed
by the database per kept balance and added with one upsert (``INSERT ... ON CONFLICT
DO UPDATE``), so a balance is never out of step with its lines. On PostgreSQL the
lines' insert itself does it: one statement takes the lines as arrays, inserts them and
adds their sums (:mod:`partage.core.ledger.posting_sql`), so keeping the balances costs
no round trip. On SQLite, where a statement costs no round trip, one statement reads
the lines of the entries just inserted back and adds their sums: no Python work per
line.

Hot rows: every act touches the cooperative's fee and VAT accounts. On PostgreSQL a
poster adds to the *slot* of its database connection (its server process id modulo
:data:`SLOTS`), so concurrent posters update different rows instead of queueing on one;
each poster upserts its rows in key order, so two posters sharing a slot cannot
deadlock. Closing a month merges its slots into slot 0 (:func:`compact`); the sums are
the same before and after. SQLite has one writer at a time and uses slot 0.

Reading: :func:`movements` gives reports rows shaped like lines — kept sums for whole
months, the lines themselves only for a month a report's range cuts in two.
:func:`verify` proves the kept balances equal the sums of the lines; :func:`rebuild`
makes them again from the lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Subquery,
    Table,
    and_,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from partage.core.ledger.models import AccountBalance, JournalLine

BALANCE: Table = AccountBalance.__table__  # type: ignore[assignment]
LINE: Table = JournalLine.__table__  # type: ignore[assignment]
#: How many parts a month's balance may be split in on PostgreSQL (one per concurrent
#: poster, up to this number).
SLOTS = 16
#: Columns of the balance upsert, in the order of its parameters.
BALANCE_COLUMNS = ("book_id", "account_id", "month", "kind", "slot", "debit", "credit")
#: Conditions on a row of lines or of balances (both have book_id, account_id, kind).
Conditions = Callable[[Any], Sequence[ColumnElement[bool]]]


def first_day(day: date) -> date:
    return day.replace(day=1)


def cut_after(day: date | None) -> list[date]:
    """The cut after ``day`` for :func:`movements`: the next day, if there is one."""
    return [] if day is None or day == date.max else [day + timedelta(days=1)]


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def slot_of(connection: Connection) -> int:
    """The slot this connection adds to: its PostgreSQL server process's, or 0."""
    if connection.dialect.name != "postgresql":
        return 0
    info = getattr(connection.connection.dbapi_connection, "info", None)
    pid = getattr(info, "backend_pid", None)
    return int(pid) % SLOTS if pid is not None else 0


# --- reading -----------------------------------------------------------------------------
def movements(
    conditions: Conditions, *, end: date | None = None, cuts: Iterable[date] = ()
) -> Subquery:
    """Rows shaped like lines — ``book_id, account_id, date, kind, debit, credit`` — that
    sum to the lines meeting ``conditions`` up to ``end`` (every date if ``None``).

    A whole month comes from the kept balances, dated its first day; a month that one of
    ``cuts`` (the first day a report counts apart, such as its range's start and the day
    after its end) splits in two comes from its lines, so that comparing ``date`` with
    a cut is right for every row.
    """
    split = sorted({first_day(cut) for cut in cuts if cut.day != 1})
    kept_columns = BALANCE.c
    kept = select(
        kept_columns.book_id,
        kept_columns.account_id,
        kept_columns.month.label("date"),
        kept_columns.kind,
        kept_columns.debit,
        kept_columns.credit,
    ).where(*conditions(kept_columns))
    if end is not None:
        kept = kept.where(kept_columns.month <= end)
    if not split:
        return kept.subquery("movements")
    kept = kept.where(kept_columns.month.not_in(split))
    columns = LINE.c
    lines = select(
        columns.book_id,
        columns.account_id,
        columns.date,
        columns.kind,
        columns.debit,
        columns.credit,
    ).where(
        *conditions(columns),
        or_(*(and_(columns.date >= m, columns.date < next_month(m)) for m in split)),
    )
    if end is not None:
        lines = lines.where(columns.date <= end)
    return union_all(kept, lines).subquery("movements")


# --- checking and rebuilding -------------------------------------------------------------
def month_of(dialect: str, day: ColumnElement[Any]) -> ColumnElement[Any]:
    """The first day of ``day``'s month, in SQL."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", day), Date)
    return func.date(day, "start of month")


def _line_sums(session: Session) -> Any:
    month = month_of(session.get_bind().dialect.name, LINE.c.date).label("month")
    return select(
        LINE.c.book_id,
        LINE.c.account_id,
        month,
        LINE.c.kind,
        func.sum(LINE.c.debit).label("debit"),
        func.sum(LINE.c.credit).label("credit"),
    ).group_by(LINE.c.book_id, LINE.c.account_id, month, LINE.c.kind)


@dataclass(frozen=True)
class Mismatch:
    """A kept balance that differs from the sum of its lines.

    Attributes:
        book_id: the book.
        account_id: the account.
        month: the month's first day.
        kind: the kind of entries.
        kept: the kept (debit, credit).
        lines: the lines' (debit, credit).
    """

    book_id: int
    account_id: int
    month: date
    kind: str
    kept: tuple[int, int]
    lines: tuple[int, int]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def verify(session: Session) -> list[Mismatch]:
    """Every kept balance that is not the sum of its lines (none when the books agree)."""
    from_lines = {
        (r.book_id, r.account_id, _as_date(r.month), r.kind): (int(r.debit), int(r.credit))
        for r in session.execute(_line_sums(session))
    }
    b = BALANCE.c
    kept_query = select(
        b.book_id, b.account_id, b.month, b.kind, func.sum(b.debit), func.sum(b.credit)
    ).group_by(b.book_id, b.account_id, b.month, b.kind)
    kept = {
        (book_id, account_id, _as_date(month), kind): (int(debit), int(credit))
        for book_id, account_id, month, kind, debit, credit in session.execute(kept_query)
    }
    return [
        Mismatch(*key, kept.get(key, (0, 0)), from_lines.get(key, (0, 0)))
        for key in sorted(from_lines.keys() | kept.keys())
        if kept.get(key, (0, 0)) != from_lines.get(key, (0, 0))
    ]


def rebuild(session: Session) -> None:
    """Make every kept balance again from the lines, in slot 0."""
    session.execute(delete(BALANCE))
    sums = _line_sums(session).subquery()
    session.execute(
        insert(BALANCE).from_select(
            list(BALANCE_COLUMNS),
            select(
                sums.c.book_id,
                sums.c.account_id,
                sums.c.month,
                sums.c.kind,
                literal(0),
                sums.c.debit,
                sums.c.credit,
            ),
        )
    )


def compact(session: Session, month: date) -> None:
    """Merge the slots of ``month``'s kept balances into slot 0; their sums stay."""
    b = BALANCE.c
    rows = session.execute(
        select(b.book_id, b.account_id, b.kind, func.sum(b.debit), func.sum(b.credit))
        .where(b.month == month)
        .group_by(b.book_id, b.account_id, b.kind)
    ).all()
    session.execute(delete(BALANCE).where(b.month == month))
    if rows:
        session.execute(
            insert(BALANCE),
            [
                {
                    "book_id": book_id,
                    "account_id": account_id,
                    "month": month,
                    "kind": kind,
                    "slot": 0,
                    "debit": int(debit),
                    "credit": int(credit),
                }
                for book_id, account_id, kind, debit, credit in sorted(rows)
            ],
        )
