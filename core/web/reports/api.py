"""API of the wider views: offices, the instance's consolidated figures, the guarantee
fund's risk report and the network report."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from partage.core.access.models import Role
from partage.core.access.roles import reachable_office, require
from partage.core.acts import appropriation
from partage.core.contract.errors import N_
from partage.core.ledger.statutory import statutory_statements
from partage.core.members.models import Office
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep, day
from partage.core.web.reports import network, risk, views
from partage.core.web.reports import schemas as s
from partage.core.web.reports.figures import instance_figures, network_report

Year = Annotated[int | None, Parameter(ge=2000, le=2099, description="fiscal year")]


class OfficesController(Controller):
    """Local offices, as their advisers and managers see them."""

    path = "/offices"
    tags = ("offices",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_offices", sync_to_thread=True)
    def list_offices(self, site: SiteDep, principal: Me) -> list[dict[str, str]]:
        """Offices whose view this login may open."""
        require(
            principal,
            Role.ADVISER,
            Role.OFFICE_MANAGER,
            Role.ADMINISTRATOR,
            what=N_("list offices"),
        )
        query = select(Office.code, Office.name).order_by(Office.code)
        if principal.role is not Role.ADMINISTRATOR:
            query = query.where(Office.id == principal.office_id)
        with site.sessions() as session:
            return [{"code": c, "name": n} for c, n in session.execute(query)]

    @get("/{office:str}", operation_id="office_view", sync_to_thread=True)
    def office_view(
        self,
        office: Annotated[str, PathParameter(max_length=32)],
        site: SiteDep,
        principal: Me,
    ) -> s.OfficeOut:
        """The office's members, their entities' funds and receivables, and alerts."""
        with site.sessions() as session:
            row = reachable_office(session, principal, office)
            return views.office_view(
                session, site.coop, row, site.today(), site.fiscal_year_start_month
            )


class InstanceController(Controller):
    """The national instance as a whole."""

    path = "/instance"
    tags = ("instance",)
    dependencies = AUTHENTICATED

    @get("/figures", operation_id="instance_figures", sync_to_thread=True)
    def figures(self, site: SiteDep, principal: Me, year: Year = None) -> s.InstanceOut:
        """Consolidated figures of the instance for a fiscal year (administrators)."""
        require(principal, Role.ADMINISTRATOR, what=N_("read the instance's figures"))
        with site.sessions() as session:
            return instance_figures(session, site, year)

    @get("/statutory", operation_id="statutory_statements", sync_to_thread=True)
    def statutory(
        self,
        site: SiteDep,
        principal: Me,
        start: Annotated[date, QueryParameter(name="from")],
        end: Annotated[date, QueryParameter(name="to")],
    ) -> dict[str, Any]:
        """The legal person's statutory statements over a range (administrators): trial
        balance, balance sheet at the range's end, profit and loss, with the flows
        between books eliminated and listed, and what they leave unmatched."""
        require(principal, Role.ADMINISTRATOR, what="read the statutory statements")
        with site.sessions() as session:
            found = statutory_statements(session, start=start, end=end)
        return asdict(found)

    @post(
        "/appropriations",
        operation_id="appropriate_result",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def appropriate(
        self, data: JSONBody[s.AppropriationIn], site: SiteDep, principal: Me
    ) -> s.AppropriationOut:
        """Record and post the general assembly's appropriation of a closed year's
        result (administrators): legal reserve, guarantee fund, other reserves, the
        rest carried forward; never a dividend."""
        require(principal, Role.ADMINISTRATOR, what="record the appropriation of the result")
        with transaction(site.sessions) as session:
            done = appropriation.appropriate(
                session,
                site.coop,
                fiscal_year=data.year,
                decided_on=data.decided_on,
                decision=data.decision,
                actor=principal.actor,
                legal_reserve=data.legal_reserve,
                guarantee_fund=data.guarantee_fund,
                other_reserves=data.other_reserves,
            )
        return s.AppropriationOut(
            year=data.year,
            decided_on=data.decided_on,
            decision=data.decision.strip(),
            result=str(done.result),
            legal_reserve=str(done.legal_reserve),
            legal_reserve_required=str(done.legal_reserve_required),
            guarantee_fund=str(done.guarantee_fund),
            other_reserves=str(done.other_reserves),
            carried_forward=str(done.carried_forward),
            rule=done.rule.reference,
        )


class RiskController(Controller):
    """The salary guarantee fund: what it can bear and what it bears."""

    path = "/risk"
    tags = ("risk",)
    dependencies = AUTHENTICATED

    @get("/report", operation_id="risk_report", sync_to_thread=True)
    def report(
        self,
        site: SiteDep,
        principal: Me,
        on: Annotated[date | None, QueryParameter(description="the day (default today)")] = None,
    ) -> s.RiskOut:
        """The fund's balance, leverage, capacity, coverage granted and in use, capacity
        left, coverage per entity, lapsed and written-off receivables and losses (staff:
        an office's advisers and managers see their office's entities)."""
        with site.sessions() as session:
            return risk.risk_view(session, site, principal, day(site, on, "on"))

    @post(
        "/allocations",
        operation_id="allocate_to_fund",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def allocate(
        self, data: JSONBody[s.AllocationIn], site: SiteDep, principal: Me
    ) -> s.AllocationOut:
        """Allocate to the fund what the general assembly decided (administrators); the
        fund's capacity grows with its balance."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            return risk.allocate(session, site, principal, data, on)


class TakeoversController(Controller):
    """The guarantee fund's takeovers of lapsed receivables, and the advisers' queue."""

    path = "/risk/takeovers"
    tags = ("risk",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="risk_takeovers", sync_to_thread=True)
    def queue(
        self,
        site: SiteDep,
        principal: Me,
        on: Annotated[date | None, QueryParameter(description="the day (default today)")] = None,
    ) -> s.TakeoversOut:
        """Receivables the fund took over and holds, entities blocked while they owe it
        an advance, and how many lapsed receivables a run would take over (staff: an
        office's see their office's entities)."""
        with site.sessions() as session:
            return risk.takeovers_view(session, site, principal, day(site, on, "on"))

    @post("/", operation_id="run_takeovers", sync_to_thread=True, status_code=HTTP_200_OK)
    def run(
        self, data: JSONBody[s.TakeoverRunIn], site: SiteDep, principal: Me
    ) -> s.TakeoverRunOut:
        """Take over every receivable whose coverage lapsed as of ``on`` (default
        today), hand over to the fund what was settled on those it holds and repay
        advances (administrators); running it again the same day does nothing."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            return risk.run_takeovers(session, site, principal, on)


class NetworkController(Controller):
    """What the instance reports to the franchisor."""

    path = "/network"
    tags = ("network",)
    dependencies = AUTHENTICATED

    @get("/report", operation_id="network_report", sync_to_thread=True)
    def report(
        self,
        site: SiteDep,
        principal: Me,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> dict[str, Any]:
        """The network report in the contract's schema version: counts and sums, no
        personal data (franchisor and the instance's administrators). The range
        defaults to the fiscal year to date."""
        require(principal, Role.FRANCHISOR, Role.ADMINISTRATOR, what=N_("read the network report"))
        first = day(site, start, "from") if start else None
        last = day(site, end, "to") if end else None
        with site.sessions() as session:
            return network_report(session, site, first, last)

    @get("/overview", operation_id="network_overview", sync_to_thread=True)
    def overview(
        self,
        site: SiteDep,
        principal: Me,
        by: Annotated[
            Literal["period", "year"],
            QueryParameter(description="period: one point per report; year: flows summed"),
        ] = "period",
    ) -> dict[str, Any]:
        """The franchisees' reports as received, per instance and over time: each
        instance's latest figures and every period's (or year's), amounts as decimal
        strings in each instance's currency (franchisor and administrators)."""
        return network.network_overview(site, principal, by).as_dict()

    @post(
        "/reports",
        operation_id="receive_network_report",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def receive(
        self, data: JSONBody[dict[str, Any]], site: SiteDep, principal: Me
    ) -> dict[str, Any]:
        """File a franchisee's network report, checked against its schema and refused
        from an instance the contract does not list; a report of the same instance and
        period replaces the earlier one (franchisor and administrators)."""
        done = network.receive_report(site, principal, data, "body")
        return {**done.figures.as_dict(), "replaced": done.replaced}
