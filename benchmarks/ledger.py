"""Benchmark of the double-entry ledger against the bare database driver.

What it measures, on SQLite and on PostgreSQL, each against the same rows written or
aggregated by the DB-API driver alone (``sqlite3``, ``psycopg``) in the same run, on a
separate fresh database migrated with the same schema (same indexes, same triggers):

(a) posting entries of 2-4 lines through ``Ledger.post``, one transaction per entry,
    against the driver doing the same per-entry work: BEGIN; upsert of the
    ``entry_sequence`` counter with RETURNING; INSERT journal_entry (its id back:
    RETURNING on PostgreSQL, the driver's lastrowid on SQLite); executemany INSERT
    journal_line; COMMIT. The ledger sends as many statements on PostgreSQL (its
    counter upsert also checks that the month and the accounts are open, its lines'
    insert also adds them to the kept balances, which the driver does not keep) and
    one more on SQLite (the kept balances' upsert);
(b) a batch import through ``Ledger.post_many`` in chunks, one transaction per chunk,
    against the driver's executemany of the same rows in the same chunks (one counter
    upsert per (book, journal, year) of the chunk, entries with their ids back, lines);
    the ledger adds one query for the months and one for the accounts per chunk, and
    keeps the balances as in (a);
(c) a trial balance over about a million lines through ``trial_balances.trial_balance``
    (whole instance and one book), against the driver running the same SQL text (the
    report's query compiled with literal values) and fetching its rows.

The rows are the same on both sides (the run compares counts and sums of what each
wrote), and so are the numbers given. In (a) and (b) the two sides take turns over
slices of the entries (``--slices``), so that a change in the machine's load while the
benchmark runs weighs on both alike; the per-slice ratios are kept in the JSON.

Results are rates (entries per second) or times, and a fraction "of bare": our rate
divided by the driver's rate (for times: the driver's time divided by ours), next to
the aim stated in the issue. Nothing here asserts a threshold: it reports.

Usage::

    python benchmarks/ledger.py --backend all --output results.json
    python benchmarks/ledger.py --entries 2000 --tb-lines 20000       # smoke run
    python benchmarks/ledger.py --profile --entries 5000              # where time goes

PostgreSQL is reached at ``PARTAGE_BENCH_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``); the script creates databases named
``partage_bench_<random>_<case>`` there and drops them at the end, even on error.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from partage.core.contract.accounting import ChartOfAccounts
from partage.core.contract.charts import read_chart
from partage.core.ledger import balances, trial_balances
from partage.core.ledger.books import ensure_journals, load_chart, open_book
from partage.core.ledger.models import Account, Book, BookKind, EntryKind, Journal, JournalKind
from partage.core.ledger.periods import open_year
from partage.core.ledger.posting import Ledger
from partage.core.ledger.types import Entry, Line
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import make_engine, session_factory, transaction

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
DEFAULT_PG_URL = os.environ.get(
    "PARTAGE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ACTOR = "benchmark"
YEAR = 2026
CURRENCY = "EUR"

#: The aims of the issue, as the least fraction of the bare driver's rate.
TARGET_PER_ENTRY = 1 / 3
TARGET_BATCH = 1 / 2
TARGET_TRIAL_BALANCE = 1 / 1.5


# --- generated data -------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """One generated entry, independent of any database.

    Attributes:
        book: index into the list of book codes.
        journal: the journal it is posted to.
        day: accounting date.
        kind: normal, or opening (trial-balance data only).
        lines: ``(account index, is_debit, amount in cents)`` per line.
        reference: external reference.
        description: what happened.
    """

    book: int
    journal: JournalKind
    day: date
    kind: EntryKind
    lines: tuple[tuple[int, bool, int], ...]
    reference: str
    description: str


def balanced_lines(rng: random.Random, accounts: int) -> tuple[tuple[int, bool, int], ...]:
    """Two to four lines whose debits equal their credits, each amount positive."""
    pick = rng.randrange
    count = rng.choice((2, 3, 4))
    a = rng.randint(100, 500_000)
    if count == 2:
        return ((pick(accounts), True, a), (pick(accounts), False, a))
    b = rng.randint(100, 500_000)
    if count == 3:
        side = rng.random() < 0.5
        return (
            (pick(accounts), side, a + b),
            (pick(accounts), not side, a),
            (pick(accounts), not side, b),
        )
    c = rng.randint(1, a + b - 1)
    return (
        (pick(accounts), True, a),
        (pick(accounts), True, b),
        (pick(accounts), False, c),
        (pick(accounts), False, a + b - c),
    )


def posting_specs(count: int, books: int, accounts: int, seed: int) -> list[Spec]:
    """``count`` normal entries in fiscal year 2026, over every book and the 6 journals."""
    rng = random.Random(seed)
    journals = list(JournalKind)
    first = date(YEAR, 1, 1)
    return [
        Spec(
            book=rng.randrange(books),
            journal=rng.choice(journals),
            day=first + timedelta(days=rng.randrange(365)),
            kind=EntryKind.NORMAL,
            lines=balanced_lines(rng, accounts),
            reference=f"BENCH-{index:07d}",
            description=f"Benchmark entry {index}",
        )
        for index in range(count)
    ]


def trial_balance_specs(lines: int, books: int, accounts: int, seed: int) -> Iterator[Spec]:
    """Entries of 2025 and 2026 until about ``lines`` lines, plus one opening entry per
    book on 1 January 2026 (which the trial balance leaves out)."""
    rng = random.Random(seed)
    journals = [kind for kind in JournalKind if kind is not JournalKind.OPENING]
    first = date(YEAR - 1, 1, 1)
    produced = 0
    for book in range(books):
        spec = Spec(
            book,
            JournalKind.OPENING,
            date(YEAR, 1, 1),
            EntryKind.OPENING,
            balanced_lines(rng, accounts),
            "",
            "Balances carried forward",
        )
        produced += len(spec.lines)
        yield spec
    index = 0
    while produced < lines:
        spec = Spec(
            book=rng.randrange(books),
            journal=rng.choice(journals),
            day=first + timedelta(days=rng.randrange(730)),
            kind=EntryKind.NORMAL,
            lines=balanced_lines(rng, accounts),
            reference=f"TB-{index:07d}",
            description=f"Trial balance entry {index}",
        )
        produced += len(spec.lines)
        index += 1
        yield spec


def cents(amount: int) -> Decimal:
    """Cents as an exact two-decimal ``Decimal`` (1234 -> Decimal('12.34'))."""
    return Decimal(amount).scaleb(-2)


def to_entry(spec: Spec, book_codes: Sequence[str], account_codes: Sequence[str]) -> Entry:
    """The service API's input for a spec."""
    return Entry(
        book=book_codes[spec.book],
        journal=spec.journal,
        date=spec.day,
        lines=tuple(
            Line(account=account_codes[account], debit=cents(amount))
            if debit
            else Line(account=account_codes[account], credit=cents(amount))
            for account, debit, amount in spec.lines
        ),
        reference=spec.reference,
        description=spec.description,
    )


# --- setting up a database through partage --------------------------------------------
def chart_of_accounts(name: str) -> ChartOfAccounts:
    """The test chart (``tests/data``) or the Belgian plugin's chart."""
    if name == "be":
        from partage.core.platform.registry import PluginRegistry

        return PluginRegistry().manager("be").hook.partage_chart_of_accounts()
    return read_chart("Testland chart", TEST_DATA / "chart.csv", TEST_DATA / "chart_roles.toml")


def book_codes(entities: int) -> list[str]:
    """The cooperative's book and ``entities`` entity books."""
    return ["cooperative", *(f"e{number:03d}" for number in range(1, entities + 1))]


def leaf_accounts(chart: ChartOfAccounts) -> list[str]:
    """Codes of the accounts that enclose no other account (where lines are posted)."""
    parents = {account.parent for account in chart.accounts}
    return [account.code for account in chart.accounts if account.code not in parents]


@dataclass(frozen=True)
class Ids:
    """Database ids of the books, accounts and journals of one database."""

    books: dict[str, int]
    accounts: dict[str, int]
    journals: dict[JournalKind, int]


def set_up(
    engine: Engine, chart: ChartOfAccounts, books: Sequence[str], years: Sequence[int]
) -> Ids:
    """Migrate, load the chart and journals, open the books and fiscal years."""
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        load_chart(session, chart, actor=ACTOR)
        ensure_journals(session)
        for code in books:
            kind = BookKind.COOPERATIVE if code == "cooperative" else BookKind.ENTITY
            open_book(session, code=code, name=code, kind=kind, currency=CURRENCY, actor=ACTOR)
        for year in years:
            open_year(session, year, actor=ACTOR)
    with sessions() as session:
        return Ids(
            books={code: id_ for code, id_ in session.execute(select(Book.code, Book.id))},
            accounts={code: id_ for code, id_ in session.execute(select(Account.code, Account.id))},
            journals={
                JournalKind(kind): id_
                for kind, id_ in session.execute(select(Journal.kind, Journal.id))
            },
        )


# --- the bare driver --------------------------------------------------------------------
ENTRY_COLUMNS = (
    "book_id, journal_id, fiscal_year, number, date, kind, reference, description, "
    "act_type, act_id, reverses_id, reason, posted_by, posted_at"
)
LINE_COLUMNS = (
    "entry_id, book_id, date, kind, account_id, debit, credit, partner, vat_code, "
    "original_currency, original_amount, exchange_rate"
)
UPSERT_NUMBER = (
    "INSERT INTO entry_sequence (book_id, journal_id, fiscal_year, last_number) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (book_id, journal_id, fiscal_year) "
    "DO UPDATE SET last_number = entry_sequence.last_number + ? RETURNING last_number"
)
INSERT_ENTRY = f"INSERT INTO journal_entry ({ENTRY_COLUMNS}) VALUES ({', '.join('?' * 14)})"
INSERT_LINE = f"INSERT INTO journal_line ({LINE_COLUMNS}) VALUES ({', '.join('?' * 12)})"


@dataclass(frozen=True)
class RawEntry:
    """A spec as the bare driver writes it: ids resolved, amounts in cents.

    Attributes:
        key: ``(book_id, journal_id, fiscal_year)``, the numbering counter.
        head: the entry's values after ``number`` (date ... posted_by).
        lines: each line's values after ``entry_id``.
    """

    key: tuple[int, int, int]
    head: tuple[Any, ...]
    lines: tuple[tuple[Any, ...], ...]


class BareDriver:
    """The floor: the ledger's statements through the DB-API driver, no SQLAlchemy."""

    backend = ""

    def day(self, value: date) -> Any:
        """A date as this driver stores it like SQLAlchemy does."""
        return value

    def now(self) -> Any:
        """The posting timestamp as this driver stores it like SQLAlchemy does."""
        return datetime.now(UTC)

    def begin(self) -> None:
        """Start a write transaction."""

    def commit(self) -> None:
        """Commit the transaction."""
        raise NotImplementedError

    def one(self, sql: str, params: Sequence[Any]) -> Any:
        """The first column of the single row a statement returns."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a statement once per row."""
        raise NotImplementedError

    def take_numbers(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Run :data:`UPSERT_NUMBER` for each row; the last numbers, in order."""
        raise NotImplementedError

    def insert_entry(self, row: Sequence[Any]) -> int:
        """Insert one entry; its id (``RETURNING id``)."""
        return int(self.one(INSERT_ENTRY + " RETURNING id", row))

    def insert_entries(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert entries (executemany); their ids, in order."""
        raise NotImplementedError

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    def raw_entry(
        self, spec: Spec, ids: Ids, books: Sequence[str], accounts: Sequence[str]
    ) -> RawEntry:
        """The rows of a spec, ready for this driver."""
        book_id = ids.books[books[spec.book]]
        day = self.day(spec.day)
        kind = spec.kind.value
        head = (day, kind, spec.reference, spec.description, None, None, None, "", ACTOR)
        lines = tuple(
            (book_id, day, kind, ids.accounts[accounts[account]])
            + ((amount, 0) if debit else (0, amount))
            + (None, None, None, None, None)
            for account, debit, amount in spec.lines
        )
        return RawEntry((book_id, ids.journals[spec.journal], spec.day.year), head, lines)


class SqliteBare(BareDriver):
    """``sqlite3`` with the pragmas and the ``BEGIN IMMEDIATE`` of partage's engine."""

    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "PRAGMA foreign_keys=ON",
            "PRAGMA recursive_triggers=ON",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=30000",
        ):
            self.connection.execute(pragma)
        self.cursor = self.connection.cursor()

    def day(self, value: date) -> str:
        return value.isoformat()

    def now(self) -> str:
        # SQLAlchemy's SQLite DATETIME storage format, in UTC.
        return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def begin(self) -> None:
        self.cursor.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.cursor.execute("COMMIT")

    def one(self, sql: str, params: Sequence[Any]) -> Any:
        return self.cursor.execute(sql, params).fetchone()[0]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.cursor.executemany(sql, rows)

    def insert_entry(self, row: Sequence[Any]) -> int:
        # The driver knows the new row id: no result set to read.
        return int(self.cursor.execute(INSERT_ENTRY, row).lastrowid or 0)

    def take_numbers(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        # sqlite3's executemany discards RETURNING rows; a loop is in-process anyway.
        execute = self.cursor.execute
        return [execute(UPSERT_NUMBER, row).fetchone()[0] for row in rows]

    def insert_entries(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        # Under BEGIN IMMEDIATE no one else writes, and an INTEGER PRIMARY KEY takes
        # max(rowid) + 1: the ids are the consecutive run ending at last_insert_rowid().
        self.cursor.executemany(INSERT_ENTRY, rows)
        last = self.cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        return self.cursor.execute(sql).fetchall()

    def close(self) -> None:
        self.connection.close()


class PostgresBare(BareDriver):
    """``psycopg`` 3, one connection, implicit transactions as SQLAlchemy uses them."""

    backend = "postgresql"

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self.connection = psycopg.connect(conninfo)
        self.cursor = self.connection.cursor()

    def commit(self) -> None:
        self.connection.commit()

    def one(self, sql: str, params: Sequence[Any]) -> Any:
        self.cursor.execute(pg(sql), params)
        return self.cursor.fetchone()[0]  # type: ignore[index]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.cursor.executemany(pg(sql), rows)

    def _many_returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[Any]:
        cursor = self.cursor
        cursor.executemany(pg(sql), rows, returning=True)
        values = []
        while True:
            values.append(cursor.fetchone()[0])  # type: ignore[index]
            if not cursor.nextset():
                return values

    def take_numbers(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        return self._many_returning(UPSERT_NUMBER, rows)

    def insert_entries(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        return self._many_returning(INSERT_ENTRY + " RETURNING id", rows)

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        self.cursor.execute(sql)
        return self.cursor.fetchall()

    def close(self) -> None:
        self.connection.close()


def pg(sql: str) -> str:
    """qmark placeholders to psycopg's ``%s`` (the statements here hold no other ``?``)."""
    return sql.replace("?", "%s")


# --- temporary databases ------------------------------------------------------------------
class Databases:
    """Fresh databases of one backend, removed by :meth:`close` (SQLite: files in a
    temporary folder; PostgreSQL: ``CREATE DATABASE partage_bench_<random>_<name>``)."""

    def __init__(self, backend: str, admin_url: str) -> None:
        self.backend = backend
        self.admin_url = admin_url
        self.token = uuid.uuid4().hex[:8]
        self.engines: list[Engine] = []
        self.drivers: list[BareDriver] = []
        self.created: list[str] = []
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self.admin: Engine | None = None
        if backend == "sqlite":
            self.folder = tempfile.TemporaryDirectory(prefix="partage_bench_")
        else:
            self.admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")

    def url(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        if self.folder is not None:
            return f"sqlite:///{Path(self.folder.name) / name}.db"
        assert self.admin is not None
        database = f"partage_bench_{self.token}_{name}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        self.created.append(database)
        return self.admin.url.set(database=database).render_as_string(hide_password=False)

    def engine(self, url: str) -> Engine:
        """partage's engine on a database (disposed by :meth:`close`)."""
        engine = make_engine(url)
        self.engines.append(engine)
        return engine

    def driver(self, url: str) -> BareDriver:
        """A bare-driver connection on a database (closed by :meth:`close`)."""
        parsed = sqlalchemy.engine.make_url(url)
        if self.backend == "sqlite":
            driver: BareDriver = SqliteBare(Path(parsed.database or ""))
        else:
            plain = parsed.set(drivername="postgresql")
            driver = PostgresBare(plain.render_as_string(hide_password=False))
        self.drivers.append(driver)
        return driver

    def close(self) -> None:
        """Close every connection, drop every database created, remove the folder."""
        for driver in self.drivers:
            with contextlib.suppress(Exception):
                driver.close()
        for engine in self.engines:
            engine.dispose()
        if self.admin is not None:
            with self.admin.connect() as connection:
                for database in self.created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            self.admin.dispose()
        if self.folder is not None:
            self.folder.cleanup()


def postgres_unavailable(admin_url: str) -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` when it answers."""
    try:
        import psycopg  # noqa: F401

        engine = make_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"no PostgreSQL server answers at {admin_url}: {first}"
    return None


# --- results ------------------------------------------------------------------------------
@dataclass
class Result:
    """One comparison.

    Attributes:
        backend: sqlite or postgresql.
        case: what was measured.
        unit: ``entries/s`` (higher is better) or ``ms`` (lower is better).
        ours: partage's figure.
        bare: the bare driver's figure.
        fraction: our rate as a fraction of the driver's (for times, bare / ours).
        target: the least fraction the issue aims for.
        detail: counts, chunk size, every timing.
    """

    backend: str
    case: str
    unit: str
    ours: float
    bare: float
    fraction: float
    target: float
    detail: dict[str, Any] = field(default_factory=dict)


def rate_result(
    backend: str,
    case: str,
    entries: int,
    ours_s: float,
    bare_s: float,
    target: float,
    **detail: Any,
) -> Result:
    """A result from two timings of writing the same ``entries``."""
    ours, bare = entries / ours_s, entries / bare_s
    detail.update(entries=entries, ours_seconds=ours_s, bare_seconds=bare_s)
    return Result(backend, case, "entries/s", ours, bare, ours / bare, target, detail)


def time_result(
    backend: str,
    case: str,
    ours_s: Sequence[float],
    bare_s: Sequence[float],
    target: float,
    **detail: Any,
) -> Result:
    """A result from repeated timings of a query; the medians are compared."""
    ours, bare = statistics.median(ours_s) * 1000, statistics.median(bare_s) * 1000
    detail.update(
        ours_ms_runs=[round(t * 1000, 2) for t in ours_s],
        bare_ms_runs=[round(t * 1000, 2) for t in bare_s],
        ours_ms_best=round(min(ours_s) * 1000, 2),
        bare_ms_best=round(min(bare_s) * 1000, 2),
    )
    return Result(backend, case, "ms", ours, bare, bare / ours, target, detail)


def log(message: str) -> None:
    """Progress on stderr, so that stdout keeps the table."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# --- (a) and (b): posting ---------------------------------------------------------------------
def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ours_per_entry(
    sessions: sessionmaker[Session], ledger: Ledger, entries: Sequence[Entry]
) -> None:
    """Post each entry in its own transaction through the service API."""
    for entry in entries:
        with transaction(sessions) as session:
            ledger.post(session, entry, actor=ACTOR)


def ours_batch(
    sessions: sessionmaker[Session], ledger: Ledger, entries: Sequence[Entry], size: int
) -> None:
    """Post the entries with ``post_many``, one transaction per chunk of ``size``."""
    for chunk in chunks(entries, size):
        with transaction(sessions) as session:
            ledger.post_many(session, chunk, actor=ACTOR)


def bare_per_entry(driver: BareDriver, raws: Sequence[RawEntry]) -> None:
    """Per entry: BEGIN; number upsert RETURNING; entry INSERT with its id back;
    executemany of its lines; COMMIT."""
    for raw in raws:
        driver.begin()
        number = driver.one(UPSERT_NUMBER, (*raw.key, 1, 1))
        entry_id = driver.insert_entry((*raw.key, number, *raw.head, driver.now()))
        driver.executemany(INSERT_LINE, [(entry_id, *line) for line in raw.lines])
        driver.commit()


def bare_batch(driver: BareDriver, raws: Sequence[RawEntry], size: int) -> None:
    """Per chunk: BEGIN; reserve numbers per counter; executemany entries (ids back);
    executemany lines; COMMIT."""
    for chunk in chunks(raws, size):
        driver.begin()
        counts = Counter(raw.key for raw in chunk)
        keys = sorted(counts)
        lasts = driver.take_numbers([(*key, counts[key], counts[key]) for key in keys])
        following = {key: last - counts[key] + 1 for key, last in zip(keys, lasts, strict=True)}
        now = driver.now()
        entry_rows = []
        for raw in chunk:
            number = following[raw.key]
            following[raw.key] = number + 1
            entry_rows.append((*raw.key, number, *raw.head, now))
        ids = driver.insert_entries(entry_rows)
        driver.executemany(
            INSERT_LINE,
            [
                (entry_id, *line)
                for raw, entry_id in zip(chunk, ids, strict=True)
                for line in raw.lines
            ],
        )
        driver.commit()


def fingerprint(engine: Engine) -> tuple[int, ...]:
    """Counts and sums that must be equal in two databases holding the same postings."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM journal_entry), (SELECT sum(number) FROM "
                "journal_entry), (SELECT count(*) FROM journal_line), (SELECT sum(debit) "
                "FROM journal_line), (SELECT sum(credit) FROM journal_line), (SELECT "
                "sum(last_number) FROM entry_sequence)"
            )
        ).one()
    return tuple(int(value or 0) for value in row)


@dataclass
class Posting:
    """The data every posting case of a run shares."""

    chart: ChartOfAccounts
    books: list[str]
    accounts: list[str]
    specs: list[Spec]
    entries: list[Entry]


def posting_pair(
    databases: Databases, posting: Posting, name: str
) -> tuple[sessionmaker[Session], Ledger, Engine, BareDriver, list[RawEntry], Engine]:
    """Two fresh, identical databases: one for partage, one for the bare driver."""
    ours_engine = databases.engine(databases.url(f"{name}_ours"))
    set_up(ours_engine, posting.chart, posting.books, [YEAR])
    bare_url = databases.url(f"{name}_bare")
    bare_engine = databases.engine(bare_url)
    ids = set_up(bare_engine, posting.chart, posting.books, [YEAR])
    bare_engine.dispose()
    driver = databases.driver(bare_url)
    raws = [driver.raw_entry(s, ids, posting.books, posting.accounts) for s in posting.specs]
    return session_factory(ours_engine), Ledger(), ours_engine, driver, raws, bare_engine


def check_same(backend: str, case: str, ours: Engine, bare: Engine) -> dict[str, Any]:
    """Compare what both sides wrote; say so loudly if they differ."""
    mine, theirs = fingerprint(ours), fingerprint(bare)
    if mine != theirs:
        log(f"WARNING {backend} {case}: partage wrote {mine}, the bare driver {theirs}")
    return {"same_rows": mine == theirs, "fingerprint": list(mine)}


def alternate(
    count: int,
    step: int,
    bare: Callable[[slice], object],
    ours: Callable[[slice], object],
) -> tuple[float, float, list[float]]:
    """Time both sides slice by slice of ``step`` entries, taking turns at going first,
    so that a change in the machine's load weighs on both alike. Returns the total
    seconds of the bare driver and of partage, and each slice's ratio."""
    bare_s = ours_s = 0.0
    ratios = []
    for number, start in enumerate(range(0, count, step)):
        part = slice(start, min(start + step, count))
        run_bare, run_ours = partial(bare, part), partial(ours, part)
        if number % 2:
            mine, theirs = timed(run_ours), timed(run_bare)
        else:
            theirs, mine = timed(run_bare), timed(run_ours)
        bare_s, ours_s = bare_s + theirs, ours_s + mine
        ratios.append(round(theirs / mine, 3))
    return bare_s, ours_s, ratios


def slice_size(count: int, slices: int, multiple: int = 1) -> int:
    """Entries per slice: ``count`` cut in ``slices``, rounded up to a ``multiple``."""
    size = -(-count // max(slices, 1))
    return -(-size // multiple) * multiple


def run_per_entry(backend: str, databases: Databases, posting: Posting, slices: int) -> Result:
    """(a) one transaction per entry, partage against the bare driver."""
    sessions, ledger, ours_engine, driver, raws, bare_engine = posting_pair(
        databases, posting, "per_entry"
    )
    count = len(posting.entries)
    log(f"{backend}: (a) one transaction per entry, {count} entries, in {slices} turns...")
    bare_s, ours_s, ratios = alternate(
        count,
        slice_size(count, slices),
        lambda part: bare_per_entry(driver, raws[part]),
        lambda part: ours_per_entry(sessions, ledger, posting.entries[part]),
    )
    log(f"{backend}: (a) bare driver {bare_s:.1f} s, partage Ledger.post {ours_s:.1f} s")
    detail = check_same(backend, "per entry", ours_engine, bare_engine)
    return rate_result(
        backend,
        "(a) one transaction per entry",
        count,
        ours_s,
        bare_s,
        TARGET_PER_ENTRY,
        slice_ratios=ratios,
        **detail,
    )


def run_batch(
    backend: str, databases: Databases, posting: Posting, size: int, slices: int
) -> Result:
    """(b) batch import in chunks of ``size``, partage against the bare driver."""
    sessions, ledger, ours_engine, driver, raws, bare_engine = posting_pair(
        databases, posting, f"batch_{size}"
    )
    count = len(posting.entries)
    log(f"{backend}: (b) batch of {size}, {count} entries, in {slices} turns...")
    bare_s, ours_s, ratios = alternate(
        count,
        slice_size(count, slices, size),
        lambda part: bare_batch(driver, raws[part], size),
        lambda part: ours_batch(sessions, ledger, posting.entries[part], size),
    )
    log(f"{backend}: (b) bare driver {bare_s:.1f} s, partage Ledger.post_many {ours_s:.1f} s")
    detail = check_same(backend, f"batch {size}", ours_engine, bare_engine)
    return rate_result(
        backend,
        f"(b) batch import, {size}/transaction",
        count,
        ours_s,
        bare_s,
        TARGET_BATCH,
        chunk=size,
        slice_ratios=ratios,
        **detail,
    )


# --- (c) trial balance -------------------------------------------------------------------------
def _rebuild(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        balances.rebuild(session)


def lines_trial_balance_query(book_id: int | None, start: date, end: date) -> Any:
    """The trial balance's aggregate over every line, as it ran before the balances were
    kept: the "before" of the comparison."""
    line = balances.LINE.c
    before = line.date < start
    query = select(
        line.account_id,
        sqlalchemy.func.sum(sqlalchemy.case((before, line.debit - line.credit), else_=0)),
        sqlalchemy.func.sum(sqlalchemy.case((before, 0), else_=line.debit)),
        sqlalchemy.func.sum(sqlalchemy.case((before, 0), else_=line.credit)),
    ).where(line.date <= end, line.kind != EntryKind.OPENING.value)
    if book_id is not None:
        query = query.where(line.book_id == book_id)
    return query.group_by(line.account_id)


def load_trial_balance_data(
    driver: BareDriver,
    ids: Ids,
    books: Sequence[str],
    accounts: Sequence[str],
    lines: int,
    seed: int,
) -> tuple[int, int]:
    """Bulk-load balanced entries of 2025-2026 with the bare driver (executemany on
    SQLite, COPY on PostgreSQL); return the entries and lines written."""
    numbers: Counter[tuple[int, int, int]] = Counter()
    entry_count = line_count = 0
    posted_at = driver.now()
    driver.begin()
    batch_entries: list[tuple[Any, ...]] = []
    batch_lines: list[tuple[Any, ...]] = []

    def flush() -> None:
        if isinstance(driver, PostgresBare):
            with driver.cursor.copy(f"COPY journal_entry (id, {ENTRY_COLUMNS}) FROM STDIN") as copy:
                for row in batch_entries:
                    copy.write_row(row)
            with driver.cursor.copy(f"COPY journal_line ({LINE_COLUMNS}) FROM STDIN") as copy:
                for row in batch_lines:
                    copy.write_row(row)
        else:
            driver.executemany(
                f"INSERT INTO journal_entry (id, {ENTRY_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                batch_entries,
            )
            driver.executemany(INSERT_LINE, batch_lines)
        batch_entries.clear()
        batch_lines.clear()

    specs = trial_balance_specs(lines, len(books), len(accounts), seed)
    for entry_id, spec in enumerate(specs, start=1):
        raw = driver.raw_entry(spec, ids, books, accounts)
        numbers[raw.key] += 1
        batch_entries.append((entry_id, *raw.key, numbers[raw.key], *raw.head, posted_at))
        batch_lines.extend((entry_id, *line) for line in raw.lines)
        entry_count = entry_id
        line_count += len(raw.lines)
        if len(batch_lines) >= 50_000:
            flush()
    flush()
    driver.executemany(
        "INSERT INTO entry_sequence (book_id, journal_id, fiscal_year, last_number) "
        "VALUES (?, ?, ?, ?)",
        [(*key, last) for key, last in sorted(numbers.items())],
    )
    if isinstance(driver, PostgresBare):
        driver.fetchall(
            "SELECT setval(pg_get_serial_sequence('journal_entry', 'id'), max(id)) "
            "FROM journal_entry"
        )
    driver.commit()
    return entry_count, line_count


def analyze(driver: BareDriver) -> None:
    """Fresh planner statistics (and, on PostgreSQL, a vacuumed visibility map)."""
    if isinstance(driver, PostgresBare):
        driver.connection.autocommit = True
        driver.cursor.execute("VACUUM (ANALYZE)")
        driver.connection.autocommit = False
    else:
        driver.cursor.execute("ANALYZE")


def query_plan(driver: BareDriver, sql: str) -> list[str]:
    """The plan the database chooses for the literal SQL (EXPLAIN), one line per step."""
    explain = "EXPLAIN QUERY PLAN " if isinstance(driver, SqliteBare) else "EXPLAIN "
    return [" ".join(str(cell) for cell in row) for row in driver.fetchall(explain + sql)]


def run_trial_balance(
    backend: str, databases: Databases, posting: Posting, lines: int, seed: int, repeat: int
) -> list[Result]:
    """(c) trial balance of 2026 over ~``lines`` lines: whole instance and one book."""
    url = databases.url("trial_balance")
    engine = databases.engine(url)
    ids = set_up(engine, posting.chart, posting.books, [YEAR - 1, YEAR])
    driver = databases.driver(url)
    log(f"{backend}: (c) loading ~{lines} lines with the bare driver...")
    load_s = time.perf_counter()
    entry_count, line_count = load_trial_balance_data(
        driver, ids, posting.books, posting.accounts, lines, seed
    )
    load_s = time.perf_counter() - load_s
    sessions = session_factory(engine)
    # the lines were written around the ledger: make their kept balances, as the
    # migration does for an existing database
    rebuild_s = timed(lambda: _rebuild(sessions))
    analyze(driver)
    log(
        f"{backend}: (c) {entry_count} entries, {line_count} lines loaded in {load_s:.1f} s, "
        f"kept balances built in {rebuild_s:.1f} s"
    )
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    results = []
    book = posting.books[len(posting.books) // 2]
    for scope, book_code in (("all books", None), (f"book {book}", book)):
        book_id = None if book_code is None else ids.books[book_code]
        query = trial_balances.trial_balance_query(book_id, start, end)
        sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]

        def ours(book_code: str | None = book_code) -> trial_balances.TrialBalance:
            with sessions() as session:
                return trial_balances.trial_balance(session, book=book_code, start=start, end=end)

        def core(query: Any = query) -> list[Any]:
            with sessions() as session:
                return list(session.execute(query).all())

        def bare(sql: str = sql) -> list[tuple[Any, ...]]:
            return driver.fetchall(sql)

        scan_sql = str(
            lines_trial_balance_query(book_id, start, end).compile(
                dialect=engine.dialect, compile_kwargs={"literal_binds": True}
            )
        )

        def scan(sql: str = scan_sql) -> list[tuple[Any, ...]]:
            return driver.fetchall(sql)

        report, core_rows, bare_rows = ours(), core(), bare()  # warm-up and cross-check
        scan_rows = scan()
        same = sorted(map(tuple, core_rows)) == sorted(bare_rows) == sorted(scan_rows)
        balanced = report.total_debit == report.total_credit and not report.total_closing
        if not (same and balanced):
            log(f"WARNING {backend} {scope}: same rows {same}, balanced {balanced}")
        ours_t: list[float] = []
        core_t: list[float] = []
        bare_t: list[float] = []
        scan_t: list[float] = []
        for _ in range(repeat):
            scan_t.append(timed(scan))
            bare_t.append(timed(bare))
            ours_t.append(timed(ours))
            core_t.append(timed(core))
        log(
            f"{backend}: (c) {scope}: partage {statistics.median(ours_t) * 1000:.1f} ms, "
            f"bare {statistics.median(bare_t) * 1000:.1f} ms, "
            f"every line scanned (before kept balances) {statistics.median(scan_t) * 1000:.1f} ms"
        )
        detail = {
            "lines": line_count,
            "entries": entry_count,
            "load_seconds": round(load_s, 1),
            "kept_balances_build_seconds": round(rebuild_s, 1),
            "lines_scan_ms": round(statistics.median(scan_t) * 1000, 1),
            "speedup_over_lines_scan": round(
                statistics.median(scan_t) / statistics.median(ours_t), 1
            ),
            "accounts_in_report": len(report.rows),
            "same_rows": same,
            "balanced": balanced,
            "sql": sql,
            "plan": query_plan(driver, sql),
        }
        results.append(
            time_result(
                backend,
                f"(c) trial balance, {scope}",
                ours_t,
                bare_t,
                TARGET_TRIAL_BALANCE,
                **detail,
            )
        )
        results.append(
            time_result(
                backend,
                f"    same query via SQLAlchemy Core, {scope}",
                core_t,
                bare_t,
                TARGET_TRIAL_BALANCE,
                lines=line_count,
            )
        )
    return results


# --- a backend, the table, the profile ------------------------------------------------------
def run_backend(backend: str, args: argparse.Namespace, posting: Posting) -> list[Result]:
    """Every case on one backend, in temporary databases removed at the end."""
    databases = Databases(backend, args.postgres_url)
    try:
        results = [run_per_entry(backend, databases, posting, args.slices)]
        results += [
            run_batch(backend, databases, posting, size, args.slices) for size in args.chunks
        ]
        results += run_trial_balance(
            backend, databases, posting, args.tb_lines, args.seed + 1, args.repeat
        )
        return results
    finally:
        databases.close()


def format_figure(value: float, unit: str) -> str:
    """``12,345 entries/s`` or ``123.4 ms``."""
    return f"{value:,.0f} {unit}" if unit == "entries/s" else f"{value:,.1f} ms"


def format_fraction(result: Result) -> str:
    """``0.62 of bare``, plus the time factor for queries or the spread of the slices."""
    text_ = f"{result.fraction:.2f} of bare"
    if result.unit == "ms":
        text_ += f" ({result.ours / result.bare:.2f}x time)"
    ratios = result.detail.get("slice_ratios")
    if ratios:
        text_ += f" (slices {min(ratios):.2f}-{max(ratios):.2f})"
    return text_


def table(results: Sequence[Result]) -> str:
    """The results as an aligned text table."""
    header = ("backend", "case", "ours", "bare driver", "ratio", "target", "met")
    rows = [header]
    for r in results:
        aim = f">= {r.target:.2f} of bare"
        if r.unit == "ms":
            aim += f" (<= {1 / r.target:.1f}x)"
        informative = r.case.startswith(" ")
        rows.append(
            (
                r.backend,
                r.case,
                format_figure(r.ours, r.unit),
                format_figure(r.bare, r.unit),
                format_fraction(r),
                "" if informative else aim,
                "" if informative else ("yes" if r.fraction >= r.target else "NO"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def environment(backends: Sequence[str], admin_url: str) -> dict[str, Any]:
    """Versions and settings the figures depend on."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
    if "postgresql" in backends:
        import psycopg

        info["psycopg"] = psycopg.__version__
        engine = make_engine(admin_url)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar_one()
            for setting in ("fsync", "synchronous_commit", "shared_buffers", "work_mem"):
                info[f"pg_{setting}"] = connection.execute(text(f"SHOW {setting}")).scalar_one()
        engine.dispose()
    return info


def profile_per_entry(posting: Posting, top: int = 15) -> None:
    """cProfile of posting one entry per transaction on SQLite; top functions by
    cumulative time on stdout."""
    databases = Databases("sqlite", "")
    try:
        engine = databases.engine(databases.url("profile"))
        set_up(engine, posting.chart, posting.books, [YEAR])
        sessions, ledger = session_factory(engine), Ledger()
        ours_per_entry(sessions, ledger, posting.entries[:10])  # warm caches
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(ours_per_entry, sessions, ledger, posting.entries[10:])
        seconds = time.perf_counter() - start
        count = len(posting.entries) - 10
        print(f"profiled {count} entries, one transaction each, on SQLite: {seconds:.2f} s")
        print(f"({count / seconds:,.0f} entries/s under the profiler)\n")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
    finally:
        databases.close()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--entries", type=int, default=100_000, help="entries posted per case")
    parser.add_argument(
        "--tb-lines", type=int, default=1_000_000, help="lines for the trial balance"
    )
    parser.add_argument(
        "--chunks",
        type=lambda value: [int(v) for v in value.split(",")],
        default=[1000, 5000],
        help="entries per transaction of the batch import, comma separated (default 1000,5000)",
    )
    parser.add_argument(
        "--slices",
        type=int,
        default=10,
        help="turns in which partage and the bare driver alternate over the entries, so "
        "that the machine's load weighs on both alike (default 10)",
    )
    parser.add_argument("--books", type=int, default=50, help="entity books (plus the cooperative)")
    parser.add_argument("--chart", choices=("test", "be"), default="test")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL)
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only profile one entry per transaction on SQLite (cProfile) and print the top",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print the table; write JSON when asked."""
    args = parse_args(argv)
    chart = chart_of_accounts(args.chart)
    books, accounts = book_codes(args.books), leaf_accounts(chart)
    specs = posting_specs(args.entries, len(books), len(accounts), args.seed)
    entries = [to_entry(spec, books, accounts) for spec in specs]
    posting = Posting(chart, books, accounts, specs, entries)
    if args.profile:
        profile_per_entry(posting)
        return 0
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    skipped = {}
    if "postgresql" in backends:
        reason = postgres_unavailable(args.postgres_url)
        if reason:
            print(f"postgresql: skipped, {reason}")
            skipped["postgresql"] = reason
            backends.remove("postgresql")
    if not backends:
        return 0
    info = environment(backends, args.postgres_url)
    results: list[Result] = []
    for backend in backends:
        results += run_backend(backend, args, posting)
    print(table(results))
    print(
        "\nratio = our rate / the bare driver's rate (for the trial balance: bare time / our "
        "time, medians of the runs); target = the issue's aim."
    )
    if args.output:
        document = {
            "arguments": {
                key: str(value) if isinstance(value, Path) else value
                for key, value in vars(args).items()
            },
            "environment": info,
            "skipped": skipped,
            "results": [asdict(result) for result in results],
        }
        args.output.write_text(json.dumps(document, indent=2, default=str) + "\n")
        print(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
