"""Read models of a person's accounts: the accounts a login opens, the member account
(shares, vote, membership documents) and the worker account (contracts, payslips, the
contract offers waiting for the worker's answer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import iso11649

from partage.core.access.roles import Principal
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.members.membership import dues_of
from partage.core.members.models import Entity, EntityHolder, Member, Person, ShareMovement
from partage.core.payroll.models import OfferStatus
from partage.core.payroll.offers import offers
from partage.core.web.accounts import schemas as s
from partage.core.web.i18n import N_
from partage.core.web.payroll.views import contracts, offer_out, payslips
from partage.core.web.schemas import money


def accounts(session: Session, principal: Principal) -> s.MeOut:
    """The accounts a login opens: member, one per entity held, worker."""
    refs: list[s.AccountRef] = []
    if principal.member_id is not None:
        number = principal.member_number
        refs.append(
            s.AccountRef(
                kind="member", reference=f"M{number}", title=N_("Member account"), href="/member"
            )
        )
        for code, name in session.execute(
            select(Entity.code, Entity.name)
            .join(EntityHolder, EntityHolder.entity_id == Entity.id)
            .where(EntityHolder.member_id == principal.member_id)
            .order_by(Entity.code)
        ):
            refs.append(
                s.AccountRef(kind="entity", reference=code, title=name, href=f"/entities/{code}")
            )
        refs.append(
            s.AccountRef(
                kind="worker", reference=f"W{number}", title=N_("Worker account"), href="/worker"
            )
        )
    return s.MeOut(
        username=principal.username,
        display_name=principal.display_name,
        role=principal.role.value,
        member=principal.member_number,
        office=principal.office_code,
        accounts=refs,
    )


def member_account(session: Session, coop: Cooperative, member_id: int) -> s.MemberAccountOut:
    """Shares, vote and membership documents of a member."""
    member, person = session.execute(
        select(Member, Person)
        .join(Person, Person.id == Member.person_id)
        .where(Member.id == member_id)
    ).one()
    moves = session.scalars(
        select(ShareMovement)
        .where(ShareMovement.member_id == member_id)
        .order_by(ShareMovement.on, ShareMovement.id)
    ).all()
    held = sum(m.quantity for m in moves)
    capital = sum((m.quantity * m.nominal for m in moves), 0)
    documents = [f"Admission of member {member.number} on {member.admitted_on.isoformat()}"]
    documents += [
        f"{'Subscription' if m.quantity > 0 else 'Redemption'} of {abs(m.quantity)} "
        f"share(s) of class {m.share_class} on {m.on.isoformat()}"
        for m in moves
    ]
    return s.MemberAccountOut(
        number=member.number,
        name=f"{person.first_name} {person.last_name}",
        share_class=member.share_class,
        admitted_on=member.admitted_on,
        left_on=member.left_on,
        shares=held,
        capital=money(capital, coop.currency),
        votes=1 if member.left_on is None else 0,
        movements=[
            s.ShareMove(
                on=m.on,
                quantity=m.quantity,
                amount=money(m.quantity * m.nominal, coop.currency),
                share_class=m.share_class,
            )
            for m in moves
        ],
        documents=documents,
        payments_due=[
            s.SharePaymentDueOut(
                quantity=d.quantity,
                amount=money(d.amount, coop.currency),
                reference=iso11649.format(d.reference),
                due_since=d.due_since,
            )
            for d in dues_of(session, member_id)
        ],
    )


def worker_account(session: Session, coop: Cooperative, principal: Principal) -> s.WorkerAccountOut:
    if principal.member_id is None or principal.member_number is None:
        raise NotFound("member", N_("this login has no worker account (no member behind it)"))
    return s.WorkerAccountOut(
        member=principal.member_number,
        contracts=contracts(session, coop, member_id=principal.member_id),
        payslips=payslips(session, coop, member_id=principal.member_id),
        offers=[
            offer_out(view, coop.currency)
            for view in offers(session, member_id=principal.member_id, status=OfferStatus.PENDING)
        ],
    )
