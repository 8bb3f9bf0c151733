"""Contract offers: hiring another member only with their consent.

A member acting through their own login hires only themselves. A contract for another
member is an offer: the entity's holder (or staff) states its terms, and the worker
accepts or refuses it from their own login — or staff answer for them, recorded as
``on_behalf``. The offering side may withdraw it while it waits.

Until the worker accepts, nothing of the contract exists: no contract row, no hire
declaration to the State (which names the worker and their national number), no
commitment checked against the entity's funds. Accepting runs the hire itself
(:func:`partage.core.payroll.service.hire`) in the acceptance's transaction: the funds
check, the declaration and the audit record happen then, dated the day of the
acceptance, so an offer accepted too late to declare before its start, or one the
entity can no longer afford, is refused then and stays pending to be withdrawn or
answered again. Each step is in the audit log (``contract_offer.offer``, ``.accept``,
``.refuse``, ``.withdraw``) with its actor.

Who may answer is the faces' question (:mod:`partage.core.access.roles`); the service
takes the answer's actor and whether it was given on the worker's behalf.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    NotFound,
    next_number,
    reference,
)
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor
from partage.core.members.models import Entity, Member
from partage.core.payroll.models import Contract, ContractOffer, OfferStatus
from partage.core.payroll.service import Consent, Terms, check_terms, hire
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow


@dataclass(frozen=True)
class OfferView:
    """An offer with the codes its readers need.

    Attributes:
        offer: the row.
        entity: the offering entity's code; entity_name: its name.
        member: the worker's membership number.
        contract: the contract's code once accepted.
    """

    offer: ContractOffer
    entity: str
    entity_name: str
    member: int
    contract: str | None


def offer_contract(
    session: Session, coop: Cooperative, terms: Terms, *, actor: str
) -> ContractOffer:
    """Offer ``terms`` to their member: checked as a hire is (entity, worker, sectors,
    amounts, a computable payslip), but nothing committed, declared or reserved."""
    row = check_terms(session, coop, terms).row
    offer = ContractOffer(
        code=reference("O", next_number(session, "contract_offer", 0)),
        entity_id=row.entity_id,
        member_id=row.member_id,
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        monthly_gross=row.monthly_gross,
        hourly_rate=row.hourly_rate,
        part_time=row.part_time,
        tax_situation=row.tax_situation,
        dependent_children=row.dependent_children,
        status=OfferStatus.PENDING.value,
        offered_by=actor,
        on_behalf=False,
    )
    session.add(offer)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract_offer.offer",
        subject=f"contract_offer:{offer.code}",
        reason=f"member {terms.member} by entity {terms.entity}",
        data={
            "category": row.worker_category,
            "start": row.start.isoformat(),
            "end": row.end.isoformat() if row.end else None,
            "monthly_gross": _amount(row.monthly_gross, coop.currency),
            "hourly": _amount(row.hourly_rate, coop.currency),
        },
    )
    return offer


def _amount(minor: int | None, currency: str) -> str | None:
    return str(from_minor(minor, currency)) if minor else None


def offer_by_code(session: Session, code: str, *, lock: bool = False) -> ContractOffer:
    """The offer ``code``, or "not found"."""
    query = select(ContractOffer).where(ContractOffer.code == code)
    if lock:
        query = query.with_for_update()
    offer = session.scalars(query).one_or_none()
    if offer is None:
        raise NotFound("offer", N_("no such contract offer"), value=repr(code))
    return offer


def _open(session: Session, code: str) -> tuple[ContractOffer, Entity, Member]:
    offer = offer_by_code(session, code, lock=True)
    if offer.status != OfferStatus.PENDING.value:
        raise ClosedRecord(
            "offer",
            N_("the offer is {offer_status}, not waiting"),
            value=code,
            offer_status=Word(offer.status),
        )
    entity = session.get(Entity, offer.entity_id)
    worker = session.get(Member, offer.member_id)
    assert entity is not None and worker is not None  # foreign keys
    return offer, entity, worker


def _decided(offer: ContractOffer, status: OfferStatus, actor: str, on_behalf: bool) -> None:
    offer.status = status.value
    offer.decided_by, offer.decided_at, offer.on_behalf = actor, utcnow(), on_behalf


def accept_offer(
    session: Session,
    coop: Cooperative,
    code: str,
    *,
    actor: str,
    on_behalf: bool,
    on: date,
) -> Contract:
    """The worker (or staff for them, ``on_behalf``) accepts: the contract is hired now,
    with its funds check and its declaration made on ``on``; refused as a hire is,
    and then nothing changes."""
    offer, entity, worker = _open(session, code)
    contract = hire(
        session,
        coop,
        entity=entity.code,
        member=worker.number,
        worker_category=offer.worker_category,
        start=offer.start,
        end=offer.end,
        monthly_gross=from_minor(offer.monthly_gross, coop.currency)
        if offer.monthly_gross
        else None,
        hourly_rate=from_minor(offer.hourly_rate, coop.currency) if offer.hourly_rate else None,
        part_time=Decimal(offer.part_time),
        tax_situation=offer.tax_situation,
        dependent_children=offer.dependent_children,
        on=on,
        actor=actor,
        consent=Consent.STAFF_FOR_WORKER if on_behalf else Consent.WORKER,
    )
    _decided(offer, OfferStatus.ACCEPTED, actor, on_behalf)
    offer.contract_id = contract.id
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract_offer.accept",
        subject=f"contract_offer:{offer.code}",
        reason=f"member {worker.number}" + (" (staff on their behalf)" if on_behalf else ""),
        data={"contract": contract.code, "on_behalf": on_behalf},
    )
    return contract


def refuse_offer(
    session: Session, code: str, *, actor: str, on_behalf: bool, reason: str = ""
) -> ContractOffer:
    """The worker (or staff for them) refuses: the offer ends, nothing was committed."""
    offer, _entity, worker = _open(session, code)
    _decided(offer, OfferStatus.REFUSED, actor, on_behalf)
    offer.reason = reason.strip()[:2000] or None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract_offer.refuse",
        subject=f"contract_offer:{offer.code}",
        reason=reason.strip(),
        data={"member": worker.number, "on_behalf": on_behalf},
    )
    return offer


def withdraw_offer(session: Session, code: str, *, actor: str, reason: str = "") -> ContractOffer:
    """The offering side takes the offer back before the worker answers."""
    offer, entity, _worker = _open(session, code)
    _decided(offer, OfferStatus.WITHDRAWN, actor, False)
    offer.reason = reason.strip()[:2000] or None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract_offer.withdraw",
        subject=f"contract_offer:{offer.code}",
        reason=reason.strip(),
        data={"entity": entity.code},
    )
    return offer


def offers(
    session: Session,
    *,
    member_id: int | None = None,
    entity_ids: Collection[int] | Select[int] | None = None,
    status: OfferStatus | None = None,
    code: str | None = None,
) -> list[OfferView]:
    """Offers made to a worker or by entities (only ``code`` when given), the newest
    first."""
    query = (
        select(ContractOffer, Entity.code, Entity.name, Member.number, Contract.code)
        .join(Entity, Entity.id == ContractOffer.entity_id)
        .join(Member, Member.id == ContractOffer.member_id)
        .outerjoin(Contract, Contract.id == ContractOffer.contract_id)
        .order_by(ContractOffer.id.desc())
    )
    if member_id is not None:
        query = query.where(ContractOffer.member_id == member_id)
    if entity_ids is not None:
        query = query.where(ContractOffer.entity_id.in_(entity_ids))
    if status is not None:
        query = query.where(ContractOffer.status == status.value)
    if code is not None:
        query = query.where(ContractOffer.code == code)
    return [OfferView(*row) for row in session.execute(query)]
