"""``partage db ...``: the instance's database and its migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from partage.core.cli.options import options_of
from partage.core.cli.output import to_json

db_app = typer.Typer(help="The instance's database and its migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the shipped migrations to the instance's database."""
    from partage.core.platform.db import migrate

    with options_of(ctx).runtime(current=False) as runtime:
        pending = migrate.pending_revisions(runtime.engine)
        before, after = migrate.upgrade(runtime.engine, revision)
    if before == after:
        typer.echo(f"database already at revision {after}")
    else:
        for line in pending:
            typer.echo(f"applied {line}")
        typer.echo(f"database upgraded from {before or 'empty'} to {after}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the database's revision and the newest one shipped."""
    from partage.core.platform.db import migrate

    with options_of(ctx).runtime(current=False) as runtime:
        at = migrate.current(runtime.engine)
    typer.echo(to_json({"current": at, "head": migrate.head()}))
