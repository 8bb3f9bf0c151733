"""``partage lists ...``: an entity's lists of documents from the command line — its
quotes, invoices, purchases, expenses, contracts or payslips, searched, filtered by
status and period, sorted and paged by the database, as a table, CSV, JSON or a PDF
file — the same lists its holders read on the entity page and through the API.

For the instance's administrators, who may read every entity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from partage.core.cli.options import options_of
from partage.core.cli.output import Format, FormatOption, render

lists_app = typer.Typer(
    help="An entity's quotes, invoices, purchases, expenses, contracts and payslips.",
    no_args_is_help=True,
)


@lists_app.command("show")
def show(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The entity's code.")],
    name: Annotated[
        str,
        typer.Argument(help="quotes, invoices, purchases, expenses, contracts or payslips."),
    ],
    q: Annotated[str, typer.Option("--search", "-q", help="References and names.")] = "",
    status: Annotated[str | None, typer.Option("--status", help="One of the list's.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="2026 or 2026-03.")] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="date, number, name, due or total; -date: newest.")
    ] = "-date",
    page: Annotated[int, typer.Option("--page", min=1, help="Page of --per-page rows.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", min=1, max=200)] = 25,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write every matching row to this PDF.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One page of an entity's list (or, with --pdf, every matching row as a PDF)."""
    from partage.core.acts.cooperative import Cooperative, NotFound
    from partage.core.contract.errors import N_
    from partage.core.members.service import entity_by_code
    from partage.core.web.entities import documents as d
    from partage.core.web.i18n import catalog

    if name not in d.LISTS:
        raise NotFound("list", N_("there is no list {name}"), name=name)
    listing = d.LISTS[name]
    query = d.query_of(listing, q, status, period, sort, page, per_page)
    say = catalog("en").gettext
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found_entity = entity_by_code(session, entity)
        currency = Cooperative.from_runtime(runtime).currency
        today = date.today()
        found = d.search(session, currency, listing, found_entity, query, today,
                         everything=pdf is not None)  # fmt: skip
        title = f"{found_entity.name} ({entity}) — {say(listing.title)}"
    if pdf is not None:
        plain: dict[str, Callable[[Any], str]] = {
            "amount": str,
            "day": lambda v: v.isoformat(),
            "category": str,
        }
        pdf.write_bytes(
            d.as_pdf(found, say, plain, heading=title, subtitle=f"{found.total} rows", on=today)
        )
        typer.echo(f"{found.total} row(s) written to {pdf}")
        return
    keys = [c.key for c in listing.columns]
    rows = [[row.get(k) for k in keys] for row in found.rows]
    typer.echo(render(keys, rows, fmt))
    if fmt is Format.TABLE:
        typer.echo(f"{found.total} row(s), page {query.page} of {found.pages}")
