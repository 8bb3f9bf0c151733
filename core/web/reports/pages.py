"""Pages of the wider views: an office with its chart of funds, the instance's figures
with their charts, and the network report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get

from partage.core.access.models import Role
from partage.core.access.roles import Principal, reachable_office, require
from partage.core.web import charts
from partage.core.web.pages import Page, PathStr, guarded
from partage.core.web.reports import views
from partage.core.web.reports.figures import instance_figures, network_report


@get("/offices/{code:str}", sync_to_thread=True)
def office_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            office = reachable_office(session, me, code)
            view = views.office_view(
                session, site.coop, office, site.today(), site.fiscal_year_start_month
            )
        chart = charts.bars(
            [(e.code, Decimal(e.available_funds)) for e in view.entities],
            title=page.words.gettext("Available funds per entity"),
            colour=site.look().primary_colour,
            show=page.words.amount,
        )
        return page.render("office.html", office=view, chart=chart)

    return guarded(request, build)


@get("/instance", sync_to_thread=True)
def instance_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what="read the instance's figures")
        site = page.site
        with site.sessions() as session:
            figures = instance_figures(session, site)
        look = site.look()
        words = page.words
        monthly = charts.bars(
            [(m.month, Decimal(m.invoiced)) for m in figures.months],
            title=words.gettext("Invoiced per month (excluding VAT)"),
            colour=look.primary_colour,
            show=words.amount,
        )
        offices = charts.bars(
            [(code, Decimal(v)) for code, v in figures.invoiced_by_office.items()],
            title=words.gettext("Invoiced per office"),
            colour=look.secondary_colour,
            show=words.amount,
        )
        kinds = charts.bars(
            [(k, Decimal(v)) for k, v in figures.entities_by_kind.items()],
            title=words.gettext("Entities by kind"),
            colour=look.primary_colour,
        )
        return page.render(
            "instance.html", figures=figures, monthly=monthly, offices=offices, kinds=kinds
        )

    return guarded(request, build)


@get("/network", sync_to_thread=True)
def network_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.FRANCHISOR, Role.ADMINISTRATOR, what="read the network report")
        with page.site.sessions() as session:
            report = network_report(session, page.site)
        return page.render(
            "network.html",
            report=report,
            day_text=lambda text: page.words.day(date.fromisoformat(text)),
        )

    return guarded(request, build)


PAGES = (office_page, instance_page, network_page)
