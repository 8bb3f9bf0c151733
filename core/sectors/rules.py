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

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

import pluggy
from sqlalchemy import ColumnElement, and_, event, or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, NotFound, RefusedBySector
from partage.core.contract import hookspecs
from partage.core.contract.errors import PluginError
from partage.core.contract.payroll import EmploymentContract, Period
from partage.core.contract.sectors import ActContext, Attestation, Counterpart
from partage.core.members.models import (
    AttestationRecord,
    Entity,
    EntitySector,
    Member,
    Office,
    OfficeSector,
    Party,
)
from partage.core.platform import audit

SECTOR_PREFIX = "sector:"
PREFETCHED = "partage.sectors.in_force"
CHUNK = 500

CACHE_ATTRIBUTE = "_partage_act_plugins"


class ActPlugins(pluggy.PluginManager):
    """The plugin manager one act sees: the instance's country plugin and the sectors
    in force for the act.

    Attributes:
        root: the instance's manager, which holds every installed sector.
        sectors: the sectors this manager holds.
    """

    def __init__(self, root: pluggy.PluginManager, sectors: frozenset[str]) -> None:
        super().__init__(hookspecs.PROJECT)
        self.root, self.sectors = root, sectors
        self.add_hookspecs(hookspecs)
        for name, plugin in root.list_name_plugin():
            if not name.startswith(SECTOR_PREFIX) or name.removeprefix(SECTOR_PREFIX) in sectors:
                self.register(plugin, name=name)


# --- which sectors --------------------------------------------------------------------
def root(plugins: pluggy.PluginManager) -> pluggy.PluginManager:
    """The instance's plugin manager with every installed sector, also when handed the
    manager of one act's sectors."""
    return plugins.root if isinstance(plugins, ActPlugins) else plugins


def _registered(plugins: pluggy.PluginManager) -> list[str]:
    return sorted(
        name.removeprefix(SECTOR_PREFIX)
        for name, _ in plugins.list_name_plugin()
        if name.startswith(SECTOR_PREFIX)
    )


def installed(plugins: pluggy.PluginManager) -> list[str]:
    """Names of the sector plugins installed for the instance, sorted."""
    return _registered(root(plugins))


def require_installed(sector: str, known: Collection[str], *, field: str = "sector") -> str:
    """The sector's name, or a refusal naming the installed sector plugins."""
    if sector not in known:
        listed = ", ".join(sorted(known)) or "none installed"
        raise InvalidAct(f"{field}: {sector!r} is not an installed sector plugin ({listed})")
    return sector


def enabled_in_office(session: Session, office_id: int, on: date) -> list[str]:
    """Sectors an office had enabled on ``on``."""
    return list(
        session.scalars(
            select(OfficeSector.sector)
            .where(OfficeSector.office_id == office_id, enabled_on(on))
            .order_by(OfficeSector.sector)
        )
    )


def in_force(session: Session, entity: Entity, on: date) -> list[str]:
    """Sectors whose rules apply to an act of ``entity`` dated ``on``: the entity's
    sectors that its office had enabled on that day."""
    cached = session.info.get(PREFETCHED, {}).get((entity.id, on))
    if cached is not None:
        return list(cached)
    return sorted(_in_force_of(session, [entity.id], on).get(entity.id, ()))


def _in_force_of(session: Session, ids: Sequence[int], on: date) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(EntitySector.entity_id, EntitySector.sector)
            .join(Entity, Entity.id == EntitySector.entity_id)
            .join(
                OfficeSector,
                and_(
                    OfficeSector.sector == EntitySector.sector,
                    OfficeSector.office_id == Entity.office_id,
                ),
            )
            .where(EntitySector.entity_id.in_(ids[start : start + CHUNK]), enabled_on(on))
        )
        for entity_id, sector in rows:
            found.setdefault(entity_id, set()).add(sector)
    return found


def prefetch(session: Session, entities: Iterable[Entity], on: date) -> None:
    """Find at once the sectors in force for acts of many entities dated ``on`` (a
    payroll run), so that :func:`check_act` asks the database once, not once per act.

    Kept in the session until its transaction ends, and dropped by any change to an
    office's or an entity's sectors made through it.
    """
    ids = [e.id for e in entities]
    found = _in_force_of(session, ids, on)
    cache = session.info.setdefault(PREFETCHED, {})
    cache.update({(i, on): tuple(sorted(found.get(i, ()))) for i in ids})
    if not event.contains(session, "after_transaction_end", forget_prefetched):
        event.listen(session, "after_transaction_end", forget_prefetched, once=True)


def forget_prefetched(session: Session, *_: object) -> None:
    """Drop what :func:`prefetch` found (sectors changed, or the transaction ended)."""
    session.info.pop(PREFETCHED, None)


def enabled_on(on: date) -> ColumnElement[bool]:
    """The condition that an ``office_sector`` period covers act date ``on``."""
    return and_(
        OfficeSector.enabled_from <= on,
        or_(OfficeSector.disabled_from.is_(None), OfficeSector.disabled_from > on),
    )


def scoped(plugins: pluggy.PluginManager, sectors: Collection[str]) -> pluggy.PluginManager:
    """A plugin manager holding the country plugin of ``plugins`` and only ``sectors``.

    Built once per set of sectors and kept while the instance's manager lives, so that a
    payroll run of thousands of payslips does not rebuild it. ``plugins`` may itself be
    an act's manager: the sectors are taken from the instance's.
    """
    base = root(plugins)
    wanted = frozenset(sectors)
    missing = wanted.difference(_registered(base))
    if missing:
        raise PluginError(
            f"sector plugin(s) {', '.join(sorted(missing))} enabled in the database but not "
            f"installed (installed: {', '.join(_registered(base)) or 'none'})"
        )
    # Kept on the instance's manager itself, so that the cache lives and dies with it.
    cache: dict[frozenset[str], ActPlugins] = base.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    if wanted not in cache:
        cache[wanted] = ActPlugins(base, wanted)
    return cache[wanted]


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
        raise NotFound(f"entity {entity}: no such entity")
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
            raise RefusedBySector(f"sector {refusal.sector}: {refusal.rule}")
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
def set_entity_sectors(
    session: Session,
    coop: Cooperative,
    entity: str,
    sectors: Sequence[str],
    *,
    actor: str,
    reason: str = "",
) -> list[str]:
    """Say which trades (sector plugins) an entity works in; returns them sorted.

    An entity works in at least one sector once it has any; each must be installed.
    Whether a sector's rules apply still depends on its office (:func:`in_force`).
    """
    row = session.scalars(select(Entity).where(Entity.code == entity)).one_or_none()
    if row is None:
        raise NotFound(f"entity {entity!r}: no such entity")
    if not sectors:
        raise InvalidAct("sectors: an entity works in at least one sector")
    known = installed(coop.plugins)
    wanted = sorted({require_installed(s, known, field="sectors") for s in sectors})
    current = {
        s.sector: s
        for s in session.scalars(select(EntitySector).where(EntitySector.entity_id == row.id))
    }
    forget_prefetched(session)
    for gone in set(current) - set(wanted):
        session.delete(current[gone])
    session.add_all(EntitySector(entity_id=row.id, sector=s) for s in wanted if s not in current)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="entity.sectors",
        subject=f"entity:{entity}",
        reason=reason,
        data={"sectors": wanted, "before": sorted(current)},
    )
    return wanted


def entity_sectors(session: Session, entity_id: int) -> list[str]:
    """The sectors an entity works in, sorted."""
    return list(
        session.scalars(
            select(EntitySector.sector)
            .where(EntitySector.entity_id == entity_id)
            .order_by(EntitySector.sector)
        )
    )
