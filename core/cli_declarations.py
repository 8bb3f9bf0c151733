"""``partage declarations ...``: the VAT return, the social-declaration summary and the
employment declarations.

``partage --instance be declarations vat --period 2026-07`` prints the month's VAT
return as the country's form (BE grids, FR CA3 lines) computed from the posted books;
``--period 2026-Q3`` declares a quarter. ``partage declarations social --period
2026-07`` prints the month's payroll totals per contribution and the national
declaration's boxes. ``--format csv`` gives the table an accountant keys in (the boxes;
the contribution totals), ``--format json`` the whole document. Nothing is written.

``partage declarations hire K000001 -o dimona.json`` writes a contract's hire declaration
(Belgium's Dimona, France's DPAE), made when the member was hired, or made now for a
contract hired before the instance had its issuer facts; ``partage declarations
employment --period 2026-Q3 -o dmfa.json`` produces the periodic declaration of pay
(the quarter's DmfA, the month's DSN). Both are stored once and never change: asking
again writes the stored file.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from partage.core import declarations
from partage.core.acts import Cooperative
from partage.core.cli_books import UsageError, parse_day
from partage.core.cli_documents import ActorOption, OutputOption, act, instance_issuer, write_output
from partage.core.cli_options import options_of
from partage.core.contract import Period
from partage.core.documents.declarations import declare_hire, declare_period
from partage.core.documents.models import DeclarationRecord
from partage.core.output import Format, render

declarations_app = typer.Typer(
    help="Declarations: the VAT return, the social summary, employment declarations.",
    no_args_is_help=True,
)

PeriodOption = Annotated[
    str, typer.Option("--period", "-p", help="YYYY-MM (a month) or YYYY-Qn (a quarter).")
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
_PERIOD = re.compile(r"^(\d{4})-(?:(\d{2})|Q([1-4]))$")


def parse_period(text: str, *, quarters: bool = True) -> Period:
    """``YYYY-MM`` as its calendar month, ``YYYY-Qn`` as its quarter; a
    :class:`~partage.core.cli_books.UsageError` naming ``--period`` otherwise."""
    found = _PERIOD.match(text.strip().upper())
    shape = "YYYY-MM or YYYY-Qn" if quarters else "YYYY-MM"
    if found is None or (found.group(3) and not quarters):
        raise UsageError(f"--period: {text!r} is not a period ({shape})")
    year = int(found.group(1))
    if found.group(3):
        first = 3 * int(found.group(3)) - 2
        last = first + 2
    else:
        first = last = int(found.group(2))
        if not 1 <= first <= 12:
            raise UsageError(f"--period: {text!r} has no month {first:02d}")
    return Period(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


@declarations_app.command("vat")
def vat(ctx: typer.Context, period: PeriodOption, fmt: FormatOption = Format.TABLE) -> None:
    """The VAT return of a month or quarter, from the posted books."""
    declared_period = parse_period(period)
    runtime = options_of(ctx).runtime()
    try:
        with runtime.sessions() as session:
            declared = declarations.vat_return(
                session, Cooperative.from_runtime(runtime), declared_period
            )
    finally:
        runtime.close()
    if fmt is Format.JSON:
        typer.echo(declarations.vat_return_json(declared))
    elif fmt is Format.CSV:
        typer.echo(declarations.vat_return_csv(declared))
    else:
        parts = [
            render(declarations.BOX_HEADERS, declarations.box_rows(declared.boxes), fmt),
            render(declarations.GROUP_HEADERS, declarations.group_rows(declared.groups), fmt)
            if declared.groups
            else "(no VAT-coded line posted in the period)",
        ]
        if declared.uncoded_collected or declared.uncoded_deductible:
            parts.append(
                f"VAT posted without a VAT code, in no box: collected "
                f"{declared.uncoded_collected}, deductible {declared.uncoded_deductible} "
                f"{declared.currency}"
            )
        typer.echo("\n\n".join(parts))


@declarations_app.command("social")
def social(ctx: typer.Context, period: PeriodOption, fmt: FormatOption = Format.TABLE) -> None:
    """The month's payroll totals per contribution and the national declaration's boxes."""
    month = parse_period(period, quarters=False)
    runtime = options_of(ctx).runtime()
    try:
        with runtime.sessions() as session:
            summary = declarations.social_summary(session, Cooperative.from_runtime(runtime), month)
    finally:
        runtime.close()
    if fmt is Format.JSON:
        typer.echo(declarations.social_summary_json(summary))
    elif fmt is Format.CSV:
        typer.echo(declarations.social_summary_csv(summary))
    else:
        totals = declarations.social_summary_document(summary)["totals"]
        assert isinstance(totals, dict)
        typer.echo(
            "\n\n".join(
                [
                    render(["total", "amount"], [[k, v] for k, v in totals.items()], fmt),
                    render(
                        declarations.CONTRIBUTION_HEADERS,
                        declarations.contribution_rows(summary),
                        fmt,
                    ),
                    render(declarations.BOX_HEADERS, declarations.box_rows(summary.boxes), fmt),
                ]
            )
        )


def _summary(record: DeclarationRecord) -> tuple[bytes, str]:
    """The stored file and the line that describes it, read before the session ends."""
    return record.content, (
        f"{record.kind} of {record.subject} ({record.format}, {len(record.content)} bytes, "
        f"sha256 {record.sha256}, made {record.created_at:%Y-%m-%d %H:%M} UTC by "
        f"{record.created_by})"
    )


def _write(kept: tuple[bytes, str], output: Path) -> None:
    """Write the file once its transaction committed, then say what it is."""
    content, line = kept
    write_output(output, content)
    typer.echo(f"{line} written to {output}")


@declarations_app.command("hire")
def hire(
    ctx: typer.Context,
    contract: Annotated[str, typer.Argument(help="The contract's code (K000001).")],
    output: OutputOption,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Day it is declared, if not yet made (default: today)."),
    ] = None,
    actor: ActorOption = "cli",
) -> None:
    """A contract's hire declaration (Dimona, DPAE), as made at hire or made now."""
    day = parse_day("--on", on) if on else date.today()
    with act(ctx) as (runtime, session, coop):
        kept = _summary(
            declare_hire(session, coop, contract, instance_issuer(runtime), on=day, actor=actor)
        )
    _write(kept, output)


@declarations_app.command("employment")
def employment(
    ctx: typer.Context, period: PeriodOption, output: OutputOption, actor: ActorOption = "cli"
) -> None:
    """The periodic declaration of pay (DmfA each quarter, DSN each month)."""
    declared = parse_period(period)
    with act(ctx) as (runtime, session, coop):
        record = declare_period(
            session,
            coop,
            instance_issuer(runtime),
            start=declared.start,
            end=declared.end,
            actor=actor,
        )
        kept = _summary(record)
    _write(kept, output)
