"""The salary guarantee fund's risk report as the web shows it, and who may read it.

Administrators see every entity; an office's advisers and managers see the fund's
figures (the capacity every commitment of their members depends on) and the rows of
their office's entities only. Allocating to the fund is the administrators' act.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, require
from partage.core.risk import fund
from partage.core.risk.report import risk_report
from partage.core.web.reports import schemas as s
from partage.core.web.site import Site

#: Who may read the risk report.
READERS = (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def risk_view(session: Session, site: Site, principal: Principal, on: date) -> s.RiskOut:
    """The report on ``on``, in the reach of the login (see the module)."""
    require(principal, *READERS, what="read the guarantee fund's risk report")
    office = None if principal.role is Role.ADMINISTRATOR else principal.office_id
    if principal.role is not Role.ADMINISTRATOR and office is None:
        raise Forbidden("office", "you work for no office any more")
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
    )


def allocate(
    session: Session, site: Site, principal: Principal, data: s.AllocationIn, on: date
) -> s.AllocationOut:
    """Allocate to the fund what the general assembly decided (administrators)."""
    require(principal, Role.ADMINISTRATOR, what="allocate to the guarantee fund")
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
