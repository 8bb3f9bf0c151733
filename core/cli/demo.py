"""``partage setup`` and ``partage demo``: an instance set up for production, or set up
and lived one more simulated month.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from partage.core.cli.books import UsageError
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.serve import require_free_port, serve_demo
from partage.core.demo import DEFAULT_MEMBERS


def setup(ctx: typer.Context) -> None:
    """Set up the instance: migrate, load its offices and books, open the fiscal year.

    What a national partner runs on its production database (the demo runs it too,
    before its simulated month). Running it again changes nothing and says so; what it
    changes is audited as who runs it (``PARTAGE_ACTOR``, else the system user).
    """
    from partage.core.members.instance import bootstrap

    with options_of(ctx).runtime(current=False) as runtime:
        done = bootstrap(
            runtime.engine,
            runtime.config.instance,
            runtime.plugins,
            actor=cli_actor(),
            fiscal_year_start_month=runtime.config.fiscal_year_start_month,
        )
    for line in done.lines():
        typer.echo(line)


def demo(
    ctx: typer.Context,
    members: Annotated[
        int, typer.Option("--members", help="Members of the first simulated month.")
    ] = DEFAULT_MEMBERS,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated activity.")] = 0,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="Month to simulate, YYYY-MM (default: the last complete month, then the next).",
        ),
    ] = None,
    serve: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Then serve the web application with demo logins "
            "(default: when the output is a terminal).",
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
) -> None:
    """Set up the demo instance, live one more month of its activity, print its figures,
    then serve the web application on 127.0.0.1 and print the demo logins."""
    from partage.core.demo.run import run_demo

    try:
        first = datetime.strptime(month, "%Y-%m").date() if month else None
    except ValueError:
        raise UsageError("--month", f"{month!r} is not a month (YYYY-MM)") from None
    serving = serve if serve is not None else sys.stdout.isatty()
    if serving:
        require_free_port("127.0.0.1", port)
    with options_of(ctx).runtime(current=False) as runtime:
        for line in run_demo(runtime, members=members, seed=seed, month=first):
            typer.echo(line)
        if serving:
            serve_demo(runtime, port=port)
