"""Alembic environment: runs migrations on the connection :mod:`partage.core.platform.db.migrate`
hands over (or on the URL of the Alembic config when run from the ``alembic`` CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import context

from partage.core.platform.db.engine import make_engine

if TYPE_CHECKING:
    from sqlalchemy import Connection

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        # the complete schema (partage.core.schema) when autogenerating a revision
        target_metadata=config.attributes.get("target_metadata"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Partage migrations run online only: use `partage db upgrade`.")
run_migrations()
