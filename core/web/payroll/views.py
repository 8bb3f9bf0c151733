"""Read models of employment: contracts, contract offers and payslips of a worker or an
entity, and a budget simulation as the API answers it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.roles import Principal, entity_scope
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.errors import N_
from partage.core.members.models import Entity, Member
from partage.core.payroll import offers
from partage.core.payroll.budget import BudgetSimulation
from partage.core.payroll.models import Contract, OfferStatus, PayslipRecord
from partage.core.payroll.offers import OfferView
from partage.core.web.payroll import schemas as s
from partage.core.web.schemas import money


def contract_out(row: Contract, entity: str, member: int, currency: str) -> s.ContractOut:
    return s.ContractOut(
        code=row.code,
        entity=entity,
        member=member,
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        monthly_gross=money(row.monthly_gross, currency) if row.monthly_gross else None,
        hourly_rate=money(row.hourly_rate, currency) if row.hourly_rate else None,
    )


def offer_out(view: OfferView, currency: str) -> s.OfferOut:
    row = view.offer
    return s.OfferOut(
        code=row.code,
        entity=view.entity,
        entity_name=view.entity_name,
        member=view.member,
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        monthly_gross=money(row.monthly_gross, currency) if row.monthly_gross else None,
        hourly_rate=money(row.hourly_rate, currency) if row.hourly_rate else None,
        status=OfferStatus(row.status).value,
        offered_by=row.offered_by,
        decided_by=row.decided_by,
        on_behalf=row.on_behalf,
        reason=row.reason,
        contract=view.contract,
    )


def visible_offers(
    session: Session,
    coop: Cooperative,
    principal: Principal,
    *,
    status: OfferStatus | None = None,
    code: str | None = None,
) -> list[s.OfferOut]:
    """The offers a login sees: those made to its member, and those of the entities it
    reaches (a holder's, an office's, every one for an administrator)."""
    reached = select(Entity.id).where(entity_scope(principal))
    found = offers.offers(session, entity_ids=reached, status=status, code=code)
    if principal.member_id is not None:
        mine = offers.offers(session, member_id=principal.member_id, status=status, code=code)
        seen = {v.offer.id for v in found}
        found = sorted(
            [*found, *(v for v in mine if v.offer.id not in seen)],
            key=lambda v: v.offer.id,
            reverse=True,
        )
    return [offer_out(v, coop.currency) for v in found]


def reachable_offer(
    session: Session, coop: Cooperative, principal: Principal, code: str
) -> s.OfferOut:
    """The offer ``code`` if the login sees it (see :func:`visible_offers`); "not found"
    otherwise, like an offer that does not exist."""
    found = visible_offers(session, coop, principal, code=code)
    if not found:
        raise NotFound(
            "offer", N_("no such contract offer among those you may see"), value=repr(code)
        )
    return found[0]


def entity_contract(session: Session, entity: Entity, code: str) -> Contract:
    """The entity's contract ``code``; an unknown code and another entity's get the same
    "not found"."""
    row = session.scalars(
        select(Contract).where(Contract.code == code, Contract.entity_id == entity.id)
    ).one_or_none()
    if row is None:
        raise NotFound(
            "contract",
            N_("no such contract of entity {entity_code}"),
            value=repr(code),
            entity_code=entity.code,
        )
    return row


def contracts(
    session: Session,
    coop: Cooperative,
    *,
    member_id: int | None = None,
    entity_id: int | None = None,
) -> list[s.ContractOut]:
    """Contracts of a worker or paid by an entity."""
    query = (
        select(Contract, Entity.code, Member.number)
        .join(Entity, Entity.id == Contract.entity_id)
        .join(Member, Member.id == Contract.member_id)
        .order_by(Contract.start.desc(), Contract.id.desc())
    )
    if member_id is not None:
        query = query.where(Contract.member_id == member_id)
    if entity_id is not None:
        query = query.where(Contract.entity_id == entity_id)
    return [contract_out(c, e, m, coop.currency) for c, e, m in session.execute(query)]


def payslips(
    session: Session,
    coop: Cooperative,
    *,
    member_id: int | None = None,
    entity_id: int | None = None,
    limit: int = 100,
) -> list[s.PayslipOut]:
    """Payslips of a worker or paid by an entity, the latest first."""
    query = (
        select(PayslipRecord, Contract.code, Entity.code, Member.number)
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .join(Entity, Entity.id == Contract.entity_id)
        .join(Member, Member.id == Contract.member_id)
        .order_by(PayslipRecord.period_start.desc(), PayslipRecord.id.desc())
        .limit(limit)
    )
    if member_id is not None:
        query = query.where(Contract.member_id == member_id)
    if entity_id is not None:
        query = query.where(Contract.entity_id == entity_id)
    cur = coop.currency
    return [
        s.PayslipOut(
            contract=code,
            entity=entity,
            member=number,
            period_start=p.period_start,
            period_end=p.period_end,
            paid_on=p.paid_on,
            gross=money(p.gross, cur),
            employee_contributions=money(p.employee_contributions, cur),
            withholding=money(p.withholding, cur),
            net=money(p.net, cur),
            employer_cost=money(p.employer_cost, cur),
            insurance=money(p.insurance, cur),
        )
        for p, code, entity, number in session.execute(query)
    ]


def simulation_out(r: BudgetSimulation) -> s.SimulationOut:
    return s.SimulationOut(
        invoiced=None if r.invoiced is None else str(r.invoiced),
        vat=str(r.vat),
        fee=str(r.fee),
        budget=str(r.budget),
        insurance=str(r.insurance),
        employer_cost=str(r.employer_cost),
        gross=str(r.gross),
        employee_contributions=str(r.employee_contributions),
        withholding=str(r.withholding),
        net=str(r.net),
        end_cost=str(r.end_cost),
    )
