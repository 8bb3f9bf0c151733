"""The ledger under concurrent writers, and posted entries that nothing can change.

PostgreSQL cases run real threads, each with its own session and one transaction per
entry, against the worker's database; they skip with a reason when no server answers.
One case runs concurrent writers on a SQLite file (BEGIN IMMEDIATE, busy_timeout).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from partage.core.ledger.errors import AlreadyReversed, ClosedPeriod, ImmutableEntry
from partage.core.ledger.models import (
    AccountingPeriod,
    JournalEntry,
    JournalKind,
    JournalLine,
    PeriodKind,
)
from partage.core.ledger.periods import close_month
from partage.core.ledger.trial_balances import trial_balance
from partage.core.ledger.types import Entry
from partage.core.platform.db.engine import make_engine, transaction
from tests.conftest import Books, entry, setup_books

T = TypeVar("T")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


class Abort(Exception):
    """Raised on purpose inside a transaction, after posting."""


def run_together(count: int, work: Callable[[int], T], timeout: float = 120) -> list[T]:
    """Run ``work(0..count-1)`` in ``count`` threads released at the same moment; return
    their results in order, re-raising the first thread's error."""
    barrier = threading.Barrier(count)

    def start(index: int) -> T:
        barrier.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(start, index) for index in range(count)]
        return [future.result(timeout=timeout) for future in futures]


def sale(book: str, day: date, cents: int, journal: JournalKind = JournalKind.SALES) -> Entry:
    amount = str(Decimal(cents).scaleb(-2))
    return entry(book, day, ("2010", "debit", amount), ("7010", "credit", amount), journal=journal)


def numbers_of(engine: Engine, book: str, journal: JournalKind, year: int = 2026) -> list[int]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT e.number FROM journal_entry e JOIN book b ON b.id = e.book_id "
                    "JOIN journal j ON j.id = e.journal_id "
                    "WHERE b.code = :book AND j.kind = :journal AND e.fiscal_year = :year "
                    "ORDER BY e.number"
                ),
                {"book": book, "journal": journal.value, "year": year},
            ).scalars()
        )


def assert_complete(books: Books, book: str, journal: JournalKind, count: int, cents: int) -> None:
    """Exactly ``count`` entries numbered 1..count, each with two balanced lines, the
    counter at ``count``, and the book's trial balance at zero with ``cents`` debited."""
    assert numbers_of(books.engine, book, journal) == list(range(1, count + 1))
    with books.engine.connect() as connection:
        shapes = connection.execute(
            text(
                "SELECT e.id, count(l.id), coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0) "
                "FROM journal_entry e LEFT JOIN journal_line l ON l.entry_id = e.id "
                "GROUP BY e.id"
            )
        ).all()
        last = connection.execute(
            text(
                "SELECT s.last_number FROM entry_sequence s JOIN book b ON b.id = s.book_id "
                "JOIN journal j ON j.id = s.journal_id WHERE b.code = :book AND j.kind = :j"
            ),
            {"book": book, "j": journal.value},
        ).scalar_one()
    assert len(shapes) == count
    assert all(lines == 2 and debit == credit > 0 for _, lines, debit, credit in shapes), shapes
    assert last == count
    with books.sessions() as session:
        report = trial_balance(session, book=book, start=YEAR[0], end=YEAR[1])
    assert report.total_closing == 0
    assert report.total_debit == report.total_credit == Decimal(cents).scaleb(-2)


@pytest.fixture
def pg_books(postgresql_url: str) -> Iterator[Books]:
    """Books on the worker's PostgreSQL database, with a pool for a dozen threads."""
    engine = make_engine(postgresql_url, pool_size=12, max_overflow=4)
    yield setup_books(engine)
    engine.dispose()


# --- gapless numbering under concurrent writers -----------------------------------------------
WRITERS, PER_WRITER = 8, 50


@pytest.mark.postgresql
def test_concurrent_writers_to_one_journal_get_gapless_numbers(pg_books: Books) -> None:
    def write(writer: int) -> list[int]:
        numbers = []
        for i in range(PER_WRITER):
            with transaction(pg_books.sessions) as session:
                posted = pg_books.ledger.post(
                    session, sale("e1", date(2026, 4, 1 + i % 28), 100 + writer), actor=f"w{writer}"
                )
            numbers.append(posted.number)
        return numbers

    results = run_together(WRITERS, write)

    total = WRITERS * PER_WRITER
    everyone = [n for numbers in results for n in numbers]
    assert sorted(everyone) == list(range(1, total + 1))
    # Each writer's own numbers grow: a later commit never takes a smaller number.
    assert all(numbers == sorted(numbers) for numbers in results)
    cents = sum((100 + writer) * PER_WRITER for writer in range(WRITERS))
    assert_complete(pg_books, "e1", JournalKind.SALES, total, cents)


@pytest.mark.postgresql
def test_rolled_back_posts_leave_no_gap_under_concurrency(pg_books: Books) -> None:
    def write(writer: int) -> tuple[int, int]:
        committed = cents = 0
        for i in range(PER_WRITER):
            abort = (writer + i) % 3 == 0
            try:
                with transaction(pg_books.sessions) as session:
                    pg_books.ledger.post(
                        session, sale("e1", date(2026, 4, 2), 200 + i), actor=f"w{writer}"
                    )
                    if abort:
                        time.sleep(0.001)  # hold the number a moment, then give it back
                        raise Abort
            except Abort:
                continue
            committed, cents = committed + 1, cents + 200 + i
        return committed, cents

    results = run_together(WRITERS, write)

    committed = sum(c for c, _ in results)
    aborted = WRITERS * PER_WRITER - committed
    assert aborted == sum(1 for w in range(WRITERS) for i in range(PER_WRITER) if (w + i) % 3 == 0)
    assert_complete(pg_books, "e1", JournalKind.SALES, committed, sum(c for _, c in results))


@pytest.mark.postgresql
def test_concurrent_batches_and_single_posts_get_gapless_numbers(pg_books: Books) -> None:
    """Writers post batches spanning the same counters in different orders, and single
    entries between them: no deadlock, no gap, no number given twice."""
    counters = [
        (b, j) for b in ("cooperative", "e1", "e2") for j in (JournalKind.SALES, JournalKind.BANK)
    ]

    def write(writer: int) -> list[tuple[str, JournalKind, int]]:
        taken = []
        for i in range(12):
            order = counters if (writer + i) % 2 else counters[::-1]
            batch = [
                sale(b, date(2026, 6, 1 + k % 28), 100 + k, j) for k, (b, j) in enumerate(order * 3)
            ]
            with transaction(pg_books.sessions) as session:
                posted = pg_books.ledger.post_many(session, batch, actor=f"w{writer}")
                posted.append(
                    pg_books.ledger.post(session, batch[i % len(batch)], actor=f"w{writer}")
                )
            taken += [(p.book, p.journal, p.number) for p in posted]
        return taken

    results = run_together(WRITERS // 2, write)

    everyone = [t for taken in results for t in taken]
    for book, journal in counters:
        mine = sorted(n for b, j, n in everyone if (b, j) == (book, journal))
        assert mine == list(range(1, len(mine) + 1))
        assert numbers_of(pg_books.engine, book, journal) == mine


# --- posting while a month closes -------------------------------------------------------------
@pytest.mark.postgresql
@pytest.mark.parametrize("per_try", [1, 3], ids=["post", "post_many"])
def test_no_entry_commits_into_a_month_after_it_closed(pg_books: Books, per_try: int) -> None:
    """Writers post into March, one entry or a batch at a time, while March closes."""
    writers, after_refusal, max_attempts = 4, 3, 400
    with transaction(pg_books.sessions) as session:
        close_month(session, 2026, 1, actor="closer")
        close_month(session, 2026, 2, actor="closer")
    committed_so_far = 0
    lock = threading.Lock()
    go = threading.Event()

    def write(writer: int) -> list[str]:
        """Post into March until refused, then a few more times; one outcome per try."""
        nonlocal committed_so_far
        book = ("cooperative", "e1", "e2")[writer % 3]
        journal = (JournalKind.SALES, JournalKind.BANK, JournalKind.PURCHASES)[writer % 3]
        outcomes: list[str] = []
        while outcomes.count("refused") < after_refusal and len(outcomes) < max_attempts:
            days = [date(2026, 3, 1 + (len(outcomes) + i) % 31) for i in range(per_try)]
            try:
                with transaction(pg_books.sessions) as session:
                    pg_books.ledger.post_many(
                        session, [sale(book, day, 100, journal) for day in days], actor=f"w{writer}"
                    )
                    time.sleep(0.002)  # widen the window between the check and the commit
            except ClosedPeriod as refused:
                assert "2026-03: the month is closed" in str(refused)
                outcomes.append("refused")
            else:
                outcomes.append("committed")
                with lock:
                    committed_so_far += 1
                    if committed_so_far >= 20:
                        go.set()
            time.sleep(0.005)
        return outcomes

    def close() -> int:
        """Close March once writers are busy; count March entries before committing."""
        assert go.wait(timeout=60)
        with transaction(pg_books.sessions) as session:
            close_month(session, 2026, 3, actor="closer")
            return len(
                session.execute(
                    select(JournalEntry.id).where(
                        JournalEntry.date.between(date(2026, 3, 1), date(2026, 3, 31))
                    )
                ).all()
            )

    with ThreadPoolExecutor(max_workers=writers + 1) as pool:
        closing = pool.submit(close)
        futures = [pool.submit(write, writer) for writer in range(writers)]
        outcomes = [future.result(timeout=120) for future in futures]
        seen_by_closer = closing.result(timeout=120)

    attempts = sum(len(o) for o in outcomes)
    committed = sum(o.count("committed") for o in outcomes)
    refused = sum(o.count("refused") for o in outcomes)
    assert committed + refused == attempts
    for o in outcomes:
        # Every writer was refused in the end (the close did not starve), and once
        # refused never committed again: the month stays closed.
        assert o.count("refused") == after_refusal, o
        first = o.index("refused")
        assert set(o[first:]) == {"refused"}, o
    assert committed >= 20
    with pg_books.sessions() as session:
        march = session.scalars(
            select(JournalEntry).where(
                JournalEntry.date.between(date(2026, 3, 1), date(2026, 3, 31))
            )
        ).all()
        period = session.scalars(
            select(AccountingPeriod).where(
                AccountingPeriod.kind == PeriodKind.MONTH.value,
                AccountingPeriod.start == date(2026, 3, 1),
            )
        ).one()
    # Every entry that committed was there when the closing committed, and was
    # written before the month was closed.
    assert len(march) == committed * per_try == seen_by_closer
    assert period.closed_at is not None
    assert all(e.posted_at < period.closed_at for e in march)
    for book, journal in (
        ("cooperative", JournalKind.SALES),
        ("e1", JournalKind.BANK),
        ("e2", JournalKind.PURCHASES),
    ):
        found = numbers_of(pg_books.engine, book, journal)
        assert found == list(range(1, len(found) + 1))


# --- one reversal wins ------------------------------------------------------------------------
@pytest.mark.postgresql
def test_concurrent_reversals_of_one_entry_one_wins(pg_books: Books) -> None:
    original = pg_books.post(sale("e2", date(2026, 6, 15), 12_345))

    def reverse(index: int) -> str:
        try:
            with transaction(pg_books.sessions) as session:
                pg_books.ledger.reverse(
                    session, original.id, reason=f"duplicate {index}", actor=f"r{index}"
                )
        except AlreadyReversed as refused:
            assert f"entry {original.id}: already reversed" in str(refused)
            return "refused"
        return "reversed"

    outcomes = run_together(8, reverse)

    assert outcomes.count("reversed") == 1 and outcomes.count("refused") == 7
    with pg_books.sessions() as session:
        reversals = session.scalars(
            select(JournalEntry).where(JournalEntry.reverses_id == original.id)
        ).all()
        audits = session.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'ledger.reverse'")
        ).scalar_one()
    assert len(reversals) == 1 and audits == 1
    assert numbers_of(pg_books.engine, "e2", JournalKind.SALES) == [1, 2]
    assert_complete(pg_books, "e2", JournalKind.SALES, 2, 2 * 12_345)
    with pg_books.sessions() as session:
        report = trial_balance(session, book="e2", start=YEAR[0], end=YEAR[1])
    assert all(row.closing == 0 for row in report.rows)


# --- SQLite: writers wait their turn ----------------------------------------------------------
@pytest.mark.sqlite
def test_concurrent_writers_on_sqlite_get_gapless_numbers(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    books = setup_books(engine)
    threads, per_thread = 4, 25
    try:

        def write(writer: int) -> list[int]:
            """Post one entry at a time, and every fifth time a batch of two."""
            numbers = []
            for i in range(per_thread):
                batch = [sale("cooperative", date(2026, 5, 1 + i), 300 + writer)] * (
                    1 if i % 5 else 2
                )
                with transaction(books.sessions) as session:
                    if len(batch) == 1:
                        posted = [books.ledger.post(session, batch[0], actor="w")]
                    else:
                        posted = books.ledger.post_many(session, batch, actor="w")
                numbers += [p.number for p in posted]
            return numbers

        results = run_together(threads, write)
        per_writer = per_thread + per_thread // 5
        total = threads * per_writer
        assert sorted(n for numbers in results for n in numbers) == list(range(1, total + 1))
        cents = sum((300 + writer) * per_writer for writer in range(threads))
        assert_complete(books, "cooperative", JournalKind.SALES, total, cents)
    finally:
        engine.dispose()


# --- posted entries are immutable -------------------------------------------------------------
def _posted(engine: Engine) -> Books:
    books = setup_books(engine)
    books.post(sale("e1", date(2026, 2, 3), 4_200))
    books.post(sale("e2", date(2026, 2, 4), 990, JournalKind.BANK))
    return books


def _snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2, 3"))
            ]
            for table in ("journal_entry", "journal_line", "entry_sequence")
        }


def _refused(engine: Engine, statement: str) -> None:
    with pytest.raises(DBAPIError, match="immutable"), engine.begin() as connection:
        connection.execute(text(statement))


def test_raw_sql_cannot_update_or_delete_posted_entries(engine: Engine) -> None:
    _posted(engine)
    before = _snapshot(engine)
    assert len(before["journal_line"]) == 4
    for statement in (
        "UPDATE journal_line SET debit = debit + 1 WHERE debit > 0",
        "UPDATE journal_entry SET description = 'rewritten'",
        "DELETE FROM journal_line",
        "DELETE FROM journal_entry",
    ):
        _refused(engine, statement)
        assert _snapshot(engine) == before, statement


@pytest.mark.postgresql
def test_raw_sql_cannot_truncate_posted_entries_on_postgresql(postgresql_url: str) -> None:
    engine = make_engine(postgresql_url)
    try:
        _posted(engine)
        before = _snapshot(engine)
        for statement in ("TRUNCATE journal_line", "TRUNCATE journal_entry CASCADE"):
            _refused(engine, statement)
            assert _snapshot(engine) == before, statement
    finally:
        engine.dispose()


def test_an_upsert_cannot_overwrite_a_posted_line(engine: Engine) -> None:
    """Conflict clauses are another way to rewrite a row: they must be refused too."""
    _posted(engine)
    before = _snapshot(engine)
    columns = "id, entry_id, book_id, date, kind, account_id, debit, credit"
    source = (
        "SELECT id, entry_id, book_id, date, kind, account_id, debit + 100, credit "
        "FROM journal_line WHERE debit > 0"
    )
    statements = [
        f"INSERT INTO journal_line ({columns}) {source} "
        "ON CONFLICT (id) DO UPDATE SET debit = excluded.debit"
    ]
    if engine.dialect.name == "sqlite":
        # REPLACE deletes the conflicting row and inserts the new one.
        statements.append(f"INSERT OR REPLACE INTO journal_line ({columns}) {source}")
    for statement in statements:
        _refused(engine, statement)
        assert _snapshot(engine) == before, statement


def test_the_orm_refuses_to_change_or_delete_posted_entries(engine: Engine) -> None:
    books = _posted(engine)
    before = _snapshot(engine)

    with books.sessions() as session:
        posted = session.scalars(select(JournalEntry).order_by(JournalEntry.id)).first()
        assert posted is not None
        posted.description = "rewritten"
        with pytest.raises(ImmutableEntry, match="never changed or deleted"):
            session.flush()
        session.rollback()

    with books.sessions() as session:
        line = session.scalars(select(JournalLine).order_by(JournalLine.id)).first()
        assert line is not None
        line.debit = line.debit + 1 if line.debit else line.debit
        line.credit = line.credit + 1 if line.credit else line.credit
        with pytest.raises(ImmutableEntry):
            session.flush()
        session.rollback()

    with books.sessions() as session:
        doomed = session.scalars(select(JournalEntry).order_by(JournalEntry.id)).first()
        session.delete(doomed)
        with pytest.raises(ImmutableEntry):
            session.flush()
        session.rollback()

    assert _snapshot(engine) == before
