"""Properties of the ledger, checked on random histories with hypothesis (SQLite).

Every example runs on a database of its own: the test chart, journals, books and fiscal
year 2026 are migrated once into a template file per module, and each example copies
that file. The properties: trial balances stay at zero, a reversal cancels exactly its
entry, closing a year preserves the balance sheet and restates it in the opening entry,
a refused entry writes nothing, and entry numbers stay gapless whatever fails.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from partage.core.contract.accounting import AccountType
from partage.core.contract.money import to_minor
from partage.core.ledger.errors import (
    AlreadyReversed,
    ClosedPeriod,
    CurrencyMismatch,
    InvalidEntry,
    LedgerError,
    UnbalancedEntry,
    UnknownAccount,
    UnknownBook,
)
from partage.core.ledger.general_ledgers import general_ledger
from partage.core.ledger.models import (
    Account,
    Book,
    EntryKind,
    Journal,
    JournalEntry,
    JournalKind,
    JournalLine,
)
from partage.core.ledger.periods import close_month, close_year
from partage.core.ledger.posting import Ledger
from partage.core.ledger.reports import balance_sheet, profit_and_loss
from partage.core.ledger.trial_balances import trial_balance
from partage.core.ledger.types import Entry, Line, Posted
from partage.core.platform.db.engine import make_engine, session_factory, transaction
from tests.conftest import Books, entry, setup_books

BOOKS = ("cooperative", "e1", "e2")
JOURNALS = (
    JournalKind.SALES,
    JournalKind.PURCHASES,
    JournalKind.BANK,
    JournalKind.PAYROLL,
    JournalKind.MISCELLANEOUS,
)
#: Where closing a year puts its result: the result-of-the-year account.
RESULT = "1030"
#: Leaf accounts of the test chart, balance-sheet and profit-and-loss alike.
ACCOUNTS = (
    "1010",
    "1020",
    "1100",
    "2010",
    "2020",
    "2110",
    "2120",
    "2160",
    "3010",
    "3020",
    "6010",
    "6020",
    "6060",
    "7010",
    "7030",
)
PNL_TYPES = {AccountType.INCOME.value, AccountType.EXPENSE.value}
Y2026 = (date(2026, 1, 1), date(2026, 12, 31))
Y2027 = (date(2027, 1, 1), date(2027, 12, 31))
TABLES = ("journal_entry", "journal_line", "entry_sequence")

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- a fresh database per example --------------------------------------------------------
FreshBooks = Callable[[], AbstractContextManager[Books]]


@pytest.fixture(scope="module")
def fresh_books(tmp_path_factory: pytest.TempPathFactory) -> FreshBooks:
    """A factory of fresh books, each a copy of a template migrated once per module."""
    root = tmp_path_factory.mktemp("ledger_properties")
    template = root / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    setup_books(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    counter = itertools.count()

    @contextmanager
    def make() -> Iterator[Books]:
        path = root / f"example-{next(counter)}.db"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield Books(engine, session_factory(engine), Ledger())
        finally:
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    return make


# --- strategies -------------------------------------------------------------------------
def money(cents: int) -> Decimal:
    """Cents as a Decimal with two places: 1234 -> Decimal('12.34')."""
    return Decimal(cents).scaleb(-2)


cents = st.integers(min_value=1, max_value=5_000_000)
days_2026 = st.dates(min_value=Y2026[0], max_value=Y2026[1])
days_after_january = st.dates(min_value=date(2026, 2, 1), max_value=Y2026[1])


@st.composite
def balanced_lines(draw: st.DrawFn) -> tuple[Line, ...]:
    """1-3 debit lines and the same total split over 1-3 credit lines, shuffled."""
    debits = draw(st.lists(cents, min_size=1, max_size=3))
    total = sum(debits)
    count = draw(st.integers(min_value=1, max_value=min(3, total)))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(min_value=1, max_value=total - 1),
                min_size=count - 1,
                max_size=count - 1,
                unique=True,
            )
        )
        if count > 1
        else []
    )
    credits = [high - low for low, high in itertools.pairwise([0, *cuts, total])]
    as_text = draw(st.booleans())

    def amount(c: int) -> Decimal | str:
        return str(money(c)) if as_text else money(c)

    lines = [Line(account=draw(st.sampled_from(ACCOUNTS)), debit=amount(c)) for c in debits]
    lines += [Line(account=draw(st.sampled_from(ACCOUNTS)), credit=amount(c)) for c in credits]
    return tuple(draw(st.permutations(lines)))


@st.composite
def entries(
    draw: st.DrawFn, days: st.SearchStrategy[date] = days_2026, books: tuple[str, ...] = BOOKS
) -> Entry:
    """A valid, balanced entry of one of ``books`` on one of ``days``."""
    return Entry(
        book=draw(st.sampled_from(books)),
        journal=draw(st.sampled_from(JOURNALS)),
        date=draw(days),
        lines=draw(balanced_lines()),
        reference=draw(st.text("ABC0123456789-", max_size=12)),
        description="generated",
    )


@dataclass(frozen=True)
class Invalid:
    """An entry the ledger must refuse, the error it must raise and what the message says."""

    entry: Entry
    error: type[LedgerError]
    says: tuple[str, ...]
    kind: str


INVALID_KINDS = (
    "unbalanced",
    "one line",
    "zero",
    "negative",
    "float",
    "over-precise",
    "unknown account",
    "closed month",
    "unopened year",
    "currency",
    "both sides",
    "neither side",
    "unknown book",
    "closing kind",
)


def side_of(line: Line) -> str:
    return "debit" if line.debit is not None else "credit"


def cents_of(line: Line) -> int:
    return to_minor(Decimal(str(getattr(line, side_of(line)))), "EUR")


@st.composite
def invalid_entries(draw: st.DrawFn) -> Invalid:
    """A valid entry (dated after January, which the tests close) with one defect."""
    base = draw(entries(days=days_after_january))
    kind = draw(st.sampled_from(INVALID_KINDS))
    lines = list(base.lines)
    index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    line, side = lines[index], side_of(lines[index])
    amount = Decimal(str(getattr(line, side)))
    where = f"line {index + 1} ({line.account}): "

    def with_line(new: Line) -> Entry:
        lines[index] = new
        return replace(base, lines=tuple(lines))

    if kind == "unbalanced":
        extra = draw(cents)
        bad = with_line(replace(line, **{side: amount + money(extra)}))
        debits = sum(cents_of(li) for li in bad.lines if li.debit is not None)
        credits = sum(cents_of(li) for li in bad.lines if li.credit is not None)
        says = (
            "does not balance",
            f"debits {money(debits)} EUR",
            f"credits {money(credits)} EUR",
            f"difference {money(debits - credits)} EUR",
        )
        return Invalid(bad, UnbalancedEntry, says, kind)
    if kind == "one line":
        return Invalid(
            replace(base, lines=(line,)), InvalidEntry, ("at least two lines", "got 1"), kind
        )
    if kind == "zero":
        zero = draw(st.sampled_from(["0", "0.00", Decimal(0), 0]))
        bad = with_line(replace(line, **{side: zero}))
        return Invalid(bad, InvalidEntry, (where, f"{side} must be positive"), kind)
    if kind == "negative":
        bad = with_line(replace(line, **{side: -amount}))
        return Invalid(bad, InvalidEntry, (where, f"{side} must be positive", str(-amount)), kind)
    if kind == "float":
        bad = with_line(replace(line, **{side: float(amount)}))
        return Invalid(bad, InvalidEntry, (where, "is a float"), kind)
    if kind == "over-precise":
        bad = with_line(replace(line, **{side: amount + Decimal("0.001")}))
        return Invalid(bad, InvalidEntry, (where, "more than 2 decimals"), kind)
    if kind == "unknown account":
        bad = with_line(replace(line, account="9999"))
        says = (f"line {index + 1} (9999): ", "no account '9999'")
        return Invalid(bad, UnknownAccount, says, kind)
    if kind == "closed month":
        day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 31)))
        return Invalid(
            replace(base, date=day), ClosedPeriod, ("2026-01", "the month is closed"), kind
        )
    if kind == "unopened year":
        day = draw(
            st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31))
            | st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31))
        )
        says = (f"date {day:%Y-%m}", "no open period", f"open fiscal year {day.year} first")
        return Invalid(replace(base, date=day), ClosedPeriod, says, kind)
    if kind == "currency":
        bad = with_line(replace(line, currency="USD"))
        return Invalid(bad, CurrencyMismatch, (where, "in USD", "kept in EUR"), kind)
    if kind == "both sides":
        bad = with_line(replace(line, debit=amount, credit=amount))
        return Invalid(bad, InvalidEntry, (where, "exactly one"), kind)
    if kind == "neither side":
        bad = with_line(replace(line, debit=None, credit=None))
        return Invalid(bad, InvalidEntry, (where, "exactly one"), kind)
    if kind == "unknown book":
        bad = replace(base, book="nobody")
        return Invalid(bad, UnknownBook, ("'nobody'", "no such book"), kind)
    assert kind == "closing kind"
    bad = replace(base, kind=EntryKind.CLOSING)
    return Invalid(bad, InvalidEntry, ("closing entries are posted by the year-end closing",), kind)


# --- a model of the books ------------------------------------------------------------------
def deltas(e: Entry) -> Counter[tuple[str, str]]:
    """The entry's effect on (book, account) balances, in cents, debit positive."""
    effect: Counter[tuple[str, str]] = Counter()
    for line in e.lines:
        sign = 1 if line.debit is not None else -1
        effect[(e.book, line.account)] += sign * cents_of(line)
    return effect


def debit_total(e: Entry) -> int:
    return sum(cents_of(line) for line in e.lines if line.debit is not None)


@dataclass
class Model:
    """What the books must contain: balances, debit totals and entry counts."""

    balances: Counter[tuple[str, str]] = field(default_factory=Counter)
    debits: Counter[str] = field(default_factory=Counter)
    numbers: Counter[tuple[str, str, int]] = field(default_factory=Counter)

    def add(self, e: Entry, sign: int = 1) -> None:
        for key, value in deltas(e).items():
            self.balances[key] += sign * value
        self.debits[e.book] += debit_total(e)

    def next_number(self, e: Entry) -> int:
        key = (e.book, e.journal.value, e.date.year)
        self.numbers[key] += 1
        return self.numbers[key]

    def expected(self, book: str | None) -> dict[str, int]:
        total: Counter[str] = Counter()
        for (b, account), value in self.balances.items():
            if book is None or b == book:
                total[account] += value
        return {account: value for account, value in total.items() if value}


# --- reading the books back ----------------------------------------------------------------
def closing_balances(
    session: Session, book: str | None, years: tuple[date, date] = Y2026
) -> dict[str, int]:
    """Non-zero closing balances (cents, debit positive) from the trial balance; also
    checks the trial balance itself adds up."""
    report = trial_balance(session, book=book, start=years[0], end=years[1])
    assert report.total_debit == report.total_credit, (book, report)
    assert report.total_closing == 0, (book, report)
    return {r.account: to_minor(r.closing, "EUR") for r in report.rows if r.closing}


def counts(books: Books) -> dict[str, object]:
    """Row counts of the ledger tables and the sequence counters."""
    with books.engine.connect() as connection:
        found: dict[str, object] = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in TABLES
        }
        found["sequence"] = sorted(
            connection.execute(
                text("SELECT book_id, journal_id, fiscal_year, last_number FROM entry_sequence")
            ).all()
        )
    return found


def assert_gapless(books: Books, expected: Counter[tuple[str, str, int]] | None = None) -> None:
    """Numbers per (book, journal, fiscal year) are exactly 1..n, and the counter says n."""
    with books.sessions() as session:
        rows = session.execute(
            select(Book.code, Journal.kind, JournalEntry.fiscal_year, JournalEntry.number)
            .join(Book, Book.id == JournalEntry.book_id)
            .join(Journal, Journal.id == JournalEntry.journal_id)
        ).all()
        sequence = {
            (r.code, r.kind, r.fiscal_year): r.last_number
            for r in session.execute(
                text(
                    "SELECT b.code, j.kind, s.fiscal_year, s.last_number FROM entry_sequence s "
                    "JOIN book b ON b.id = s.book_id JOIN journal j ON j.id = s.journal_id"
                )
            )
        }
    numbers: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for code, kind, year, number in rows:
        numbers[(code, kind, year)].append(number)
    for key, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), (key, sorted(found))
    assert sequence == {key: len(found) for key, found in numbers.items()}
    if expected is not None:
        assert {k: len(v) for k, v in numbers.items()} == {k: n for k, n in expected.items() if n}


def assert_matches(books: Books, model: Model) -> None:
    """Every book's and the consolidated trial balance agree with the model and add up."""
    with books.sessions() as session:
        for book in (*BOOKS, None):
            assert closing_balances(session, book) == model.expected(book), book
            report = trial_balance(session, book=book, start=Y2026[0], end=Y2026[1])
            want = sum(model.debits.values()) if book is None else model.debits[book]
            assert report.total_debit == money(want), book


# --- 1. trial balances stay at zero ------------------------------------------------------
operations = st.lists(
    st.one_of(
        st.tuples(st.just("post"), entries()),
        st.tuples(
            st.just("reverse"),
            st.integers(min_value=0, max_value=10_000),
            st.none() | days_2026,
        ),
    ),
    min_size=1,
    max_size=14,
)


@PROPERTY
@given(ops=operations)
def test_posts_and_reversals_keep_every_trial_balance_at_zero(
    fresh_books: FreshBooks, ops: list[tuple]
) -> None:
    model = Model()
    posted: list[tuple[Posted, Entry]] = []
    reversed_ids: set[int] = set()
    with fresh_books() as books:
        for op in ops:
            if op[0] == "post":
                result = books.post(op[1])
                assert result.number == model.next_number(op[1])
                assert result.total == money(debit_total(op[1]))
                model.add(op[1])
                posted.append((result, op[1]))
            elif posted:
                original, original_entry = posted[op[1] % len(posted)]
                if original.id in reversed_ids:
                    with (
                        pytest.raises(AlreadyReversed, match="already reversed"),
                        transaction(books.sessions) as session,
                    ):
                        books.ledger.reverse(
                            session, original.id, reason="again", actor="tester", on=op[2]
                        )
                    assert_matches(books, model)  # the refused reversal wrote nothing
                    continue
                with transaction(books.sessions) as session:
                    reversal = books.ledger.reverse(
                        session, original.id, reason="mistake", actor="tester", on=op[2]
                    )
                reversed_ids.add(original.id)
                swapped = Entry(
                    book=original_entry.book,
                    journal=original_entry.journal,
                    date=op[2] or original_entry.date,
                    lines=tuple(
                        Line(account=li.account, debit=li.credit, credit=li.debit)
                        for li in original_entry.lines
                    ),
                )
                assert reversal.number == model.next_number(swapped)
                assert reversal.date == swapped.date
                model.add(swapped)
                posted.append((reversal, swapped))
            assert_matches(books, model)
        assert_gapless(books, model.numbers)


# --- 2. a reversal cancels exactly its entry ---------------------------------------------------
@PROPERTY
@given(
    history=st.lists(entries(), min_size=1, max_size=8),
    pick=st.integers(min_value=0, max_value=100),
    on=st.none() | days_2026,
)
def test_a_reversal_cancels_exactly_its_entry_and_only_once(
    fresh_books: FreshBooks, history: list[Entry], pick: int, on: date | None
) -> None:
    with fresh_books() as books:
        posted = [books.post(e) for e in history]
        index = pick % len(posted)
        target, target_entry = posted[index], history[index]
        without = Model()
        for other, e in enumerate(history):
            if other != index:
                without.add(e)

        with transaction(books.sessions) as session:
            reversal = books.ledger.reverse(
                session, target.id, reason="wrong amount", actor="tester", on=on
            )

        with books.sessions() as session:
            # Balances equal those of the history without the reversed entry.
            for book in (*BOOKS, None):
                assert closing_balances(session, book) == without.expected(book), book
            for book, account in deltas(target_entry):
                ledger = general_ledger(
                    session, account=account, book=book, start=Y2026[0], end=Y2026[1]
                )
                expected = without.expected(book).get(account, 0)
                assert to_minor(ledger.closing, "EUR") == expected
            # The reversal is the original with sides swapped, linked to it.
            row = session.get(JournalEntry, reversal.id)
            assert row is not None and row.reverses_id == target.id
            assert row.date == (on or target_entry.date) and row.kind == EntryKind.NORMAL.value
            assert "wrong amount" in row.description and row.reason == "wrong amount"

            def lines_of(entry_id: int) -> Counter[tuple[str, int, int]]:
                return Counter(
                    (code, debit, credit)
                    for code, debit, credit in session.execute(
                        select(Account.code, JournalLine.debit, JournalLine.credit)
                        .join(Account, Account.id == JournalLine.account_id)
                        .where(JournalLine.entry_id == entry_id)
                    )
                )

            original_lines = lines_of(target.id)
            assert lines_of(reversal.id) == Counter(
                {(a, credit, debit): n for (a, debit, credit), n in original_lines.items()}
            )
        assert reversal.total == target.total

        before = counts(books)
        with (
            pytest.raises(AlreadyReversed, match=f"entry {target.id}: already reversed"),
            transaction(books.sessions) as session,
        ):
            books.ledger.reverse(session, target.id, reason="again", actor="tester")
        assert counts(books) == before
        assert_gapless(books)


# --- 3. closing a year preserves the balance sheet ------------------------------------------
def check_year_closing(books: Books) -> None:
    """Close every month of 2026 and the year; check what the closing must preserve."""
    with books.sessions() as session:
        types = {code: type_ for code, type_ in session.execute(select(Account.code, Account.type))}
        before = {book: closing_balances(session, book) for book in BOOKS}
        consolidated_before = closing_balances(session, None)
        results = {
            book: profit_and_loss(session, book=book, start=Y2026[0], end=Y2026[1]).result
            for book in BOOKS
        }

    with transaction(books.sessions) as session:
        for month in range(1, 13):
            close_month(session, 2026, month, actor="closer")
        done = close_year(session, books.ledger, 2026, actor="closer")

    active = [book for book in BOOKS if before[book]]
    with_pnl = [b for b in BOOKS if any(types[a] in PNL_TYPES for a in before[b])]
    assert (done.books, done.closing_entries) == (len(active), len(with_pnl))

    with books.sessions() as session:
        for book in BOOKS:
            after = closing_balances(session, book)
            # The year's result, debit positive: what the income and expense accounts held.
            result = sum(v for a, v in before[book].items() if types[a] in PNL_TYPES)
            assert result == -to_minor(results[book], "EUR")
            for account in sorted(set(before[book]) | set(after)):
                old, new = before[book].get(account, 0), after.get(account, 0)
                if types[account] in PNL_TYPES:
                    assert new == 0, (book, account, old, new)
                elif account == RESULT:
                    assert new == old + result, (book, old, new, result)
                else:
                    assert new == old, (book, account, old, new)
            sheet = balance_sheet(session, book=book, on=Y2026[1])
            assert sheet.result == 0
            assert sheet.totals["Assets"] == sheet.totals["Liabilities and equity"]

            carried = {a: v for a, v in after.items() if types[a] not in PNL_TYPES}
            openings = session.scalars(
                select(JournalEntry)
                .join(Book, Book.id == JournalEntry.book_id)
                .where(Book.code == book, JournalEntry.kind == EntryKind.OPENING.value)
            ).all()
            if not carried:
                assert openings == []
                continue
            assert len(openings) == 1
            opening = openings[0]
            journal = session.get(Journal, opening.journal_id)
            assert journal is not None and journal.kind == JournalKind.OPENING.value
            assert (opening.date, opening.fiscal_year, opening.number) == (Y2027[0], 2027, 1)
            lines = session.execute(
                select(Account.code, JournalLine.debit, JournalLine.credit)
                .join(Account, Account.id == JournalLine.account_id)
                .where(JournalLine.entry_id == opening.id)
            ).all()
            assert len(lines) == len({code for code, _, _ in lines})
            assert {code: debit - credit for code, debit, credit in lines} == carried
            # 2027 starts from exactly those balances.
            report = trial_balance(session, book=book, start=Y2027[0], end=Y2027[1])
            assert {r.account: to_minor(r.opening, "EUR") for r in report.rows} == carried

        consolidated = closing_balances(session, None)
        closing_balances(session, None, Y2027)
        for account in set(consolidated_before) | set(consolidated):
            if types[account] in PNL_TYPES:
                assert account not in consolidated
            elif account != RESULT:
                assert consolidated.get(account) == consolidated_before.get(account)
    assert_gapless(books)


@PROPERTY
@given(history=st.lists(entries(), max_size=10))
def test_closing_the_year_preserves_balances_and_restates_them(
    fresh_books: FreshBooks, history: list[Entry]
) -> None:
    with fresh_books() as books:
        for e in history:
            books.post(e)
        check_year_closing(books)


def test_closing_a_year_on_every_backend(books: Books) -> None:
    """The same closing, on a fixed history, on SQLite and on PostgreSQL."""
    day = date(2026, 3, 14)
    books.post(entry("e1", day, ("2010", "debit", "1210.00"), ("7010", "credit", "1210.00")))
    books.post(entry("e1", day, ("6010", "debit", "300.25"), ("3010", "credit", "300.25")))
    books.post(entry("e1", day, ("3010", "debit", "1210.00"), ("2010", "credit", "1210.00")))
    books.post(entry("e2", day, ("6020", "debit", "99.99"), ("2110", "credit", "99.99")))
    books.post(entry("cooperative", day, ("3010", "debit", "50.00"), ("1010", "credit", "50.00")))
    check_year_closing(books)


# --- 4. a refused entry writes nothing ------------------------------------------------------
@PROPERTY
@given(
    ops=st.lists(
        st.one_of(entries(days=days_after_january), invalid_entries()), min_size=1, max_size=12
    )
)
def test_invalid_entries_are_refused_with_the_rule_and_write_nothing(
    fresh_books: FreshBooks, ops: list[Entry | Invalid]
) -> None:
    model = Model()
    with fresh_books() as books:
        with transaction(books.sessions) as session:
            close_month(session, 2026, 1, actor="closer")
        for op in ops:
            if isinstance(op, Entry):
                assert books.post(op).number == model.next_number(op)
                model.add(op)
                continue
            before = counts(books)
            with pytest.raises(LedgerError) as refused:
                books.post(op.entry)
            assert type(refused.value) is op.error, (op.kind, refused.value)
            message = str(refused.value)
            for fragment in op.says:
                assert fragment in message, (op.kind, fragment, message)
            assert re.match(r"entry \d+: ", message) is None, message
            assert counts(books) == before, op.kind
        assert_matches(books, model)
        assert_gapless(books, model.numbers)


@PROPERTY
@given(
    good=st.lists(entries(days=days_after_january), min_size=1, max_size=5),
    bad=invalid_entries(),
    position=st.integers(min_value=0, max_value=5),
)
def test_a_batch_with_one_bad_entry_writes_nothing(
    fresh_books: FreshBooks, good: list[Entry], bad: Invalid, position: int
) -> None:
    position = min(position, len(good))
    batch = [*good[:position], bad.entry, *good[position:]]
    with fresh_books() as books:
        with transaction(books.sessions) as session:
            close_month(session, 2026, 1, actor="closer")
        before = counts(books)
        with pytest.raises(LedgerError) as refused, transaction(books.sessions) as session:
            books.ledger.post_many(session, batch, actor="tester")
        assert type(refused.value) is bad.error, (bad.kind, refused.value)
        message = str(refused.value)
        for fragment in bad.says:
            assert fragment in message, (bad.kind, fragment, message)
        if bad.error not in (ClosedPeriod, UnknownBook):
            # Rules of shape name the bad entry's position (the months are checked once
            # for the whole batch; see the dedicated test below for unknown books).
            assert message.startswith(f"entry {position + 1}: "), message
        assert counts(books) == before

        # The good ones alone go through, numbered from 1.
        with transaction(books.sessions) as session:
            posted = books.ledger.post_many(session, good, actor="tester")
        model = Model()
        for e, p in zip(good, posted, strict=True):
            assert p.number == model.next_number(e)
            model.add(e)
        assert_matches(books, model)
        assert_gapless(books, model.numbers)


def test_a_batch_names_the_position_of_an_entry_in_an_unknown_book(
    fresh_books: FreshBooks,
) -> None:
    """post_many promises that "an error names the entry's position in the batch"."""
    day = date(2026, 5, 1)
    good = entry("e1", day, ("3010", "debit", "10.00"), ("7010", "credit", "10.00"))
    with fresh_books() as books:
        before = counts(books)
        with (
            pytest.raises(UnknownBook, match="no such book") as refused,
            transaction(books.sessions) as session,
        ):
            books.ledger.post_many(session, [good, replace(good, book="nobody")], actor="t")
        assert counts(books) == before
        assert str(refused.value).startswith("entry 2: "), str(refused.value)


# --- 5. numbers stay gapless -------------------------------------------------------------
class Abort(Exception):
    """Raised on purpose inside a transaction, after posting."""


number_ops = st.lists(
    st.one_of(
        st.tuples(st.just("post"), entries()),
        st.tuples(st.just("refused"), invalid_entries()),
        st.tuples(st.just("rolled back"), st.lists(entries(), min_size=1, max_size=3)),
        st.tuples(st.just("caught"), entries(), invalid_entries()),
        st.tuples(st.just("batch"), st.lists(entries(), min_size=1, max_size=4)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=10_000)),
    ),
    min_size=1,
    max_size=12,
)


@PROPERTY
@given(ops=number_ops)
def test_numbers_are_gapless_after_posts_refusals_and_rollbacks(
    fresh_books: FreshBooks, ops: list[tuple]
) -> None:
    model = Model()
    posted: list[tuple[Posted, Entry]] = []
    reversed_ids: set[int] = set()
    with fresh_books() as books:
        with transaction(books.sessions) as session:
            close_month(session, 2026, 1, actor="closer")

        def movable(e: Entry) -> Entry:
            """January is closed: valid entries dated in it move to February."""
            if e.date.month != 1:
                return e
            return replace(e, date=date(2026, 2, min(e.date.day, 28)))

        for op in ops:
            name = op[0]
            if name == "post":
                e = movable(op[1])
                result = books.post(e)
                assert result.number == model.next_number(e)
                model.add(e)
                posted.append((result, e))
            elif name == "refused":
                with pytest.raises(op[1].error):
                    books.post(op[1].entry)
            elif name == "rolled back":
                with pytest.raises(Abort), transaction(books.sessions) as session:
                    for e in op[1]:
                        books.ledger.post(session, movable(e), actor="tester")
                    raise Abort
            elif name == "caught":
                e = movable(op[1])
                with transaction(books.sessions) as session:
                    result = books.ledger.post(session, e, actor="tester")
                    with pytest.raises(op[2].error):
                        books.ledger.post(session, op[2].entry, actor="tester")
                assert result.number == model.next_number(e)
                model.add(e)
                posted.append((result, e))
            elif name == "batch":
                batch = [movable(e) for e in op[1]]
                with transaction(books.sessions) as session:
                    results = books.ledger.post_many(session, batch, actor="tester")
                for e, result in zip(batch, results, strict=True):
                    assert result.number == model.next_number(e)
                    model.add(e)
                    posted.append((result, e))
            elif posted:
                original, e = posted[op[1] % len(posted)]
                if original.id in reversed_ids:
                    with pytest.raises(AlreadyReversed), transaction(books.sessions) as session:
                        books.ledger.reverse(session, original.id, reason="x", actor="tester")
                    continue
                with transaction(books.sessions) as session:
                    result = books.ledger.reverse(session, original.id, reason="x", actor="t")
                reversed_ids.add(original.id)
                assert result.number == model.next_number(e)
                posted.append((result, replace(e, lines=())))
            assert_gapless(books, model.numbers)
