"""``partage books ...``: the ledger's reports and period operations on the command line.

For accountants and testers: every report takes ``--entity`` (a book's code; omitted:
the whole instance, every book summed: the management view), ``--from``/``--to`` and
``--format table|csv|json``. ``partage books statutory`` gives the legal person's
statements, internal flows eliminated (:mod:`partage.core.ledger.statutory`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.contract.errors import PartageError
from partage.core.platform import clock

if TYPE_CHECKING:
    from partage.core.ledger import reports
    from partage.core.platform.runtime import Runtime

books_app = typer.Typer(help="The books: reports, exports and periods.", no_args_is_help=True)

EntityOption = Annotated[
    str | None, typer.Option("--entity", "-e", help="Book code; omit for the whole instance.")
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: fiscal year start).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
]


class UsageError(PartageError):
    """A command-line argument breaks its rule."""

    usage = True


def parse_day(option: str, text: str) -> date:
    """A ``YYYY-MM-DD`` argument, or a :class:`UsageError` naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(option, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _runtime(ctx: typer.Context) -> Runtime:
    return options_of(ctx).runtime()


def _range(runtime: Runtime, start: str | None, end: str | None) -> tuple[date, date]:
    from partage.core.ledger import periods

    last = parse_day("--to", end) if end else clock.today()
    if start:
        return parse_day("--from", start), last
    year = periods.fiscal_year_containing(last, runtime.config.fiscal_year_start_month)
    return year.start, last


@books_app.command("trial-balance")
def trial_balance(
    ctx: typer.Context,
    entity: EntityOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Opening balance, debits, credits and closing balance of every account."""
    from partage.core.ledger import trial_balances

    with _runtime(ctx) as runtime:
        first, last = _range(runtime, start, end)
        with runtime.sessions() as session:
            report = trial_balances.trial_balance(session, book=entity, start=first, end=last)
    typer.echo(
        render(trial_balances.TRIAL_BALANCE_HEADERS, trial_balances.trial_balance_rows(report), fmt)
    )


@books_app.command("ledger")
def general_ledger(
    ctx: typer.Context,
    account: Annotated[str, typer.Option("--account", "-a", help="Account code.")],
    entity: EntityOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Every posting to one account, with opening and running balances."""
    from partage.core.ledger import general_ledgers

    with _runtime(ctx) as runtime:
        first, last = _range(runtime, start, end)
        with runtime.sessions() as session:
            report = general_ledgers.general_ledger(
                session, account=account, book=entity, start=first, end=last
            )
    headers = list(general_ledgers.GENERAL_LEDGER_HEADERS)
    rows: list[list[Any]] = [["", "", "", "", "", "opening balance", "", "", "", report.opening]]
    rows += [[getattr(ln, h) for h in headers] for ln in report.lines]
    rows.append(["", "", "", "", "", "closing balance", "", "", "", report.closing])
    typer.echo(render(headers, rows, fmt))


@books_app.command("journal")
def journal(
    ctx: typer.Context, entity: EntityOption = None, start: FromOption = None, end: ToOption = None
) -> None:
    """Export every journal line of the range as CSV."""
    from partage.core.ledger import exports

    with _runtime(ctx) as runtime:
        first, last = _range(runtime, start, end)
        with runtime.sessions() as session:
            typer.echo(exports.journal_csv(session, book=entity, start=first, end=last), nl=False)


def _statement_rows(statement: reports.Statement) -> list[list[Any]]:
    rows: list[list[Any]] = []

    def walk(section: reports.Section, side: str, depth: int) -> None:
        rows.append([side, "  " * depth + section.code, section.name, section.amount])
        for child in section.children:
            walk(child, side, depth + 1)

    for side, sections in statement.sides.items():
        for section in sections:
            walk(section, side, 0)
        rows.append([side, "total", "", statement.totals[side]])
    return rows


def _echo_statement(statement: reports.Statement, fmt: Format) -> None:
    if fmt is Format.JSON:
        from dataclasses import asdict

        typer.echo(to_json(asdict(statement)))
    else:
        typer.echo(render(["side", "account", "name", "amount"], _statement_rows(statement), fmt))


@books_app.command("balance-sheet")
def balance_sheet(
    ctx: typer.Context,
    entity: EntityOption = None,
    end: ToOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Assets, liabilities and equity at a date, in the chart's layout."""
    from partage.core.ledger import reports

    with _runtime(ctx) as runtime:
        on = parse_day("--to", end) if end else clock.today()
        with runtime.sessions() as session:
            statement = reports.balance_sheet(session, book=entity, on=on)
    _echo_statement(statement, fmt)


@books_app.command("profit-and-loss")
def profit_and_loss(
    ctx: typer.Context,
    entity: EntityOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Expenses and income of a range, and the result, in the chart's layout."""
    from partage.core.ledger import reports

    with _runtime(ctx) as runtime:
        first, last = _range(runtime, start, end)
        with runtime.sessions() as session:
            statement = reports.profit_and_loss(session, book=entity, start=first, end=last)
    _echo_statement(statement, fmt)


@books_app.command("open-year")
def open_year(
    ctx: typer.Context, year: Annotated[int, typer.Argument(help="Fiscal year.")]
) -> None:
    """Open a fiscal year and its twelve months."""
    from partage.core.ledger import periods
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        periods.open_year(
            session, year, actor=cli_actor(), start_month=runtime.config.fiscal_year_start_month
        )
    typer.echo(f"fiscal year {year} opened")


@books_app.command("close-month")
def close_month(ctx: typer.Context, month: Annotated[str, typer.Argument(help="YYYY-MM.")]) -> None:
    """Close a month to new postings."""
    from partage.core.ledger import periods
    from partage.core.platform.db.engine import transaction

    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise UsageError("month", f"{month!r} is not a month (YYYY-MM)") from None
    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        periods.close_month(session, first.year, first.month, actor=cli_actor())
    typer.echo(f"month {month} closed")


@books_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check that the kept balances equal the sums of the posted lines; exit 1 if not."""
    from partage.core.ledger import balances
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        mismatches = balances.verify(session)
    for m in mismatches:
        typer.echo(
            f"book {m.book_id}, account {m.account_id}, {m.month:%Y-%m}, {m.kind}: "
            f"kept debit {m.kept[0]} credit {m.kept[1]}, "
            f"lines debit {m.lines[0]} credit {m.lines[1]} (minor units)"
        )
    if mismatches:
        typer.echo(f"{len(mismatches)} kept balances differ from their lines", err=True)
        raise typer.Exit(1)
    typer.echo("kept balances equal the sums of the lines")


@books_app.command("statutory")
def statutory(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The legal person's statements: trial balance, balance sheet, profit and loss, with
    the flows between books (fee, internal invoices, current accounts, the fund's
    management movements) eliminated."""
    from dataclasses import asdict

    from partage.core.ledger import statutory as statements
    from partage.core.ledger import trial_balances

    with _runtime(ctx) as runtime:
        first, last = _range(runtime, start, end)
        with runtime.sessions() as session:
            found = statements.statutory_statements(session, start=first, end=last)
    if fmt is Format.JSON:
        typer.echo(to_json(asdict(found)))
        return
    typer.echo(
        render(
            trial_balances.TRIAL_BALANCE_HEADERS,
            trial_balances.trial_balance_rows(found.trial_balance),
            fmt,
        )
    )
    for statement in (found.balance_sheet, found.profit_and_loss):
        typer.echo(f"\n{statement.title} ({statement.currency}), result {statement.result}")
        _echo_statement(statement, fmt)
    eliminated = [[e.account, e.name, e.debit, e.credit] for e in found.eliminated]
    eliminated.append(["unmatched", "", found.unmatched, ""])
    typer.echo("\nEliminated (flows between books)")
    typer.echo(render(["account", "name", "debit", "credit"], eliminated, fmt))


@books_app.command("appropriate")
def appropriate(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="The closed fiscal year.")],
    decided_on: Annotated[
        str, typer.Option("--date", help="The general assembly's date, YYYY-MM-DD.")
    ],
    decision: Annotated[
        str, typer.Option("--decision", help="The decision's reference (minutes, resolution).")
    ],
    legal_reserve: Annotated[
        str | None, typer.Option("--legal-reserve", help="Default: what the law requires.")
    ] = None,
    guarantee_fund: Annotated[
        str | None,
        typer.Option("--guarantee-fund", help="Default: the fund's movements of the year."),
    ] = None,
    other_reserves: Annotated[
        str | None, typer.Option("--other-reserves", help="Default: the rest of the result.")
    ] = None,
) -> None:
    """Record and post the general assembly's appropriation of a closed year's result."""
    from partage.core.acts import appropriation
    from partage.core.cli.documents import act

    day = parse_day("--date", decided_on)
    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        done = appropriation.appropriate(
            session,
            coop,
            fiscal_year=year,
            decided_on=day,
            decision=decision,
            actor=actor,
            legal_reserve=legal_reserve,
            guarantee_fund=guarantee_fund,
            other_reserves=other_reserves,
        )
    typer.echo(
        f"result of fiscal year {year} appropriated ({coop.currency}): result {done.result}; "
        f"legal reserve {done.legal_reserve}, guarantee fund {done.guarantee_fund}, "
        f"other reserves {done.other_reserves}, carried forward {done.carried_forward}"
    )


@books_app.command("close-year")
def close_year(
    ctx: typer.Context, year: Annotated[int, typer.Argument(help="Fiscal year.")]
) -> None:
    """Close a fiscal year: result to the result account, balances carried forward."""
    from partage.core.ledger import periods
    from partage.core.ledger.posting import Ledger
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        done = periods.close_year(
            session, Ledger(runtime.config.fiscal_year_start_month), year, actor=cli_actor()
        )
    typer.echo(
        f"fiscal year {year} closed: {done.closing_entries} closing and "
        f"{done.opening_entries} opening entries in {done.books} books"
    )


@books_app.command("fec")
def fec(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="The fiscal year.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="File or folder (default: <SIREN>FEC<date>.txt here)."),
    ] = None,
    separator: Annotated[str, typer.Option("--separator", help="tab or pipe.")] = "tab",
    encoding: Annotated[
        str, typer.Option("--encoding", help="iso-8859-15 or utf-8 (say so in the description).")
    ] = "iso-8859-15",
) -> None:
    """Write the French Fichier des écritures comptables of a fiscal year (LPF art. A47
    A-1): the legal person's entries, internal flows eliminated."""
    from pathlib import Path

    from partage.core.cli.documents import instance_issuer, write_output
    from partage.core.declarations import fec as fec_export
    from partage.core.ledger import periods
    from partage.core.platform.db.engine import transaction

    actor = cli_actor()
    with _runtime(ctx) as runtime:
        siren = instance_issuer(runtime).company_id
        days = periods.fiscal_year_period(year, runtime.config.fiscal_year_start_month)
        with transaction(runtime.sessions) as session:
            made = fec_export.export_fec(
                session,
                siren=siren,
                start=days.start,
                end=days.end,
                actor=actor,
                separator=separator,
                encoding=encoding,
            )
    path = Path(output) if output else Path(made.filename)
    if path.is_dir():
        path = path / made.filename
    write_output(path, made.content)
    typer.echo(
        f"{made.filename}: {made.entries} entries, {made.lines} lines, debit {made.debit}, "
        f"credit {made.credit}, {made.lettered} lines lettered, written to {path}"
    )
