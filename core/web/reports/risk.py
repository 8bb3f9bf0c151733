"""The salary guarantee fund's risk report as the web shows it, and who may read it.

Administrators see every entity; an office's advisers and managers see the fund's
figures (the capacity every commitment of their members depends on) and the rows of
their office's entities only, in the report and in the queue of takeovers (receivables
the fund took over, entities blocked while they owe it an advance). Allocating to the
fund and running the takeovers are the administrators' acts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, require
from partage.core.contract.errors import N_
from partage.core.risk import fund, takeover
from partage.core.risk.report import risk_report
from partage.core.web.reports import schemas as s
from partage.core.web.site import Site

#: Who may read the risk report.
READERS = (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def risk_view(session: Session, site: Site, principal: Principal, on: date) -> s.RiskOut:
    """The report on ``on``, in the reach of the login (see the module)."""
    require(principal, *READERS, what=N_("read the guarantee fund's risk report"))
    office = None if principal.role is Role.ADMINISTRATOR else principal.office_id
    if principal.role is not Role.ADMINISTRATOR and office is None:
        raise Forbidden("office", N_("you work for no office any more"))
    found = risk_report(session, site.coop, on=on, office_id=office)
    return s.RiskOut(
        on=on.isoformat(),
        currency=found.currency,
        office=None if office is None else principal.office_code,
        balance=str(found.balance),
        leverage=str(found.leverage),
        capacity=str(found.capacity),
        granted=str(found.granted),
        in_use=str(found.in_use),
        headroom=str(found.headroom),
        losses_absorbed=str(found.losses_absorbed),
        entities=[
            s.EntityRiskOut(
                entity=r.entity,
                name=r.name,
                office=r.office,
                eligible=str(r.eligible),
                coverage=str(r.coverage),
                in_use=str(r.in_use),
                available_funds=str(r.available_funds),
            )
            for r in found.entities
        ],
        lapsed=[
            s.LapsedOut(
                entity=r.entity,
                invoice=r.invoice,
                client=r.client,
                due_on=r.due_on.isoformat(),
                days_overdue=r.days_overdue,
                outstanding=str(r.outstanding),
            )
            for r in found.lapsed
        ],
        written_off=[
            s.WrittenOffOut(
                entity=r.entity,
                invoice=r.invoice,
                client=r.client,
                written_off_on=r.written_off_on.isoformat(),
                outstanding=str(r.outstanding),
                vat_recovered=str(r.vat_recovered),
                absorbed=str(r.absorbed),
            )
            for r in found.written_off
        ],
        taken_over=[_held(r) for r in found.taken_over],
        blocked=[_blocked(r) for r in found.blocked],
        tied=str(found.tied),
    )


def _held(r: takeover.HeldReceivable) -> s.HeldOut:
    return s.HeldOut(
        entity=r.entity,
        invoice=r.invoice,
        client=r.client,
        due_on=r.due_on.isoformat(),
        taken_over_on=r.taken_over_on.isoformat(),
        days_overdue=r.days_overdue,
        outstanding=str(r.outstanding),
    )


def _blocked(r: takeover.BlockedEntity) -> s.BlockedOut:
    return s.BlockedOut(entity=r.entity, name=r.name, office=r.office, advanced=str(r.advanced))


def takeovers_view(session: Session, site: Site, principal: Principal, on: date) -> s.TakeoversOut:
    """The advisers' queue on ``on``: receivables the fund holds and entities blocked,
    in the reach of the login (an office's staff see their office's entities)."""
    require(principal, *READERS, what=N_("read the guarantee fund's takeovers"))
    office = None if principal.role is Role.ADMINISTRATOR else principal.office_id
    queue = takeover.takeover_queue(session, site.coop, on=on, office_id=office)
    return s.TakeoversOut(
        on=on.isoformat(),
        currency=queue.currency,
        office=None if office is None else principal.office_code,
        held=[_held(r) for r in queue.held],
        blocked=[_blocked(r) for r in queue.blocked],
        to_take_over=queue.to_take_over,
    )


def run_takeovers(session: Session, site: Site, principal: Principal, on: date) -> s.TakeoverRunOut:
    """Take over the lapsed receivables of the instance as of ``on`` (administrators:
    the run moves the fund's money for every office); idempotent."""
    require(principal, Role.ADMINISTRATOR, what=N_("run the guarantee fund's takeovers"))
    done = takeover.run_takeovers(session, site.coop, on=on, actor=principal.actor)
    return s.TakeoverRunOut(
        on=on.isoformat(),
        taken_over=[
            s.TakenOverOut(invoice=t.invoice, entity=t.entity, amount=str(t.amount))
            for t in done.taken_over
        ],
        handed_over={k: str(v) for k, v in done.handed_over.items()},
        repaid={k: str(v) for k, v in done.repaid.items()},
        advanced={k: str(v) for k, v in done.advanced.items()},
    )


def allocate(
    session: Session, site: Site, principal: Principal, data: s.AllocationIn, on: date
) -> s.AllocationOut:
    """Allocate to the fund what the general assembly decided (administrators)."""
    require(principal, Role.ADMINISTRATOR, what=N_("allocate to the guarantee fund"))
    done = fund.allocate(
        session, site.coop, data.amount, on=on, actor=principal.actor, reason=data.reason
    )
    state = fund.fund_report(session, site.coop, on=on)
    return s.AllocationOut(
        reference=done.reference,
        amount=str(done.amount),
        balance=str(done.balance),
        capacity=str(state.capacity),
    )
