"""Shared fixtures: isolated databases on SQLite and PostgreSQL, configs to edit,
plugins registered by the tests themselves.

Every test that touches a database gets its own: a SQLite file in its ``tmp_path``,
or a PostgreSQL database of its own (see :mod:`tests.pg_databases`). PostgreSQL cases
skip with a visible reason when no server answers. ``PARTAGE_TEST_BACKENDS`` (comma
list, default ``sqlite,postgresql``) narrows the backends, as nox's matrix does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from partage.core.contract.accounting import ChartOfAccounts
from partage.core.contract.charts import read_chart
from partage.core.contract.hookspecs import hookimpl
from partage.core.contract.identity import CountryIdentity
from partage.core.ledger.books import ensure_journals, load_chart, open_book
from partage.core.ledger.models import BookKind, JournalKind
from partage.core.ledger.periods import open_year
from partage.core.ledger.posting import Ledger
from partage.core.ledger.types import Entry, Line, Posted
from partage.core.platform import clock
from partage.core.platform.config import default_config_dir
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import make_engine, session_factory, transaction
from partage.core.platform.registry import PluginKind, PluginRegistry
from tests import pg_databases
from tests.pg_databases import Databases
from tests.schema_template import COPIES, Templates

if TYPE_CHECKING:  # the worlds' module imports this one's plugins
    from tests.documents_support import CountryWorld

PG_ADMIN_URL = os.environ.get(
    "PARTAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DATA = Path(__file__).parent / "data"
BACKENDS = [
    b.strip() for b in os.environ.get("PARTAGE_TEST_BACKENDS", "sqlite,postgresql").split(",")
]


# --- databases ------------------------------------------------------------------
_TEMPLATES = Templates(migrate.upgrade)


@pytest.fixture(autouse=True)
def schema_template(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty databases migrated to ``head`` receive a copy of this process's migrated
    schema (see :mod:`tests.schema_template`), except in tests marked
    ``real_migrations`` and when ``PARTAGE_TEST_MIGRATIONS=real``."""
    if COPIES and request.node.get_closest_marker("real_migrations") is None:
        monkeypatch.setattr(migrate, "upgrade", _TEMPLATES.upgrade)


def _pg_unavailable_reason() -> str | None:
    try:
        engine = make_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server answers at {PG_ADMIN_URL}: {first}"
    return None


def _worker(config: pytest.Config) -> str:
    """The xdist worker's name (``gw0``...), ``main`` when tests run without xdist
    (``-p no:xdist`` or ``-n 0``)."""
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    return str(workerinput.get("workerid", "main"))


@pytest.fixture(scope="session")
def postgres_databases(request: pytest.FixtureRequest) -> Iterator[Databases]:
    """The PostgreSQL databases of this test process (xdist worker or not), all dropped
    at the end (see :mod:`tests.pg_databases`)."""
    reason = _pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    databases = Databases(PG_ADMIN_URL, _worker(request.config))
    pg_databases.CURRENT = databases
    try:
        yield databases
    finally:
        pg_databases.CURRENT = None
        databases.close()


@pytest.fixture
def postgresql_url(postgres_databases: Databases) -> Iterator[str]:
    """An empty PostgreSQL database of this test alone (emptied after it, for another)."""
    url = postgres_databases.new()
    yield url
    postgres_databases.release(url)


#: The day fixed-date tests run "on": the last of the year their acts are dated in, so
#: that acts of 2026 (and early 2027) lie within the default window of act dates.
TEST_TODAY = date(2026, 12, 31)


@pytest.fixture
def pinned_today() -> Iterator[date]:
    """Pin the clock of every context the test builds (a command run through the CLI
    runner, a runtime's cooperative) on :data:`TEST_TODAY`, whatever the real date; the
    pin ends with the test. Worlds built from ``tests.engine_support`` hold their own
    clock and need no pin."""
    with clock.pinned(TEST_TODAY):
        yield TEST_TODAY


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file of this test alone."""
    return f"sqlite:///{tmp_path / 'partage.db'}"


@pytest.fixture(params=[pytest.param(b, marks=getattr(pytest.mark, b)) for b in BACKENDS])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of this test, once per backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's empty database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


# --- the real Belgian and French instances ------------------------------------------------
@pytest.fixture
def be(sqlite_url: str) -> CountryWorld:
    """A migrated Belgian instance with a member, an entity and its parties, on SQLite
    (the documents and exchanges tests; a test file may define its own ``be``)."""
    from tests.documents_support import build_country_world

    return build_country_world(make_engine(sqlite_url), "be")


@pytest.fixture
def fr(sqlite_url: str) -> CountryWorld:
    """The French counterpart of :func:`be`."""
    from tests.documents_support import build_country_world

    return build_country_world(make_engine(sqlite_url), "fr")


@pytest.fixture
def official() -> Callable[[str, Path], list[dict[str, Any]]]:
    """The official EN 16931 / Peppol validator of ``../shared/einvoicing`` (compiled
    once per worker), or a skip saying why it is missing."""
    from tests.documents_support import official_validator

    return official_validator()


# --- configuration and plugins ----------------------------------------------------------
@pytest.fixture
def configs(tmp_path: Path) -> Path:
    """A private copy of the shipped configs folder, for tests to edit."""
    target = tmp_path / "configs"
    shutil.copytree(
        default_config_dir(), target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__")
    )
    return target


class CountryPlugin:
    """A minimal country plugin, registered by tests rather than by an entry point."""

    PARTAGE_HOOK_API = "2.0"

    def __init__(self, code: str = "zz", currency: str = "EUR") -> None:
        self.identity = CountryIdentity(
            code=code,
            name=f"Testland {code.upper()}",
            currency=currency,
            default_locale="en_GB",
            languages=("en",),
            legal_form="cooperative",
        )

    @hookimpl
    def partage_country_identity(self) -> CountryIdentity:
        return self.identity

    @hookimpl
    def partage_chart_of_accounts(self) -> ChartOfAccounts:
        return read_chart("Testland chart", DATA / "chart.csv", DATA / "chart_roles.toml")


class SectorPlugin:
    """A minimal sector plugin that declares the hook API and no rules."""

    PARTAGE_HOOK_API = "2.0"


@pytest.fixture
def registry() -> PluginRegistry:
    """A hermetic registry: the test plugins only, nothing from entry points."""
    registry = PluginRegistry(autoload=False)
    for code in ("be", "fr", "zz"):
        registry.add(CountryPlugin(code), name=code, kind=PluginKind.COUNTRY)
    registry.add(SectorPlugin(), name="couriers", kind=PluginKind.SECTOR)
    return registry


# --- books ----------------------------------------------------------------------------
@dataclass
class Books:
    """A migrated database with the test chart, the journals, three books and fiscal
    year 2026 open: the cooperative's book and entities ``e1`` and ``e2``."""

    engine: Engine
    sessions: sessionmaker[Session]
    ledger: Ledger

    def post(self, entry: Entry, actor: str = "tester") -> Posted:
        with transaction(self.sessions) as session:
            return self.ledger.post(session, entry, actor=actor)

    def count(self, table: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def entry(
    book: str,
    day: date,
    *lines: tuple[str, str, str],
    journal: JournalKind = JournalKind.MISCELLANEOUS,
    **extra: object,
) -> Entry:
    """An entry from ``(account, "debit"|"credit", amount)`` triples."""
    return Entry(
        book=book,
        journal=journal,
        date=day,
        lines=tuple(Line(account=a, **{side: Decimal(amount)}) for a, side, amount in lines),
        **extra,  # type: ignore[arg-type]
    )


def setup_books(
    engine: Engine, books: tuple[str, ...] = ("cooperative", "e1", "e2"), year: int = 2026
) -> Books:
    """Migrate, load the test chart and journals, open ``books`` and fiscal ``year``."""
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        load_chart(session, CountryPlugin().partage_chart_of_accounts(), actor="tester")
        ensure_journals(session)
        for code in books:
            kind = BookKind.COOPERATIVE if code == "cooperative" else BookKind.ENTITY
            open_book(
                session, code=code, name=code.title(), kind=kind, currency="EUR", actor="tester"
            )
        open_year(session, year, actor="tester")
    return Books(engine, sessions, Ledger())


@pytest.fixture
def books(engine: Engine) -> Books:
    """Books on each backend (see :class:`Books`)."""
    return setup_books(engine)
