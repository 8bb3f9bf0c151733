"""``partage mail ...``: the email outbox — list it, deliver what is due, run the
queue's worker.

Messages are written by the acts that send them (a password reset, ...) and delivered
by jobs of the queue (:mod:`partage.core.platform.mail.jobs`): inside ``partage serve``
when ``[email] worker_in_process`` is on, else by ``partage mail worker``.
``send-pending`` delivers what is due once, in the foreground (a cron line, or by hand
after fixing the mail server).
"""

from __future__ import annotations

from typing import Annotated

import typer

from partage.core.cli.options import options_of
from partage.core.cli.output import Format, FormatOption, render

mail_app = typer.Typer(help="The email outbox and its delivery.", no_args_is_help=True)


@mail_app.command("list")
def mail_list(
    ctx: typer.Context,
    state: Annotated[
        str | None, typer.Option("--state", help="pending, sent or failed (default: all).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.", min=1)] = 100,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The newest messages of the outbox, each with its state, attempts and last error."""
    from partage.core.platform.mail.outbox import list_messages

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = list_messages(session, state, min(limit, 1000))
    headers = ["id", "kind", "to", "subject", "state", "attempts", "next attempt", "last error"]
    rows = [
        [m.id, m.kind, m.recipient, m.subject, m.state, m.attempts, m.next_attempt_at, m.last_error]
        for m in found
    ]
    typer.echo(render(headers, rows, fmt))


@mail_app.command("send-pending")
def mail_send_pending(ctx: typer.Context) -> None:
    """Deliver the messages that are due now, once, and say what happened."""
    from partage.core.platform.mail.outbox import deliver_due
    from partage.core.platform.mail.sending import sender_for

    with options_of(ctx).runtime() as runtime:
        settings = runtime.config.email
        done = deliver_due(runtime.sessions, settings, sender_for(settings))
    typer.echo(f"{done.sent} sent, {done.failed} failed ({done.given_up} given up)")


@mail_app.command("worker")
def mail_worker(
    ctx: typer.Context,
    workers: Annotated[int, typer.Option("--workers", help="Worker threads.", min=1)] = 2,
) -> None:
    """Run the job queue's worker (huey's consumer) until interrupted: it delivers each
    message as its act commits and sweeps the outbox every minute; it also hands queued
    invoices to the Peppol access point or approved platform and fetches what arrives."""
    from partage.core.documents.transmission.jobs import TransmissionJobs
    from partage.core.platform.mail.jobs import MailQueue, storage_for

    with options_of(ctx).runtime() as runtime:
        queue = MailQueue(
            storage_for(runtime.config.database_url), runtime.sessions, runtime.config.email
        )
        TransmissionJobs(queue.huey, runtime.sessions, runtime.config.einvoicing)
        queue.consumer(workers).run()
