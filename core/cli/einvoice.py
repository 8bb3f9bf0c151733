"""``partage einvoice ...``: sending issued invoices as the law requires, and the
supplier documents received through the same networks.

``send`` routes an invoice (Peppol in Belgium, an approved platform in France, email
otherwise, plus France's e-reporting) and hands what is due to the providers at once;
``status`` shows an invoice's deliveries and their history; ``list`` the newest
deliveries (``--troubled``: those that did not reach the client); ``deliver`` hands
what is due over and asks the providers where sent documents stand (a cron line, or by
hand after a provider came back); ``fetch`` keeps the supplier documents waiting;
``received`` lists them and ``book`` hands one to the importer on an entity. The jobs
of ``partage mail worker`` (or of ``partage serve``) do ``deliver`` and ``fetch`` on
their own.
"""

from __future__ import annotations

from typing import Annotated

import typer

from partage.core.cli.documents import act, instance_issuer
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render

einvoice_app = typer.Typer(
    help=(
        "Sending invoices as the law requires (Peppol, approved platform, email); "
        "supplier documents received."
    ),
    no_args_is_help=True,
)

HEADERS = ["invoice", "entity", "kind", "channel", "provider", "to", "status", "attempts", "reason"]


def _row(d: object) -> list[object]:
    return [
        getattr(d, name)
        for name in (
            "invoice",
            "entity",
            "kind",
            "channel",
            "provider",
            "recipient",
            "status",
            "attempts",
            "reason",
        )
    ]


@einvoice_app.command("send")
def einvoice_send(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The invoice or credit note's number.")],
) -> None:
    """Send an issued invoice every way the law asks, then hand it to the provider."""
    actor = cli_actor()
    from partage.core.documents.transmission import service
    from partage.core.documents.transmission.jobs import channels_of

    with act(ctx) as (runtime, session, coop):
        settings = runtime.config.einvoicing
        done = service.send_invoice(
            session, coop, settings, number, instance_issuer(runtime), actor=actor
        )
        routed = [(d.kind, d.channel, d.status, d.reason) for d in done]
    channels = channels_of(settings)
    if channels:
        run = service.deliver_due(runtime.sessions, settings, channels)
        typer.echo(f"{run.sent} sent, {run.retried} to retry, {run.rejected} rejected")
    for kind, channel, status, reason in routed:
        typer.echo(f"{number}: {kind} by {channel}: {status}" + (f" ({reason})" if reason else ""))


@einvoice_app.command("status")
def einvoice_status(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The invoice or credit note's number.")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """An invoice's deliveries, each with its history."""
    from partage.core.documents.transmission import service

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = service.invoice_deliveries(session, number)
    if not found:
        typer.echo(f"{number}: not sent yet")
        return
    typer.echo(render(HEADERS, [_row(d) for d in found], fmt))
    for d in found:
        for at, status, detail in d.events:
            typer.echo(f"  {d.kind} {at:%Y-%m-%d %H:%M:%S} {status} {detail}")


@einvoice_app.command("list")
def einvoice_list(
    ctx: typer.Context,
    troubled: Annotated[
        bool, typer.Option("--troubled", help="Only what did not reach the client.")
    ] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The newest deliveries."""
    from partage.core.documents.transmission import service

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = service.list_deliveries(session, troubled=troubled)
    typer.echo(render(HEADERS, [_row(d) for d in found], fmt))


@einvoice_app.command("deliver")
def einvoice_deliver(ctx: typer.Context) -> None:
    """Hand what is due to the providers, then ask where sent documents stand."""
    from partage.core.documents.transmission import service
    from partage.core.documents.transmission.jobs import channels_of

    with options_of(ctx).runtime() as runtime:
        settings = runtime.config.einvoicing
        channels = channels_of(settings)
        if not channels:
            typer.echo("no provider is configured ([einvoicing.peppol], [einvoicing.platform])")
            return
        run = service.deliver_due(runtime.sessions, settings, channels)
        changed = service.refresh_statuses(runtime.sessions, channels)
    typer.echo(
        f"{run.sent} sent, {run.retried} to retry, {run.rejected} rejected, "
        f"{run.failed} given up; {changed} status(es) changed"
    )


@einvoice_app.command("fetch")
def einvoice_fetch(ctx: typer.Context) -> None:
    """Keep the supplier documents waiting at the providers (each once)."""
    from partage.core.documents.transmission import service
    from partage.core.documents.transmission.jobs import channels_of

    with options_of(ctx).runtime() as runtime:
        channels = channels_of(runtime.config.einvoicing)
        if not channels:
            typer.echo("no provider is configured ([einvoicing.peppol], [einvoicing.platform])")
            return
        new = service.fetch_received(runtime.sessions, channels, runtime.config.limits)
    typer.echo(f"{new} new supplier document(s) to review")


@einvoice_app.command("received")
def einvoice_received(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option("--status", help="to_review, booked or refused (default: to_review)."),
    ] = "to_review",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The supplier documents received, newest first."""
    from partage.core.documents.transmission import service

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        rows = [
            [
                r.id,
                r.network,
                r.provider,
                r.filename,
                r.received_at,
                r.status,
                r.entity or "",
                r.detail,
            ]
            for r in service.received_documents(session, status)
        ]
    typer.echo(
        render(
            ["id", "network", "provider", "file", "received", "status", "entity", "detail"],
            rows,
            fmt,
        )
    )


@einvoice_app.command("book")
def einvoice_book(
    ctx: typer.Context,
    document: Annotated[int, typer.Argument(help="The received document's id.")],
    entity: Annotated[str, typer.Option("--entity", "-e", help="Entity that bought.")],
) -> None:
    """Book a received supplier document on an entity, through the importer."""
    actor = cli_actor()
    from partage.core.documents.transmission import service

    with act(ctx) as (runtime, session, coop):
        issuer = instance_issuer(runtime) if runtime.config.instance.issuer is not None else None
        done = service.book_received(
            session, coop, document, entity=entity, actor=actor, issuer=issuer
        )
    typer.echo(
        f"document {document}: {done.document.number} of {done.document.seller.name} booked "
        f"for {entity} as {len(done.purchases)} purchase(s)"
    )
