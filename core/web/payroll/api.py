"""API of employment: an entity's contracts and payslips, hiring and paying, contract
offers and the worker's answer, and the budget simulation.

Each act runs in one transaction through the payroll services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction. A member's
login hires only its own member; another member is offered the contract
(``POST /entities/{code}/offers``) and accepts or refuses it from their own login
(``POST /offers/{offer}/accept|refuse``), or staff do it for them, recorded so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.models import Role
from partage.core.access.roles import answering_offer, hired_member, reachable_entity, require
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.payroll import budget, offers
from partage.core.payroll import service as payroll
from partage.core.payroll.models import OfferStatus
from partage.core.payroll.service import Consent, Terms
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import ACTING, AUTHENTICATED, CodePath, Me, SiteDep, day
from partage.core.web.payroll import schemas as s
from partage.core.web.payroll import views

OfferPath = Annotated[str, PathParameter(max_length=32, description="the offer's code")]


class ContractsController(Controller):
    """Contracts and payslips of an entity."""

    path = "/entities/{code:str}"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @get("/contracts", operation_id="list_contracts", sync_to_thread=True)
    def list_contracts(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.ContractOut]:
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.contracts(session, site.coop, entity_id=entity.id)

    @post("/contracts", operation_id="hire", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def hire(
        self, code: CodePath, data: JSONBody[s.ContractIn], site: SiteDep, principal: Me
    ) -> s.ContractOut:
        """Hire under an employment contract paid by the entity: a member's login hires
        its own member only (naming another is refused, 403: offer them the contract);
        staff name the member. A monthly contract's first month must fit the entity's
        funds and guarantee."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = hired_member(principal, data.member)
            row = payroll.hire(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                worker_category=data.worker_category,
                start=start,
                end=end,
                monthly_gross=data.monthly_gross,
                hourly_rate=data.hourly_rate,
                part_time=data.part_time,
                tax_situation=data.tax_situation,
                dependent_children=data.dependent_children,
                on=site.today(),
                actor=principal.actor,
                consent=Consent.STAFF if principal.is_staff else Consent.SELF,
            )
            return views.contract_out(row, entity.code, member, site.currency)

    @get("/offers", operation_id="list_entity_offers", sync_to_thread=True)
    def list_offers(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.OfferOut]:
        """Contract offers the entity made, the newest first."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            found = offers.offers(session, entity_ids=[entity.id])
            return [views.offer_out(v, site.currency) for v in found]

    @post(
        "/offers", operation_id="offer_contract", sync_to_thread=True, status_code=HTTP_201_CREATED
    )
    def offer(
        self, code: CodePath, data: JSONBody[s.OfferIn], site: SiteDep, principal: Me
    ) -> s.OfferOut:
        """Offer another member a contract paid by the entity: nothing is hired,
        declared or reserved until they accept it from their own login."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if principal.member_number == data.member:
                raise InvalidAct(
                    "member",
                    N_("you hire yourself directly (POST .../contracts), without an offer"),
                )
            row = offers.offer_contract(
                session,
                site.coop,
                Terms(
                    entity=entity.code,
                    member=data.member,
                    worker_category=data.worker_category,
                    start=start,
                    end=end,
                    monthly_gross=data.monthly_gross,
                    hourly_rate=data.hourly_rate,
                    part_time=data.part_time,
                    tax_situation=data.tax_situation,
                    dependent_children=data.dependent_children,
                ),
                actor=principal.actor,
            )
            return views.reachable_offer(session, site.coop, principal, row.code)

    @post(
        "/contracts/{contract:str}/payslips",
        operation_id="pay",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def pay(
        self,
        code: CodePath,
        contract: Annotated[str, PathParameter(max_length=32)],
        data: JSONBody[s.PayIn],
        site: SiteDep,
        principal: Me,
    ) -> s.PayslipOut:
        """Pay a month of a contract (office staff and administrators)."""
        require(
            principal,
            Role.ADVISER,
            Role.OFFICE_MANAGER,
            Role.ADMINISTRATOR,
            what=N_("pay salaries"),
        )
        month = day(site, data.month, "month")
        paid_on = day(site, data.paid_on, "paid_on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.entity_contract(session, entity, contract)
            payroll.pay(
                session,
                site.coop,
                contract,
                month=month,
                paid_on=paid_on,
                hours=data.hours,
                actor=principal.actor,
            )
            return views.payslips(session, site.coop, entity_id=entity.id, limit=1)[0]

    @get("/payslips", operation_id="list_payslips", sync_to_thread=True)
    def list_payslips(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.PayslipOut]:
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.payslips(session, site.coop, entity_id=entity.id)


class OffersController(Controller):
    """Contract offers as a worker (or staff) sees and answers them."""

    path = "/offers"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_offers", sync_to_thread=True)
    def list_offers(
        self,
        site: SiteDep,
        principal: Me,
        status: Annotated[OfferStatus | None, QueryParameter()] = None,
    ) -> list[s.OfferOut]:
        """The offers the login sees: those made to its member (waiting for its
        answer when pending), and those of the entities it reaches."""
        with site.sessions() as session:
            return views.visible_offers(session, site.coop, principal, status=status)

    @post(
        "/{offer:str}/accept",
        operation_id="accept_offer",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def accept(self, offer: OfferPath, site: SiteDep, principal: Me) -> s.ContractOut:
        """Accept an offer: the worker from their own login, or staff for them (recorded
        so). The contract is hired now — funds checked, the hire declared — or the
        acceptance is refused as a hire is, and the offer keeps waiting."""
        with transaction(site.sessions) as session:
            shown = views.reachable_offer(session, site.coop, principal, offer)
            on_behalf = answering_offer(principal, shown.member)
            if on_behalf:
                reachable_entity(session, principal, shown.entity)
            row = offers.accept_offer(
                session,
                site.coop,
                offer,
                actor=principal.actor,
                on_behalf=on_behalf,
                on=site.today(),
            )
            return views.contract_out(row, shown.entity, shown.member, site.currency)

    @post("/{offer:str}/refuse", operation_id="refuse_offer", sync_to_thread=True, status_code=200)
    def refuse(
        self, offer: OfferPath, data: JSONBody[s.AnswerIn], site: SiteDep, principal: Me
    ) -> s.OfferOut:
        """Refuse an offer (the worker, or staff for them): it ends, nothing committed."""
        with transaction(site.sessions) as session:
            shown = views.reachable_offer(session, site.coop, principal, offer)
            on_behalf = answering_offer(principal, shown.member)
            if on_behalf:
                reachable_entity(session, principal, shown.entity)
            offers.refuse_offer(
                session, offer, actor=principal.actor, on_behalf=on_behalf, reason=data.reason
            )
            return views.reachable_offer(session, site.coop, principal, offer)

    @post(
        "/{offer:str}/withdraw", operation_id="withdraw_offer", sync_to_thread=True, status_code=200
    )
    def withdraw(
        self, offer: OfferPath, data: JSONBody[s.AnswerIn], site: SiteDep, principal: Me
    ) -> s.OfferOut:
        """Withdraw an offer the entity made (its holders, or staff) before an answer."""
        with transaction(site.sessions) as session:
            shown = views.reachable_offer(session, site.coop, principal, offer)
            reachable_entity(session, principal, shown.entity)
            offers.withdraw_offer(session, offer, actor=principal.actor, reason=data.reason)
            return views.reachable_offer(session, site.coop, principal, offer)


class SimulationController(Controller):
    """What an invoice buys in pay."""

    path = "/simulations"
    tags = ("simulation",)
    dependencies = AUTHENTICATED

    @post("/budget", operation_id="simulate_budget", sync_to_thread=True, status_code=200)
    def simulate(
        self, data: JSONBody[s.SimulationIn], site: SiteDep, principal: Me
    ) -> s.SimulationOut:
        """From an amount to invoice (excluding VAT): the fee, the budget left, and the
        monthly gross and net pay it buys. Writes nothing."""
        require(principal, *ACTING, what=N_("simulate budgets"))
        result = budget.simulate_invoice(
            site.coop,
            invoiced=data.invoiced,
            on=day(site, data.on, "on"),
            worker_category=data.worker_category,
            vat_rate=Decimal(data.vat_rate),
            tax_situation=data.tax_situation,
            dependent_children=data.dependent_children,
        )
        return views.simulation_out(result)
