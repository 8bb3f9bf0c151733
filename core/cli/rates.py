"""``partage rates ...``: the euro foreign exchange reference rates of the European
Central Bank, which supplier documents in another currency are booked at.

The instance never fetches them itself: an administrator downloads the ECB's file
(``eurofxref-hist.zip``, from the ECB's page of euro reference rates) and loads it; a
rate already held is kept, so loading the full history again each day adds only the
new days. One transaction, with its audit record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partage.core.cli.documents import _read, act
from partage.core.cli.options import cli_actor

rates_app = typer.Typer(
    help="Exchange rates: load the ECB's euro reference rates.", no_args_is_help=True
)


@rates_app.command("load")
def load(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The ECB's eurofxref-hist.zip, or the CSV file it holds.")
    ],
) -> None:
    """Load the ECB's euro reference rates from its published file."""
    actor = cli_actor()
    from partage.core.ledger import rates

    with act(ctx) as (_runtime, session, coop):
        # The ECB's file is read as bank files are, within their bound.
        content = _read(file, coop.limits.statement_bytes, "statement_bytes")
        loaded = rates.load(session, content, actor=actor)
    typer.echo(
        f"{file.name}: {loaded.read} rates of {len(loaded.currencies)} currencies from "
        f"{loaded.first} to {loaded.last}, {loaded.added} new"
    )
