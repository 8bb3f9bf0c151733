"""API of the quick job: the monthly salary an invoice pays, and the hire on it.

The hire runs in one transaction through the payroll service, so a refusal leaves
nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.roles import acting_member, reachable_entity
from partage.core.contract.errors import N_
from partage.core.payroll import quick_job
from partage.core.payroll.service import Consent
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, NumberPath, SiteDep, day
from partage.core.web.payroll.schemas import ContractOut
from partage.core.web.payroll.views import contract_out, simulation_out
from partage.core.web.quick_job import schemas as s


class QuickJobController(Controller):
    """The quick job on an invoice of an entity."""

    path = "/entities/{code:str}"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @get("/invoices/{number:str}/quick-job", operation_id="quick_job_salary", sync_to_thread=True)
    def quick_job_salary(
        self,
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        worker_category: Annotated[str, Parameter(max_length=32)],
        start: Annotated[
            date | None, Parameter(description="the first day of work (default: today)")
        ] = None,
    ) -> s.QuickJobOut:
        """The monthly salary a quick job on the invoice pays: what the invoice buys
        once the client pays, capped by what the entity can commit on the first day of
        work (its funds plus the guarantee). Writes nothing."""
        first = day(site, start, "start")
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            salary = quick_job.quick_job_salary(
                session,
                site.coop,
                entity=entity.code,
                invoice=number,
                on=first,
                worker_category=worker_category,
            )
        return s.QuickJobOut(
            invoice=salary.invoice,
            start=first,
            monthly_gross=str(salary.gross),
            bought=simulation_out(salary.bought),
            committable=simulation_out(salary.committable),
        )

    @post(
        "/invoices/{number:str}/quick-job",
        operation_id="quick_job_hire",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def quick_job_hire(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[s.QuickJobIn],
        site: SiteDep,
        principal: Me,
    ) -> ContractOut:
        """Hire a member for a quick job on the invoice (a member hires themselves, staff
        name the member), at the monthly salary ``quick_job_salary`` gives on the first
        day of work; refused when the entity can commit no salary yet."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = acting_member(principal, data.member, N_("hire"))
            row = quick_job.hire_for_quick_job(
                session,
                site.coop,
                entity=entity.code,
                invoice=number,
                member=member,
                worker_category=data.worker_category,
                start=start,
                end=end,
                on=site.today(),
                actor=principal.actor,
                consent=Consent.STAFF if principal.is_staff else Consent.SELF,
            )
            return contract_out(row, entity.code, member, site.currency)
