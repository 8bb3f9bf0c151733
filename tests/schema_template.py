"""The migrated schema, built once per test process and copied into each empty database.

Running the migrations from nothing to the newest revision costs a second or more of
CPU (Alembic renders and batch-copies every table), and nearly every test that touches
a database starts with it. So the first time a process migrates an empty database of a
backend, it runs the real migrations and keeps the result; afterwards, an empty
database asked to go to ``head`` receives a copy of that result instead:

- on SQLite, the migrated file itself, through SQLite's online backup API (every page,
  the schema and ``alembic_version`` included);
- on PostgreSQL, the migrated database itself, kept as a template database that the
  server clones (see :mod:`tests.pg_databases`).

Anything else (a database not empty, a target other than ``head``) goes to the real
:func:`partage.core.platform.db.migrate.upgrade`. Tests that are about the migrations
themselves are marked ``real_migrations`` and never see a copy; the copy is made from
a real run of the same process, so the schema the other tests get is the one the
migrations build.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from partage.core.platform.db import migrate
from tests import pg_databases

Upgrade = Callable[..., tuple[str | None, str | None]]
#: The key of the migrated, empty schema among a process's PostgreSQL templates.
HEAD = ("migrated schema",)


@dataclass
class Templates:
    """The migrated schema of each backend this process has built, once built."""

    real: Upgrade
    sqlite: sqlite3.Connection | None = None
    head: str | None = field(default=None)

    def upgrade(self, engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
        """:func:`migrate.upgrade`, served from the template where it can be."""
        dialect = engine.dialect.name
        if revision != "head" or dialect not in ("sqlite", "postgresql") or not _empty(engine):
            return self.real(engine, revision)
        if self.head is None:
            self.head = migrate.head()
        if dialect == "sqlite":
            return self._sqlite(engine)
        return self._postgresql(engine)

    def _sqlite(self, engine: Engine) -> tuple[str | None, str | None]:
        if self.sqlite is None:
            result = self.real(engine)
            template = sqlite3.connect(":memory:", check_same_thread=False)
            with _raw(engine) as raw:
                raw.backup(template)
            self.sqlite = template
            return result
        with _raw(engine) as raw:
            self.sqlite.backup(raw)
        return None, self.head

    def _postgresql(self, engine: Engine) -> tuple[str | None, str | None]:
        databases = pg_databases.CURRENT
        if databases is not None:
            if HEAD in databases.templates:
                databases.copy(engine, HEAD)
                return None, self.head
            result = self.real(engine)
            databases.keep(engine, HEAD, None)
            return result
        return self.real(engine)


@contextmanager
def _raw(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The driver's connection under one of ``engine``'s, outside any transaction."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        yield raw


def _empty(engine: Engine) -> bool:
    """Whether the database (its current schema, on PostgreSQL) holds no table at all."""
    query = (
        "SELECT count(*) FROM sqlite_master"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema()"
    )
    with engine.connect() as connection:
        return connection.exec_driver_sql(query).scalar_one() == 0


# --- built worlds -----------------------------------------------------------------------
#: ``PARTAGE_TEST_MIGRATIONS=real``: no copy at all, every test migrates and builds.
COPIES = os.environ.get("PARTAGE_TEST_MIGRATIONS", "") != "real"
_WORLDS: dict[Hashable, tuple[sqlite3.Connection, Any]] = {}


@dataclass
class Built:
    """What :func:`built_once` found: ``copied`` when the database received a copy
    (then ``extra`` is what the first build kept), else the caller builds and calls
    :meth:`keep`."""

    engine: Engine
    key: Hashable
    copied: bool
    blank: bool
    extra: Any = None

    def keep(self, extra: Any = None) -> None:
        """Keep the database just built (if it was blank) for the next builds."""
        if not self.blank or self.copied:
            return
        if self.engine.dialect.name == "postgresql":
            assert pg_databases.CURRENT is not None
            pg_databases.CURRENT.keep(self.engine, self.key, extra)
        else:
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            with _raw(self.engine) as raw:
                raw.backup(snapshot)
            _WORLDS[self.key] = (snapshot, extra)


def built_once(engine: Engine, key: Hashable) -> Built:
    """A world's database built once per process: when ``engine`` is a blank SQLite
    database and a world of ``key`` was built before, it receives a copy of that
    world's database (a deterministic build: same rows, same ids, same codes);
    otherwise the caller builds it, then calls :meth:`Built.keep`."""
    databases = pg_databases.CURRENT
    if COPIES and engine.dialect.name == "postgresql" and databases is not None:
        blank = _empty(engine)
        if blank and key in databases.templates:
            extra = databases.copy(engine, key)
            return Built(engine, key, copied=True, blank=True, extra=extra)
        return Built(engine, key, copied=False, blank=blank)
    blank = COPIES and engine.dialect.name == "sqlite" and _empty(engine)
    if blank and key in _WORLDS:
        snapshot, extra = _WORLDS[key]
        with _raw(engine) as raw:
            snapshot.backup(raw)
        return Built(engine, key, copied=True, blank=True, extra=extra)
    return Built(engine, key, copied=False, blank=blank)
