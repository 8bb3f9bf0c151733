"""The kept balances equal the sums of the lines, on SQLite and PostgreSQL, under
concurrent posting; reports read from them equal the same reports summed from the
lines, for any range; a closed month's balances never change.

The reference reports here sum ``journal_line`` directly, as the reports did before
the balances were kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, case, func, select, text
from sqlalchemy.orm import Session

from partage.core.ledger import balances, reports
from partage.core.ledger.models import Account, Book, EntryKind, JournalKind
from partage.core.ledger.periods import close_month, close_year
from partage.core.ledger.trial_balances import trial_balance
from partage.core.ledger.types import Entry, Line
from partage.core.platform.db.engine import make_engine, transaction
from tests.conftest import Books, setup_books
from tests.ledger.test_ledger_concurrency import run_together

LINE = balances.LINE
BOOKS = ("cooperative", "e1", "e2")
ACCOUNTS = ("1020", "2010", "2110", "3010", "3020", "6010", "7010", "7030")


# --- references summed from the lines ----------------------------------------------------
def lines_trial_balance(
    session: Session, book: str | None, start: date, end: date
) -> dict[str, tuple[int, int, int]]:
    """(opening, debit, credit) per account code, summed from the lines."""
    before = LINE.c.date < start
    query = (
        select(
            Account.code,
            func.sum(case((before, LINE.c.debit - LINE.c.credit), else_=0)),
            func.sum(case((before, 0), else_=LINE.c.debit)),
            func.sum(case((before, 0), else_=LINE.c.credit)),
        )
        .join(Account, Account.id == LINE.c.account_id)
        .join(Book, Book.id == LINE.c.book_id)
        .where(LINE.c.date <= end, LINE.c.kind != EntryKind.OPENING.value)
        .group_by(Account.code)
    )
    if book is not None:
        query = query.where(Book.code == book)
    return {
        code: (int(o), int(d), int(c)) for code, o, d, c in session.execute(query) if o or d or c
    }


def kept_trial_balance(
    session: Session, book: str | None, start: date, end: date
) -> dict[str, tuple[int, int, int]]:
    report = trial_balance(session, book=book, start=start, end=end)
    return {
        r.account: (int(r.opening * 100), int(r.debit * 100), int(r.credit * 100))
        for r in report.rows
    }


def lines_funds(session: Session, book: str, on: date) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(LINE.c.debit - LINE.c.credit), 0))
            .join(Account, Account.id == LINE.c.account_id)
            .join(Book, Book.id == LINE.c.book_id)
            .where(
                Book.code == book,
                Account.role.in_(reports.FUNDS_ROLES),
                LINE.c.kind != EntryKind.OPENING.value,
                LINE.c.date <= on,
            )
        )
        or 0
    )


def assert_kept(books: Books, ranges: list[tuple[date, date]]) -> None:
    """The balances equal their lines, and every report over ``ranges`` equals the
    same report summed from the lines."""
    with books.sessions() as session:
        assert balances.verify(session) == []
        for start, end in ranges:
            for book in (*BOOKS, None):
                assert kept_trial_balance(session, book, start, end) == lines_trial_balance(
                    session, book, start, end
                ), (book, start, end)
            for book in BOOKS:
                funds = reports.available_funds(session, book=book, on=end)
                assert funds == Decimal(lines_funds(session, book, end)).scaleb(-2)


# --- random histories ----------------------------------------------------------------------
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    amount = Decimal(draw(st.integers(min_value=1, max_value=1_000_000))).scaleb(-2)
    debit, credit = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2, unique=True))
    return Entry(
        book=draw(st.sampled_from(BOOKS)),
        journal=JournalKind.MISCELLANEOUS,
        date=draw(days),
        lines=(Line(account=debit, debit=amount), Line(account=credit, credit=amount)),
    )


ranges = st.lists(
    st.tuples(days, st.integers(min_value=0, max_value=200)).map(
        lambda pair: (pair[0], pair[0] + timedelta(days=pair[1]))
    ),
    min_size=1,
    max_size=3,
)


@pytest.fixture
def books(database_url: str) -> Iterator[Books]:
    """Books on each backend; a property test's examples share them, so its history
    grows from example to example and the properties hold at every step."""
    engine = (
        make_engine(database_url, pool_size=4)
        if "postgresql" in database_url
        else (make_engine(database_url))
    )
    yield setup_books(engine)
    engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(history=st.lists(entries(), min_size=1, max_size=6), ranges=ranges, batch=st.booleans())
def test_reports_from_kept_balances_equal_the_lines(
    books: Books, history: list[Entry], ranges: list[tuple[date, date]], batch: bool
) -> None:
    with transaction(books.sessions) as session:
        if batch:
            books.ledger.post_many(session, history, actor="tester")
        else:
            for item in history:
                books.ledger.post(session, item, actor="tester")
    assert_kept(books, ranges)


def entry_of(book: str, day: date, cents: int, debit: str = "2010", credit: str = "7010") -> Entry:
    amount = Decimal(cents).scaleb(-2)
    return Entry(
        book=book,
        journal=JournalKind.SALES,
        date=day,
        lines=(Line(account=debit, debit=amount), Line(account=credit, credit=amount)),
    )


# --- reversals, closings and the closed month ----------------------------------------------
def snapshot(engine: Engine, month: date) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT book_id, account_id, kind, SUM(debit), SUM(credit) "
                    "FROM account_balance WHERE month = :month AND kind = 'normal' "
                    "GROUP BY book_id, account_id, kind ORDER BY book_id, account_id, kind"
                ),
                {"month": month},
            )
        ]


def test_reversals_and_year_end_entries_keep_balances_and_closed_months_stay(
    books: Books,
) -> None:
    first = books.post(entry_of("e1", date(2026, 1, 10), 12_345))
    books.post(entry_of("e2", date(2026, 1, 20), 500, "6010", "1020"))
    books.post(entry_of("cooperative", date(2026, 2, 3), 777))
    with transaction(books.sessions) as session:
        books.ledger.reverse(
            session, first.id, reason="mistake", actor="tester", on=date(2026, 2, 1)
        )
        close_month(session, 2026, 1, actor="tester")
    january = snapshot(books.engine, date(2026, 1, 1))
    with books.engine.connect() as connection:
        slots = (
            connection.execute(
                text("SELECT DISTINCT slot FROM account_balance WHERE month = :m"),
                {"m": date(2026, 1, 1)},
            )
            .scalars()
            .all()
        )
    assert slots == [0]  # closing the month merged its parts
    books.post(entry_of("e1", date(2026, 2, 10), 4_200))
    with transaction(books.sessions) as session:
        for month in range(2, 13):
            close_month(session, 2026, month, actor="tester")
        close_year(session, books.ledger, 2026, actor="tester")
    assert snapshot(books.engine, date(2026, 1, 1)) == january
    assert_kept(
        books, [(date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 2, 5), date(2026, 12, 30))]
    )
    with books.sessions() as session:
        # the closing entries are counted too: the P&L accounts end the year at zero
        kinds = set(session.execute(select(balances.BALANCE.c.kind).distinct()).scalars())
    assert {EntryKind.CLOSING.value, EntryKind.OPENING.value} <= kinds


# --- sixteen concurrent writers --------------------------------------------------------------
WRITERS, PER_WRITER = 16, 15


@pytest.mark.postgresql
def test_sixteen_concurrent_writers_keep_balances_equal_to_their_lines(
    postgresql_url: str,
) -> None:
    engine = make_engine(postgresql_url, pool_size=WRITERS + 2, max_overflow=4)
    books = setup_books(engine, books=(*(f"e{i}" for i in range(WRITERS)), "cooperative"))
    try:

        def write(writer: int) -> int:
            """Each writer posts to its own book and to the cooperative's, on the same
            accounts (the hot rows), singly and in batches."""
            for index in range(PER_WRITER):
                day = date(2026, 3, 1 + index % 28)
                with transaction(books.sessions) as session:
                    if index % 3:
                        books.ledger.post(session, entry_of(f"e{writer}", day, 100), actor="w")
                    else:
                        books.ledger.post_many(
                            session,
                            [entry_of("cooperative", day, 100), entry_of(f"e{writer}", day, 100)],
                            actor="w",
                        )
            return writer

        assert run_together(WRITERS, write) == list(range(WRITERS))
        with books.sessions() as session:
            assert balances.verify(session) == []
            report = trial_balance(
                session, book=None, start=date(2026, 1, 1), end=date(2026, 12, 31)
            )
        expected = WRITERS * (PER_WRITER + (PER_WRITER + 2) // 3) * 100
        assert report.total_debit == Decimal(expected).scaleb(-2)
    finally:
        engine.dispose()


def test_a_rebuild_gives_the_same_balances_and_verify_finds_a_difference(books: Books) -> None:
    books.post(entry_of("e1", date(2026, 4, 10), 2_000))
    books.post(entry_of("e1", date(2026, 4, 11), 3_000))
    with transaction(books.sessions) as session:
        before = kept_trial_balance(session, None, date(2026, 1, 1), date(2026, 12, 31))
        balances.rebuild(session)
    with transaction(books.sessions) as session:
        assert balances.verify(session) == []
        assert kept_trial_balance(session, None, date(2026, 1, 1), date(2026, 12, 31)) == before
        session.execute(text("UPDATE account_balance SET debit = debit + 1 WHERE debit > 0"))
        found = balances.verify(session)
        assert found and all(m.kept[0] == m.lines[0] + 1 for m in found)
        session.rollback()
