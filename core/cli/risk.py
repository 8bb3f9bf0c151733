"""``partage risk ...``: the salary guarantee fund, what it can bear and what it bears.

``partage risk report`` prints the fund's balance, leverage, capacity, the coverage
granted and in use, the capacity left, each entity's coverage, the lapsed and the
written-off receivables and the losses the fund absorbed (``--on`` a day, default
today). ``--format json`` gives the whole report; ``--format csv`` one section
(``--section``, the entities by default), the table an accountant works from.

``partage risk allocate 5000.00 --reason "general assembly of 2026-06-20"`` allocates
to the fund what the general assembly decided, raising its capacity.

``partage risk takeovers`` lists the advisers' queue: receivables the fund took over and
holds, and entities blocked while they owe it an advance. ``partage risk take-over --on
2026-10-01`` takes over every receivable whose coverage lapsed by that day, hands over to
the fund what was settled on those it holds and repays advances: a daily job, idempotent.
"""

from __future__ import annotations

import enum
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.documents import act
from partage.core.cli.options import ActorOption, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.platform import clock

if TYPE_CHECKING:
    from partage.core.risk.report import RiskReport

risk_app = typer.Typer(
    help="The salary guarantee fund: its capacity, exposure and losses.", no_args_is_help=True
)

OnOption = Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD (default: today).")]


class Section(enum.StrEnum):
    """The parts of the risk report."""

    ALL = "all"
    SUMMARY = "summary"
    ENTITIES = "entities"
    LAPSED = "lapsed"
    TAKEN_OVER = "taken-over"
    BLOCKED = "blocked"
    WRITTEN_OFF = "written-off"


SUMMARY_HEADERS = ("figure", "value")
ENTITY_HEADERS = ("entity", "name", "office", "eligible", "coverage", "in_use", "available_funds")
LAPSED_HEADERS = ("entity", "invoice", "client", "due_on", "days_overdue", "outstanding")
HELD_HEADERS = (
    "entity",
    "invoice",
    "client",
    "due_on",
    "taken_over_on",
    "days_overdue",
    "outstanding",
)
BLOCKED_HEADERS = ("entity", "name", "office", "owed_to_fund")
WRITTEN_OFF_HEADERS = (
    "entity",
    "invoice",
    "client",
    "written_off_on",
    "outstanding",
    "vat_recovered",
    "absorbed",
)


def summary_rows(report: RiskReport) -> list[list[Any]]:
    """The fund's figures as rows under :data:`SUMMARY_HEADERS`."""
    return [
        ["fund balance", report.balance],
        ["leverage", report.leverage],
        ["capacity", report.capacity],
        ["coverage granted", report.granted],
        ["coverage in use (exposure)", report.in_use],
        ["capacity left", report.headroom],
        ["losses absorbed", report.losses_absorbed],
        ["tied up (taken over, advances)", report.tied],
    ]


def section_rows(report: RiskReport, section: Section) -> tuple[tuple[str, ...], list[list[Any]]]:
    """One section's headers and rows."""
    if section is Section.SUMMARY:
        return SUMMARY_HEADERS, summary_rows(report)
    if section is Section.ENTITIES:
        return ENTITY_HEADERS, [list(asdict(r).values()) for r in report.entities]
    if section is Section.LAPSED:
        return LAPSED_HEADERS, [list(asdict(r).values()) for r in report.lapsed]
    if section is Section.TAKEN_OVER:
        return HELD_HEADERS, [list(asdict(r).values()) for r in report.taken_over]
    if section is Section.BLOCKED:
        return BLOCKED_HEADERS, [list(asdict(r).values()) for r in report.blocked]
    return WRITTEN_OFF_HEADERS, [list(asdict(r).values()) for r in report.written_off]


TITLES = {
    Section.ENTITIES: "Coverage per entity",
    Section.LAPSED: "Lapsed receivables (past the guarantee's days overdue, not taken over)",
    Section.TAKEN_OVER: "Receivables taken over by the fund (the client's payments are the fund's)",
    Section.BLOCKED: "Entities blocked (owing the fund an advance)",
    Section.WRITTEN_OFF: "Written-off receivables (losses absorbed by the fund)",
}


@risk_app.command("report")
def report(
    ctx: typer.Context,
    on: OnOption = None,
    fmt: FormatOption = Format.TABLE,
    section: Annotated[
        Section | None,
        typer.Option("--section", help="One part (CSV: default entities; else all)."),
    ] = None,
) -> None:
    """The fund's balance, capacity and exposure, coverage per entity, lapsed,
    taken-over and written-off receivables, blocked entities, losses."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.risk.report import risk_report

    day = parse_day("--on", on) if on else clock.today()
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        found = risk_report(session, Cooperative.from_runtime(runtime), on=day)
    chosen = section or (Section.ENTITIES if fmt is Format.CSV else Section.ALL)
    if fmt is Format.JSON and chosen is Section.ALL:
        typer.echo(to_json(asdict(found)))
        return
    if fmt is Format.CSV and chosen is Section.ALL:
        raise UsageError(
            "--section",
            "CSV gives one section: summary, entities, lapsed, taken-over, blocked or written-off",
        )
    if chosen is not Section.ALL:
        headers, rows = section_rows(found, chosen)
        typer.echo(render(headers, rows, fmt))
        return
    parts = [
        f"Salary guarantee fund on {day} ({found.currency})\n"
        + render(SUMMARY_HEADERS, summary_rows(found), fmt)
    ]
    for part, title in TITLES.items():
        headers, rows = section_rows(found, part)
        parts.append(f"{title}\n" + (render(headers, rows, fmt) if rows else "(none)"))
    typer.echo("\n\n".join(parts))


@risk_app.command("allocate")
def allocate(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(help="The amount, in the instance's currency.")],
    reason: Annotated[
        str, typer.Option("--reason", help="The general assembly's decision (audit log).")
    ],
    on: OnOption = None,
    actor: ActorOption = "cli",
) -> None:
    """Allocate to the fund what the general assembly decided (raises its capacity)."""
    from partage.core.risk import fund

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_, session, coop):
        done = fund.allocate(session, coop, amount, on=day, actor=actor, reason=reason)
        capacity = fund.fund_report(session, coop, on=day).capacity
    typer.echo(
        f"{done.reference}: {done.amount} {coop.currency} allocated to the salary guarantee "
        f"fund; balance {done.balance}, capacity {capacity} {coop.currency}"
    )


@risk_app.command("takeovers")
def takeovers(ctx: typer.Context, on: OnOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The advisers' queue: receivables the fund took over and holds, entities blocked
    while they owe it an advance, lapsed receivables not taken over yet."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.risk.takeover import takeover_queue

    day = parse_day("--on", on) if on else clock.today()
    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        queue = takeover_queue(session, Cooperative.from_runtime(runtime), on=day)
    if fmt is Format.JSON:
        typer.echo(to_json(asdict(queue)))
        return
    held = [list(asdict(r).values()) for r in queue.held]
    blocked = [list(asdict(r).values()) for r in queue.blocked]
    typer.echo(
        f"Takeovers by the salary guarantee fund on {day} ({queue.currency}): "
        f"{queue.to_take_over} lapsed receivable(s) not taken over yet\n\n"
        f"{TITLES[Section.TAKEN_OVER]}\n"
        + (render(HELD_HEADERS, held, fmt) if held else "(none)")
        + f"\n\n{TITLES[Section.BLOCKED]}\n"
        + (render(BLOCKED_HEADERS, blocked, fmt) if blocked else "(none)")
    )


@risk_app.command("take-over")
def take_over(ctx: typer.Context, on: OnOption = None, actor: ActorOption = "cli") -> None:
    """Take over every receivable whose coverage lapsed by the day, hand over to the
    fund what was settled on those it holds, repay advances (idempotent: a daily job)."""
    from partage.core.risk.takeover import run_takeovers

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_, session, coop):
        done = run_takeovers(session, coop, on=day, actor=actor)
    cur = coop.currency
    lines = [f"{t.invoice} of {t.entity}: {t.amount} {cur} taken over" for t in done.taken_over]
    lines += [f"{n}: {a} {cur} handed over to the fund" for n, a in done.handed_over.items()]
    lines += [f"{e}: {a} {cur} advanced by the fund" for e, a in done.advanced.items()]
    lines += [f"{e}: {a} {cur} repaid to the fund" for e, a in done.repaid.items()]
    typer.echo("\n".join(lines) if lines else f"Nothing to take over on {day}")
