"""Database foundation: URLs, back-end settings, migrations that match the models."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, inspect, select, text

from partage.core import schema
from partage.core.contract.errors import DatabaseError
from partage.core.members.models import Office
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import make_engine, parse_url, session_factory, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.schema import metadata


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
    ],
)
def test_bad_database_urls_are_refused_with_the_rule(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseError, match=re.escape(fragment)):
        make_engine(url)
