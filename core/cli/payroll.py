"""``partage payroll ...``: the payslip simulator and the payroll calendar, for advisers
and testers; hiring and contract offers, for staff.

``partage --instance be payroll simulate --date 2026-03-01 --gross 3000`` prints the
month's payslip computed by the instance's country plugin, with every contribution
line and the totals; ``--employer-cost`` runs the inverse (the gross a budget buys)
first. ``partage --instance be payroll calendar --date 2026-05-01`` lists the month's
working days and public holidays. Nothing is written anywhere: the commands only call
the plugin's hooks.

``hire``, ``offer``, ``accept`` and ``refuse`` are staff's work, in the name of the
staff login ``--login`` names (an adviser or office manager of the entity's office, or
an administrator): a hire staff enter is theirs to vouch for, an offer waits for the
worker's answer, and an offer staff answer is answered on the worker's behalf, recorded
so. ``offers`` lists the offers and their answers.
"""

from __future__ import annotations

import enum
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.documents import act
from partage.core.cli.options import LoginOption, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.contract.errors import PluginError
from partage.core.contract.periods import Period
from partage.core.platform import clock

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from partage.core.access.roles import Principal
    from partage.core.acts.working_days import WorkingDays
    from partage.core.contract.payroll import Payslip
    from partage.core.payroll.service import Terms

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
    # A payslip is computed by the plugins alone: no database is opened.
    runtime = options_of(ctx).configured()
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
    calendar = working_days(options_of(ctx).configured().plugins, period.start, period.end)
    if fmt is Format.JSON:
        typer.echo(to_json(calendar_document(calendar)))
        return
    typer.echo(f"{period.start} to {period.end}: {len(calendar)} working days")
    rows = [[day, day.strftime("%A")] for day in calendar.holidays]
    typer.echo(render(["public holiday", "weekday"], rows, fmt) if rows else "(no public holiday)")


class OfferState(enum.StrEnum):
    """``--status`` of ``payroll offers``: the values of
    :class:`~partage.core.payroll.models.OfferStatus`, named here so that the help needs
    no database model."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


#: The options of a contract's terms, shared by ``hire`` and ``offer``.
EntityOption = Annotated[str, typer.Option("--entity", "-e", help="The paying entity.")]
MemberOption = Annotated[int, typer.Option("--member", help="The worker's membership number.")]
StartOption = Annotated[str, typer.Option("--start", help="First day of work, YYYY-MM-DD.")]
CategoryOption = Annotated[
    str, typer.Option("--category", help="The country's worker category code.")
]
EndOption = Annotated[str | None, typer.Option("--end", help="Last day (fixed term).")]
GrossOption = Annotated[str | None, typer.Option("--gross", help="Monthly gross.")]
HourlyOption = Annotated[str | None, typer.Option("--hourly-rate", help="Gross per hour.")]
PartTimeOption = Annotated[
    str, typer.Option("--part-time", help="Fraction of full time, e.g. 0.5.")
]
TaxOption = Annotated[str, typer.Option("--tax-situation", help="The country's household code.")]
ChildrenOption = Annotated[int, typer.Option("--children", help="Dependent children.")]


def _terms(
    entity: str,
    member: int,
    start: str,
    category: str,
    end: str | None,
    gross: str | None,
    hourly_rate: str | None,
    part_time: str,
    tax_situation: str,
    children: int,
) -> Terms:
    """A contract's terms from the options; exactly one of a gross and an hourly rate."""
    from partage.core.payroll.service import Terms

    if (gross is None) == (hourly_rate is None):
        raise UsageError(None, "give exactly one of --gross or --hourly-rate")
    return Terms(
        entity=entity,
        member=member,
        worker_category=category,
        start=parse_day("--start", start),
        end=parse_day("--end", end) if end else None,
        monthly_gross=gross,
        hourly_rate=hourly_rate,
        part_time=part_time,
        tax_situation=tax_situation,
        dependent_children=children,
    )


def _reach_offer(session: Session, me: Principal, offer: str) -> None:
    """Refuse an offer of an entity outside the staff login's office (not found)."""
    from partage.core.access.roles import reachable_entity
    from partage.core.acts.cooperative import NotFound
    from partage.core.payroll import offers

    found = offers.offers(session, code=offer)
    if not found:
        raise NotFound("offer", "no such contract offer", value=repr(offer))
    reachable_entity(session, me, found[0].entity)


@payroll_app.command("hire")
def hire(
    ctx: typer.Context,
    entity: EntityOption,
    member: MemberOption,
    start: StartOption,
    login: LoginOption,
    category: CategoryOption = "employee",
    end: EndOption = None,
    gross: GrossOption = None,
    hourly_rate: HourlyOption = None,
    part_time: PartTimeOption = "1",
    tax_situation: TaxOption = "single",
    children: ChildrenOption = 0,
    on: Annotated[
        str | None, typer.Option("--on", help="The day the hire is recorded (default: today).")
    ] = None,
) -> None:
    """Hire a member as staff (the hire is theirs to vouch for): the first month checked
    against the entity's funds, the hire declared to the State."""
    from partage.core.access.roles import reachable_entity, staff_principal
    from partage.core.payroll import service
    from partage.core.payroll.service import Consent

    terms = _terms(
        entity, member, start, category, end, gross, hourly_rate, part_time, tax_situation, children
    )
    recorded = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_runtime, session, coop):
        me = staff_principal(session, login)
        reachable_entity(session, me, entity)
        contract = service.hire(
            session,
            coop,
            entity=terms.entity,
            member=terms.member,
            worker_category=terms.worker_category,
            start=terms.start,
            end=terms.end,
            monthly_gross=terms.monthly_gross,
            hourly_rate=terms.hourly_rate,
            part_time=terms.part_time,
            tax_situation=terms.tax_situation,
            dependent_children=terms.dependent_children,
            on=recorded,
            actor=me.actor,
            consent=Consent.STAFF,
        )
        code = contract.code
    typer.echo(
        f"contract {code}: member {member} hired by {entity} from {terms.start} ({me.actor})"
    )


@payroll_app.command("offer")
def offer(
    ctx: typer.Context,
    entity: EntityOption,
    member: MemberOption,
    start: StartOption,
    login: LoginOption,
    category: CategoryOption = "employee",
    end: EndOption = None,
    gross: GrossOption = None,
    hourly_rate: HourlyOption = None,
    part_time: PartTimeOption = "1",
    tax_situation: TaxOption = "single",
    children: ChildrenOption = 0,
) -> None:
    """Offer a member a contract as staff: nothing is hired, declared or reserved until
    the worker accepts it from their own login (or staff do it for them)."""
    from partage.core.access.roles import reachable_entity, staff_principal
    from partage.core.payroll import offers

    terms = _terms(
        entity, member, start, category, end, gross, hourly_rate, part_time, tax_situation, children
    )
    with act(ctx) as (_runtime, session, coop):
        me = staff_principal(session, login)
        reachable_entity(session, me, entity)
        code = offers.offer_contract(session, coop, terms, actor=me.actor).code
    typer.echo(f"offer {code}: member {member} asked to work for {entity} from {terms.start}")


@payroll_app.command("offers")
def list_offers(
    ctx: typer.Context,
    status: Annotated[
        OfferState | None, typer.Option(help="Only offers in this state (pending: waiting).")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Contract offers made to members, the newest first, with their answer."""
    from partage.core.contract.money import from_minor
    from partage.core.payroll import offers
    from partage.core.payroll.models import OfferStatus

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        currency = runtime.config.instance.currency
        rows = [
            [
                view.offer.code,
                view.entity,
                view.member,
                view.offer.worker_category,
                view.offer.start,
                view.offer.end,
                from_minor(view.offer.monthly_gross, currency) if view.offer.monthly_gross else "",
                from_minor(view.offer.hourly_rate, currency) if view.offer.hourly_rate else "",
                view.offer.status,
                view.offer.offered_by,
                view.offer.decided_by or "",
                "yes" if view.offer.on_behalf else "",
                view.contract or "",
            ]
            for view in offers.offers(session, status=OfferStatus(status.value) if status else None)
        ]
    headers = [
        "offer",
        "entity",
        "member",
        "category",
        "start",
        "end",
        "monthly_gross",
        "hourly_rate",
        "status",
        "offered_by",
        "answered_by",
        "on_behalf",
        "contract",
    ]
    typer.echo(render(headers, rows, fmt) if rows or fmt is not Format.TABLE else "no offer")


@payroll_app.command("accept")
def accept(
    ctx: typer.Context,
    offer: Annotated[str, typer.Argument(help="The offer's code (O000001).")],
    login: LoginOption,
    on: Annotated[
        str | None, typer.Option("--on", help="The day it is accepted (default: today).")
    ] = None,
) -> None:
    """Accept an offer on the worker's behalf, as staff (recorded so): the contract is
    hired now, its funds checked and the hire declared."""
    from partage.core.access.roles import staff_principal
    from partage.core.payroll import offers

    recorded = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_runtime, session, coop):
        me = staff_principal(session, login)
        _reach_offer(session, me, offer)
        contract = offers.accept_offer(
            session, coop, offer, actor=me.actor, on_behalf=True, on=recorded
        )
        code = contract.code
    typer.echo(f"offer {offer} accepted for the worker by {me.actor}: contract {code}")


@payroll_app.command("refuse")
def refuse(
    ctx: typer.Context,
    offer: Annotated[str, typer.Argument(help="The offer's code (O000001).")],
    login: LoginOption,
    reason: Annotated[str, typer.Option(help="Why, in the worker's words.")] = "",
) -> None:
    """Refuse an offer on the worker's behalf, as staff (recorded so)."""
    from partage.core.access.roles import staff_principal
    from partage.core.payroll import offers

    with act(ctx) as (_runtime, session, _coop):
        me = staff_principal(session, login)
        _reach_offer(session, me, offer)
        offers.refuse_offer(session, offer, actor=me.actor, on_behalf=True, reason=reason)
    typer.echo(f"offer {offer} refused for the worker by {me.actor}")
