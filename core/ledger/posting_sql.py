"""The posting statements of one kind of database, compiled once per process.

The inserts are compiled once per database dialect and their rows handed to the driver
as tuples through ``Connection.exec_driver_sql``, still one executemany, because
SQLAlchemy's per-row parameter handling costs more than the insert itself for journal
lines. Values are stored as SQLAlchemy stores them: each column's own bind processor
converts dates, timestamps and rates. A single entry takes its number, and has its
month and accounts checked, in one statement that writes nothing when a check fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Literal

from sqlalchemy import Column, Connection, Integer, Table, bindparam, exists, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultDialect

from partage.core.ledger.balances import BALANCE, BALANCE_COLUMNS
from partage.core.ledger.models import (
    Account,
    AccountingPeriod,
    EntrySequence,
    JournalEntry,
    JournalLine,
)

ENTRY: Table = JournalEntry.__table__  # type: ignore[assignment]
LINE: Table = JournalLine.__table__  # type: ignore[assignment]
SEQUENCE: Table = EntrySequence.__table__  # type: ignore[assignment]
PERIOD: Table = AccountingPeriod.__table__  # type: ignore[assignment]
ACCOUNT: Table = Account.__table__  # type: ignore[assignment]
#: Columns of a journal entry as posted, in the order of the insert's parameters.
ENTRY_COLUMNS = (
    "book_id",
    "journal_id",
    "fiscal_year",
    "number",
    "date",
    "kind",
    "reference",
    "description",
    "act_type",
    "act_id",
    "reverses_id",
    "reason",
    "posted_by",
    "posted_at",
)
#: Columns of a journal line, in the order of the insert's parameters.
LINE_COLUMNS = (
    "entry_id",
    "book_id",
    "date",
    "kind",
    "account_id",
    "debit",
    "credit",
    "partner",
    "vat_code",
    "original_currency",
    "original_amount",
    "exchange_rate",
)
COUNTER_KEY = ("book_id", "journal_id", "fiscal_year")


# --- statements -----------------------------------------------------------------------
def _identity(value: Any) -> Any:
    return value


def _stored(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any]:
    """How SQLAlchemy converts a value of ``column`` for ``dialect``'s driver."""
    return column.type.dialect_impl(dialect).bind_processor(dialect) or _identity


def _upsert(dialect: Dialect) -> Callable[[Table], Any]:
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def _add_to_counter(statement: Any) -> Any:
    """``statement`` (an insert into the counters) adding to an existing counter."""
    return statement.on_conflict_do_update(
        index_elements=[SEQUENCE.c[name] for name in COUNTER_KEY],
        set_={"last_number": SEQUENCE.c.last_number + statement.excluded.last_number},
    )


class PostingStatements:
    """The posting statements of one kind of database, compiled once per process.

    The inserts and the numbering of a single entry are compiled to SQL text with
    positional parameters, so that their values go to the driver as tuples; the
    statements run once per batch stay Core statements.
    """

    def __init__(self, dialect_type: type[DefaultDialect]) -> None:
        style: Literal["qmark", "format"] = "qmark" if dialect_type.name == "sqlite" else "format"
        dialect = dialect_type(paramstyle=style)
        self.postgresql = dialect.name == "postgresql"
        self._dialect = dialect
        self._numbering: dict[int, str] = {}
        text = self._text
        self.insert_entries = text(insert(ENTRY), ("id", *ENTRY_COLUMNS), many=True)
        if self.postgresql:
            one = text(insert(ENTRY).returning(ENTRY.c.id), ENTRY_COLUMNS, many=False)
        else:
            one = text(insert(ENTRY), ENTRY_COLUMNS, many=True)
        self._insert_entry = one
        kept_columns = ", ".join(BALANCE_COLUMNS)
        add_up = (
            f"ON CONFLICT ({', '.join(BALANCE_COLUMNS[:5])}) DO UPDATE SET "
            f"debit = {BALANCE.name}.debit + excluded.debit, "
            f"credit = {BALANCE.name}.credit + excluded.credit"
        )
        key = "book_id, account_id, month, kind"
        if self.postgresql:
            # The lines go in as one array per column and come back out of the insert
            # to be summed per kept balance and added in key order (so that two
            # posters sharing a slot cannot deadlock): one statement, one round trip.
            arrays = ", ".join(
                f"%s::{LINE.c[name].type.compile(dialect=dialect)}[]" for name in LINE_COLUMNS
            )
            self.insert_lines = (
                f"WITH line AS (INSERT INTO {LINE.name} ({', '.join(LINE_COLUMNS)}) "
                f"SELECT * FROM unnest({arrays}) "
                "RETURNING book_id, account_id, "
                "CAST(date_trunc('month', date) AS DATE) AS month, kind, debit, credit) "
                f"INSERT INTO {BALANCE.name} ({kept_columns}) "
                f"SELECT {key}, %s, SUM(debit), SUM(credit) FROM line "
                f"GROUP BY {key} ORDER BY {key} {add_up}"
            )
            self.add_to_balances: str | None = None
        else:
            self.insert_lines = text(insert(LINE), LINE_COLUMNS, many=True)
            # SQLite's single writer reads the lines of the entries just inserted back
            # (their ids are one run) and sums them in the database: no Python work per
            # line and no parameters to bind per kept balance.
            month = "date(date, 'start of month')"
            self.add_to_balances = (
                f"INSERT INTO {BALANCE.name} ({kept_columns}) "
                f"SELECT book_id, account_id, {month}, kind, 0, SUM(debit), SUM(credit) "
                f"FROM {LINE.name} WHERE entry_id BETWEEN ? AND ? "
                f"GROUP BY book_id, account_id, {month}, kind {add_up}"
            )
        # On PostgreSQL :attr:`insert_lines` takes one array per column, then the slot,
        # and adds the lines to the kept balances itself (:attr:`add_to_balances` is
        # None); on SQLite it takes one tuple per line, and :attr:`add_to_balances`,
        # given the first and last entry ids, adds the entries' lines afterwards.
        self.count_up = text(
            _add_to_counter(_upsert(dialect)(SEQUENCE)), (*COUNTER_KEY, "last_number"), many=True
        )
        self.day = _stored(ENTRY.c.date, dialect)
        self.moment = _stored(ENTRY.c.posted_at, dialect)
        self.rate = _stored(LINE.c.exchange_rate, dialect)

        counters = SEQUENCE.c
        self.read_counters = select(
            counters.book_id, counters.journal_id, counters.fiscal_year, counters.last_number
        ).where(
            counters.book_id.in_(bindparam("books", expanding=True)),
            counters.fiscal_year.in_(bindparam("years", expanding=True)),
        )
        if self.postgresql:
            ids = func.nextval(func.pg_get_serial_sequence(ENTRY.name, ENTRY.c.id.name))
            self.reserve_ids = select(ids).select_from(
                func.generate_series(1, bindparam("count", type_=Integer))
            )
        else:
            self.reserve_ids = select(func.coalesce(func.max(ENTRY.c.id), 0))

    def insert_entry(self, connection: Connection, values: Sequence[Any]) -> int:
        """Insert one entry; its id. SQLite's driver tells the row id without a result
        set to read."""
        result = connection.exec_driver_sql(self._insert_entry, tuple(values))
        return int(result.scalar_one() if self.postgresql else result.lastrowid)

    def number_one(self, accounts: int) -> str:
        """Take one number for one entry, if its month is open and its ``accounts``
        are open; return the counter's new value, or no row when a check fails.

        Parameters: the counter's key, the count (1), the period kind (``"month"``),
        the month's first day, then the account ids. The counter row is inserted or
        updated from a SELECT over the month's period row, which yields nothing unless
        the checks pass: a refusal writes nothing.
        """
        if accounts not in self._numbering:
            names = [f"account_{i}" for i in range(accounts)]
            closed = exists().where(
                ACCOUNT.c.closed_at.is_not(None),
                ACCOUNT.c.id.in_([bindparam(name) for name in names]),
            )
            source = select(
                *(bindparam(name, type_=Integer) for name in (*COUNTER_KEY, "count"))
            ).where(
                PERIOD.c.kind == bindparam("kind"),
                PERIOD.c.start == bindparam("month", type_=PERIOD.c.start.type),
                PERIOD.c.closed_at.is_(None),
                ~closed,
            )
            if self.postgresql:
                source = source.with_for_update(read=True, of=PERIOD)
            statement = _upsert(self._dialect)(SEQUENCE).from_select(
                [*COUNTER_KEY, "last_number"], source
            )
            self._numbering[accounts] = self._text(
                _add_to_counter(statement).returning(SEQUENCE.c.last_number),
                (*COUNTER_KEY, "count", "kind", "month", *names),
                many=False,
            )
        return self._numbering[accounts]

    def _text(self, statement: Any, parameters: Sequence[str], *, many: bool) -> str:
        """The SQL of ``statement``, whose positional parameters must be ``parameters``."""
        compiled = statement.compile(
            dialect=self._dialect, column_keys=list(parameters), for_executemany=many
        )
        if tuple(compiled.positiontup or ()) != tuple(parameters):
            raise AssertionError(f"parameters {compiled.positiontup}, not {parameters}")
        return str(compiled)


@cache
def statements_for(dialect_type: type[DefaultDialect]) -> PostingStatements:
    return PostingStatements(dialect_type)
