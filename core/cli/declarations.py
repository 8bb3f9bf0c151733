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

The files an accountant files: ``partage declarations listing --year 2026 -o
listing.xml`` (the annual listing of VAT-registered customers), ``partage declarations
eu-sales --period 2026-Q3 -o intra.xml`` (the listing of intra-EU supplies; France: the
month's état récapitulatif) and ``partage declarations vat-xml --period 2026-07 -o
vat.xml`` (the VAT return in the administration's electronic format), written by the
country plugin (:mod:`partage.core.declarations.listings`), each recorded in the audit
trail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.documents import OutputOption, act, instance_issuer, write_output
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.contract.periods import Period
from partage.core.platform import clock

if TYPE_CHECKING:
    from partage.core.contract.tax import ReturnBox
    from partage.core.declarations.returns import SocialSummary, VatGroup, VatReturn
    from partage.core.payroll.models import DeclarationRecord

declarations_app = typer.Typer(
    help="Declarations: the VAT return, the social summary, employment declarations.",
    no_args_is_help=True,
)

PeriodOption = Annotated[
    str, typer.Option("--period", "-p", help="YYYY-MM (a month) or YYYY-Qn (a quarter).")
]
_PERIOD = re.compile(r"^(\d{4})-(?:(\d{2})|Q([1-4]))$")


def parse_period(text: str, *, quarters: bool = True) -> Period:
    """``YYYY-MM`` as its calendar month, ``YYYY-Qn`` as its quarter; a
    :class:`~partage.core.cli.books.UsageError` naming ``--period`` otherwise."""
    found = _PERIOD.match(text.strip().upper())
    shape = "YYYY-MM or YYYY-Qn" if quarters else "YYYY-MM"
    if found is None or (found.group(3) and not quarters):
        raise UsageError("--period", f"{text!r} is not a period ({shape})")
    year = int(found.group(1))
    if found.group(3):
        return Period.quarter_of(date(year, 3 * int(found.group(3)), 1))
    month = int(found.group(2))
    if not 1 <= month <= 12:
        raise UsageError("--period", f"{text!r} has no month {month:02d}")
    return Period.month_of(date(year, month, 1))


@declarations_app.command("vat")
def vat(ctx: typer.Context, period: PeriodOption, fmt: FormatOption = Format.TABLE) -> None:
    """The VAT return of a month or quarter, from the posted books."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.declarations import returns as declarations

    declared_period = parse_period(period)
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        declared = declarations.vat_return(
            session, Cooperative.from_runtime(runtime), declared_period
        )
    if fmt is Format.JSON:
        typer.echo(vat_return_json(declared))
    elif fmt is Format.CSV:
        typer.echo(vat_return_csv(declared))
    else:
        parts = [
            render(BOX_HEADERS, box_rows(declared.boxes), fmt),
            render(GROUP_HEADERS, group_rows(declared.groups), fmt)
            if declared.groups
            else "(no VAT-coded line posted in the period)",
        ]
        if declared.awaiting:
            parts.append(
                "Invoiced in the period, VAT due when the client pays (in no box yet):\n"
                + render(GROUP_HEADERS, group_rows(declared.awaiting), fmt)
            )
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
    from partage.core.acts.cooperative import Cooperative
    from partage.core.declarations import returns as declarations

    month = parse_period(period, quarters=False)
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        summary = declarations.social_summary(session, Cooperative.from_runtime(runtime), month)
    if fmt is Format.JSON:
        typer.echo(social_summary_json(summary))
    elif fmt is Format.CSV:
        typer.echo(social_summary_csv(summary))
    else:
        totals = social_summary_document(summary)["totals"]
        assert isinstance(totals, dict)
        typer.echo(
            "\n\n".join(
                [
                    render(["total", "amount"], [[k, v] for k, v in totals.items()], fmt),
                    render(
                        CONTRIBUTION_HEADERS,
                        contribution_rows(summary),
                        fmt,
                    ),
                    render(BOX_HEADERS, box_rows(summary.boxes), fmt),
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
) -> None:
    """A contract's hire declaration (Dimona, DPAE), as made at hire or made now."""
    actor = cli_actor()
    from partage.core.payroll.declarations import declare_hire

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (runtime, session, coop):
        kept = _summary(
            declare_hire(session, coop, contract, instance_issuer(runtime), on=day, actor=actor)
        )
    _write(kept, output)


@declarations_app.command("employment")
def employment(ctx: typer.Context, period: PeriodOption, output: OutputOption) -> None:
    """The periodic declaration of pay (DmfA each quarter, DSN each month)."""
    actor = cli_actor()
    from partage.core.payroll.declarations import declare_period

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


# --- exports --------------------------------------------------------------------------
BOX_HEADERS = ("box", "label", "amount")
GROUP_HEADERS = ("vat_code", "direction", "journal", "document", "base", "vat")
CONTRIBUTION_HEADERS = ("code", "label", "payer", "workers", "base", "employee", "employer")


def box_rows(boxes: Iterable[ReturnBox]) -> list[list[object]]:
    """Boxes as rows under :data:`BOX_HEADERS`."""
    return [[b.box, b.label, b.amount] for b in boxes]


def group_rows(groups: Iterable[VatGroup]) -> list[list[object]]:
    """VAT groups as rows under :data:`GROUP_HEADERS`."""
    return [[g.vat_code, g.direction, g.journal, g.document, g.base, g.vat] for g in groups]


def contribution_rows(summary: SocialSummary) -> list[list[object]]:
    """Contribution totals as rows under :data:`CONTRIBUTION_HEADERS`, then the
    withholding (an employee deduction whose base the payslips do not keep)."""
    from partage.core.contract.money import from_minor

    rows: list[list[object]] = [
        [c.code, c.label, c.payer, c.workers, c.base, c.employee, c.employer]
        for c in summary.totals.contributions
    ]
    nothing = from_minor(0, summary.currency)
    withholding = summary.totals.withholding
    rows.append(["withholding", "Withholding tax", "employee", "", "", withholding, nothing])
    return rows


def _period(period: Period) -> dict[str, object]:
    return {"start": period.start, "end": period.end}


def vat_return_document(declared: VatReturn) -> dict[str, object]:
    """The VAT return as JSON-ready data: boxes, then what they were computed from."""
    return {
        "period": _period(declared.period),
        "currency": declared.currency,
        "boxes": [dict(zip(BOX_HEADERS, row, strict=True)) for row in box_rows(declared.boxes)],
        "movements": [
            {"vat_code": m.vat_code, "direction": m.direction, "base": m.base, "vat": m.vat}
            for m in declared.movements
        ],
        "groups": [
            dict(zip(GROUP_HEADERS, row, strict=True)) for row in group_rows(declared.groups)
        ],
        "uncoded": {
            "vat_collected": declared.uncoded_collected,
            "vat_deductible": declared.uncoded_deductible,
        },
        "awaiting_payment": [
            dict(zip(GROUP_HEADERS, row, strict=True)) for row in group_rows(declared.awaiting)
        ],
    }


def social_summary_document(summary: SocialSummary) -> dict[str, object]:
    """The social summary as JSON-ready data: totals, contributions, national boxes."""
    totals = summary.totals
    return {
        "period": _period(summary.period),
        "currency": summary.currency,
        "totals": {
            "payslips": totals.payslips,
            "workers": totals.workers,
            "gross": totals.gross,
            "employee_contributions": totals.employee_contributions,
            "employer_contributions": totals.employer_contributions,
            "withholding": totals.withholding,
            "net": totals.net,
            "employer_cost": totals.employer_cost,
            "insurance": summary.insurance,
        },
        "contributions": [
            {
                "code": c.code,
                "label": c.label,
                "payer": c.payer,
                "workers": c.workers,
                "base": c.base,
                "employee": c.employee,
                "employer": c.employer,
            }
            for c in totals.contributions
        ],
        "boxes": [dict(zip(BOX_HEADERS, row, strict=True)) for row in box_rows(summary.boxes)],
    }


def vat_return_json(declared: VatReturn) -> str:
    """The whole VAT return as JSON (amounts as exact strings)."""
    return to_json(vat_return_document(declared))


def vat_return_csv(declared: VatReturn) -> str:
    """The VAT return's boxes as CSV, the form an accountant keys in."""
    return render(BOX_HEADERS, box_rows(declared.boxes), Format.CSV)


def social_summary_json(summary: SocialSummary) -> str:
    """The whole social summary as JSON (amounts as exact strings)."""
    return to_json(social_summary_document(summary))


def social_summary_csv(summary: SocialSummary) -> str:
    """The contribution totals and the withholding as CSV."""
    return render(CONTRIBUTION_HEADERS, contribution_rows(summary), Format.CSV)


# --- the files an accountant files ------------------------------------------------------
def _file_listing(ctx: typer.Context, kind: str, period: Period, output: Path) -> None:
    """Make a listing of clients, record it, write it once committed."""
    actor = cli_actor()
    from partage.core.declarations import listings

    with act(ctx) as (runtime, session, coop):
        made = listings.sales_listing(
            session, coop, instance_issuer(runtime), kind, period, actor=actor
        )
        kept = (
            made.content,
            f"{made.kind} of {period.label} ({made.format}, {len(made.content)} bytes)",
        )
    _write(kept, output)


@declarations_app.command("listing")
def listing(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="The calendar year listed.")],
    output: OutputOption,
) -> None:
    """The annual listing of VAT-registered customers (Belgium: Intervat XML)."""
    _file_listing(ctx, "customers", Period(date(year, 1, 1), date(year, 12, 31)), output)


@declarations_app.command("eu-sales")
def eu_sales(ctx: typer.Context, period: PeriodOption, output: OutputOption) -> None:
    """The listing of intra-EU supplies of a month or quarter (Belgium: Intervat XML;
    France: the état récapitulatif, monthly, as CSV)."""
    _file_listing(ctx, "eu_sales", parse_period(period), output)


@declarations_app.command("vat-xml")
def vat_xml(ctx: typer.Context, period: PeriodOption, output: OutputOption) -> None:
    """The VAT return of a month or quarter in the administration's electronic format
    (Belgium: Intervat XML)."""
    actor = cli_actor()
    from partage.core.declarations import listings

    declared = parse_period(period)
    with act(ctx) as (runtime, session, coop):
        made = listings.vat_return_file(
            session, coop, instance_issuer(runtime), declared, actor=actor
        )
        kept = (
            made.content,
            f"{made.kind} of {declared.label} ({made.format}, {len(made.content)} bytes)",
        )
    _write(kept, output)
