"""Copyright cessions: an author's copyright income paid by the entity within its funds,
taxed as the country's regime says.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ActError,
    Cooperative,
    InvalidAct,
    credit,
    debit,
    positive_amount,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.contract.sectors import ActKind
from partage.core.ledger.models import JournalKind
from partage.core.members.membership import member_by_number
from partage.core.members.service import entity_by_code, holders_of
from partage.core.platform import audit
from partage.core.risk.solvency import require_funds
from partage.core.sectors.rules import check_act
from partage.core.spending.models import (
    CopyrightCession,
)


def cede_copyright(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    member: int,
    work: str,
    amount: Decimal | str,
    on: date,
    actor: str,
) -> CopyrightCession:
    """A holder cedes copyright on a work; the entity pays them copyright income taxed
    as the country plugin says (flat-rate costs, withholding)."""
    holder = entity_by_code(session, entity)
    check_act(session, coop, holder, ActKind.COPYRIGHT_CESSION, on, amount=amount, member=member)
    author = member_by_number(session, member)
    if member not in holders_of(session, holder.id):
        raise InvalidAct(
            "member",
            N_("{member} does not hold entity {entity_shown}"),
            member=member,
            entity_shown=entity,
        )
    if not work.strip():
        raise InvalidAct("work", N_("name the work whose rights are ceded"))
    value = positive_amount(amount, coop.currency, field="amount")
    year_start = date(on.year, 1, 1)
    earlier = session.scalar(
        select(func.coalesce(func.sum(CopyrightCession.amount), 0)).where(
            CopyrightCession.member_id == author.id,
            CopyrightCession.on >= year_start,
            CopyrightCession.on <= on,
        )
    )
    taxation = coop.plugins.hook.partage_copyright_taxation(
        amount=value, on=on, earlier_this_year=from_minor(int(earlier or 0), coop.currency)
    )
    if taxation is None:
        raise ActError(
            "copyright", N_("this country has no copyright income regime; pay the work as salary")
        )
    require_funds(session, coop, holder, value, on=on, what=N_("copyright cession"))
    cession = CopyrightCession(
        entity_id=holder.id,
        member_id=author.id,
        on=on,
        work=work.strip(),
        amount=coop.minor(value),
        flat_rate_costs=coop.minor(taxation.flat_rate_costs),
        withholding=coop.minor(taxation.withholding),
    )
    session.add(cession)
    session.flush()
    partner = f"M{member}"
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.COPYRIGHT_FEES, value, partner=partner),
            credit(PostingRole.WITHHOLDING_PAYABLE, taxation.withholding, partner=partner),
            credit(PostingRole.MEMBERS_PAYABLE, taxation.net, partner=partner),
        ],
        act=("copyright_cession", cession.id),
        actor=actor,
        description=f"Copyright cession: {work.strip()}",
    )
    audit.record(
        session,
        actor=actor,
        action="copyright.cede",
        subject=f"copyright:{cession.id}",
        data={
            "amount": str(value),
            "flat_rate_costs": str(taxation.flat_rate_costs),
            "withholding": str(taxation.withholding),
        },
    )
    return cession
