"""Posting and reversing entries: the only way money enters the books.

Every check happens before anything is written, and the caller's transaction holds
the whole post, so a refused entry leaves no trace. Writes go through SQLAlchemy Core
(``insert`` with executemany), never the ORM's unit of work, which is far slower for
journal lines.

Numbering: each (book, journal, fiscal year) has a counter row in ``entry_sequence``,
incremented by one atomic upsert inside the posting transaction. The row stays locked
until commit, so concurrent posters take numbers one after the other; a rolled-back
post releases its number, so numbers stay gapless.

Periods: the entry's month must exist and be open. On PostgreSQL the month row is read
``FOR SHARE``, so a month cannot close while an entry into it is being posted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Table, and_, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from partage.core import audit
from partage.core.ledger.errors import (
    AlreadyReversed,
    ClosedAccount,
    ClosedPeriod,
    CurrencyMismatch,
    InvalidEntry,
    LedgerError,
    UnbalancedEntry,
    UnknownAccount,
    UnknownBook,
)
from partage.core.ledger.models import (
    Account,
    Book,
    EntryKind,
    EntrySequence,
    Journal,
    JournalEntry,
    JournalKind,
    JournalLine,
    Period,
    PeriodKind,
)
from partage.core.ledger.types import Entry, Line, Posted
from partage.core.money import MoneyError, as_decimal, from_minor, round_money, to_minor

ENTRY: Table = JournalEntry.__table__  # type: ignore[assignment]
LINE: Table = JournalLine.__table__  # type: ignore[assignment]
SEQUENCE: Table = EntrySequence.__table__  # type: ignore[assignment]
PERIOD: Table = Period.__table__  # type: ignore[assignment]


def fiscal_year_of(day: date, start_month: int = 1) -> int:
    """The fiscal year a day belongs to, named after the calendar year it starts in."""
    return day.year if day.month >= start_month else day.year - 1


@dataclass(frozen=True)
class _BookRef:
    id: int
    code: str
    currency: str


@dataclass(frozen=True)
class _AccountRef:
    id: int
    code: str
    open: bool


@dataclass
class _Prepared:
    entry: Entry
    book: _BookRef
    fiscal_year: int
    total_minor: int
    lines: list[dict[str, object]]


class Ledger:
    """The ledger service of one instance database.

    It caches the chart, the books and the journals it has seen (they change rarely
    and only through this class); :meth:`refresh` forgets them, e.g. after another
    process closed an account.

    :param fiscal_year_start_month: first month of the cooperative's fiscal year.
    """

    def __init__(self, fiscal_year_start_month: int = 1) -> None:
        self.fiscal_year_start_month = fiscal_year_start_month
        self.refresh()

    def refresh(self) -> None:
        """Forget cached chart, books and journals."""
        self._accounts: dict[str, _AccountRef] = {}
        self._books: dict[str, _BookRef] = {}
        self._journals: dict[JournalKind, int] = {}

    # --- lookups ---------------------------------------------------------------------
    def book(self, session: Session, code: str) -> _BookRef:
        """The book of that code, or :class:`UnknownBook`."""
        ref = self._books.get(code)
        if ref is None:
            row = session.execute(
                select(Book.id, Book.code, Book.currency).where(Book.code == code)
            ).one_or_none()
            if row is None:
                raise UnknownBook(f"book {code!r}: no such book")
            ref = self._books[code] = _BookRef(row.id, row.code, row.currency)
        return ref

    def _account(self, session: Session, code: str) -> _AccountRef | None:
        if not self._accounts or code not in self._accounts:
            rows = session.execute(select(Account.id, Account.code, Account.closed_at))
            self._accounts = {r.code: _AccountRef(r.id, r.code, r.closed_at is None) for r in rows}
        return self._accounts.get(code)

    def journal_id(self, session: Session, kind: JournalKind) -> int:
        if kind not in self._journals:
            rows = session.execute(select(Journal.id, Journal.kind))
            self._journals = {JournalKind(r.kind): r.id for r in rows}
            if kind not in self._journals:
                raise LedgerError(f"journal {kind.value!r} does not exist; open the books first")
        return self._journals[kind]

    # --- validation ------------------------------------------------------------------
    def _prepare(self, session: Session, entry: Entry, where: str = "") -> _Prepared:
        try:
            book = self.book(session, entry.book)
        except UnknownBook as exc:
            raise UnknownBook(f"{where}{exc}") from None
        if not isinstance(entry.journal, JournalKind):
            raise InvalidEntry(f"{where}journal {entry.journal!r}: not a journal kind")
        if len(entry.lines) < 2:
            raise InvalidEntry(f"{where}an entry needs at least two lines; got {len(entry.lines)}")
        rows: list[dict[str, object]] = []
        debits = credits = 0
        for number, line in enumerate(entry.lines, start=1):
            row = self._line_row(session, book, line, f"{where}line {number} ({line.account}): ")
            debits += row["debit"]  # type: ignore[operator]
            credits += row["credit"]  # type: ignore[operator]
            rows.append(row)
        if debits != credits:
            cur = book.currency
            raise UnbalancedEntry(
                f"{where}entry does not balance: debits {from_minor(debits, cur)} {cur}, "
                f"credits {from_minor(credits, cur)} {cur}, "
                f"difference {from_minor(debits - credits, cur)} {cur}"
            )
        fiscal_year = fiscal_year_of(entry.date, self.fiscal_year_start_month)
        return _Prepared(entry, book, fiscal_year, debits, rows)

    def _line_row(
        self, session: Session, book: _BookRef, line: Line, where: str
    ) -> dict[str, object]:
        if (line.debit is None) == (line.credit is None):
            raise InvalidEntry(f"{where}give a debit or a credit, exactly one of them")
        side = "debit" if line.debit is not None else "credit"
        try:
            amount = as_decimal(line.debit if side == "debit" else line.credit, field=side)
            if amount <= 0:
                raise InvalidEntry(f"{where}{side} must be positive; got {amount}")
            minor = to_minor(amount, book.currency, field=side)
        except MoneyError as exc:
            raise InvalidEntry(f"{where}{exc}") from None
        if line.currency is not None and line.currency != book.currency:
            raise CurrencyMismatch(
                f"{where}amount in {line.currency}, but book {book.code!r} is kept in "
                f"{book.currency}; give the {book.currency} amount with the original "
                "currency, amount and rate"
            )
        account = self._account(session, line.account)
        if account is None:
            raise UnknownAccount(f"{where}no account {line.account!r} in the chart")
        if not account.open:
            raise ClosedAccount(f"{where}account {line.account} is closed to new postings")
        original_minor = rate = None
        if (line.original_currency, line.original_amount, line.exchange_rate) != (None,) * 3:
            original_minor, rate = self._original(book, line, amount, where)
        return {
            "book_id": book.id,
            "account_id": account.id,
            "debit": minor if side == "debit" else 0,
            "credit": minor if side == "credit" else 0,
            "partner": line.partner,
            "vat_code": line.vat_code,
            "original_currency": line.original_currency,
            "original_amount": original_minor,
            "exchange_rate": rate,
        }

    @staticmethod
    def _original(book: _BookRef, line: Line, amount: Decimal, where: str) -> tuple[int, Decimal]:
        if None in (line.original_currency, line.original_amount, line.exchange_rate):
            raise InvalidEntry(
                f"{where}an original amount needs its currency, amount and exchange rate"
            )
        try:
            original = as_decimal(line.original_amount, field="original amount")
            rate = as_decimal(line.exchange_rate, field="exchange rate")
            original_minor = to_minor(
                original, str(line.original_currency), field="original amount"
            )
        except MoneyError as exc:
            raise InvalidEntry(f"{where}{exc}") from None
        if original <= 0 or rate <= 0:
            raise InvalidEntry(f"{where}original amount and exchange rate must be positive")
        converted = round_money(original * rate, book.currency)
        if converted != amount:
            raise InvalidEntry(
                f"{where}{original} {line.original_currency} x {rate} = {converted} "
                f"{book.currency}, but the line says {amount} {book.currency}"
            )
        return original_minor, rate

    def _check_months_open(self, session: Session, days: Iterable[date]) -> None:
        months = sorted({day.replace(day=1) for day in days})
        query = select(PERIOD.c.start, PERIOD.c.closed_at).where(
            and_(PERIOD.c.kind == PeriodKind.MONTH.value, PERIOD.c.start.in_(months))
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(read=True)
        found = {row.start: row.closed_at for row in session.execute(query)}
        for month in months:
            if month not in found:
                raise ClosedPeriod(
                    f"date {month:%Y-%m}: no open period; open fiscal year "
                    f"{fiscal_year_of(month, self.fiscal_year_start_month)} first"
                )
            if found[month] is not None:
                raise ClosedPeriod(f"date {month:%Y-%m}: the month is closed")

    # --- writing ---------------------------------------------------------------------
    def _take_numbers(
        self, session: Session, book_id: int, journal_id: int, year: int, count: int
    ) -> int:
        """Reserve ``count`` numbers; return the last one."""
        dialect = session.get_bind().dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(SEQUENCE).values(
            book_id=book_id, journal_id=journal_id, fiscal_year=year, last_number=count
        )
        statement = statement.on_conflict_do_update(
            index_elements=[SEQUENCE.c.book_id, SEQUENCE.c.journal_id, SEQUENCE.c.fiscal_year],
            set_={"last_number": SEQUENCE.c.last_number + count},
        ).returning(SEQUENCE.c.last_number)
        return session.execute(statement).scalar_one()

    def _write(
        self,
        session: Session,
        prepared: Sequence[_Prepared],
        actor: str,
        reverses: int | None = None,
        reason: str = "",
    ) -> list[Posted]:
        counts: dict[tuple[int, int, int], int] = defaultdict(int)
        keys = []
        for item in prepared:
            key = (item.book.id, self.journal_id(session, item.entry.journal), item.fiscal_year)
            counts[key] += 1
            keys.append(key)
        next_number = {
            key: self._take_numbers(session, *key, count) - count + 1
            for key, count in sorted(counts.items())
        }
        now = datetime.now(UTC)
        entry_rows = []
        for item, key in zip(prepared, keys, strict=True):
            number, next_number[key] = next_number[key], next_number[key] + 1
            entry = item.entry
            entry_rows.append(
                {
                    "book_id": item.book.id,
                    "journal_id": key[1],
                    "fiscal_year": item.fiscal_year,
                    "number": number,
                    "date": entry.date,
                    "kind": entry.kind.value,
                    "reference": entry.reference,
                    "description": entry.description,
                    "act_type": entry.act_type,
                    "act_id": entry.act_id,
                    "reverses_id": reverses,
                    "reason": reason,
                    "posted_by": actor,
                    "posted_at": now,
                }
            )
        if len(entry_rows) == 1:
            ids = [session.execute(insert(ENTRY).returning(ENTRY.c.id), entry_rows).scalar_one()]
        else:
            ids = list(
                session.execute(
                    insert(ENTRY).returning(ENTRY.c.id, sort_by_parameter_order=True), entry_rows
                ).scalars()
            )
        line_rows = [
            {**row, "entry_id": entry_id, "date": item.entry.date, "kind": item.entry.kind.value}
            for item, entry_id in zip(prepared, ids, strict=True)
            for row in item.lines
        ]
        session.execute(insert(LINE), line_rows)
        return [
            Posted(
                entry_id,
                item.book.code,
                item.entry.journal,
                row["fiscal_year"],
                row["number"],
                item.entry.date,
                from_minor(item.total_minor, item.book.currency),
            )
            for item, entry_id, row in zip(prepared, ids, entry_rows, strict=True)
        ]

    # --- the service API -------------------------------------------------------------
    def post(self, session: Session, entry: Entry, *, actor: str) -> Posted:
        """Post one entry in the caller's transaction.

        Refuses, before writing anything: an unknown book, fewer than two lines, a line
        with both or neither side, a zero, negative, float or over-precise amount, a
        currency other than the book's, an unknown or closed account, an unbalanced
        entry, a date outside an open month, and closing or opening entries (those come
        from the year-end closing only).
        """
        return self.post_many(session, [entry], actor=actor)[0]

    def post_many(self, session: Session, entries: Sequence[Entry], *, actor: str) -> list[Posted]:
        """Post a batch of entries at once (imports, payroll runs): all or nothing.

        Every entry is checked first; an error names the entry's position in the batch.
        """
        prepared = []
        for index, entry in enumerate(entries):
            where = f"entry {index + 1}: " if len(entries) > 1 else ""
            if entry.kind is not EntryKind.NORMAL:
                raise InvalidEntry(
                    f"{where}{entry.kind.value} entries are posted by the year-end closing only"
                )
            prepared.append(self._prepare(session, entry, where))
        if not prepared:
            return []
        self._check_months_open(session, (item.entry.date for item in prepared))
        return self._write(session, prepared, actor)

    def post_closing(
        self, session: Session, entries: Sequence[Entry], *, actor: str
    ) -> list[Posted]:
        """Post year-end closing and opening entries (used by the period service only).

        They skip the open-month check: the closing entry is dated on the last day of
        the year whose months are already closed.
        """
        prepared = [self._prepare(session, entry) for entry in entries]
        return self._write(session, prepared, actor) if prepared else []

    def reverse(
        self, session: Session, entry_id: int, *, reason: str, actor: str, on: date | None = None
    ) -> Posted:
        """Post the reversing entry of ``entry_id``: same lines, sides swapped, linked.

        The original is never changed. ``on`` defaults to the original's date; the date
        must fall in an open month. An entry is reversed at most once.
        """
        if not reason.strip():
            raise InvalidEntry("reason: a reversal needs a reason")
        original = session.execute(select(ENTRY).where(ENTRY.c.id == entry_id)).one_or_none()
        if original is None:
            raise LedgerError(f"entry {entry_id}: no such entry")
        if original.kind != EntryKind.NORMAL.value:
            raise InvalidEntry(f"entry {entry_id}: {original.kind} entries are not reversed")
        already = session.execute(
            select(ENTRY.c.id).where(ENTRY.c.reverses_id == entry_id)
        ).scalar_one_or_none()
        if already is not None:
            raise AlreadyReversed(f"entry {entry_id}: already reversed by entry {already}")
        day = on or original.date
        self._check_months_open(session, [day])
        book = session.execute(
            select(Book.code, Book.currency).where(Book.id == original.book_id)
        ).one()
        accounts = {r.id: r.code for r in session.execute(select(Account.id, Account.code))}
        journal = session.execute(
            select(Journal.kind).where(Journal.id == original.journal_id)
        ).scalar_one()
        lines = []
        for row in session.execute(
            select(LINE).where(LINE.c.entry_id == entry_id).order_by(LINE.c.id)
        ):
            swapped = {
                "debit": from_minor(row.credit, book.currency) if row.credit else None,
                "credit": from_minor(row.debit, book.currency) if row.debit else None,
            }
            original_amount = (
                from_minor(row.original_amount, row.original_currency)
                if row.original_amount is not None
                else None
            )
            lines.append(
                Line(
                    account=accounts[row.account_id],
                    partner=row.partner,
                    vat_code=row.vat_code,
                    original_currency=row.original_currency,
                    original_amount=original_amount,
                    exchange_rate=row.exchange_rate,
                    **swapped,
                )
            )
        reversal = Entry(
            book=book.code,
            journal=JournalKind(journal),
            date=day,
            lines=tuple(lines),
            reference=original.reference,
            description=f"Reversal of entry {entry_id}: {reason}",
            act_type=original.act_type,
            act_id=original.act_id,
        )
        prepared = self._prepare(session, reversal)
        try:
            with session.begin_nested():
                posted = self._write(session, [prepared], actor, reverses=entry_id, reason=reason)[
                    0
                ]
        except IntegrityError:
            raise AlreadyReversed(
                f"entry {entry_id}: already reversed by a concurrent reversal"
            ) from None
        audit.record(
            session,
            actor=actor,
            action="ledger.reverse",
            subject=f"entry:{entry_id}",
            reason=reason,
            data={"reversal": posted.id, "book": book.code},
        )
        return posted
