"""``partage payroll ...``: the payslip simulator and the payroll calendar, for advisers
and testers.

``partage --instance be payroll simulate --date 2026-03-01 --gross 3000`` prints the
month's payslip computed by the instance's country plugin, with every contribution
line and the totals; ``--employer-cost`` runs the inverse (the gross a budget buys)
first. ``partage --instance be payroll calendar --date 2026-05-01`` lists the month's
working days and public holidays. Nothing is written anywhere: the commands only call
the plugin's hooks.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.options import options_of
from partage.core.cli.output import Format, render, to_json
from partage.core.contract.errors import PluginError
from partage.core.contract.periods import Period

if TYPE_CHECKING:
    from partage.core.acts.working_days import WorkingDays
    from partage.core.contract.payroll import Payslip

payroll_app = typer.Typer(
    help="Payroll: simulate payslips, list a month's working days.", no_args_is_help=True
)

LINE_HEADERS = ["code", "label", "payer", "base", "rate", "amount"]


def _amount(option: str, text: str | None) -> Decimal | None:
    """A decimal argument, or a :class:`UsageError` naming the option."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UsageError(option, f"{text!r} is not a number") from None
    if not value.is_finite():
        raise UsageError(option, f"{text!r} is not a finite number")
    return value


def payslip_document(slip: Payslip) -> dict[str, Any]:
    """The payslip as JSON-ready data: every line, then the totals (amounts exact)."""
    return {
        "period": {"start": slip.period.start, "end": slip.period.end},
        "lines": [
            {
                "code": x.code,
                "label": x.label,
                "payer": x.payer,
                "base": x.base,
                "rate": x.rate,
                "amount": x.amount,
            }
            for x in slip.lines
        ],
        "totals": {
            "gross": slip.gross,
            "employee_contributions": slip.employee_contributions,
            "withholding": slip.withholding,
            "net": slip.net,
            "employer_contributions": slip.employer_contributions,
            "employer_cost": slip.employer_cost,
        },
    }


def _table(slip: Payslip) -> str:
    rows: list[list[Any]] = [
        [x.code, x.label, x.payer, x.base, "" if x.rate is None else x.rate, x.amount]
        for x in slip.lines
    ]
    totals = payslip_document(slip)["totals"]
    lines = render(LINE_HEADERS, rows, Format.TABLE) if rows else "(no contribution lines)"
    summary = render(["total", "amount"], [[k, v] for k, v in totals.items()], Format.TABLE)
    return f"{lines}\n\n{summary}"


@payroll_app.command("simulate")
def simulate(
    ctx: typer.Context,
    on: Annotated[str, typer.Option("--date", help="A day of the month paid, YYYY-MM-DD.")],
    gross: Annotated[str | None, typer.Option("--gross", help="Full-time monthly gross.")] = None,
    employer_cost: Annotated[
        str | None, typer.Option("--employer-cost", help="Budget: find the gross it buys.")
    ] = None,
    hourly_rate: Annotated[
        str | None, typer.Option("--hourly-rate", help="Gross per hour (with --hours).")
    ] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="Hours worked in the month.")] = None,
    category: Annotated[
        str, typer.Option("--category", help="The country's worker category code.")
    ] = "employee",
    part_time: Annotated[
        str, typer.Option("--part-time", help="Fraction of full time, e.g. 0.5.")
    ] = "1",
    tax_situation: Annotated[
        str, typer.Option("--tax-situation", help="The country's household code.")
    ] = "single",
    children: Annotated[int, typer.Option("--children", help="Dependent children.")] = 0,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.TABLE,
) -> None:
    """Compute one month's payslip with the law in force on --date."""
    from partage.core.contract.payroll import EmploymentContract

    day = parse_day("--date", on)
    chosen = [
        name
        for name, v in (
            ("--gross", gross),
            ("--employer-cost", employer_cost),
            ("--hourly-rate", hourly_rate),
        )
        if v is not None
    ]
    if len(chosen) != 1:
        raise UsageError(None, "give exactly one of --gross, --employer-cost or --hourly-rate")
    if (hourly_rate is None) != (hours is None):
        raise UsageError(None, "--hourly-rate and --hours go together")
    if fmt is Format.CSV:
        raise UsageError("--format", "csv is not offered here; use table or json")
    contract = EmploymentContract(
        worker_category=category,
        start=day,
        monthly_gross=_amount("--gross", gross),
        hourly_rate=_amount("--hourly-rate", hourly_rate),
        hours=_amount("--hours", hours),
        part_time=_amount("--part-time", part_time) or Decimal(0),
        tax_situation=tax_situation,
        dependent_children=children,
    )
    period = Period.month_of(day)
    with options_of(ctx).runtime() as runtime:
        hook = runtime.plugins.hook
        budget = _amount("--employer-cost", employer_cost)
        if budget is not None:
            found = hook.partage_gross_for_employer_cost(
                contract=contract, period=period, employer_cost=budget
            )
            if found is None:
                raise PluginError(None, "the country plugin does not compute the inverse payslip")
            monthly = found / contract.part_time if contract.part_time else found
            contract = EmploymentContract(**{**contract.__dict__, "monthly_gross": monthly})
        slip = hook.partage_payslip(contract=contract, period=period)
        if slip is None:
            raise PluginError(None, "the country plugin does not compute payslips")
    typer.echo(to_json(payslip_document(slip)) if fmt is Format.JSON else _table(slip))


def calendar_document(calendar: WorkingDays) -> dict[str, Any]:
    """The working days of a month as JSON-ready data."""
    return {
        "start": calendar.start,
        "end": calendar.end,
        "working_days": len(calendar),
        "days": list(calendar.days),
        "public_holidays": list(calendar.holidays),
    }


@payroll_app.command("calendar")
def payroll_calendar(
    ctx: typer.Context,
    on: Annotated[str, typer.Option("--date", help="A day of the month, YYYY-MM-DD.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.TABLE,
) -> None:
    """List the working days of a payroll month: Monday to Friday, less the country's
    public holidays."""
    from partage.core.acts.working_days import working_days

    if fmt is Format.CSV:
        raise UsageError("--format", "csv is not offered here; use table or json")
    period = Period.month_of(parse_day("--date", on))
    with options_of(ctx).runtime() as runtime:
        calendar = working_days(runtime.plugins, period.start, period.end)
    if fmt is Format.JSON:
        typer.echo(to_json(calendar_document(calendar)))
        return
    typer.echo(f"{period.start} to {period.end}: {len(calendar)} working days")
    rows = [[day, day.strftime("%A")] for day in calendar.holidays]
    typer.echo(render(["public holiday", "weekday"], rows, fmt) if rows else "(no public holiday)")
