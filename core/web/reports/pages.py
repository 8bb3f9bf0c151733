"""Pages of the wider views: an office with its chart of funds, the instance's figures
with their charts, the guarantee fund's risk report, and the franchisor's network page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from litestar import Request, Response, get, post
from markupsafe import Markup
from sqlalchemy import select

from partage.core.access.models import Role
from partage.core.access.roles import Principal, reachable_office, require
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_, PartageError
from partage.core.franchise.received import Receipt
from partage.core.franchise.report_schema import parse_report
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.members import follow_up
from partage.core.members.models import Office
from partage.core.platform.db.engine import transaction
from partage.core.risk.solvency import fund_balance_on
from partage.core.web import charts
from partage.core.web.deps import day
from partage.core.web.pages import MultipartForm, Page, PathStr, UrlForm, guarded, see, uploaded
from partage.core.web.problems import kind_of
from partage.core.web.reports import network, risk, views
from partage.core.web.reports import schemas as s
from partage.core.web.reports.figures import instance_figures, network_report

#: How many entities the office page charts and lists, those with the lowest funds; the
#: full list is the searchable one (``/entities?office=...``).
CHARTED = 15


@get("/offices/{code:str}", sync_to_thread=True)
def office_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            office = reachable_office(session, me, code)
            view = views.office_view(
                session, site.coop, office, site.today(), site.fiscal_year_start_month
            )
        shown, others, rest = charts.most_in_trouble(
            [(e.code, Decimal(e.available_funds)) for e in view.entities], CHARTED
        )
        chart = charts.bars(
            shown,
            title=page.words.gettext("Available funds per entity, lowest first"),
            colour=site.look().primary_colour,
            show=page.words.amount,
        )
        funds = {code: value for code, value in shown}
        trouble = sorted(
            (e for e in view.entities if e.code in funds),
            key=lambda e: (funds[e.code], e.code),
        )
        return page.render(
            "office.html",
            office=view,
            chart=chart,
            trouble=trouble,
            others=others,
            rest=rest,
            follow_up_visible=office.follow_up_visible,
            sets_follow_up=me.role in (Role.OFFICE_MANAGER, Role.ADMINISTRATOR),
        )

    return guarded(request, build)


@post("/offices/{code:str}/follow-up-visibility", sync_to_thread=True)
def follow_up_visibility_page(
    request: Request[Any, Any, Any], code: PathStr, data: UrlForm
) -> Response[Any]:
    """Whether what the office's staff write in a member's follow-up record is shown to
    the member by default (the office's manager, administrators); recorded in the audit
    log by :func:`partage.core.members.follow_up.set_default_visibility`."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.OFFICE_MANAGER, Role.ADMINISTRATOR, what=N_("change an office's settings"))
        visible = str(data.get("visible", "")).strip()
        if visible not in ("shown", "hidden"):
            raise InvalidAct("visible", N_("choose shown or hidden"))
        with transaction(page.site.sessions) as session:
            office = reachable_office(session, me, code)
            follow_up.set_default_visibility(
                session, office.code, visible == "shown", actor=me.actor
            )
        return see(f"/offices/{code}#follow-up")

    return guarded(request, build)


def month_name(month: str | date, language: str) -> str:
    """A month as a chart's reader names it (``nov. 2026``), from ``YYYY-MM`` or a day."""
    day = month if isinstance(month, date) else date.fromisoformat(f"{month}-01")
    return format_date(day, "MMM y", locale=language)


#: Entity kinds as people name them (the chart shows words, never the kinds' codes).
KIND_NAMES = {
    "quick_job": N_("Quick job"),
    "project": N_("Project"),
    "freelance": N_("Freelance"),
    "maker": N_("Maker"),
    "business": N_("Business"),
    "long_term_employment": N_("Long-term employment"),
}


@get("/instance", sync_to_thread=True)
def instance_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=N_("read the instance's figures"))
        site = page.site
        with site.sessions() as session:
            figures = instance_figures(session, site)
            names = {code: name for code, name in session.execute(select(Office.code, Office.name))}
        look = site.look()
        words = page.words
        monthly = charts.bars(
            [(month_name(m.month, page.language), Decimal(m.invoiced)) for m in figures.months],
            title=words.gettext("Invoiced per month (excluding VAT)"),
            colour=look.primary_colour,
            show=words.amount,
        )
        offices = charts.bars(
            [(names.get(code, code), Decimal(v)) for code, v in figures.invoiced_by_office.items()],
            title=words.gettext("Invoiced per office"),
            colour=look.secondary_colour,
            show=words.amount,
        )
        kinds = charts.bars(
            [
                (words.gettext(KIND_NAMES.get(k, k)), Decimal(v))
                for k, v in figures.entities_by_kind.items()
            ],
            title=words.gettext("Entities by kind"),
            colour=look.primary_colour,
        )
        return page.render(
            "instance.html", figures=figures, monthly=monthly, offices=offices, kinds=kinds
        )

    return guarded(request, build)


def _risk_page(
    page: Page, me: Principal, status: int = 200, error: str | None = None, form: object = None
) -> Response[Any]:
    site = page.site
    with site.sessions() as session:
        report = risk.risk_view(session, site, me, site.today())
    words = page.words
    history = _fund_history(page)
    gauge = charts.bars(
        [
            (words.gettext("Capacity"), Decimal(report.capacity)),
            (words.gettext("Coverage in use"), Decimal(report.in_use)),
            (words.gettext("Coverage granted"), Decimal(report.granted)),
        ],
        title=words.gettext("What the fund can bear, and bears"),
        colour=site.look().primary_colour,
        show=words.amount,
    )
    return page.render(
        "risk.html",
        status=status,
        report=report,
        gauge=gauge,
        history=history,
        error=error,
        form=form or {},
        day_text=lambda text: words.day(date.fromisoformat(text)),
    )


def _fund_history(page: Page) -> Markup:
    """What the fund held at the end of each month of the fiscal year so far."""
    site = page.site
    today = site.today()
    months = fiscal_year_containing(today, site.fiscal_year_start_month).months()
    ends = [min(month.end, today) for month in months if month.start <= today]
    with site.sessions() as session:
        held = fund_balance_on(session, site.coop, ends)
    return charts.bars(
        [(month_name(day, page.language), amount) for day, amount in zip(ends, held, strict=True)],
        title=page.words.gettext("The fund's balance at each month's end"),
        colour=site.look().secondary_colour,
        show=page.words.amount,
    )


@get("/risk", sync_to_thread=True)
def risk_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The guarantee fund's risk report (staff; an office's see their entities)."""
    return guarded(request, _risk_page)


@post("/risk/allocations", sync_to_thread=True)
def allocate_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Allocate to the fund (administrators); a refusal re-renders the page with it."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        body = s.AllocationIn(
            amount=str(data.get("amount", "")).strip(), reason=str(data.get("reason", ""))
        )
        try:
            with transaction(site.sessions) as session:
                risk.allocate(session, site, me, body, site.today())
        except PartageError as exc:
            return _risk_page(page, me, status=kind_of(exc).status, error=page.say(exc), form=data)
        return see("/risk")

    return guarded(request, build)


def _takeovers_page(
    page: Page,
    me: Principal,
    on: date | None = None,
    status: int = 200,
    error: str | None = None,
    done: s.TakeoverRunOut | None = None,
) -> Response[Any]:
    site = page.site
    with site.sessions() as session:
        queue = risk.takeovers_view(session, site, me, on or site.today())
    return page.render(
        "risk_takeovers.html",
        status=status,
        queue=queue,
        error=error,
        done=done,
        day_text=lambda text: page.words.day(date.fromisoformat(text)),
    )


def _day(raw: object) -> date | None:
    """A day from a form or a query (``None`` when blank); a bad one is refused."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAct("on", N_("{text} is not a day (YYYY-MM-DD)"), text=repr(text)) from None


@get("/risk/takeovers", sync_to_thread=True)
def takeovers_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The advisers' queue: receivables the fund took over, entities blocked (staff)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        on = day(page.site, _day(request.query_params.get("on")), "on")
        return _takeovers_page(page, me, on)

    return guarded(request, build)


@post("/risk/takeovers", sync_to_thread=True)
def run_takeovers_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Run the takeovers as of a day (administrators); shows what the run did."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            on = day(site, _day(data.get("on")), "on")
            with transaction(site.sessions) as session:
                done = risk.run_takeovers(session, site, me, on)
        except PartageError as exc:
            return _takeovers_page(page, me, status=kind_of(exc).status, error=page.say(exc))
        return _takeovers_page(page, me, on, done=done)

    return guarded(request, build)


def _network_page(
    page: Page,
    me: Principal,
    status: int = 200,
    error: str | None = None,
    done: Receipt | None = None,
) -> Response[Any]:
    require(me, Role.FRANCHISOR, Role.ADMINISTRATOR, what=N_("read the network report"))
    site = page.site
    grouping = "year" if page.request.query_params.get("by") == "year" else "period"
    with site.sessions() as session:
        report = network_report(session, site)
    view = network.network_overview(site, me, grouping)
    look = site.look()
    now, over = network.charts(
        view,
        gettext=page.words.gettext,
        language=page.language,
        primary=look.primary_colour,
        secondary=look.secondary_colour,
    )
    return page.render(
        "network.html",
        status=status,
        report=report,
        view=view,
        now_charts=now,
        over_charts=over,
        error=error,
        done=done,
        money=lambda value, currency: format_currency(value, currency, locale=page.language),
        day_text=lambda text: page.words.day(date.fromisoformat(text)),
    )


@get("/network", sync_to_thread=True)
def network_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The franchisor's workspace: the franchisees' reports per instance and over time,
    and this instance's own report (franchisor, administrators)."""
    return guarded(request, _network_page)


@post("/network/reports", sync_to_thread=True)
def receive_network_report_page(
    request: Request[Any, Any, Any], data: MultipartForm
) -> Response[Any]:
    """File a franchisee's report file; a refusal re-renders the page with it."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        require(me, Role.FRANCHISOR, Role.ADMINISTRATOR, what=N_("receive a network report"))
        try:
            content, name = uploaded(data, "report", site.limits.report_bytes, "report_bytes")
            if not content:
                raise InvalidAct("report", N_("choose the report file a franchisee sent"))
            report = parse_report(content, name or "report", site.limits.report_bytes)
            done = network.receive_report(site, me, report, name or "report")
        except PartageError as exc:
            return _network_page(page, me, status=kind_of(exc).status, error=page.say(exc))
        return _network_page(page, me, done=done)

    return guarded(request, build)


PAGES = (
    office_page,
    follow_up_visibility_page,
    instance_page,
    risk_page,
    allocate_page,
    takeovers_page,
    run_takeovers_page,
    network_page,
    receive_network_report_page,
)
