"""``partage workshop ...``: workshops and training sessions an office holds for its
members — plan one, register members (up to its seats), mark who came once held.

For the instance's administrators; an office's staff do the same from the web or the
API. Each act is in the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render
from partage.core.platform import clock

workshop_app = typer.Typer(
    help="Workshops and training sessions: plan, register members, mark attendance.",
    no_args_is_help=True,
)

CodeArgument = Annotated[str, typer.Argument(help="The workshop's code (W000001).")]


@workshop_app.command("plan")
def plan(
    ctx: typer.Context,
    office: Annotated[str, typer.Option("--office", help="The office holding it.")],
    title: Annotated[str, typer.Option("--title", help="What it is.")],
    at: Annotated[str, typer.Option("--at", help="Day and time, YYYY-MM-DDTHH:MM.")],
    seats: Annotated[int, typer.Option("--seats", help="The most members who may attend.")],
    place: Annotated[str, typer.Option("--place", help="Where.")] = "",
    description: Annotated[str, typer.Option("--description", help="What it covers.")] = "",
) -> None:
    """Plan a workshop or training session of an office."""
    from partage.core.members import workshops
    from partage.core.platform.db.engine import transaction

    try:
        starts_at = datetime.fromisoformat(at)
    except ValueError:
        raise typer.BadParameter(f"{at!r} is not a day and time", param_hint="--at") from None
    actor = cli_actor()
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        made = workshops.plan(
            session,
            office=office,
            title=title,
            starts_at=starts_at,
            place=place,
            capacity=seats,
            description=description,
            actor=actor,
        )
        code = made.code
    typer.echo(f"workshop {code} planned in office {office} on {starts_at:%Y-%m-%d %H:%M}")


@workshop_app.command("register")
def register(
    ctx: typer.Context,
    code: CodeArgument,
    members: Annotated[list[int], typer.Argument(help="Member numbers.")],
) -> None:
    """Register members for a session (all or none: refused when it would be full)."""
    from partage.core.members import workshops
    from partage.core.members.membership import member_by_number
    from partage.core.platform.db.engine import transaction

    actor = cli_actor()
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        workshop = workshops.workshop_by_code(session, code)
        for number in members:
            workshops.register(session, workshop, member_by_number(session, number), actor=actor)
    typer.echo(f"{len(members)} member(s) registered for {code}")


@workshop_app.command("attend")
def attend(
    ctx: typer.Context,
    code: CodeArgument,
    present: Annotated[
        list[int] | None, typer.Argument(help="Numbers of the members who came.")
    ] = None,
) -> None:
    """Mark who came; every other registered member is marked absent."""
    from partage.core.members import workshops
    from partage.core.platform.db.engine import transaction

    actor = cli_actor()
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        workshop = workshops.workshop_by_code(session, code)
        seats = workshops.mark_attendance(
            session, workshop, set(present or []), on=clock.today(), actor=actor
        )
    came = sum(1 for s in seats if s.attended)
    typer.echo(f"{code}: {came} present, {len(seats) - came} absent")


@workshop_app.command("list")
def list_workshops(
    ctx: typer.Context,
    office: Annotated[str | None, typer.Option("--office", help="One office only.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Sessions, the latest first, with how many registered and came."""
    from partage.core.members import workshops
    from partage.core.members.offices import office_by_code

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        office_id = office_by_code(session, office).id if office else None
        rows = []
        for listed in workshops.listing(session, office_id=office_id):
            w = listed.workshop
            came = sum(1 for s in workshops.seats(session, w) if s.attended)
            rows.append(
                [
                    w.code,
                    listed.office,
                    w.starts_at.isoformat(" ", "minutes"),
                    w.title,
                    w.place,
                    f"{listed.registered}/{w.capacity}",
                    came,
                ]
            )
    headers = ["code", "office", "at", "title", "place", "registered", "came"]
    typer.echo(render(headers, rows, fmt))


@workshop_app.command("show")
def show(ctx: typer.Context, code: CodeArgument, fmt: FormatOption = Format.TABLE) -> None:
    """The members registered for a session and whether they came."""
    from partage.core.members import workshops

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        seats = workshops.seats(session, workshops.workshop_by_code(session, code))
    rows = [
        [s.number, s.name, "" if s.attended is None else ("present" if s.attended else "absent")]
        for s in seats
    ]
    typer.echo(render(["member", "name", "attendance"], rows, fmt))
