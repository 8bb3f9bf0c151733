"""``partage declarations ...``: the VAT return and the social-declaration summary.

``partage --instance be declarations vat --period 2026-07`` prints the month's VAT
return as the country's form (BE grids, FR CA3 lines) computed from the posted books;
``--period 2026-Q3`` declares a quarter. ``partage declarations social --period
2026-07`` prints the month's payroll totals per contribution and the national
declaration's boxes. ``--format csv`` gives the table an accountant keys in (the boxes;
the contribution totals), ``--format json`` the whole document. Nothing is written.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated

import typer

from partage.core import declarations
from partage.core.acts import Cooperative
from partage.core.cli_books import UsageError
from partage.core.cli_options import Options
from partage.core.contract import Period
from partage.core.output import Format, render

declarations_app = typer.Typer(
    help="Declarations: the VAT return and the social-declaration summary.",
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
    runtime = ctx.find_object(Options).runtime()
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
    runtime = ctx.find_object(Options).runtime()
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
