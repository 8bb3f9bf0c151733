"""Schema migrations, driven from Python so that the package needs no alembic.ini.

``partage db upgrade`` calls :func:`upgrade`; the schema tests call
:func:`partage.core.schema.pending_differences`
to prove that the migrations and the models describe the same schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from partage.core.contract.errors import DatabaseError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations (and at ``engine``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Config]:
    """An Alembic config on one connection, in one transaction.

    SQLite alters a table by copying it, then dropping the old one: with foreign keys
    enforced, dropping a table other rows point to fails, although the copy keeps every
    row. So on SQLite, as its documentation's procedure for altering a table says,
    foreign keys are switched off for the migration (which only works outside a
    transaction) and every reference is checked before the migration commits.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if sqlite:
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config = alembic_config(engine)
                config.attributes["connection"] = connection
                yield config
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            "schema",
                            f"the migration would leave {len(broken)} rows pointing at "
                            f"nothing (first: {tuple(broken[0])}); nothing was changed",
                        )
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision``; return the revisions before and after."""
    before = current(engine)
    with _migrating(engine) as config:
        command.upgrade(config, revision)
    return before, current(engine)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (used by upgrade-path tests)."""
    with _migrating(engine) as config:
        command.downgrade(config, revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, ``None`` when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str | None:
    """The newest revision shipped with this core."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions that ``upgrade`` would apply, oldest first, as ``id: message``."""
    script = ScriptDirectory.from_config(alembic_config())
    at = current(engine)
    revisions = list(script.iterate_revisions("head", at))
    return [f"{rev.revision}: {rev.doc}" for rev in reversed(revisions)]


def require_current(engine: Engine) -> None:
    """Refuse a database this Partage cannot work on, saying which command makes it one.

    Every command but ``setup``, ``demo`` and ``db`` works on a database set up and
    migrated to the newest revision shipped: anything else would fail later on a
    missing table, or, for SQLite, leave an empty file behind (connecting creates it),
    so the file's existence is checked before connecting.

    :raises DatabaseError: no SQLite file at the path, no Partage tables, or a revision
        other than the newest; the message names the command to run.
    """
    url = engine.url
    shown = url.render_as_string(hide_password=True)
    path = url.database
    file = url.get_backend_name() == "sqlite" and path and path != ":memory:"
    if file and not Path(str(path)).exists():
        raise DatabaseError(
            "database", "no such file: run `partage setup` to create it", value=shown
        )
    at, newest = current(engine), head()
    if at is None:
        raise DatabaseError(
            "database", "holds no Partage tables: run `partage setup` to create them", value=shown
        )
    if at != newest:
        script = ScriptDirectory.from_config(alembic_config())
        if at not in {revision.revision for revision in script.walk_revisions()}:
            raise DatabaseError(
                "database",
                f"is at revision {at}, newer than this Partage ({newest}): upgrade Partage",
                value=shown,
            )
        raise DatabaseError(
            "database",
            f"is at revision {at}, this Partage needs {newest}: run `partage db upgrade`",
            value=shown,
        )
