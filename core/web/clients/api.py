"""API of the client directory: an entity's clients and the cooperative's, searched and
paged; a client created (a business with its checked number, or a private person),
read, changed; a business number looked up in the directory and the public registers.

Each act runs in one transaction; the privacy rules (:mod:`partage.core.access.clients`)
are checked inside it, so another member's private client is answered as a code that
does not exist.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.datastructures import ResponseHeader
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access import clients as directory
from partage.core.access.models import Role
from partage.core.access.parties import PARTY_READERS
from partage.core.access.roles import reachable_entity, require
from partage.core.contract.errors import N_
from partage.core.members import clients
from partage.core.members.clients import ClientDetails
from partage.core.platform.db.engine import transaction
from partage.core.web.clients import schemas as s
from partage.core.web.clients import views
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep

TOTAL = [
    ResponseHeader(
        name="X-Total-Count",
        description="How many clients match, over every page",
        documentation_only=True,
    )
]
Query = Annotated[
    str | None,
    Parameter(max_length=100, description="searched in name, VAT or company number, e-mail, town"),
]
PageNumber = Annotated[int, Parameter(ge=1, le=100_000)]
PerPage = Annotated[int, Parameter(ge=1, le=directory.MAX_PER_PAGE)]
ClientCode = Annotated[str, Parameter(max_length=16, description="the client's code")]


def _listed(found: directory.DirectoryPage) -> Response[list[s.ClientOut]]:
    rows = [views.client_out(r) for r in found.rows]
    return Response(rows, headers={"X-Total-Count": str(found.total)})


class EntityClientsController(Controller):
    """An entity's client directory: the clients it works with."""

    path = "/entities/{code:str}/clients"
    tags = ("clients",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_entity_clients", sync_to_thread=True, response_headers=TOTAL)
    def list_clients(
        self,
        site: SiteDep,
        principal: Me,
        code: CodePath,
        q: Query = None,
        page: PageNumber = 1,
        per_page: PerPage = 25,
    ) -> Response[list[s.ClientOut]]:
        """The entity's clients, searched by name, VAT or company number, e-mail or
        town, a page at a time; the document forms pick their client here."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            found = directory.entity_directory(session, principal, entity, q, page, per_page)
            return _listed(found)

    @post(
        "/", operation_id="create_entity_client", sync_to_thread=True, status_code=HTTP_201_CREATED
    )
    def create(
        self, data: JSONBody[s.ClientIn], site: SiteDep, principal: Me, code: CodePath
    ) -> s.ClientOut:
        """Create a client in the entity's directory: a business (its VAT or company
        number checked for its country; one the cooperative already knows is reused,
        not duplicated) or a private person. The address is required."""
        require(principal, *PARTY_READERS, what=N_("register parties"))
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            party, _ = clients.create_client(
                session,
                site.coop,
                ClientDetails(
                    name=data.name,
                    country=data.country,
                    street=data.street,
                    postcode=data.postcode,
                    town=data.town,
                    email=data.email,
                    vat_number=data.vat_number,
                    company_number=data.company_number,
                ),
                business=data.kind == "business",
                actor=principal.actor,
                member_id=principal.member_id if principal.role is Role.MEMBER else None,
                entity=entity,
            )
            return views.client_out(directory.readable_client(session, principal, party.code))


class ClientsController(Controller):
    """The cooperative's client directory, within the privacy rules."""

    path = "/clients"
    tags = ("clients",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_clients", sync_to_thread=True, response_headers=TOTAL)
    def list_clients(
        self,
        site: SiteDep,
        principal: Me,
        q: Query = None,
        page: PageNumber = 1,
        per_page: PerPage = 25,
    ) -> Response[list[s.ClientOut]]:
        """The cooperative's clients: office staff and administrators, all; a member,
        their own and the businesses (public data, without e-mail or street) — never
        another member's private client."""
        with site.sessions() as session:
            found = directory.cooperative_directory(session, principal, q, page, per_page)
            return _listed(found)

    @get("/lookup", operation_id="lookup_client_number", sync_to_thread=True)
    def lookup(
        self,
        site: SiteDep,
        principal: Me,
        country: Annotated[str, Parameter(min_length=2, max_length=2)],
        number: Annotated[str, Parameter(min_length=1, max_length=32)],
    ) -> s.LookupOut:
        """Check a VAT or company number (format and check digits for its country) and
        find the business: the client the cooperative already has under it, else what
        the public registers the instance enabled say; ``registries_down`` names those
        that did not answer."""
        with site.sessions() as session:
            found = directory.lookup_number(
                session, site.coop, site.registries, principal, country, number
            )
            return views.lookup_out(found)

    @get("/{client:str}", operation_id="read_client", sync_to_thread=True)
    def read(self, site: SiteDep, principal: Me, client: ClientCode) -> s.ClientOut:
        """One client, as the reader may see it."""
        with site.sessions() as session:
            return views.client_out(directory.readable_client(session, principal, client))

    @put("/{client:str}", operation_id="update_client", sync_to_thread=True)
    def update(
        self, data: JSONBody[s.ClientChange], site: SiteDep, principal: Me, client: ClientCode
    ) -> s.ClientOut:
        """Change a client's name, address and e-mail (staff, or the member whose
        client it is); its country and numbers stay."""
        with transaction(site.sessions) as session:
            party = directory.editable_client(session, principal, client)
            clients.update_client(
                session,
                party,
                ClientDetails(
                    name=data.name,
                    country=party.country,
                    street=data.street,
                    postcode=data.postcode,
                    town=data.town,
                    email=data.email,
                ),
                actor=principal.actor,
                reason=data.reason,
            )
            return views.client_out(directory.DirectoryRow(party, True))
