"""``partage clients ...``: the cooperative's client directory from the command line —
list and search it, add a business (its number checked) or a private person, look a
business number up in the directory and the public registers the instance enabled.

For the instance's administrators, who see every client; members and their advisers
do the same from the web or the API. Each creation is in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render

if TYPE_CHECKING:
    from partage.core.access.roles import Principal

clients_app = typer.Typer(
    help="Clients: list and search the directory, add a client, look a number up.",
    no_args_is_help=True,
)


def _administrator() -> Principal:
    """The command line reads the directory as an administrator does: every client."""
    from partage.core.access.models import Role
    from partage.core.access.roles import Principal

    actor = cli_actor()
    return Principal(0, actor, Role.ADMINISTRATOR, actor, None, None, None, None, None)


@clients_app.command("list")
def list_clients(
    ctx: typer.Context,
    q: Annotated[
        str, typer.Option("--search", "-q", help="Name, VAT or company number, e-mail, town.")
    ] = "",
    entity: Annotated[str | None, typer.Option("--entity", help="One entity's clients.")] = None,
    page: Annotated[int, typer.Option("--page", min=1, help="Page of 100 clients.")] = 1,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Clients by name, searched, 100 a page."""
    from partage.core.access import clients as directory
    from partage.core.members.service import entity_by_code

    me = _administrator()
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        if entity:
            found = directory.entity_directory(
                session, me, entity_by_code(session, entity), q, page, directory.MAX_PER_PAGE
            )
        else:
            found = directory.cooperative_directory(session, me, q, page, directory.MAX_PER_PAGE)
        rows = [
            [
                r.party.code,
                r.party.name,
                r.party.vat_number or r.party.company_number or "",
                r.party.postcode,
                r.party.town,
                r.party.country,
                r.party.email,
            ]
            for r in found.rows
        ]
    typer.echo(
        render(["code", "name", "number", "postcode", "town", "country", "email"], rows, fmt)
    )
    if fmt is Format.TABLE:
        typer.echo(f"{found.total} client(s), page {found.page} of {found.pages}")


@clients_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Registered name or full name.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166 alpha-2 code (BE).")],
    street: Annotated[str, typer.Option("--street", help="Street and number.")],
    postcode: Annotated[str, typer.Option("--postcode", help="Postcode.")],
    town: Annotated[str, typer.Option("--town", help="Town.")],
    vat_number: Annotated[str, typer.Option("--vat", help="A business's VAT number.")] = "",
    company_number: Annotated[
        str, typer.Option("--company-number", help="A business's company number (SIREN...).")
    ] = "",
    email: Annotated[str, typer.Option("--email", help="Where invoices go.")] = "",
    person: Annotated[bool, typer.Option("--person", help="A private person (no number).")] = False,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Put it in this entity's directory.")
    ] = None,
) -> None:
    """Add a business (its number checked; one already known is reused) or a person."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members import clients
    from partage.core.members.service import entity_by_code
    from partage.core.platform.db.engine import transaction

    details = clients.ClientDetails(
        name=name,
        country=country,
        street=street,
        postcode=postcode,
        town=town,
        email=email,
        vat_number=vat_number,
        company_number=company_number,
    )
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        party, created = clients.create_client(
            session,
            Cooperative.from_runtime(runtime),
            details,
            business=not person,
            actor=cli_actor(),
            entity=entity_by_code(session, entity) if entity else None,
        )
        code, shown = party.code, party.name
    typer.echo(f"client {code} {'created' if created else 'already known'}: {shown}")


@clients_app.command("lookup")
def lookup(
    ctx: typer.Context,
    country: Annotated[str, typer.Argument(help="ISO 3166 alpha-2 code (BE, FR...).")],
    number: Annotated[str, typer.Argument(help="A VAT or company number.")],
) -> None:
    """Check a business number and say what the directory or a register knows of it."""
    from partage.core.access import clients as directory
    from partage.core.acts.cooperative import Cooperative

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = directory.lookup_number(
            session,
            Cooperative.from_runtime(runtime),
            runtime.config.registries,
            _administrator(),
            country,
            number,
        )
        known = found.known.party if found.known else None
        shown = f"{known.code} {known.name}" if known else None
    typer.echo(f"valid: {found.numbers.vat_number or found.numbers.company_number}")
    if shown:
        typer.echo(f"in the directory: {shown}")
    elif found.registered is not None:
        r = found.registered
        typer.echo(f"{r.source}: {r.name}, {r.street}, {r.postcode} {r.town}")
    for name in found.down:
        typer.echo(f"{name} did not answer", err=True)
    if not shown and found.registered is None and not found.down:
        typer.echo("unknown to the directory and to the registers asked")
