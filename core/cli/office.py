"""``partage office ...``: the local offices, their advisers and the sectors each enables.

For the instance's administrators. Enabling or disabling a sector takes effect from
``--from`` (today when omitted, never earlier): new acts dated from then on follow the
change, acts dated before and acts already posted do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.books import parse_day
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render
from partage.core.platform import clock

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from partage.core.members import offices
    from partage.core.platform.runtime import Runtime

office_app = typer.Typer(
    help="Local offices: advisers and the sectors each enables.", no_args_is_help=True
)

OfficeArgument = Annotated[str, typer.Argument(help="The office's code.")]
SectorArgument = Annotated[str, typer.Argument(help="The sector plugin's name.")]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First act date, YYYY-MM-DD (default: today).")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (audit log).")]


def _runtime(ctx: typer.Context) -> Runtime:
    return options_of(ctx).runtime()


@contextmanager
def _act(ctx: typer.Context) -> Iterator[Session]:
    """One transaction on the instance's database, the runtime closed after it."""
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        yield session


def _periods(view: offices.OfficeView) -> list[str]:
    shown = []
    for p in view.sectors:
        until = f" until {p.disabled_from}" if p.disabled_from else ""
        review = ", review" if p.review_required else ""
        shown.append(f"{p.sector} (from {p.enabled_from}{until}{review})")
    return shown


@office_app.command("list")
def office_list(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Every office: address, advisers, sectors in force today and their history."""
    from partage.core.members import offices

    with _runtime(ctx) as runtime, runtime.sessions() as session:
        views = offices.list_offices(session)
    today = clock.today()
    rows: list[list[Any]] = [
        [v.code, v.name, v.address, list(v.advisers), v.enabled_on(today), _periods(v)]
        for v in views
    ]
    headers = ["code", "name", "address", "advisers", "sectors", "history"]
    typer.echo(render(headers, rows, fmt))


@office_app.command("enable-sector")
def enable_sector(
    ctx: typer.Context,
    office: OfficeArgument,
    sector: SectorArgument,
    start: FromOption = None,
    review: Annotated[
        bool, typer.Option("--review", help="Applications in this trade go to the committee.")
    ] = False,
    reason: ReasonOption = "",
) -> None:
    """Apply a sector's rules to the office's new acts dated from --from on."""
    actor = cli_actor()
    from partage.core.members import offices
    from partage.core.platform.db.engine import transaction
    from partage.core.platform.registry import PluginKind, sector_countries

    with _runtime(ctx) as runtime:
        first = parse_day("--from", start) if start else None
        with transaction(runtime.sessions) as session:
            period = offices.enable_sector(
                session,
                office,
                sector,
                installed=runtime.registry.names(PluginKind.SECTOR),
                actor=actor,
                enabled_from=first,
                review_required=review,
                reason=reason,
                countries=sector_countries(runtime.plugins),
                country=runtime.config.instance.country_plugin,
            )
            shown = period.enabled_from
    typer.echo(f"sector {sector} enabled in office {office} for acts dated from {shown}")


@office_app.command("disable-sector")
def disable_sector(
    ctx: typer.Context,
    office: OfficeArgument,
    sector: SectorArgument,
    start: FromOption = None,
    reason: ReasonOption = "",
) -> None:
    """Stop applying a sector's rules to the office's acts dated from --from on."""
    actor = cli_actor()
    from partage.core.members import offices

    first = parse_day("--from", start) if start else None
    with _act(ctx) as session:
        period = offices.disable_sector(
            session, office, sector, actor=actor, disabled_from=first, reason=reason
        )
        shown = period.disabled_from
    typer.echo(
        f"sector {sector} disabled in office {office} for acts dated from {shown}; "
        "posted acts are unchanged"
    )


@office_app.command("add-adviser")
def add_adviser(
    ctx: typer.Context,
    office: OfficeArgument,
    user_name: Annotated[str, typer.Argument(help="The adviser's user name.")],
    person: Annotated[
        str | None, typer.Option("--person", help="The adviser's person code, if known.")
    ] = None,
) -> None:
    """Add an adviser to an office."""
    actor = cli_actor()
    from partage.core.members import offices

    with _act(ctx) as session:
        offices.add_adviser(session, office, user_name, actor=actor, person=person)
    typer.echo(f"{user_name} advises in office {office}")


@office_app.command("remove-adviser")
def remove_adviser(
    ctx: typer.Context,
    office: OfficeArgument,
    user_name: Annotated[str, typer.Argument(help="The adviser's user name.")],
    reason: ReasonOption = "",
) -> None:
    """Remove an adviser from an office."""
    actor = cli_actor()
    from partage.core.members import offices

    with _act(ctx) as session:
        offices.remove_adviser(session, office, user_name, actor=actor, reason=reason)
    typer.echo(f"{user_name} no longer advises in office {office}")


@office_app.command("document-validation")
def document_validation(
    ctx: typer.Context,
    office: OfficeArgument,
    required: Annotated[
        bool, typer.Option("--on/--off", help="Whether staff validate quotes and invoices.")
    ],
) -> None:
    """Whether the office's staff validate its entities' quotes and invoices before they
    go out (a draft waits for them; the number is given when they validate it)."""
    actor = cli_actor()
    from partage.core.sales import drafts

    with _act(ctx) as session:
        drafts.set_validation(session, office, required, actor=actor)
    typer.echo(f"office {office}: quotes and invoices {'are' if required else 'are not'} validated")
