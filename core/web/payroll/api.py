"""API of employment: an entity's contracts and payslips, hiring and paying, and the
budget simulation.

Each act runs in one transaction through the payroll services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.models import Role
from partage.core.access.roles import acting_member, reachable_entity, require
from partage.core.payroll import budget
from partage.core.payroll import service as payroll
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import ACTING, AUTHENTICATED, CodePath, Me, SiteDep, day
from partage.core.web.payroll import schemas as s
from partage.core.web.payroll import views


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
        """Hire a member (often the holder) under an employment contract paid by the
        entity; a monthly contract's first month must fit its funds and guarantee."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = data.member or acting_member(principal, None, "hire")
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
            )
            return views.contract_out(row, entity.code, member, site.currency)

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
            principal, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR, what="pay salaries"
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
        require(principal, *ACTING, what="simulate budgets")
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
