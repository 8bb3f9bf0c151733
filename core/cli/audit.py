"""``partage audit ...``: read the audit log (filtered, newest first) and export it.

For the instance's administrators, who run the command line on the server. An export
is recorded in the log itself, with the operating-system user running it (or the
identity ``PARTAGE_ACTOR`` names) as its actor.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.books import parse_day
from partage.core.cli.options import options_of
from partage.core.cli.output import Format, FormatOption, render

if TYPE_CHECKING:
    from partage.core.access.audit_log import AuditFilter

audit_app = typer.Typer(help="The audit log: who did what, when, from where.", no_args_is_help=True)

ActorFilter = Annotated[str | None, typer.Option("--actor", help="Who acted, exactly.")]
ActionFilter = Annotated[
    str | None, typer.Option("--action", help="Start of the action (login matches login.failed).")
]
SubjectFilter = Annotated[
    str | None, typer.Option("--subject", help="Start of what it was done to (entity:E000001).")
]
OriginFilter = Annotated[str | None, typer.Option("--origin", help="Client address, exactly.")]
SinceFilter = Annotated[str | None, typer.Option("--since", help="First day, YYYY-MM-DD (UTC).")]
UntilFilter = Annotated[str | None, typer.Option("--until", help="Last day, YYYY-MM-DD (UTC).")]


def _filter(
    actor: str | None,
    action: str | None,
    subject: str | None,
    origin: str | None,
    since: str | None,
    until: str | None,
) -> AuditFilter:
    from partage.core.access.audit_log import AuditFilter

    return AuditFilter(
        actor=actor,
        action=action,
        subject=subject,
        origin=origin,
        since=parse_day("--since", since) if since else None,
        until=parse_day("--until", until) if until else None,
    )


@audit_app.command("list")
def audit_list(
    ctx: typer.Context,
    actor: ActorFilter = None,
    action: ActionFilter = None,
    subject: SubjectFilter = None,
    origin: OriginFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    limit: Annotated[int, typer.Option("--limit", help="Records per page (1 to 500).")] = 50,
    page: Annotated[int, typer.Option("--page", help="Page, from 1 (newest).")] = 1,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One page of the audit log, newest first."""
    from partage.core.access import audit_log

    criteria = _filter(actor, action, subject, origin, since, until)
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = audit_log.search(session, criteria, page=page, per_page=limit)
    headers = ["at", "actor", "action", "subject", "origin", "reason"]
    rows = [[r.at, r.actor, r.action, r.subject, r.origin, r.reason] for r in found.rows]
    typer.echo(render(headers, rows, fmt))
    if fmt is Format.TABLE:
        typer.echo(f"{found.total} records, page {found.page} of {found.pages}")


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    actor: ActorFilter = None,
    action: ActionFilter = None,
    subject: SubjectFilter = None,
    origin: OriginFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv or json.", case_sensitive=False)
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Every record the filter matches (at most 10,000), recorded as an export."""
    from partage.core.access import audit_log
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction

    criteria = _filter(actor, action, subject, origin, since, until)
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        text = audit_log.export(
            session, criteria, fmt.lower(), actor=audit.cli_actor(), origin=audit.cli_origin()
        )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"audit log exported to {output}")
