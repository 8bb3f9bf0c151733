"""``partage reminders ...``: late payers, their reminders and proposed defaults.

``partage reminders overdue`` lists the overdue invoices (``--entity`` one entity's,
``--office`` one office's) with their days late, what is owed and the last reminder.
``partage reminders send F2026-000012`` sends an invoice's next reminder now
(``--charge/--no-charge``: claim the late-payment charges the law allows or not; the
instance's ``charge_by_default`` otherwise). ``partage reminders run --on 2026-10-01``
sends every step of the schedule whose day has come: the daily job, idempotent.
``partage reminders history F2026-000012`` lists what was sent, and ``partage reminders
propose-default F2026-000012 --reason "..."`` proposes the invoice in default, for
another staff login to validate (``partage bank pending validate``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from partage.core.cli.books import parse_day
from partage.core.cli.documents import act
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.platform import clock

reminders_app = typer.Typer(
    help="Late payers: overdue invoices, reminders, proposed defaults.", no_args_is_help=True
)

OnOption = Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD (default: today).")]
NumberArgument = Annotated[str, typer.Argument(help="The invoice's number.")]
OVERDUE_HEADERS = (
    "invoice",
    "entity",
    "client",
    "due_on",
    "days_late",
    "owed",
    "last_reminder",
    "last_sent_on",
    "next_step",
)


@reminders_app.command("overdue")
def overdue(
    ctx: typer.Context,
    on: OnOption = None,
    entity: Annotated[str | None, typer.Option("--entity", help="One entity's code.")] = None,
    office: Annotated[str | None, typer.Option("--office", help="One office's code.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The overdue invoices, most days late first."""
    from sqlalchemy import select

    from partage.core.acts.cooperative import Cooperative
    from partage.core.documents.reminders import overdue as listing
    from partage.core.members.models import Entity, Office

    day = parse_day("--on", on) if on else clock.today()
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        coop = Cooperative.from_runtime(runtime)
        entity_ids = office_ids = None
        if entity is not None:
            entity_ids = list(session.scalars(select(Entity.id).where(Entity.code == entity)))
        if office is not None:
            office_ids = list(session.scalars(select(Office.id).where(Office.code == office)))
        rows = listing(session, coop, on=day, entity_ids=entity_ids, office_ids=office_ids)
    if fmt is Format.JSON:
        typer.echo(to_json([r.__dict__ for r in rows]))
        return
    table = [
        [
            r.number,
            r.entity,
            f"{r.client} {r.client_name}",
            r.due_on,
            r.days_late,
            r.owed,
            r.last_step or "",
            r.last_sent_on or "",
            r.next_step or "",
        ]
        for r in rows
    ]
    typer.echo(render(OVERDUE_HEADERS, table, fmt) if table else f"No overdue invoice on {day}")


@reminders_app.command("send")
def send(
    ctx: typer.Context,
    number: NumberArgument,
    on: OnOption = None,
    charge: Annotated[
        bool | None,
        typer.Option(
            "--charge/--no-charge",
            help="Claim the late-payment interest and compensation the law allows "
            "(default: the instance's charge_by_default).",
        ),
    ] = None,
) -> None:
    """Send the invoice's next reminder now: a PDF, emailed through the outbox."""
    actor = cli_actor()
    from partage.core.contract.money import from_minor
    from partage.core.documents.reminders import send_reminder

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_, session, coop):
        done = send_reminder(session, coop, number, on=day, actor=actor, charge=charge)
        claimed = from_minor(done.interest + done.compensation, coop.currency)
    typer.echo(
        f"{number}: {done.step} reminder sent to {done.recipient} ({done.filename}); "
        f"claimed beyond the invoice {claimed} {coop.currency}"
    )


@reminders_app.command("run")
def run(ctx: typer.Context, on: OnOption = None) -> None:
    """Send every reminder of the schedule whose day has come (idempotent: a daily job)."""
    from partage.core.documents.reminders import run_schedule

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_, session, coop):
        done = run_schedule(session, coop, on=day)
    lines = [f"{number}: {step} reminder sent" for number, step in done.sent]
    lines += [f"{number}: due, but the client has no email address" for number in done.no_email]
    typer.echo("\n".join(lines) if lines else f"No reminder to send on {day}")


@reminders_app.command("history")
def history(ctx: typer.Context, number: NumberArgument, fmt: FormatOption = Format.TABLE) -> None:
    """The reminders sent on an invoice."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.contract.money import from_minor
    from partage.core.documents.reminders import history as sent
    from partage.core.sales.invoices import invoice_by_number

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        coop = Cooperative.from_runtime(runtime)
        rows = [
            [
                r.step,
                r.sent_on,
                r.days_late,
                from_minor(r.owed, coop.currency),
                "yes" if r.charged else "no",
                from_minor(r.interest, coop.currency),
                from_minor(r.compensation, coop.currency),
                r.recipient,
                r.sent_by,
            ]
            for r in sent(session, invoice_by_number(session, number).id)
        ]
    headers = (
        "step",
        "sent_on",
        "days_late",
        "owed",
        "charged",
        "interest",
        "compensation",
        "recipient",
        "sent_by",
    )
    typer.echo(render(headers, rows, fmt) if rows else f"No reminder sent on {number}")


@reminders_app.command("propose-default")
def propose_default(
    ctx: typer.Context,
    number: NumberArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the client will not pay.")],
    on: OnOption = None,
) -> None:
    """Propose the invoice in default: another staff login validates it, and the
    guarantee fund writes it off."""
    actor = cli_actor()
    from partage.core.documents.reminders import propose_default as propose

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_, session, _coop):
        row = propose(session, _coop, number, on=day, actor=actor, reason=reason)
        ident = row.id
    typer.echo(
        f"{number}: default proposed (pending act {ident}); another staff login validates it "
        f"with `partage bank pending validate {ident}`"
    )
