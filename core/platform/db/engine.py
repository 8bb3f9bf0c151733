"""The engine and the one session factory of a run.

``PARTAGE_DATABASE_URL`` (or the ``database_url`` setting) chooses the database. Two
back ends are supported: SQLite (the embedded default, a file in the working folder)
and PostgreSQL through psycopg 3 (the ``postgres`` extra). SQLite connections turn on
WAL journaling and foreign keys, which SQLite leaves off by default.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from partage.core.contract.errors import DatabaseError
from partage.core.platform.db.text_rules import guard
from partage.core.platform.db.urls import driver_name


def parse_url(text: str) -> URL:
    """Parse and normalise a database URL; raise ``DatabaseError`` naming the rule broken.

    The rules are :func:`.urls.driver_name`'s, the ones ``partage config check`` applies
    without SQLAlchemy; ``postgresql://`` is served by psycopg 3 (``postgresql+psycopg://``).
    """
    driver = driver_name(text)
    try:
        url = make_url(text)
    except ArgumentError:  # the shape was checked: kept for what SQLAlchemy adds later
        raise DatabaseError(
            "database URL",
            "not a URL such as sqlite:///partage.db or postgresql://user@host/db",
            value=repr(text),
        ) from None
    return url.set(drivername=driver)


WRITE_OPTION = "partage_write"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # REPLACE deletes a conflicting row; only with recursive triggers does that deletion
    # fire the DELETE triggers that keep posted journal lines immutable.
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(text: str, **options: Any) -> Engine:
    """An engine for a database URL, with the back end's settings applied."""
    url = parse_url(text)
    try:
        engine = create_engine(url, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            "database URL",
            f"driver not installed ({exc}); install the extra: pip install 'partage[postgres]'",
            value=repr(url.render_as_string()),
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(connection: Connection) -> None:
    """Start write transactions with BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads and then writes can fail at once with
    "database is locked" when another writer got there first; taking the write lock at
    BEGIN makes concurrent writers wait their turn (``busy_timeout``) instead.
    """
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory every service uses; sessions do not expire on commit, and
    check every row's text before it is written (:mod:`.text_rules`)."""
    return guard(sessionmaker(engine, expire_on_commit=False))


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back if it raises.

    Every economic act runs inside one of these, so a refused act writes nothing.
    """
    with factory() as session, session.begin():
        session.connection(execution_options={WRITE_OPTION: True})
        yield session


#: How many ids one ``IN (...)`` list carries at most (SQLite allows 32,766 parameters).
CHUNK = 5000
Key = TypeVar("Key")


def chunks(ids: Sequence[Key], size: int = CHUNK) -> Iterator[Sequence[Key]]:
    """``ids`` in slices short enough for one ``IN (...)`` list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
