"""``partage sectors ...``: the trades an entity works in, the attestations its sectors
look at, and clients that are digital work platforms.

For the instance's administrators (office staff do the same from the entity's
``Sectors and attestations`` page or the API). A change of an entity's sectors takes
effect from ``--from`` (today when omitted, never earlier); each act is audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from partage.core.cli.books import parse_day
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render

sectors_app = typer.Typer(
    help="Entities' sectors, their attestations and platform clients.", no_args_is_help=True
)

EntityArgument = Annotated[str, typer.Argument(help="The entity's code.")]


@sectors_app.command("list")
def list_sectors(
    ctx: typer.Context, entity: EntityArgument, fmt: FormatOption = Format.TABLE
) -> None:
    """The entity's sectors with their dates, those in force today, the expense
    categories its claims may use today and the attestations on file."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members.sectors_in_force import in_force
    from partage.core.members.service import entity_by_code
    from partage.core.sectors import records
    from partage.core.sectors.rules import entity_sector_spans
    from partage.core.spending.expenses import offered_expense_categories

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        coop = Cooperative.from_runtime(runtime)
        today = coop.today()
        row = entity_by_code(session, entity, open_only=False)
        spans = entity_sector_spans(session, row.id)
        active = in_force(session, row, today)
        offered = offered_expense_categories(session, coop, row, today)
        kept = records.attestations_of(session, row)
        rows: list[list[Any]] = [
            [
                "sector",
                s.sector,
                str(s.since or ""),
                str(s.until or ""),
                "in force" if s.sector in active else "",
            ]
            for s in spans
        ]
        rows += [
            [
                "attestation",
                f"{a.kind} {a.number} ({a.issuer})",
                str(a.valid_from),
                str(a.valid_until),
                "entity" if a.entity_id is not None else "member",
            ]
            for a in kept
        ]
        rows.append(["expense categories", ", ".join(offered), str(today), "", ""])
    typer.echo(render(["what", "name", "from", "until", "note"], rows, fmt))


@sectors_app.command("set")
def set_sectors(
    ctx: typer.Context,
    entity: EntityArgument,
    sectors: Annotated[list[str], typer.Argument(help="Every sector the entity works in.")],
    start: Annotated[
        str | None, typer.Option("--from", help="First act date, YYYY-MM-DD (default: today).")
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (audit log).")] = "",
) -> None:
    """Say which sectors the entity works in from --from on: a sector left out stops
    that day, one added starts that day. A sector of another country is refused."""
    actor = cli_actor()
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members.offices import require_country
    from partage.core.platform.db.engine import transaction
    from partage.core.platform.registry import sector_countries
    from partage.core.sectors.rules import set_entity_sectors

    with options_of(ctx).runtime() as runtime:
        coop = Cooperative.from_runtime(runtime)
        countries = sector_countries(coop.plugins)
        for sector in sectors:
            if sector in countries:
                require_country(sector, countries, coop.instance.country_plugin, field="sectors")
        today = coop.today()
        since = parse_day("--from", start) if start else today
        with transaction(runtime.sessions) as session:
            done = set_entity_sectors(
                session, coop, entity, sectors, actor=actor, reason=reason, since=since, today=today
            )
    typer.echo(f"entity {entity} works in {', '.join(done)} for acts dated from {since}")


@sectors_app.command("attest")
def attest(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="The attestation's kind (ten_year_liability...).")],
    issuer: Annotated[str, typer.Option("--issuer", help="Who issued it.")],
    number: Annotated[str, typer.Option("--number", help="The policy or certificate number.")],
    valid_from: Annotated[str, typer.Option("--valid-from", help="First day it covers.")],
    valid_until: Annotated[str, typer.Option("--valid-until", help="Last day it covers.")],
    entity: Annotated[
        str | None, typer.Option("--entity", help="The entity holding it (an entity's kind).")
    ] = None,
    member: Annotated[
        int | None, typer.Option("--member", help="The member holding it (a member's kind).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="The scanned attestation.", exists=True)
    ] = None,
) -> None:
    """Put an attestation on file for an entity or a member, with its scanned file."""
    actor = cli_actor()
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members.follow_up import Document
    from partage.core.platform.db.engine import transaction
    from partage.core.platform.limits import bounded
    from partage.core.sectors import records

    document = None
    with options_of(ctx).runtime() as runtime:
        coop = Cooperative.from_runtime(runtime)
        if file is not None:
            bounded("--file", file.stat().st_size, coop.limits.receipt_bytes, "receipt_bytes")
            document = Document(file.name, "application/octet-stream", file.read_bytes())
        with transaction(runtime.sessions) as session:
            record = records.register_attestation(
                session,
                coop,
                kind=kind,
                issuer=issuer,
                number=number,
                valid_from=parse_day("--valid-from", valid_from),
                valid_until=parse_day("--valid-until", valid_until),
                actor=actor,
                entity=entity,
                member=member,
                document=document,
            )
            ident = record.id
    holder = f"entity {entity}" if entity else f"member {member}"
    typer.echo(f"attestation {ident} ({kind}) on file for {holder}")


@sectors_app.command("platform")
def platform(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="The client's reference.")],
    no: Annotated[bool, typer.Option("--no", help="No longer a platform.")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (audit log).")] = "",
) -> None:
    """Mark a client as a digital work platform (--no: no longer one)."""
    actor = cli_actor()
    from partage.core.platform.db.engine import transaction
    from partage.core.sectors import records

    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        records.set_platform(session, party, platform=not no, actor=actor, reason=reason)
    typer.echo(f"client {party} is {'not ' if no else ''}a digital work platform")
