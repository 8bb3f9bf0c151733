"""Local offices: their records, their advisers and the sectors each enables.

Offices come from the instance configuration (:func:`partage.core.members.instance.load_instance`
creates them) and are then edited by the instance's administrators through this
module. Every change is audited.

Enabling or disabling a sector takes effect from a date that is never earlier than the
day the change is made: a new act dated from then on is judged by the new rule, an act
dated before is not, and nothing already posted changes. The history stays in
``office_sector`` (one row per period a sector was enabled), so the sectors in force on
any past day can still be told.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.members.checks import required
from partage.core.members.models import (
    Office,
    OfficeAdviser,
    OfficeSector,
    Person,
)
from partage.core.members.sectors_in_force import forget_prefetched
from partage.core.platform import audit, clock
from partage.core.platform.config import SLUG_PATTERN
from partage.core.platform.db.base import utcnow


@dataclass(frozen=True)
class SectorPeriod:
    """A period during which an office enabled a sector.

    Attributes:
        sector: the sector plugin's name.
        enabled_from: first act date its rules apply to.
        disabled_from: first act date they no longer apply to, ``None`` while enabled.
        review_required: applications in that trade go to the ethics committee.
    """

    sector: str
    enabled_from: date
    disabled_from: date | None
    review_required: bool


@dataclass(frozen=True)
class OfficeView:
    """An office as administrators see it.

    Attributes:
        code, name, address: the office.
        advisers: user names of its advisers, sorted.
        sectors: every period a sector was enabled there, by sector then date.
    """

    code: str
    name: str
    address: str
    advisers: tuple[str, ...]
    sectors: tuple[SectorPeriod, ...]

    def enabled_on(self, on: date) -> list[str]:
        """Sectors in force in this office on ``on``."""
        return sorted(
            {
                p.sector
                for p in self.sectors
                if p.enabled_from <= on and (p.disabled_from is None or on < p.disabled_from)
            }
        )


def office_by_code(session: Session, code: str) -> Office:
    """The office, or :class:`NotFound` naming the offices there are."""
    office = session.scalars(select(Office).where(Office.code == code)).one_or_none()
    if office is None:
        known = ", ".join(session.scalars(select(Office.code).order_by(Office.code)))
        raise NotFound(
            "office",
            N_("no such office (offices: {item_a})"),
            value=repr(code),
            item_a=known or "none",
        )
    return office


# --- offices ----------------------------------------------------------------------------
def create_office(session: Session, *, code: str, name: str, address: str, actor: str) -> Office:
    """Open a local office; its code is a short stable slug, unique in the instance."""
    if not SLUG_PATTERN.match(code or ""):
        raise InvalidAct(
            "code",
            N_("{code} must be a short code of lower-case letters, digits, '-' or '_'"),
            code=repr(code),
        )
    if session.scalar(select(Office.id).where(Office.code == code)) is not None:
        raise InvalidAct("code", N_("office {code} already exists"), code=repr(code))
    office = Office(code=code, name=required(name, "name"), address=required(address, "address"))
    session.add(office)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="office.create",
        subject=f"office:{code}",
        data={"name": office.name, "address": office.address},
    )
    return office


def update_office(
    session: Session,
    code: str,
    *,
    actor: str,
    name: str | None = None,
    address: str | None = None,
) -> Office:
    """Change an office's name or address."""
    office = office_by_code(session, code)
    before = {"name": office.name, "address": office.address}
    if name is not None:
        office.name = required(name, "name")
    if address is not None:
        office.address = required(address, "address")
    after = {"name": office.name, "address": office.address}
    if after != before:
        audit.record(
            session,
            actor=actor,
            action="office.update",
            subject=f"office:{code}",
            data={"before": before, "after": after},
        )
    return office


# --- advisers ---------------------------------------------------------------------------
def add_adviser(
    session: Session, office: str, user_name: str, *, actor: str, person: str | None = None
) -> OfficeAdviser:
    """Add an adviser (or an office manager) to an office's staff roster, by user name
    (and the person, when known). The roster is where a staff login's office access
    comes from, so one name is on one office's roster at a time: moving someone is
    removing them from one office and adding them to the other."""
    row = office_by_code(session, office)
    user_name = required(user_name, "user_name")
    if any(a.user_name == user_name for a in row.advisers):
        raise InvalidAct(
            "user_name",
            N_("{user_name} already advises in office {office}"),
            user_name=repr(user_name),
            office=office,
        )
    elsewhere = session.scalar(
        select(Office.code)
        .join(OfficeAdviser, OfficeAdviser.office_id == Office.id)
        .where(OfficeAdviser.user_name == user_name)
    )
    if elsewhere is not None:
        raise InvalidAct(
            "user_name",
            N_("{user_name} works in office {elsewhere}: remove them from it first"),
            user_name=repr(user_name),
            elsewhere=elsewhere,
        )
    person_id = None
    if person is not None:
        person_id = session.scalar(select(Person.id).where(Person.code == person))
        if person_id is None:
            raise NotFound("person", N_("no such person"), value=repr(person))
    adviser = OfficeAdviser(user_name=user_name, person_id=person_id)
    row.advisers.append(adviser)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="office.add_adviser",
        subject=f"office:{office}",
        data={"adviser": user_name, "person": person},
    )
    return adviser


def remove_adviser(
    session: Session, office: str, user_name: str, *, actor: str, reason: str = ""
) -> None:
    """Remove an adviser (or an office manager) from an office: their login loses its
    access to the office at once (the audit log keeps that they worked there)."""
    row = office_by_code(session, office)
    found = [a for a in row.advisers if a.user_name == user_name]
    if not found:
        raise NotFound(
            "user_name",
            N_("{user_name} does not advise in office {office}"),
            user_name=repr(user_name),
            office=office,
        )
    row.advisers.remove(found[0])
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="office.remove_adviser",
        subject=f"office:{office}",
        reason=reason,
        data={"adviser": user_name},
    )


# --- sectors ----------------------------------------------------------------------------
def _not_before_today(day: date | None, today: date | None, field: str) -> date:
    today = today or clock.today()
    day = day or today
    if day < today:
        raise InvalidAct(
            field,
            N_(
                "{day} is before today ({today}); enabling or disabling a "
                "sector is never retroactive"
            ),
            day=day,
            today=today,
        )
    return day


def _open_period(office: Office, sector: str) -> OfficeSector | None:
    return next((s for s in office.sectors if s.sector == sector and s.disabled_at is None), None)


def enable_sector(
    session: Session,
    office: str,
    sector: str,
    *,
    installed: Collection[str],
    actor: str,
    enabled_from: date | None = None,
    review_required: bool = False,
    today: date | None = None,
    reason: str = "",
    countries: Mapping[str, str] | None = None,
    country: str | None = None,
) -> OfficeSector:
    """Enable a sector's rules in an office for acts dated from ``enabled_from`` on.

    :param installed: the installed sector plugins; another name is refused with them.
    :param enabled_from: first act date the rules apply to; today when omitted, never
        earlier.
    :param review_required: applications in the sector's trade made through this
        office go to the ethics committee, whatever the sector plugin says.
    :param today: the day the change is made (the clock, for tests).
    :param countries: the country each installed sector declares (``"any"`` for a
        trade of every country); with ``country``, the instance's country plugin code,
        a sector of another country is refused.
    """
    require_installed(sector, installed)
    if countries is not None and country is not None:
        require_country(sector, countries, country)
    row = office_by_code(session, office)
    start = _not_before_today(enabled_from, today, "enabled_from")
    if (current := _open_period(row, sector)) is not None:
        raise InvalidAct(
            "sector",
            N_("{sector} is already enabled in office {office} (since {current_enabled_from})"),
            sector=repr(sector),
            office=office,
            current_enabled_from=current.enabled_from,
        )
    last_end = max(
        (s.disabled_from for s in row.sectors if s.sector == sector and s.disabled_from),
        default=None,
    )
    if last_end is not None and start < last_end:
        raise InvalidAct(
            "enabled_from",
            N_("{start} is before {last_end}, when {sector} was last disabled in office {office}"),
            start=start,
            last_end=last_end,
            sector=repr(sector),
            office=office,
        )
    period = OfficeSector(sector=sector, enabled_from=start, review_required=review_required)
    forget_prefetched(session)
    row.sectors.append(period)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="office.enable_sector",
        subject=f"office:{office}",
        reason=reason,
        data={
            "sector": sector,
            "enabled_from": start.isoformat(),
            "review_required": review_required,
        },
    )
    return period


def disable_sector(
    session: Session,
    office: str,
    sector: str,
    *,
    actor: str,
    disabled_from: date | None = None,
    today: date | None = None,
    reason: str = "",
) -> OfficeSector:
    """Stop applying a sector's rules in an office to acts dated from ``disabled_from``
    on (today when omitted, never earlier). Acts already posted keep what the rules
    made of them."""
    row = office_by_code(session, office)
    current = _open_period(row, sector)
    if current is None:
        enabled = sorted(s.sector for s in row.sectors if s.disabled_at is None)
        raise InvalidAct(
            "sector",
            N_("{sector} is not enabled in office {office} (enabled: {item_a})"),
            sector=repr(sector),
            office=office,
            item_a=", ".join(enabled) or "none",
        )
    end = _not_before_today(disabled_from, today, "disabled_from")
    if end < current.enabled_from:
        raise InvalidAct(
            "disabled_from",
            N_(
                "{end} is before {current_enabled_from}, when {sector} was "
                "enabled in office {office}"
            ),
            end=end,
            current_enabled_from=current.enabled_from,
            sector=repr(sector),
            office=office,
        )
    forget_prefetched(session)
    current.disabled_from = end
    current.disabled_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="office.disable_sector",
        subject=f"office:{office}",
        reason=reason,
        data={"sector": sector, "disabled_from": end.isoformat()},
    )
    return current


def enable_configured(
    session: Session,
    office: Office,
    sectors: Iterable[str],
    *,
    actor: str,
    today: date,
    countries: Mapping[str, str] | None = None,
    country: str | None = None,
) -> list[str]:
    """Enable, from ``today``, the configured sectors the office has never had.

    Once an office has a history for a sector, its administrators' decisions rule:
    loading the configuration again neither re-enables a sector they disabled nor
    disables one they enabled. A sector of another country than the instance's is
    refused as :func:`enable_sector` refuses it.
    """
    known = {s.sector for s in office.sectors}
    enabled = []
    for sector in sectors:
        if sector in known:
            continue
        if countries is not None and country is not None:
            require_country(sector, countries, country)
        forget_prefetched(session)
        office.sectors.append(OfficeSector(sector=sector, enabled_from=today))
        enabled.append(sector)
        audit.record(
            session,
            actor=actor,
            action="office.enable_sector",
            subject=f"office:{office.code}",
            reason="loaded from configuration",
            data={"sector": sector, "enabled_from": today.isoformat()},
        )
    return enabled


# --- reading ----------------------------------------------------------------------------
def list_offices(session: Session) -> list[OfficeView]:
    """Every office with its advisers and sector history, by code."""
    views = []
    for office in session.scalars(select(Office).order_by(Office.code)):
        periods = sorted(office.sectors, key=lambda s: (s.sector, s.enabled_from, s.id))
        views.append(
            OfficeView(
                code=office.code,
                name=office.name,
                address=office.address,
                advisers=tuple(sorted(a.user_name for a in office.advisers)),
                sectors=tuple(
                    SectorPeriod(p.sector, p.enabled_from, p.disabled_from, p.review_required)
                    for p in periods
                ),
            )
        )
    return views


def require_installed(sector: str, known: Collection[str], *, field: str = "sector") -> str:
    """The sector's name, or a refusal naming the installed sector plugins."""
    if sector not in known:
        listed = ", ".join(sorted(known)) or "none installed"
        raise InvalidAct(
            field,
            N_("{sector} is not an installed sector plugin ({listed})"),
            sector=repr(sector),
            listed=listed,
        )
    return sector


#: What a sector plugin declares as its country when its trade's rules hold everywhere.
ANY_COUNTRY = "any"


def require_country(
    sector: str, countries: Mapping[str, str], country: str, *, field: str = "sector"
) -> str:
    """The sector's name, or a refusal when the sector plugin declares another country
    than the instance's: a trade's rules written for one country's law (Belgian
    artists' certificates) must not judge another country's acts."""
    declared = (countries.get(sector) or ANY_COUNTRY).lower()
    if declared not in (ANY_COUNTRY, country.lower()):
        raise InvalidAct(
            field,
            N_(
                "{sector} is a sector of country {sector_country}; an office of this "
                "instance ({country}) may enable only sectors of {country} or of every country"
            ),
            sector=repr(sector),
            sector_country=declared.upper(),
            country=country.upper(),
        )
    return sector
