"""API of entities and the parties they deal with: list, open, the dashboard and what
an entity's funds pay; the instance's clients and suppliers.

Each act runs in one transaction through the members services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.models import Role
from partage.core.access.parties import PARTY_READERS
from partage.core.access.roles import (
    entity_opening,
    listing_scope,
    reachable_entity,
    require,
    require_staff,
)
from partage.core.contract.errors import N_
from partage.core.members import service as members
from partage.core.payroll import budget
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import ACTING, AUTHENTICATED, CodePath, Me, SiteDep, day
from partage.core.web.entities import listing, views
from partage.core.web.entities import schemas as s
from partage.core.web.payroll.schemas import SimulationOut
from partage.core.web.payroll.views import simulation_out


class EntitiesController(Controller):
    """Autonomous entities: list, open, dashboard."""

    path = "/entities"
    tags = ("entities",)
    dependencies = AUTHENTICATED

    @get(
        "/",
        operation_id="list_entities",
        sync_to_thread=True,
        response_headers=[
            ResponseHeader(
                name="X-Total-Count",
                description="How many entities match, over every page",
                documentation_only=True,
            )
        ],
    )
    def list_entities(
        self,
        site: SiteDep,
        principal: Me,
        q: Annotated[
            str | None,
            Parameter(max_length=100, description="searched in code, name and holders"),
        ] = None,
        kind: Annotated[str | None, Parameter(max_length=32)] = None,
        status: Annotated[
            Literal["short", "blocked", "overdue", "open", "closed"] | None,
            Parameter(description="short of funds, owing the fund an advance, overdue..."),
        ] = None,
        office: Annotated[str | None, Parameter(max_length=32)] = None,
        sort: Literal["code", "name", "funds", "overdue"] = "code",
        page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=listing.MOST_PER_PAGE)] = listing.PER_PAGE,
    ) -> Response[list[s.EntityOut]]:
        """The entities this login may see, one page of them (the ethics committee: names
        and kinds only, no figure to filter or sort on): searched in the code, the name
        and the holders' names and numbers, filtered by kind, state and office, sorted
        (``funds``: lowest first). ``X-Total-Count`` says how many match in all."""
        scope = listing_scope(principal)
        query = listing.query_of(q, kind, status, office, sort, page, per_page)
        with site.sessions() as session:
            found = listing.search(session, site.coop, principal, scope, query, site.today())
        return Response(found.rows, headers={"X-Total-Count": str(found.total)})

    @get("/needs", operation_id="entities_needs", sync_to_thread=True)
    def needs(self, site: SiteDep, principal: Me) -> s.NeedsOut:
        """What needs office staff first among the entities they reach: acts waiting for
        validation, entities short of funds or blocked, overdue invoices, attestations
        ending soon, applications waiting for a decision (staff only)."""
        require_staff(principal, "read what needs the office")
        with site.sessions() as session:
            return listing.needs(session, principal, site.today())

    @post("/", operation_id="open_entity", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def open_entity(self, data: JSONBody[s.EntityIn], site: SiteDep, principal: Me) -> s.EntityOut:
        """Open an entity: a member for themselves, office staff in their office."""
        require(principal, *ACTING, what=N_("open entities"))
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            holders, office = entity_opening(principal, data.holders, data.office)
            entity = members.open_entity(
                session,
                site.coop,
                holders=holders,
                name=data.name,
                kind=data.kind,
                office=office,
                on=on,
                actor=principal.actor,
            )
            return views.entity_out(session, entity)

    @get("/{code:str}", operation_id="entity_dashboard", sync_to_thread=True)
    def dashboard(self, code: CodePath, site: SiteDep, principal: Me) -> s.DashboardOut:
        """Available funds, guarantee, invoices to be paid, last payslips and the books
        in plain words."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.dashboard(
                session, site.coop, entity, site.today(), site.fiscal_year_start_month
            )

    @get("/{code:str}/simulation", operation_id="entity_simulation", sync_to_thread=True)
    def simulation(
        self,
        code: CodePath,
        site: SiteDep,
        principal: Me,
        worker_category: Annotated[str, Parameter(max_length=32)],
    ) -> SimulationOut:
        """The largest monthly salary the entity's funds and guarantee pay today."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            result = budget.simulate_entity(
                session,
                site.coop,
                entity=entity.code,
                on=site.today(),
                worker_category=worker_category,
            )
        return simulation_out(result)


class PartiesController(Controller):
    """Clients and suppliers, shared by the instance's entities."""

    path = "/parties"
    tags = ("parties",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_parties", sync_to_thread=True)
    def list_parties(
        self,
        site: SiteDep,
        principal: Me,
        vat_number: Annotated[
            str | None, Parameter(max_length=32, description="a VAT number, exactly")
        ] = None,
        company_number: Annotated[
            str | None,
            Parameter(
                max_length=32,
                description="a company number of the instance's country, checked by its plugin",
            ),
        ] = None,
    ) -> list[s.PartyOut]:
        """Parties this login may see: a member, those they registered and those their
        entities dealt with through a validated act (an invoice, a supplier invoice, a
        subsidy — not a quote); office staff and administrators, all. ``vat_number`` or
        ``company_number`` looks a business up exactly (public data); a private person
        of another entity is never found."""
        require(principal, *PARTY_READERS, what=N_("list parties"))
        with site.sessions() as session:
            return views.parties(session, site.coop, principal, vat_number, company_number)

    @post("/", operation_id="register_party", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def register(self, data: JSONBody[s.PartyIn], site: SiteDep, principal: Me) -> s.PartyOut:
        """Register a client or supplier (its VAT number checked by the country plugin)."""
        require(principal, *PARTY_READERS, what=N_("register parties"))
        with transaction(site.sessions) as session:
            party = members.register_party(
                session,
                site.coop,
                name=data.name,
                kind=data.kind,
                country=data.country,
                vat_number=data.vat_number,
                address=data.address,
                email=data.email,
                actor=principal.actor,
                member_id=principal.member_id if principal.role is Role.MEMBER else None,
            )
            return views.party_out(party)
