"""The books: posting rules with their refusals, reversal, periods and year-end
closing, reports and the consolidation of an instance."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text, update

from partage.core.contract.money import to_minor
from partage.core.ledger import exports, general_ledgers, reports, trial_balances
from partage.core.ledger.books import close_account
from partage.core.ledger.errors import (
    AlreadyReversed,
    ClosedAccount,
    ClosedPeriod,
    CurrencyMismatch,
    ImmutableEntry,
    InvalidEntry,
    LedgerError,
    UnbalancedEntry,
    UnknownAccount,
    UnknownBook,
)
from partage.core.ledger.models import (
    Account,
    AccountingPeriod,
    EntryKind,
    JournalEntry,
    JournalKind,
    JournalLine,
    PeriodKind,
)
from partage.core.ledger.periods import close_month, close_year, open_year
from partage.core.ledger.posting import Ledger
from partage.core.ledger.types import Entry, Line
from partage.core.platform.db.engine import transaction
from partage.core.platform.db.models import AuditRecord
from tests.conftest import Books, entry, setup_books

MARCH = date(2026, 3, 15)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def sale(book: str = "e1", day: date = MARCH, amount: str = "121.00") -> Entry:
    return entry(
        book,
        day,
        ("2010", "debit", amount),
        ("7010", "credit", "100.00"),
        ("2120", "credit", str(Decimal(amount) - 100)),
        journal=JournalKind.SALES,
    )


def tables(books: Books) -> tuple[int, int, int]:
    return books.count("journal_entry"), books.count("journal_line"), books.count("entry_sequence")


def counters(books: Books) -> list[tuple[int, int, int, int]]:
    """Every numbering counter: (book, journal, fiscal year, last number)."""
    with books.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT book_id, journal_id, fiscal_year, last_number FROM entry_sequence "
                "ORDER BY 1, 2, 3"
            )
        )
        return [tuple(row) for row in rows]


# --- posting ---------------------------------------------------------------------------
def test_numbers_are_per_book_journal_and_fiscal_year(books: Books) -> None:
    first, second = books.post(sale()), books.post(sale())
    other_book = books.post(sale("e2"))
    other_journal = books.post(
        entry(
            "e1", MARCH, ("3010", "debit", "5"), ("2010", "credit", "5"), journal=JournalKind.BANK
        )
    )
    assert (first.number, second.number, other_book.number, other_journal.number) == (1, 2, 1, 1)
    assert first.total == Decimal("121.00") and first.fiscal_year == 2026
    with transaction(books.sessions) as session:
        open_year(session, 2027, actor="tester")
    assert books.post(sale(day=date(2027, 1, 4))).number == 1


def test_posted_entry_keeps_who_when_what_and_why(books: Books) -> None:
    posted = books.post(
        entry(
            "e1",
            MARCH,
            ("6020", "debit", "10"),
            ("3010", "credit", "10"),
            reference="R-7",
            description="Train ticket",
            act_type="expense",
            act_id="42",
        ),
        actor="alice",
    )
    with books.sessions() as session:
        row = session.get(JournalEntry, posted.id)
        assert (row.reference, row.description, row.act_type, row.act_id, row.posted_by) == (
            "R-7",
            "Train ticket",
            "expense",
            "42",
            "alice",
        )
        assert row.posted_at.tzinfo is not None


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (
            entry("e1", MARCH, ("3010", "debit", "100.00"), ("7010", "credit", "90.00")),
            UnbalancedEntry,
            "debits 100.00 EUR, credits 90.00 EUR, difference 10.00 EUR",
        ),
        (
            entry("e1", MARCH, ("3010", "debit", "10"), ("9999", "credit", "10")),
            UnknownAccount,
            "line 2 (9999): no account '9999' in the chart",
        ),
        (
            entry("e1", date(2025, 12, 31), ("3010", "debit", "10"), ("7010", "credit", "10")),
            ClosedPeriod,
            "date 2025-12: no open period; open fiscal year 2025 first",
        ),
        (
            Entry(
                "e1",
                JournalKind.SALES,
                MARCH,
                (Line("3010", debit=10.5), Line("7010", credit="10.5")),
            ),  # type: ignore[arg-type]
            InvalidEntry,
            "line 1 (3010): debit: 10.5 is a float",
        ),
        (
            Entry(
                "e1",
                JournalKind.SALES,
                MARCH,
                (Line("3010", debit="10", currency="USD"), Line("7010", credit="10")),
            ),
            CurrencyMismatch,
            "line 1 (3010): amount in USD, but book 'e1' is kept in EUR",
        ),
        (
            entry("e1", MARCH, ("3010", "debit", "10")),
            InvalidEntry,
            "an entry needs at least two lines; got 1",
        ),
        (
            entry("e1", MARCH, ("3010", "debit", "0"), ("7010", "credit", "0")),
            InvalidEntry,
            "line 1 (3010): debit must be positive; got 0",
        ),
        (
            entry("e1", MARCH, ("3010", "debit", "-5"), ("7010", "credit", "-5")),
            InvalidEntry,
            "line 1 (3010): debit must be positive; got -5",
        ),
        (
            entry("e1", MARCH, ("3010", "debit", "1.001"), ("7010", "credit", "1.001")),
            InvalidEntry,
            "more than 2 decimals for EUR",
        ),
        (
            Entry(
                "e1",
                JournalKind.SALES,
                MARCH,
                (Line("3010", debit="1", credit="1"), Line("7010", credit="1")),
            ),
            InvalidEntry,
            "line 1 (3010): give a debit or a credit, exactly one of them",
        ),
        (
            entry("nobody", MARCH, ("3010", "debit", "10"), ("7010", "credit", "10")),
            UnknownBook,
            "book 'nobody': no such book",
        ),
        (
            entry(
                "e1",
                MARCH,
                ("3010", "debit", "10"),
                ("7010", "credit", "10"),
                kind=EntryKind.OPENING,
            ),
            InvalidEntry,
            "opening entries are posted by the year-end closing only",
        ),
    ],
)
def test_bad_entries_are_refused_with_the_rule_and_write_nothing(
    books: Books, bad: Entry, error: type[LedgerError], message: str
) -> None:
    books.post(sale())
    before = tables(books)
    with pytest.raises(error) as refused:
        books.post(bad)
    assert message in str(refused.value)
    assert tables(books) == before


def test_original_currency_must_convert_to_the_line_amount(books: Books) -> None:
    good = Line(
        "6020",
        debit="92.00",
        original_currency="USD",
        original_amount="100.00",
        exchange_rate="0.92",
    )
    posted = books.post(
        Entry("e1", JournalKind.PURCHASES, MARCH, (good, Line("3010", credit="92.00")))
    )
    assert posted.total == Decimal("92.00")
    wrong = Line(
        "6020",
        debit="93.00",
        original_currency="USD",
        original_amount="100.00",
        exchange_rate="0.92",
    )
    with pytest.raises(
        InvalidEntry, match=r"100\.00 USD x 0\.92 = 92\.00 EUR, but the line says 93\.00 EUR"
    ):
        books.post(Entry("e1", JournalKind.PURCHASES, MARCH, (wrong, Line("3010", credit="93.00"))))
    half = Line("6020", debit="92.00", original_currency="USD")
    with pytest.raises(InvalidEntry, match="needs its currency, amount and exchange rate"):
        books.post(Entry("e1", JournalKind.PURCHASES, MARCH, (half, Line("3010", credit="92.00"))))


def test_closed_account_refuses_postings(books: Books) -> None:
    books.post(entry("e2", MARCH, ("3020", "debit", "1"), ("7010", "credit", "1")))
    with (
        pytest.raises(LedgerError, match=re.escape("book 'e2' holds a balance of 1.00 EUR")),
        transaction(books.sessions) as session,
    ):
        close_account(session, "3020", actor="tester", reason="petty cash abolished")
    books.post(entry("e2", MARCH, ("3010", "debit", "1"), ("3020", "credit", "1")))
    # A second ledger (another process) has also seen 3020 open.
    other = Ledger()
    with transaction(books.sessions) as session:
        other.post(
            session, entry("e2", MARCH, ("3020", "debit", "1"), ("3020", "credit", "1")), actor="x"
        )
    with transaction(books.sessions) as session:
        close_account(session, "3020", actor="tester", reason="petty cash abolished")
    # Neither ledger is told of the closing.
    before = tables(books), counters(books)
    with pytest.raises(ClosedAccount, match=r"^line 1 \(3020\): account 3020 is closed"):
        books.post(entry("e1", MARCH, ("3020", "debit", "1"), ("7010", "credit", "1")))
    with (
        pytest.raises(ClosedAccount, match=r"^entry 2: line 2 \(3020\): account 3020 is closed"),
        transaction(books.sessions) as session,
    ):
        other.post_many(
            session,
            [sale(), entry("e1", MARCH, ("7010", "debit", "1"), ("3020", "credit", "1"))],
            actor="importer",
        )
    assert (tables(books), counters(books)) == before


def test_batch_is_all_or_nothing_and_names_the_bad_entry(books: Books) -> None:
    good = [sale() for _ in range(3)]
    bad = entry("e1", MARCH, ("3010", "debit", "1"), ("7010", "credit", "2"))
    with (
        pytest.raises(UnbalancedEntry, match=r"^entry 3: "),
        transaction(books.sessions) as session,
    ):
        books.ledger.post_many(session, [good[0], good[1], bad, good[2]], actor="importer")
    assert tables(books)[:2] == (0, 0)
    with transaction(books.sessions) as session:
        posted = books.ledger.post_many(session, good, actor="importer")
    assert [p.number for p in posted] == [1, 2, 3]


# --- immutability and reversal ---------------------------------------------------------
def test_posted_entries_cannot_be_changed_through_the_orm_or_sql(books: Books) -> None:
    posted = books.post(sale())
    with books.sessions() as session:
        row = session.get(JournalEntry, posted.id)
        row.description = "rewritten"
        with pytest.raises(ImmutableEntry, match="post a reversing entry"):
            session.flush()
    with books.sessions() as session:
        session.delete(session.get(JournalEntry, posted.id))
        with pytest.raises(ImmutableEntry):
            session.flush()
    for statement in ("UPDATE journal_line SET debit = debit + 1", "DELETE FROM journal_entry"):
        with pytest.raises(Exception, match="immutable"), books.engine.begin() as connection:
            connection.execute(text(statement))
    assert tables(books)[:2] == (1, 3)


def test_reversal_is_a_new_linked_entry_that_nets_to_zero(books: Books) -> None:
    original = books.post(sale())
    with transaction(books.sessions) as session:
        reversal = books.ledger.reverse(session, original.id, reason="wrong client", actor="bob")
    assert reversal.number == 2 and reversal.total == original.total
    with books.sessions() as session:
        tb = trial_balances.trial_balance(session, book="e1", start=YEAR[0], end=YEAR[1])
        assert all(row.closing == 0 for row in tb.rows)
        linked = session.get(JournalEntry, reversal.id)
        assert linked.reverses_id == original.id and linked.reason == "wrong client"
        assert session.get(JournalEntry, original.id).description == ""
        audit = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "ledger.reverse")
        ).one()
        assert (audit.actor, audit.subject, audit.reason) == (
            "bob",
            f"entry:{original.id}",
            "wrong client",
        )
    before = tables(books)
    with (
        pytest.raises(AlreadyReversed, match=f"already reversed by entry {reversal.id}"),
        transaction(books.sessions) as session,
    ):
        books.ledger.reverse(session, original.id, reason="again", actor="bob")
    with (
        pytest.raises(InvalidEntry, match="a reversal needs a reason"),
        transaction(books.sessions) as session,
    ):
        books.ledger.reverse(session, reversal.id, reason=" ", actor="bob")
    assert tables(books) == before


def test_reversal_into_a_closed_month_needs_an_open_date(books: Books) -> None:
    original = books.post(sale(day=date(2026, 1, 20)))
    with transaction(books.sessions) as session:
        close_month(session, 2026, 1, actor="tester")
    with (
        pytest.raises(ClosedPeriod, match="2026-01: the month is closed"),
        transaction(books.sessions) as session,
    ):
        books.ledger.reverse(session, original.id, reason="late", actor="bob")
    with transaction(books.sessions) as session:
        reversal = books.ledger.reverse(
            session, original.id, reason="late", actor="bob", on=date(2026, 2, 1)
        )
    assert reversal.date == date(2026, 2, 1)


# --- periods ---------------------------------------------------------------------------
def test_months_close_in_order_and_refuse_postings(books: Books) -> None:
    with (
        pytest.raises(ClosedPeriod, match="close 2026-01 first"),
        transaction(books.sessions) as session,
    ):
        close_month(session, 2026, 2, actor="tester")
    with transaction(books.sessions) as session:
        close_month(session, 2026, 1, actor="tester")
    with pytest.raises(ClosedPeriod, match="2026-01: the month is closed"):
        books.post(sale(day=date(2026, 1, 31)))
    with (
        pytest.raises(ClosedPeriod, match="already closed"),
        transaction(books.sessions) as session,
    ):
        close_month(session, 2026, 1, actor="tester")
    with (
        pytest.raises(LedgerError, match="fiscal year 2026: already opened"),
        transaction(books.sessions) as session,
    ):
        open_year(session, 2026, actor="tester")


def test_closing_the_year_moves_the_result_to_the_result_account_and_carries_balances(
    books: Books,
) -> None:
    books.post(entry("e1", date(2026, 2, 1), ("3010", "debit", "1000"), ("7010", "credit", "1000")))
    books.post(entry("e1", date(2026, 5, 1), ("6020", "debit", "300"), ("3010", "credit", "300")))
    books.post(entry("e2", date(2026, 6, 1), ("6020", "debit", "50"), ("2110", "credit", "50")))
    with (
        pytest.raises(ClosedPeriod, match=r"months still open \(2026-01, "),
        transaction(books.sessions) as session,
    ):
        close_year(session, books.ledger, 2026, actor="tester")
    with transaction(books.sessions) as session:
        for month in range(1, 13):
            close_month(session, 2026, month, actor="tester")
        done = close_year(session, books.ledger, 2026, actor="tester")
    assert (done.books, done.closing_entries, done.opening_entries) == (2, 2, 2)
    with books.sessions() as session:
        e1 = {
            r.account: r.closing
            for r in trial_balances.trial_balance(
                session, book="e1", start=YEAR[0], end=YEAR[1]
            ).rows
        }
        assert e1 == {
            "3010": Decimal("700.00"),
            "7010": Decimal("0.00"),
            "6020": Decimal("0.00"),
            "1030": Decimal("-700.00"),
        }
        e2 = {
            r.account: r.closing
            for r in trial_balances.trial_balance(
                session, book="e2", start=YEAR[0], end=YEAR[1]
            ).rows
        }
        assert e2["1030"] == Decimal("50.00")  # a loss is a debit result
        opening = session.execute(
            text(
                "SELECT a.code, l.debit - l.credit FROM journal_line l JOIN account a ON a.id = l.account_id "
                "JOIN book b ON b.id = l.book_id WHERE l.kind = 'opening' AND b.code = 'e1' ORDER BY a.code"
            )
        ).all()
        assert opening == [("1030", -70000), ("3010", 70000)]
        assert session.scalar(
            text("SELECT min(date) FROM journal_line WHERE kind = 'opening'")
        ) in (date(2027, 1, 1), "2027-01-01")
        next_year = trial_balances.trial_balance(
            session, book="e1", start=date(2027, 1, 1), end=date(2027, 12, 31)
        )
        assert {r.account: r.opening for r in next_year.rows} == {
            "1030": Decimal("-700.00"),
            "3010": Decimal("700.00"),
        }
    assert books.post(sale(day=date(2027, 1, 5))).number == 1


def test_years_close_in_order_and_the_refusal_names_both(books: Books) -> None:
    books.post(entry("e1", date(2026, 2, 1), ("3010", "debit", "1000"), ("7010", "credit", "1000")))
    with transaction(books.sessions) as session:
        open_year(session, 2027, actor="tester")
        for year in (2026, 2027):
            for month in range(1, 13):
                close_month(session, year, month, actor="tester")
    with (
        pytest.raises(ClosedPeriod, match="close fiscal year 2026 before fiscal year 2027"),
        transaction(books.sessions) as session,
    ):
        close_year(session, books.ledger, 2027, actor="tester")
    with transaction(books.sessions) as session:
        close_year(session, books.ledger, 2026, actor="tester")
        close_year(session, books.ledger, 2027, actor="tester")
    with books.sessions() as session:
        report = trial_balances.trial_balance(
            session, book="e1", start=date(2027, 1, 1), end=date(2027, 12, 31)
        )
        closing = {r.account: r.closing for r in report.rows}
    # The 2026 result stays once on the result account; sales end the year at zero.
    assert closing["1030"] == Decimal("-1000.00") and closing.get("7010", 0) == 0


# --- what one ledger remembers between posts ---------------------------------------------
def test_a_month_closed_after_posting_refuses_the_same_ledger(books: Books) -> None:
    february = date(2026, 2, 10)
    books.post(sale(day=february))
    with transaction(books.sessions) as session:
        books.ledger.post_many(
            session, [sale(day=february), sale(day=date(2026, 3, 2))], actor="importer"
        )
    with transaction(books.sessions) as session:
        close_month(session, 2026, 1, actor="tester")
        close_month(session, 2026, 2, actor="tester")
    before = tables(books), counters(books)
    with pytest.raises(ClosedPeriod, match=r"^date 2026-02: the month is closed"):
        books.post(sale(day=february))
    with (
        pytest.raises(ClosedPeriod, match=r"^date 2026-02: the month is closed"),
        transaction(books.sessions) as session,
    ):
        books.ledger.post_many(
            session, [sale(day=date(2026, 3, 3)), sale(day=february)], actor="importer"
        )
    assert (tables(books), counters(books)) == before
    assert books.post(sale(day=date(2026, 3, 4))).number == 4


def test_a_month_closed_by_another_process_is_refused(books: Books) -> None:
    books.post(sale())
    # Another process closes March in the database; this ledger is not told.
    with books.engine.begin() as connection:
        connection.execute(
            update(AccountingPeriod)
            .where(
                AccountingPeriod.kind == PeriodKind.MONTH.value,
                AccountingPeriod.start == date(2026, 3, 1),
            )
            .values(closed_at=datetime.now(UTC), closed_by="elsewhere")
        )
    before = tables(books), counters(books)
    with pytest.raises(ClosedPeriod, match=r"^date 2026-03: the month is closed"):
        books.post(sale())
    with (
        pytest.raises(ClosedPeriod, match=r"^date 2026-03: the month is closed"),
        transaction(books.sessions) as session,
    ):
        books.ledger.post_many(session, [sale(day=date(2026, 4, 1)), sale()], actor="importer")
    assert (tables(books), counters(books)) == before


def test_an_account_added_or_reopened_elsewhere_is_accepted(books: Books) -> None:
    books.post(sale())
    with books.engine.begin() as connection:
        connection.execute(
            insert(Account).values(
                code="3030", name="Second bank", type="asset", parent_code="3000"
            )
        )
    added = books.post(entry("e1", MARCH, ("3030", "debit", "5"), ("7010", "credit", "5")))
    with transaction(books.sessions) as session:
        close_account(session, "3020", actor="tester", reason="petty cash abolished")
    petty = entry("e1", MARCH, ("3020", "debit", "5"), ("7010", "credit", "5"))
    with pytest.raises(ClosedAccount, match="account 3020 is closed"):
        books.post(petty)
    with books.engine.begin() as connection:
        connection.execute(update(Account).where(Account.code == "3020").values(closed_at=None))
    reopened = books.post(petty)
    assert (added.number, reopened.number) == (1, 2)


def test_batches_and_single_posts_share_gapless_numbers(books: Books) -> None:
    rng = random.Random(20260315)
    keys = [
        (b, j) for b in ("cooperative", "e1", "e2") for j in (JournalKind.SALES, JournalKind.BANK)
    ]
    posted = []
    for _ in range(12):
        batch = []
        for _ in range(rng.choice((1, 1, 3, 17))):
            book, journal = rng.choice(keys)
            cents = rng.randint(1, 100_000)
            amount = str(Decimal(cents).scaleb(-2))
            batch.append(
                entry(
                    book,
                    date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                    ("3010", "debit", amount),
                    ("7010", "credit", amount),
                    journal=journal,
                )
            )
        with transaction(books.sessions) as session:
            if len(batch) == 1 and rng.random() < 0.5:
                result = [books.ledger.post(session, batch[0], actor="tester")]
            else:
                result = books.ledger.post_many(session, batch, actor="tester")
        posted += list(zip(batch, result, strict=True))
    numbers: dict[tuple[str, JournalKind], list[int]] = {}
    for given, done in posted:
        numbers.setdefault((given.book, given.journal), []).append(done.number)
    assert all(found == list(range(1, len(found) + 1)) for found in numbers.values()), numbers
    with books.sessions() as session:
        for given, done in posted:
            row = session.get(JournalEntry, done.id)
            assert (row.number, row.date, row.fiscal_year) == (done.number, given.date, 2026)
            lines = session.scalars(
                select(JournalLine).where(JournalLine.entry_id == done.id).order_by(JournalLine.id)
            ).all()
            assert [(line.debit, line.credit) for line in lines] == [
                (to_minor(done.total, "EUR"), 0),
                (0, to_minor(done.total, "EUR")),
            ]
            assert {(line.book_id, line.date, line.kind) for line in lines} == {
                (row.book_id, row.date, "normal")
            }
    assert sorted(c[3] for c in counters(books)) == sorted(len(n) for n in numbers.values())


def test_posts_store_values_as_sqlalchemy_does(books: Books) -> None:
    def purchase(day: date) -> Entry:
        converted = Line(
            "6020",
            debit="92.00",
            original_currency="USD",
            original_amount="100.00",
            exchange_rate="0.92",
        )
        return Entry("e1", JournalKind.PURCHASES, day, (converted, Line("3010", credit="92.00")))

    single = books.post(purchase(MARCH))
    with transaction(books.sessions) as session:
        batch = books.ledger.post_many(
            session, [purchase(date(2026, 4, 1)), purchase(date(2026, 4, 2))], actor="importer"
        )
    with books.sessions() as session:
        for posted in (single, *batch):
            row = session.get(JournalEntry, posted.id)
            assert row.posted_at.tzinfo is not None
            # Filters bind their values through the column types, so they find the rows
            # only if the posts stored dates, timestamps and rates in the same form.
            same = select(JournalEntry.id).where(
                JournalEntry.date == posted.date, JournalEntry.posted_at == row.posted_at
            )
            assert posted.id in session.scalars(same).all()
            converted = session.scalars(
                select(JournalLine).where(
                    JournalLine.entry_id == posted.id,
                    JournalLine.date == posted.date,
                    JournalLine.exchange_rate == Decimal("0.92"),
                )
            ).all()
            assert [
                (c.original_currency, c.original_amount, c.exchange_rate) for c in converted
            ] == [("USD", 10_000, Decimal("0.92"))]


# --- reports ---------------------------------------------------------------------------
def test_reports_of_an_entity(books: Books) -> None:
    books.post(
        entry(
            "e1",
            date(2026, 2, 1),
            ("3010", "debit", "1210"),
            ("7010", "credit", "1000"),
            ("2120", "credit", "210"),
            journal=JournalKind.SALES,
        )
    )
    books.post(
        entry(
            "e1",
            date(2026, 3, 1),
            ("6010", "debit", "200"),
            ("2020", "debit", "42"),
            ("2110", "credit", "242"),
            journal=JournalKind.PURCHASES,
        )
    )
    books.post(
        entry(
            "e1",
            date(2026, 4, 1),
            ("2110", "debit", "100"),
            ("3010", "credit", "100"),
            journal=JournalKind.BANK,
        )
    )
    with books.sessions() as session:
        tb = trial_balances.trial_balance(
            session, book="e1", start=date(2026, 3, 1), end=date(2026, 12, 31)
        )
        bank = next(r for r in tb.rows if r.account == "3010")
        assert (bank.opening, bank.debit, bank.credit, bank.closing) == (
            Decimal("1210.00"),
            Decimal("0.00"),
            Decimal("100.00"),
            Decimal("1110.00"),
        )
        assert tb.total_debit == tb.total_credit == Decimal("342.00")
        assert tb.total_closing == 0 and tb.total_opening == 0

        gl = general_ledgers.general_ledger(
            session, account="3010", book="e1", start=date(2026, 4, 1), end=date(2026, 4, 30)
        )
        assert gl.opening == Decimal("1210.00") and gl.closing == Decimal("1110.00")
        assert [(ln.journal, ln.number, ln.credit, ln.balance) for ln in gl.lines] == [
            ("BNK", 1, Decimal("100.00"), Decimal("1110.00"))
        ]

        sheet = reports.balance_sheet(session, book="e1", on=date(2026, 12, 31))
        assert (
            sheet.totals["Assets"] == sheet.totals["Liabilities and equity"] == Decimal("1152.00")
        )
        assert sheet.result == Decimal("800.00")
        assert [s.code for s in sheet.sides["Assets"]] == ["2000", "3000"]
        assert sheet.sides["Assets"][1].children[0].code == "3010"

        pnl = reports.profit_and_loss(session, book="e1", start=YEAR[0], end=YEAR[1])
        assert pnl.totals == {"Expenses": Decimal("200.00"), "Income": Decimal("1000.00")}
        assert pnl.result == Decimal("800.00")

        # bank 1110 + VAT receivable 42 - suppliers 142 - VAT payable 210
        assert reports.available_funds(session, book="e1", on=date(2026, 12, 31)) == Decimal(
            "800.00"
        )
        assert reports.available_funds(session, book="e1", on=date(2026, 2, 28)) == Decimal(
            "1000.00"
        )


def test_a_ledger_page_carries_the_balance_of_the_lines_before_it(books: Books) -> None:
    for day, amount in ((3, "10"), (4, "20"), (5, "30"), (6, "40"), (7, "50")):
        books.post(
            entry(
                "e1",
                date(2026, 5, day),
                ("3010", "debit", amount),
                ("7010", "credit", amount),
                journal=JournalKind.SALES,
            )
        )
    with books.sessions() as session:
        whole = general_ledgers.general_ledger(
            session, account="3010", book="e1", start=YEAR[0], end=YEAR[1]
        )
        pages = [
            general_ledgers.general_ledger(
                session,
                account="3010",
                book="e1",
                start=YEAR[0],
                end=YEAR[1],
                offset=offset,
                limit=2,
            )
            for offset in (0, 2, 4)
        ]
    assert [ln for page in pages for ln in page.lines] == list(whole.lines)
    assert [len(page.lines) for page in pages] == [2, 2, 1]
    assert pages[1].lines[0].balance == Decimal("60.00")  # 10 + 20 before it, then 30
    assert {(page.total, page.closing) for page in pages} == {(5, Decimal("150.00"))}
    assert (whole.total, whole.closing) == (5, Decimal("150.00"))


def test_exports_are_csv(books: Books) -> None:
    books.post(sale())
    with books.sessions() as session:
        rows = list(
            csv.DictReader(
                io.StringIO(exports.journal_csv(session, book=None, start=YEAR[0], end=YEAR[1]))
            )
        )
        tb = trial_balances.trial_balance(session, book=None, start=YEAR[0], end=YEAR[1])
    assert [(r["journal"], r["number"], r["account"], r["debit"], r["credit"]) for r in rows] == [
        ("SAL", "1", "2010", "121.00", "0.00"),
        ("SAL", "1", "7010", "0.00", "100.00"),
        ("SAL", "1", "2120", "0.00", "21.00"),
    ]
    assert trial_balances.trial_balance_rows(tb)[-1] == [
        "total",
        "",
        "",
        Decimal("0.00"),
        Decimal("121.00"),
        Decimal("121.00"),
        Decimal("0.00"),
    ]


def test_report_arguments_are_checked(books: Books) -> None:
    with books.sessions() as session:
        with pytest.raises(LedgerError, match="is after"):
            trial_balances.trial_balance(session, book=None, start=YEAR[1], end=YEAR[0])
        with pytest.raises(UnknownAccount):
            general_ledgers.general_ledger(
                session, account="0000", book=None, start=YEAR[0], end=YEAR[1]
            )
        with pytest.raises(UnknownBook):
            reports.available_funds(session, book="ghost", on=YEAR[1])


def test_consolidation_equals_the_sum_of_the_books_to_the_cent(engine) -> None:  # type: ignore[no-untyped-def]
    codes = (*(f"entity-{i}" for i in range(12)), "cooperative")
    books = setup_books(engine, books=codes)
    with books.sessions() as session:
        accounts = [
            a for a in session.scalars(select(Account.code).where(Account.parent_code.is_not(None)))
        ]
    rng = random.Random(20261122)
    batch = []
    for _ in range(600):
        debits = [rng.randint(1, 500_000) for _ in range(rng.randint(1, 2))]
        credits = [sum(debits) - 1, 1] if sum(debits) > 1 and rng.random() < 0.5 else [sum(debits)]
        accounts_used = rng.sample(accounts, len(debits) + len(credits))
        lines = [
            Line(a, debit=Decimal(d) / 100) for a, d in zip(accounts_used, debits, strict=False)
        ]
        lines += [
            Line(a, credit=Decimal(c) / 100)
            for a, c in zip(accounts_used[len(debits) :], credits, strict=True)
        ]
        batch.append(
            Entry(
                rng.choice(codes),
                rng.choice(list(JournalKind)[:5]),
                date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                tuple(lines),
            )
        )
    with transaction(books.sessions) as session:
        books.ledger.post_many(session, batch, actor="generator")
    start, end = date(2026, 4, 1), date(2026, 9, 30)
    with books.sessions() as session:
        consolidated = trial_balances.trial_balance(session, book=None, start=start, end=end)
        summed: dict[str, list[Decimal]] = {}
        for code in codes:
            for row in trial_balances.trial_balance(session, book=code, start=start, end=end).rows:
                totals = summed.setdefault(row.account, [Decimal(0)] * 4)
                for i, value in enumerate((row.opening, row.debit, row.credit, row.closing)):
                    totals[i] += value
    assert {
        r.account: [r.opening, r.debit, r.credit, r.closing] for r in consolidated.rows
    } == summed
    assert consolidated.total_debit == consolidated.total_credit
    assert consolidated.total_closing == 0
