"""Sector rules applied to an entity's economic acts.

A sector's rules apply to an act when the entity works in that sector *and* its office
had enabled the sector on the act's date (``enabled_from <= on`` and not yet
``disabled_from``). Dates, not the moment an act is keyed in, decide: enabling a
sector never reaches back to acts dated before it, and disabling it never touches an
act already posted (posted entries never change anyway).

Every act service of an entity calls :func:`check_act` before it writes anything. It
asks the sectors in force to validate the act, raises
:class:`~partage.core.acts.cooperative.RefusedBySector` on the first refusal, and returns the
cooperative *as the act sees it*: a copy whose plugin manager holds the country plugin
and exactly the sectors in force, so that expense categories, payslip lines and paid
hours further down the act come from those sectors only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, NotFound, RefusedBySector
from partage.core.contract.errors import N_
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.contract.sectors import ActContext, Attestation, Counterpart
from partage.core.members.models import (
    AttestationRecord,
    Entity,
    EntitySector,
    Member,
    Office,
    Party,
)
from partage.core.members.offices import require_installed
from partage.core.members.sectors_in_force import forget_prefetched, in_force
from partage.core.platform import audit
from partage.core.platform.registry import _registered, installed, scoped

# --- which sectors --------------------------------------------------------------------


def for_entity(session: Session, coop: Cooperative, entity: Entity, on: date) -> Cooperative:
    """The cooperative as an act of ``entity`` dated ``on`` sees it (sectors in force)."""
    return replace(coop, plugins=scoped(coop.plugins, in_force(session, entity, on)))


# --- the act ---------------------------------------------------------------------------
def check_act(
    session: Session,
    coop: Cooperative,
    entity: Entity | int,
    kind: str,
    on: date,
    *,
    amount: Decimal | str | None = None,
    counterpart: Party | None = None,
    member: Member | int | None = None,
    **details: object,
) -> Cooperative:
    """Judge an act of ``entity`` by the sectors in force on ``on``; return the
    cooperative as the act sees it.

    :param entity: the entity (or its id) whose act it is.
    :param kind: an :class:`~partage.core.contract.ActKind` value.
    :param on: the act's date: which sectors are in force depends on it.
    :param amount: its amount excluding VAT, when known (an unreadable one is left out:
        the act refuses it itself).
    :param counterpart: the client or supplier.
    :param member: the member the act concerns (or their membership number).
    :param details: further facts, passed to the rules as text.

    Raises :class:`~partage.core.acts.cooperative.RefusedBySector` naming the sector and the rule.
    """
    row = entity if isinstance(entity, Entity) else session.get(Entity, entity)
    if row is None:
        raise NotFound("entity", N_("no such entity"), value=entity)
    scope = for_entity(session, coop, row, on)
    if not _registered(scope.plugins):
        return scope
    number = member.number if isinstance(member, Member) else member
    act = ActContext(
        kind=str(kind),
        entity=row.code,
        office=office.code if (office := session.get(Office, row.office_id)) else "",
        on=on,
        amount=_amount(amount),
        details=tuple((k, str(v)) for k, v in sorted(details.items()) if v is not None),
        counterpart=_counterpart(counterpart),
        member=number,
        attestations=attestations_on_file(session, row, number, on),
    )
    for refusal in scope.plugins.hook.partage_validate_act(act=act):
        if refusal is not None:
            raise RefusedBySector(
                "sector", refusal.rule, value=refusal.sector, **dict(refusal.params)
            )
    return scope


def _amount(value: Decimal | str | None) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _counterpart(party: Party | None) -> Counterpart | None:
    if party is None:
        return None
    return Counterpart(party.code, party.name, party.country, bool(party.platform))


def attestations_on_file(
    session: Session, entity: Entity, member: int | None, on: date
) -> tuple[Attestation, ...]:
    """The entity's attestations and the member's that started on or before ``on``."""
    whose = [AttestationRecord.entity_id == entity.id]
    person_id = None
    if member is not None:
        person_id = session.scalar(select(Member.person_id).where(Member.number == member))
        if person_id is not None:
            whose.append(AttestationRecord.person_id == person_id)
    rows = session.scalars(
        select(AttestationRecord)
        .where(or_(*whose), AttestationRecord.valid_from <= on)
        .order_by(AttestationRecord.valid_from, AttestationRecord.id)
    )
    return tuple(
        Attestation(
            kind=r.kind,
            holder=f"entity:{entity.code}" if r.entity_id is not None else f"member:{member}",
            issuer=r.issuer,
            number=r.number,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
        )
        for r in rows
    )


# --- what sectors add to an act ----------------------------------------------------------
def paid_terms(coop: Cooperative, terms: EmploymentContract, period: Period) -> EmploymentContract:
    """The contract with the hours the sectors in force pay, when more than worked."""
    if terms.hours is None:
        return terms
    answers = [h for h in coop.plugins.hook.partage_paid_hours(contract=terms, period=period) if h]
    paid = max([terms.hours, *answers])
    return terms if paid == terms.hours else replace(terms, hours=paid)


# --- which sectors an entity works in ------------------------------------------------------
@dataclass(frozen=True)
class SectorSpan:
    """A sector an entity works in, over act dates.

    Attributes:
        sector: the sector plugin's name.
        since: first act date (``None``: every act before ``until``).
        until: first act date it no longer applies to (``None``: still applies).
    """

    sector: str
    since: date | None
    until: date | None

    def covers(self, on: date) -> bool:
        """Whether the entity works in the sector on act date ``on``."""
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)


def set_entity_sectors(
    session: Session,
    coop: Cooperative,
    entity: str,
    sectors: Sequence[str],
    *,
    actor: str,
    reason: str = "",
    since: date | None = None,
    today: date | None = None,
) -> list[str]:
    """Say which trades (sector plugins) an entity works in; returns them sorted.

    An entity works in at least one sector once it has any; each must be installed.
    Whether a sector's rules apply still depends on its office (:func:`in_force`), which
    may enable only sectors of the instance's country.

    :param since: the first act date the new list applies to: a sector left out stops
        from that day, one added starts from it; never before ``today`` (a sector's rules
        never reach back to acts already recorded). ``None``: the list holds for every
        act date, earlier ones included (setting up an entity's trades at its opening).
    :param today: the day the change is made (the cooperative's clock when omitted).
    """
    row = session.scalars(select(Entity).where(Entity.code == entity)).one_or_none()
    if row is None:
        raise NotFound("entity", N_("no such entity"), value=repr(entity))
    if not sectors:
        raise InvalidAct("sectors", N_("an entity works in at least one sector"))
    known = installed(coop.plugins)
    wanted = sorted({require_installed(s, known, field="sectors") for s in sectors})
    if since is not None:
        day = today or coop.today()
        if since < day:
            raise InvalidAct(
                "since",
                N_(
                    "{since} is before today ({today}); an entity's sectors never "
                    "change for acts already recorded"
                ),
                since=since,
                today=day,
            )
    rows = {
        s.sector: s
        for s in session.scalars(select(EntitySector).where(EntitySector.entity_id == row.id))
    }
    current = {
        name
        for name, r in rows.items()
        if r.until is None or (since is not None and r.until > since)
    }
    forget_prefetched(session)
    for gone in current - set(wanted):
        started = rows[gone].since
        if since is None or (started is not None and started >= since):
            session.delete(rows[gone])  # it never applied to an act: nothing to keep
        else:
            rows[gone].until = since
    for name in wanted:
        if name in current:
            if rows[name].until is not None:
                rows[name].until = None
            continue
        if name in rows:
            rows[name].since, rows[name].until = since, None
        else:
            session.add(EntitySector(entity_id=row.id, sector=name, since=since))
    session.flush()
    data: dict[str, object] = {"sectors": wanted, "before": sorted(current)}
    if since is not None:
        data["since"] = since.isoformat()
    audit.record(
        session,
        actor=actor,
        action="entity.sectors",
        subject=f"entity:{entity}",
        reason=reason,
        data=data,
    )
    return wanted


def entity_sectors(session: Session, entity_id: int, on: date | None = None) -> list[str]:
    """The sectors an entity works in on act date ``on`` (omitted: any day), sorted."""
    return sorted(
        {
            span.sector
            for span in entity_sector_spans(session, entity_id)
            if on is None or span.covers(on)
        }
    )


def entity_sector_spans(session: Session, entity_id: int) -> list[SectorSpan]:
    """Every sector an entity works in or worked in, with its act dates, by sector."""
    return [
        SectorSpan(r.sector, r.since, r.until)
        for r in session.scalars(
            select(EntitySector)
            .where(EntitySector.entity_id == entity_id)
            .order_by(EntitySector.sector)
        )
    ]
