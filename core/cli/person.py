"""``partage person export|erase``: a person's data, on their request (GDPR art. 15 and
17), for the instance's administrators on the server.

A person is named by their code (``P000001``) or, for a client or supplier, by the
party's code (``C000002``). Each export and erasure is recorded in the audit log with
the operating-system user running the command (or the identity ``PARTAGE_ACTOR``
names) as its actor. See ``docs/privacy.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partage.core.cli.books import UsageError
from partage.core.cli.options import options_of

person_app = typer.Typer(
    help="A person's data: export it or erase it (GDPR articles 15 and 17).",
    no_args_is_help=True,
)

Code = Annotated[
    str,
    typer.Argument(
        help="A person's code (P000001), a party's (C000002) or an application's (A000003)."
    ),
]


@person_app.command("export")
def person_export(
    ctx: typer.Context,
    code: Code,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json or pdf.", case_sensitive=False)
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: stdout, JSON only)."),
    ] = None,
) -> None:
    """Everything stored about the person, with the records the law keeps and until
    when; recorded in the audit log."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.contract.errors import PartageError
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction
    from partage.core.privacy import records

    fmt = fmt.lower()
    if fmt not in ("json", "pdf"):
        raise UsageError("--format", f"{fmt!r} must be json or pdf")
    if fmt == "pdf" and output is None:
        raise UsageError("--output", "a PDF is written to a file: name it")
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        coop = Cooperative.from_runtime(runtime)
        data = records.export(
            session,
            coop,
            code,
            on=coop.today(),
            actor=audit.cli_actor(),
            origin=audit.cli_origin(),
            start_month=runtime.config.fiscal_year_start_month,
            fmt=fmt,
        )
    if fmt == "pdf":
        from partage.core.privacy.pdf import render

        content = render(data)
    else:
        content = data.to_json().encode()
    if output is None:
        typer.echo(content.decode(), nl=False)
        return
    try:
        output.write_bytes(content)
    except OSError as error:
        raise PartageError("--output", f"cannot be written: {error.strerror}") from None
    typer.echo(f"{data.subject} exported to {output} ({len(data.kept)} kinds of record kept)")


@person_app.command("erase")
def person_erase(
    ctx: typer.Context,
    code: Code,
    reason: Annotated[
        str, typer.Option("--reason", help="Why: the person's request, its date and channel.")
    ],
) -> None:
    """Pseudonymise the person's data at once, keep what the law requires and say until
    when; refused, naming why, while the law or an open obligation still needs them."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction
    from partage.core.privacy import records

    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        coop = Cooperative.from_runtime(runtime)
        done = records.erase(
            session,
            coop,
            code,
            on=coop.today(),
            actor=audit.cli_actor(),
            origin=audit.cli_origin(),
            reason=reason,
            start_month=runtime.config.fiscal_year_start_month,
        )
    if done.already:
        typer.echo(f"{done.subject} was already erased: nothing changed")
    else:
        typer.echo(f"{done.subject} erased: " + "; ".join(done.pseudonymised))
    for kept in done.kept:
        typer.echo(
            f"kept: {kept.kind} {kept.reference} ({kept.count}) until {kept.kept_until.isoformat()}"
        )
