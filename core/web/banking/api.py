"""API of suppliers' bank accounts: the staff's queue, an account entered by staff, a
pending account confirmed or rejected; and the accounts of an entity's suppliers, which
its members see. And of pending acts (cash declared, a stand-alone supplier credit note,
expense-claim VAT no rate explains): the staff's queue, a validation or a refusal, and an
entity's pending acts, which its members see.

Only office staff and administrators vouch for an account (403 for other roles); the
four-eyes rule refuses a confirmation by whoever brought the account in (403). Each act
runs in one transaction through :mod:`partage.core.banking.payees`, its audit record
with it.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.orm import Session

from partage.core.access.roles import Principal, entity_scope, reachable_entity, require_staff
from partage.core.acts.models import PendingStatus
from partage.core.banking import payees
from partage.core.banking import pending as decisions
from partage.core.banking.models import PayeeStatus
from partage.core.contract.errors import N_
from partage.core.members.models import Entity
from partage.core.platform.db.engine import transaction
from partage.core.web.banking import schemas as s
from partage.core.web.banking import views
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep
from partage.core.web.schemas import LARGEST_ID

AccountPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID, description="the account's id")]
PendingPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID, description="the pending act's id")]


class PayeesController(Controller):
    """Suppliers' bank accounts, as staff vouch for them."""

    path = "/payees"
    tags = ("bank",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_payees", sync_to_thread=True)
    def list_payees(
        self,
        site: SiteDep,
        principal: Me,
        status: Annotated[PayeeStatus | None, QueryParameter()] = None,
    ) -> list[s.PayeeOut]:
        """Suppliers' accounts, those waiting for a decision first (``status=pending``:
        the queue). Staff only."""
        require_staff(principal, N_("read suppliers' bank accounts"))
        with site.sessions() as session:
            return views.payee_list(
                session, staff=True, statuses=[status] if status is not None else None
            )

    @post("/", operation_id="enter_payee", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def enter(self, data: JSONBody[s.PayeeIn], site: SiteDep, principal: Me) -> s.PayeeOut:
        """Enter a supplier's account (staff only): verified at once, the previous one
        kept as replaced."""
        require_staff(principal, N_("enter suppliers' bank accounts"))
        with transaction(site.sessions) as session:
            row = payees.enter_account(
                session, data.supplier, data.iban, data.bic, actor=principal.actor
            )
            return views.payee_out(session, row.id)

    @post(
        "/{account:int}/confirm", operation_id="confirm_payee", sync_to_thread=True, status_code=200
    )
    def confirm(self, account: AccountPath, site: SiteDep, principal: Me) -> s.PayeeOut:
        """Confirm a pending account (staff only, not the login that brought it in):
        the supplier is paid into it from now on."""
        require_staff(principal, N_("confirm suppliers' bank accounts"))
        with transaction(site.sessions) as session:
            payees.confirm_account(session, account, actor=principal.actor)
            return views.payee_out(session, account)

    @post(
        "/{account:int}/reject", operation_id="reject_payee", sync_to_thread=True, status_code=200
    )
    def reject(
        self, account: AccountPath, data: JSONBody[s.RejectIn], site: SiteDep, principal: Me
    ) -> s.PayeeOut:
        """Reject a pending account (staff only): nothing is paid into it; the invoices
        that named it are paid into the supplier's verified account."""
        require_staff(principal, N_("reject suppliers' bank accounts"))
        with transaction(site.sessions) as session:
            payees.reject_account(session, account, actor=principal.actor, reason=data.reason)
            return views.payee_out(session, account)


class EntityPayeesController(Controller):
    """The bank accounts of an entity's suppliers."""

    path = "/entities/{code:str}"
    tags = ("bank",)
    dependencies = AUTHENTICATED

    @get("/payees", operation_id="list_entity_payees", sync_to_thread=True)
    def list_entity_payees(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.PayeeOut]:
        """The accounts of the suppliers whose documents were booked for the entity:
        verified, waiting for staff, rejected or replaced."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.payee_list(
                session,
                staff=principal.is_staff,
                party_ids=views.entity_suppliers(session, entity),
            )


def decidable_entity(session: Session, principal: Principal, pending_id: int) -> Entity:
    """The entity of a pending act, if the staff login may decide on it: staff of the
    entity's office or an administrator (403 for other roles; "not found" for an act of
    another office, as for its entity)."""
    require_staff(principal, N_("validate or refuse pending acts"))
    return reachable_entity(session, principal, decisions.entity_of(session, pending_id).code)


class PendingController(Controller):
    """Acts that wait for staff: the queue, validations and refusals."""

    path = "/pending"
    tags = ("bank",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_pending", sync_to_thread=True)
    def list_pending(
        self,
        site: SiteDep,
        principal: Me,
        status: Annotated[PendingStatus | None, QueryParameter()] = None,
    ) -> list[s.PendingOut]:
        """The pending acts of the entities the staff login reaches (its office's;
        every office's for an administrator), those waiting first (``status=pending``:
        the queue). Staff only."""
        require_staff(principal, N_("read the queue of pending acts"))
        with site.sessions() as session:
            rows = decisions.listing(
                session,
                site.coop,
                scope=entity_scope(principal),
                statuses=[status] if status is not None else None,
            )
            return [views.pending_out(row) for row in rows]

    @post(
        "/{pending_id:int}/validate",
        operation_id="validate_pending",
        sync_to_thread=True,
        status_code=200,
    )
    def validate(self, pending_id: PendingPath, site: SiteDep, principal: Me) -> s.PendingOut:
        """Validate a pending act (staff of the entity's office, not the login that
        entered it): it is posted on its own date and counts from now on; an expense
        claim is checked against the entity's funds (net + VAT) today."""
        with transaction(site.sessions) as session:
            decidable_entity(session, principal, pending_id)
            decisions.validate(
                session, site.coop, pending_id, actor=principal.actor, on=site.today()
            )
            return views.pending_out(decisions.view(session, site.coop, pending_id))

    @post(
        "/{pending_id:int}/refuse",
        operation_id="refuse_pending",
        sync_to_thread=True,
        status_code=200,
    )
    def refuse(
        self, pending_id: PendingPath, data: JSONBody[s.RefuseIn], site: SiteDep, principal: Me
    ) -> s.PendingOut:
        """Refuse a pending act, saying why (staff of the entity's office): it is never
        posted and never counts."""
        with transaction(site.sessions) as session:
            decidable_entity(session, principal, pending_id)
            decisions.refuse(session, pending_id, actor=principal.actor, reason=data.reason)
            return views.pending_out(decisions.view(session, site.coop, pending_id))


class EntityPendingController(Controller):
    """An entity's pending acts, which its members and its office's staff see."""

    path = "/entities/{code:str}"
    tags = ("bank",)
    dependencies = AUTHENTICATED

    @get("/pending", operation_id="list_entity_pending", sync_to_thread=True)
    def list_entity_pending(
        self, code: CodePath, site: SiteDep, principal: Me
    ) -> list[s.PendingOut]:
        """The entity's acts that wait for staff (first), were validated or refused."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            rows = decisions.listing(session, site.coop, entity_ids=[entity.id])
            return [views.pending_out(row) for row in rows]
