"""Schema migrations, driven from Python so that the package needs no alembic.ini.

``partage db upgrade`` calls :func:`upgrade`; the schema tests call
:func:`partage.core.schema.pending_differences`
to prove that the migrations and the models describe the same schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

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


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision``; return the revisions before and after."""
    before = current(engine)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, current(engine)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (used by upgrade-path tests)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
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
