"""Posting and reversing entries: the only way money enters the books.

Every check happens before anything is written, and the caller's transaction holds
the whole post, so a refused entry leaves no trace. Writes go through SQLAlchemy Core
``insert()`` with executemany, never the ORM's unit of work, which is far slower for
journal lines.

Numbering: each (book, journal, fiscal year) has a counter row in ``entry_sequence``,
incremented by an atomic upsert inside the posting transaction. The row stays locked
until commit, so concurrent posters take numbers one after the other; a rolled-back
post releases its number, so numbers stay gapless. A batch reserves each counter's
numbers in one step.

Open months and open accounts are checked by the database in the posting transaction,
not from what this process last saw: another process may close a month or an account
at any time. On PostgreSQL the month rows are read ``FOR SHARE``, so a month cannot
close while an entry into it is being posted. A single entry (the common case) takes
its number, and has its month and accounts checked, in one statement that writes
nothing when a check fails.

Balances: the same transaction adds each post's lines to the kept balances per book,
account and month (:mod:`.balances`), which the reports read.

Speed: the chart, the books and the journals are cached per :class:`Ledger` (they
change rarely; a refusal by the database reloads the chart). The inserts are compiled once
per database dialect and their rows handed to the driver as tuples (:mod:`.posting_sql`).
A reversal is built from the original (:mod:`.reversal`) and posted as any entry.

:class:`Ledger` stays whole in this module: its checks and its writes share its caches,
and reading them together shows every check coming before the first write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NoReturn

from sqlalchemy import Connection, and_, select
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_, Word
from partage.core.contract.money import MoneyError, as_decimal, from_minor, round_money, to_minor
from partage.core.ledger import balances
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
from partage.core.ledger.models import Account, Book, EntryKind, Journal, JournalKind, PeriodKind
from partage.core.ledger.posting_sql import (
    ACCOUNT,
    PERIOD,
    PostingStatements,
    statements_for,
)
from partage.core.ledger.reversal import reversible, reversing_entry
from partage.core.ledger.types import Entry, Line, Posted
from partage.core.platform import audit

#: (book_id, journal_id, fiscal_year): the counter an entry takes its number from.
Key = tuple[int, int, int]
#: A line's values after its entry's (entry_id, book_id, date, kind).
LineValues = tuple[Any, ...]


def fiscal_year_of(day: date, start_month: int = 1) -> int:
    """The fiscal year a day belongs to, named after the calendar year it starts in."""
    return day.year if day.month >= start_month else day.year - 1


def within(where: str | None, field: str | None) -> str | None:
    """Where a refusal lies when several entries or lines are posted together: the entry
    and line first, then the field (``"entry 2: line 1 (3020): debit"``)."""
    if where is None:
        return field
    return where if field is None else f"{where}: {field}"


@dataclass(frozen=True, slots=True)
class _BookRef:
    id: int
    code: str
    currency: str


@dataclass(frozen=True, slots=True)
class _AccountRef:
    id: int
    code: str
    open: bool


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An entry checked and converted, ready to write.

    Attributes:
        entry: what the caller gave.
        book: its book.
        key: the numbering counter, (book id, journal id, fiscal year).
        total_minor: the sum of its debits in minor units.
        lines: each line's values in :data:`.posting_sql.LINE_COLUMNS` order after ``kind``.
        accounts: the ids of the accounts it posts to.
    """

    entry: Entry
    book: _BookRef
    key: Key
    total_minor: int
    lines: tuple[LineValues, ...]
    accounts: frozenset[int]


class Ledger:
    """The ledger service of one instance database.

    It caches the chart, the books and the journals it has seen (they change rarely);
    whether a month or an account is open is asked of the database at every post.
    :meth:`refresh` forgets the cache; a post the database refuses reloads the chart.

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
                raise UnknownBook("book", N_("no such book"), value=repr(code))
            ref = self._books[code] = _BookRef(row.id, row.code, row.currency)
        return ref

    def _load_accounts(self, session: Session) -> None:
        rows = session.execute(select(Account.id, Account.code, Account.closed_at))
        self._accounts = {r.code: _AccountRef(r.id, r.code, r.closed_at is None) for r in rows}

    def _account(self, session: Session, code: str) -> _AccountRef | None:
        """The account of that code; a miss or a closed account reloads the chart once,
        so that an account added or reopened elsewhere is seen."""
        account = self._accounts.get(code)
        if account is None or not account.open:
            self._load_accounts(session)
            account = self._accounts.get(code)
        return account

    def journal_id(self, session: Session, kind: JournalKind) -> int:
        if kind not in self._journals:
            rows = session.execute(select(Journal.id, Journal.kind))
            self._journals = {JournalKind(r.kind): r.id for r in rows}
            if kind not in self._journals:
                raise LedgerError(
                    None,
                    N_("journal {kind_value} does not exist; open the books first"),
                    kind_value=repr(kind.value),
                )
        return self._journals[kind]

    @staticmethod
    def _statements(session: Session) -> PostingStatements:
        dialect = session.get_bind().dialect
        assert isinstance(dialect, DefaultDialect)  # every SQLAlchemy dialect derives from it
        # mypy checks a class object against Hashable with its instances' __hash__.
        return statements_for(type(dialect))  # type: ignore[arg-type]

    # --- validation ------------------------------------------------------------------
    def _prepare(self, session: Session, entry: Entry, where: str | None = None) -> _Prepared:
        try:
            book = self.book(session, entry.book)
        except UnknownBook as exc:
            raise UnknownBook(
                within(where, exc.field), exc.template, value=exc.value, **exc.params
            ) from None
        if not isinstance(entry.journal, JournalKind):
            raise InvalidEntry(
                within(where, "journal"), N_("not a journal kind"), value=repr(entry.journal)
            )
        if len(entry.lines) < 2:
            raise InvalidEntry(
                where,
                N_("an entry needs at least two lines; got {len_entry_lines}"),
                len_entry_lines=len(entry.lines),
            )
        rows: list[LineValues] = []
        debits = credits = 0
        for number, line in enumerate(entry.lines, start=1):
            at = within(where, f"line {number} ({line.account})")
            row = self._line_row(session, book, line, at)
            debits += row[1]
            credits += row[2]
            rows.append(row)
        if debits != credits:
            cur = book.currency
            raise UnbalancedEntry(
                where,
                N_(
                    "entry does not balance: debits {item_a} {cur}, credits "
                    "{item_b} {cur}, difference {item_c} {cur}"
                ),
                item_a=from_minor(debits, cur),
                cur=cur,
                item_b=from_minor(credits, cur),
                item_c=from_minor(debits - credits, cur),
            )
        key = (
            book.id,
            self.journal_id(session, entry.journal),
            fiscal_year_of(entry.date, self.fiscal_year_start_month),
        )
        accounts = frozenset(row[0] for row in rows)
        return _Prepared(entry, book, key, debits, tuple(rows), accounts)

    def _prepare_all(
        self, session: Session, entries: Sequence[Entry], *, normal_only: bool
    ) -> list[_Prepared]:
        prepared = []
        for index, entry in enumerate(entries):
            where = f"entry {index + 1}" if len(entries) > 1 else None
            if normal_only and entry.kind is not EntryKind.NORMAL:
                raise InvalidEntry(
                    where,
                    N_("{entry_kind_value} entries are posted by the year-end closing only"),
                    entry_kind_value=Word(entry.kind.value),
                )
            prepared.append(self._prepare(session, entry, where))
        return prepared

    def _line_row(
        self, session: Session, book: _BookRef, line: Line, where: str | None
    ) -> LineValues:
        if (line.debit is None) == (line.credit is None):
            raise InvalidEntry(where, N_("give a debit or a credit, exactly one of them"))
        debit = line.debit is not None
        side = "debit" if debit else "credit"
        try:
            amount = as_decimal(line.debit if debit else line.credit, field=side)
            if amount <= 0:
                raise InvalidEntry(
                    where, N_("{side} must be positive; got {amount}"), side=side, amount=amount
                )
            minor = to_minor(amount, book.currency, field=side)
        except MoneyError as exc:
            raise InvalidEntry(
                within(where, exc.field), exc.template, value=exc.value, **exc.params
            ) from None
        if line.currency is not None and line.currency != book.currency:
            raise CurrencyMismatch(
                where,
                N_(
                    "amount in {line_currency}, but book {book_code} is kept in "
                    "{book_currency}; give the {book_currency} amount with the "
                    "original currency, amount and rate"
                ),
                line_currency=line.currency,
                book_code=repr(book.code),
                book_currency=book.currency,
            )
        account = self._account(session, line.account)
        if account is None:
            raise UnknownAccount(
                where, N_("no account {line_account} in the chart"), line_account=repr(line.account)
            )
        if not account.open:
            raise ClosedAccount(
                where,
                N_("account {line_account} is closed to new postings"),
                line_account=line.account,
            )
        original_minor = rate = None
        if (line.original_currency, line.original_amount, line.exchange_rate) != (None,) * 3:
            original_minor, exact_rate = self._original(book, line, amount, where)
            rate = self._statements(session).rate(exact_rate)
        return (
            account.id,
            minor if debit else 0,
            0 if debit else minor,
            line.partner,
            line.vat_code,
            line.original_currency,
            original_minor,
            rate,
        )

    @staticmethod
    def _original(
        book: _BookRef, line: Line, amount: Decimal, where: str | None
    ) -> tuple[int, Decimal]:
        if None in (line.original_currency, line.original_amount, line.exchange_rate):
            raise InvalidEntry(
                where, N_("an original amount needs its currency, amount and exchange rate")
            )
        try:
            original = as_decimal(line.original_amount, field="original amount")
            rate = as_decimal(line.exchange_rate, field="exchange rate")
            original_minor = to_minor(
                original, str(line.original_currency), field="original amount"
            )
        except MoneyError as exc:
            raise InvalidEntry(
                within(where, exc.field), exc.template, value=exc.value, **exc.params
            ) from None
        if original <= 0 or rate <= 0:
            raise InvalidEntry(where, N_("original amount and exchange rate must be positive"))
        converted = round_money(original * rate, book.currency)
        if converted != amount:
            raise InvalidEntry(
                where,
                N_(
                    "{original} {line_original_currency} x {rate} = {converted} "
                    "{book_currency}, but the line says {amount} {book_currency}"
                ),
                original=original,
                line_original_currency=line.original_currency,
                rate=rate,
                converted=converted,
                book_currency=book.currency,
                amount=amount,
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
                    "date",
                    N_("no open period; open fiscal year {item_a} first"),
                    value=f"{month:%Y-%m}",
                    item_a=fiscal_year_of(month, self.fiscal_year_start_month),
                )
            if found[month] is not None:
                raise ClosedPeriod("date", N_("the month is closed"), value=f"{month:%Y-%m}")

    def _check_accounts_open(self, session: Session, prepared: Sequence[_Prepared]) -> None:
        ids = sorted(set().union(*(item.accounts for item in prepared)))
        closed = session.execute(
            select(ACCOUNT.c.id).where(ACCOUNT.c.closed_at.is_not(None), ACCOUNT.c.id.in_(ids))
        ).first()
        if closed is not None:
            self._explain_refusal(session, prepared, check_months=False)

    def _explain_refusal(
        self, session: Session, prepared: Sequence[_Prepared], *, check_months: bool
    ) -> NoReturn:
        """Raise the error of a post the database refused: the chart is reloaded and the
        entries checked again, then their months."""
        self._load_accounts(session)
        self._prepare_all(session, [item.entry for item in prepared], normal_only=False)
        if check_months:
            self._check_months_open(session, (item.entry.date for item in prepared))
        raise LedgerError(
            None, N_("the post was refused: a month or an account changed; post again")
        )

    # --- writing ---------------------------------------------------------------------
    def _number_one(self, session: Session, connection: Connection, item: _Prepared) -> int:
        """The number of a single entry; its month and accounts checked in the same
        statement."""
        statements = self._statements(session)
        month = statements.day(item.entry.date.replace(day=1))
        last = connection.exec_driver_sql(
            statements.number_one(len(item.accounts)),
            (*item.key, 1, PeriodKind.MONTH.value, month, *item.accounts),
        ).scalar()
        if last is None:
            self._explain_refusal(session, [item], check_months=True)
        return int(last)

    def _reserve_numbers(self, session: Session, keys: Sequence[Key]) -> list[int]:
        """The numbers of many entries, counter by counter in a fixed order (so that
        concurrent batches cannot deadlock), in the order of ``keys``."""
        counts = Counter(keys)
        ordered = sorted(counts)
        statements = self._statements(session)
        connection = session.connection()
        connection.exec_driver_sql(statements.count_up, [(*key, counts[key]) for key in ordered])
        rows = connection.execute(
            statements.read_counters,
            {"books": sorted({k[0] for k in ordered}), "years": sorted({k[2] for k in ordered})},
        )
        last = {(r.book_id, r.journal_id, r.fiscal_year): r.last_number for r in rows}
        following = {key: last[key] - counts[key] + 1 for key in ordered}
        numbers = []
        for key in keys:
            numbers.append(following[key])
            following[key] += 1
        return numbers

    def _reserve_ids(self, session: Session, count: int) -> list[int]:
        """Ids for ``count`` new entries: from the id sequence on PostgreSQL; on SQLite,
        after the largest id (the posting transaction already holds the write lock)."""
        statements = self._statements(session)
        if statements.postgresql:
            return sorted(session.execute(statements.reserve_ids, {"count": count}).scalars())
        largest = session.execute(statements.reserve_ids).scalar_one()
        return list(range(largest + 1, largest + count + 1))

    def _write(
        self,
        session: Session,
        prepared: Sequence[_Prepared],
        actor: str,
        *,
        check_months: bool = True,
        reverses: int | None = None,
        reason: str = "",
    ) -> list[Posted]:
        statements = self._statements(session)
        connection = session.connection()
        if len(prepared) == 1 and check_months:
            numbers = [self._number_one(session, connection, prepared[0])]
        else:
            if check_months:
                self._check_months_open(session, (item.entry.date for item in prepared))
            self._check_accounts_open(session, prepared)
            numbers = self._reserve_numbers(session, [item.key for item in prepared])
        now = statements.moment(datetime.now(UTC))
        heads = []
        for item, number in zip(prepared, numbers, strict=True):
            entry = item.entry
            heads.append(
                (
                    *item.key,
                    number,
                    statements.day(entry.date),
                    entry.kind.value,
                    entry.reference,
                    entry.description,
                    entry.act_type,
                    entry.act_id,
                    reverses,
                    reason,
                    actor,
                    now,
                )
            )
        if len(heads) == 1:
            ids = [statements.insert_entry(connection, heads[0])]
        else:
            ids = self._reserve_ids(session, len(heads))
            connection.exec_driver_sql(
                statements.insert_entries,
                [(entry_id, *head) for entry_id, head in zip(ids, heads, strict=True)],
            )
        lines = [
            (entry_id, head[0], head[4], head[5], *line)
            for head, entry_id, item in zip(heads, ids, prepared, strict=True)
            for line in item.lines
        ]
        # the lines and what they add to the kept balances, in the same transaction
        if statements.add_to_balances is None:
            columns = [list(column) for column in zip(*lines, strict=True)]
            connection.exec_driver_sql(
                statements.insert_lines, (*columns, balances.slot_of(connection))
            )
        else:
            connection.exec_driver_sql(statements.insert_lines, lines)
            connection.exec_driver_sql(statements.add_to_balances, (min(ids), max(ids)))
        return [
            Posted(
                entry_id,
                item.book.code,
                item.entry.journal,
                item.key[2],
                number,
                item.entry.date,
                from_minor(item.total_minor, item.book.currency),
            )
            for item, entry_id, number in zip(prepared, ids, numbers, strict=True)
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
        prepared = self._prepare_all(session, entries, normal_only=True)
        return self._write(session, prepared, actor) if prepared else []

    def post_closing(
        self, session: Session, entries: Sequence[Entry], *, actor: str
    ) -> list[Posted]:
        """Post year-end closing and opening entries (used by the period service only).

        They skip the open-month check: the closing entry is dated on the last day of
        the year whose months are already closed.
        """
        prepared = self._prepare_all(session, entries, normal_only=False)
        return self._write(session, prepared, actor, check_months=False) if prepared else []

    def reverse(
        self, session: Session, entry_id: int, *, reason: str, actor: str, on: date | None = None
    ) -> Posted:
        """Post the reversing entry of ``entry_id``: same lines, sides swapped, linked.

        The original is never changed. ``on`` defaults to the original's date; the date
        must fall in an open month. An entry is reversed at most once.
        """
        original = reversible(session, entry_id, reason)
        day = on or original.date
        self._check_months_open(session, [day])
        reversal = reversing_entry(session, original, day, reason)
        prepared = self._prepare(session, reversal)
        try:
            with session.begin_nested():
                posted = self._write(session, [prepared], actor, reverses=entry_id, reason=reason)[
                    0
                ]
        except IntegrityError:
            raise AlreadyReversed(
                "entry", N_("already reversed by a concurrent reversal"), value=entry_id
            ) from None
        audit.record(
            session,
            actor=actor,
            action="ledger.reverse",
            subject=f"entry:{entry_id}",
            reason=reason,
            data={"reversal": posted.id, "book": reversal.book},
        )
        return posted
