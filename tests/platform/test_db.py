"""Database foundation: URLs, back-end settings, migrations that match the models."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from partage.core import schema
from partage.core.contract.errors import DatabaseError
from partage.core.members.models import Office
from partage.core.platform.db import migrate, urls
from partage.core.platform.db.engine import make_engine, parse_url, session_factory, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.schema import metadata

#: The migrations themselves are under test here: never the worker's migrated copy.
pytestmark = pytest.mark.real_migrations


def test_migrations_and_models_agree(engine: Engine) -> None:
    before, after = migrate.upgrade(engine)
    assert before is None and after == migrate.head()
    assert schema.pending_differences(engine) == []
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrade_twice_changes_nothing_and_downgrade_path_works(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert migrate.pending_revisions(engine) == []
    assert migrate.upgrade(engine) == (migrate.head(), migrate.head())
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert migrate.pending_revisions(engine)[0].startswith("0001")
    migrate.upgrade(engine)
    assert schema.pending_differences(engine) == []


def test_a_failed_unit_of_work_writes_nothing(engine: Engine) -> None:
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with pytest.raises(RuntimeError), transaction(sessions) as session:
        session.add(Office(code="x", name="X", address="somewhere"))
        session.add(AuditRecord(actor="t", action="office.create", subject="office:x"))
        session.flush()
        raise RuntimeError("refused half-way")
    with sessions() as session:
        assert session.scalars(select(Office)).all() == []
        assert session.scalars(select(AuditRecord)).all() == []


@pytest.mark.sqlite
def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_postgresql_url_uses_psycopg3() -> None:
    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "not a URL"),
        ("mysql://root@localhost/x", "back end 'mysql' is not supported"),
        ("postgresql+asyncpg://u@h/db", "driver 'postgresql+asyncpg' is not supported"),
        ("sqlite+pysqlcipher:///x.db", "plain sqlite:/// driver"),
        ("postgresql://u@h:port/db", "not a URL"),
    ],
)
def test_bad_database_urls_are_refused_with_the_rule(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseError, match=re.escape(fragment)):
        make_engine(url)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///partage.db",
        "sqlite://",
        "sqlite:////var/lib/partage/be.db",
        "postgresql://u:p%40ss@db.example.org:5432/partage_be?sslmode=require",
        "postgresql+psycopg://u@[::1]:5432/db",
        "postgresql:///partage",
        "not a url",
        "://host/db",
        "postgresql://u@h:port/db",
        "postgresql://u@h:5432:1/db",
    ],
)
def test_the_check_without_sqlalchemy_reads_urls_as_sqlalchemy_does(url: str) -> None:
    """``config check`` reads the URL without SQLAlchemy: what it takes for a URL,
    SQLAlchemy parses to the same back end; what it refuses as no URL, SQLAlchemy cannot
    parse."""
    try:
        driver = urls.driver_name(url)
    except DatabaseError as refused:
        assert refused.rule.startswith("not a URL")
        with pytest.raises((ArgumentError, ValueError)):
            make_url(url)
        return
    parsed = make_url(url)
    assert parsed.get_backend_name() == driver.partition("+")[0]
    assert parse_url(url).drivername == driver


def test_a_missing_driver_is_named_without_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DatabaseError) as refused:
        urls.require_driver("postgresql://partage:secret@db/partage_be")
    assert refused.value.value == "'postgresql://partage:***@db/partage_be'"
    assert refused.value.rule == (
        "driver not installed (No module named 'psycopg'); "
        "install the extra: pip install 'partage[postgres]'"
    )
    assert urls.hide_password("sqlite:///partage.db") == "sqlite:///partage.db"
