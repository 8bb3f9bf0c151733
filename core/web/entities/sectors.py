"""An entity's sectors and attestations, as its page and the API show and change them,
and the attestations of an office that end soon or have ended.

Office staff (the entity's office's advisers and managers) and administrators set the
trades an entity works in from a day on, put attestations on file with their scanned
file, and mark a client as a digital work platform; the entity's holders read it all.
Each act is one transaction through :mod:`partage.core.sectors`, which audits it; the
access rules are checked inside that transaction, so a refusal leaves nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import quote

from litestar import Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from partage.core.access.parties import reachable_party
from partage.core.access.roles import Principal, entity_scope, reachable_entity, require_staff
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_, Word
from partage.core.members.follow_up import Document
from partage.core.members.models import (
    AttestationRecord,
    Entity,
    EntityHolder,
    Member,
    Office,
    Person,
)
from partage.core.members.offices import require_country
from partage.core.members.sectors_in_force import enabled_in_office, in_force
from partage.core.platform.registry import installed, sector_countries, sector_names
from partage.core.sectors import records
from partage.core.sectors import rules as sector_rules
from partage.core.spending.expenses import expense_category_labels, offered_expense_categories
from partage.core.web.entities.listing import ATTESTATION_NOTICE_DAYS
from partage.core.web.site import Site


@dataclass(frozen=True)
class AttestationRow:
    """An attestation as pages and the API list it.

    Attributes:
        id: its record's id (its file's address).
        kind, kind_label: the kind's code and its label (English, marked for catalogs).
        holder: ``"entity"`` or ``"member"``.
        entity: the entity's code when an entity holds it.
        member, member_name: the member's number and name when a member holds it.
        issuer, number, valid_from, valid_until: what it says.
        file_name: the uploaded file's name, ``None`` without a file.
        entities: the entities (code, name) it concerns within the reader's reach.
    """

    id: int
    kind: str
    kind_label: str
    holder: str
    entity: str | None
    member: int | None
    member_name: str | None
    issuer: str
    number: str
    valid_from: date
    valid_until: date
    file_name: str | None
    entities: tuple[tuple[str, str], ...] = ()

    def state(self, today: date) -> str:
        """``"expired"``, ``"ending"`` (within the notice) or ``"valid"`` on ``today``."""
        if self.valid_until < today:
            return "expired"
        if self.valid_until <= today + timedelta(days=ATTESTATION_NOTICE_DAYS):
            return "ending"
        return "valid"


@dataclass(frozen=True)
class SectorsView:
    """An entity's sectors, what they offer and the attestations they look at.

    Attributes:
        entity: the entity's code; name: its name; office: its office's code.
        on: the day the view is for.
        spans: every sector it works or worked in, with its act dates.
        in_force: the sectors whose rules apply to its acts dated ``on``.
        enabled: the sectors its office has enabled on ``on``.
        choices: the sectors that may be chosen (installed, of the instance's country).
        names: each sector's name (marked for catalogs), by code.
        expense_categories: the categories its expense claims dated ``on`` may use.
        category_labels: each category's label (marked for catalogs), by code.
        attestation_kinds: the kinds the installed sectors declare: code, label, holder.
        attestations: its own and its holders' attestations, the latest ending first.
        holders: its holders' numbers and names.
    """

    entity: str
    name: str
    office: str
    on: date
    spans: tuple[sector_rules.SectorSpan, ...]
    in_force: tuple[str, ...]
    enabled: tuple[str, ...]
    choices: tuple[str, ...]
    names: dict[str, str]
    expense_categories: tuple[str, ...]
    category_labels: dict[str, str]
    attestation_kinds: tuple[tuple[str, str, str], ...]
    attestations: tuple[AttestationRow, ...]
    holders: tuple[tuple[int, str], ...]


def choosable(site: Site) -> list[str]:
    """The sectors an entity of this instance may be said to work in: those installed
    whose plugin declares the instance's country or every country."""
    countries = sector_countries(site.coop.plugins)
    country = site.coop.instance.country_plugin.lower()
    return [s for s in installed(site.coop.plugins) if countries.get(s, "any") in ("any", country)]


def _row(
    record: AttestationRecord, labels: dict[str, str], people: dict[int, tuple[int, str]]
) -> AttestationRow:
    member = people.get(record.person_id) if record.person_id is not None else None
    return AttestationRow(
        id=record.id,
        kind=record.kind,
        kind_label=labels.get(record.kind, record.kind),
        holder="entity" if record.entity_id is not None else "member",
        entity=None,
        member=member[0] if member else None,
        member_name=member[1] if member else None,
        issuer=record.issuer,
        number=record.number,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        file_name=record.filename,
    )


def _people(session: Session, person_ids: set[int]) -> dict[int, tuple[int, str]]:
    if not person_ids:
        return {}
    return {
        pid: (number, f"{first} {last}")
        for pid, number, first, last in session.execute(
            select(Person.id, Member.number, Person.first_name, Person.last_name)
            .join(Member, Member.person_id == Person.id)
            .where(Person.id.in_(person_ids))
        )
    }


def kind_labels(site: Site) -> dict[str, str]:
    """Each attestation kind's label (English, marked for catalogs), by code."""
    return {code: kind.label for code, kind in records.attestation_kinds(site.coop).items()}


def view(session: Session, site: Site, me: Principal, code: str) -> SectorsView:
    """The entity's sectors page or document, for a login that reaches the entity."""
    entity = reachable_entity(session, me, code)
    today = site.today()
    office = session.get(Office, entity.office_id)
    labels = kind_labels(site)
    allowed = choosable(site)
    found = records.attestations_of(session, entity)
    people = _people(session, {r.person_id for r in found if r.person_id is not None})
    holders = session.execute(
        select(Member.number, Person.first_name, Person.last_name)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .join(Person, Person.id == Member.person_id)
        .where(EntityHolder.entity_id == entity.id)
        .order_by(Member.number)
    )
    return SectorsView(
        entity=entity.code,
        name=entity.name,
        office=office.code if office else "",
        on=today,
        spans=tuple(sector_rules.entity_sector_spans(session, entity.id)),
        in_force=tuple(in_force(session, entity, today)),
        enabled=tuple(enabled_in_office(session, entity.office_id, today)),
        choices=tuple(allowed),
        names=sector_names(site.coop.plugins),
        expense_categories=offered_expense_categories(session, site.coop, entity, today),
        category_labels=expense_category_labels(site.coop),
        attestation_kinds=tuple(
            (k.code, k.label, k.holder)
            for k in sorted(
                (
                    kind
                    for sector, kinds in records.attestation_kinds_by_sector(site.coop).items()
                    if sector in allowed
                    for kind in kinds
                ),
                key=lambda k: k.code,
            )
        ),
        attestations=tuple(_row(r, labels, people) for r in found),
        holders=tuple((number, f"{first} {last}") for number, first, last in holders),
    )


# --- acts -------------------------------------------------------------------------------
def set_sectors(
    session: Session,
    site: Site,
    me: Principal,
    code: str,
    sectors: list[str],
    *,
    since: date | None,
    reason: str = "",
) -> list[str]:
    """Set the trades the entity works in from ``since`` (default today): office staff
    of its office and administrators; a sector of another country is refused."""
    require_staff(me, N_("set an entity's sectors"))
    entity = reachable_entity(session, me, code)
    countries = sector_countries(site.coop.plugins)
    for sector in sectors:
        if sector in countries:
            require_country(sector, countries, site.coop.instance.country_plugin, field="sectors")
    today = site.today()
    return sector_rules.set_entity_sectors(
        session,
        site.coop,
        entity.code,
        sectors,
        actor=me.actor,
        reason=reason,
        since=since or today,
        today=today,
    )


def attest(
    session: Session,
    site: Site,
    me: Principal,
    code: str,
    *,
    kind: str,
    issuer: str,
    number: str,
    valid_from: date | None,
    valid_until: date | None,
    member: int | None,
    document: Document | None,
) -> AttestationRecord:
    """Put an attestation on file for the entity (or, when its kind is a member's, for
    one of its holders): office staff of its office and administrators."""
    require_staff(me, N_("put an attestation on file"))
    entity = reachable_entity(session, me, code)
    if valid_from is None:
        raise InvalidAct("valid_from", N_("required (the first day it covers)"))
    if valid_until is None:
        raise InvalidAct("valid_until", N_("required (the last day it covers)"))
    holder = records.attestation_kinds(site.coop).get(kind)
    if holder is not None and holder.holder == "member":
        holders = set(
            session.scalars(
                select(Member.number)
                .join(EntityHolder, EntityHolder.member_id == Member.id)
                .where(EntityHolder.entity_id == entity.id)
            )
        )
        if member not in holders:
            raise InvalidAct(
                "member",
                N_("a {kind} attestation is held by a member; choose one of the entity's holders"),
                kind=Word(holder.label),
            )
        return records.register_attestation(
            session,
            site.coop,
            kind=kind,
            issuer=issuer,
            number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            actor=me.actor,
            member=member,
            document=document,
        )
    return records.register_attestation(
        session,
        site.coop,
        kind=kind,
        issuer=issuer,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        actor=me.actor,
        entity=entity.code,
        document=document,
    )


def download(record: AttestationRecord) -> Response[bytes]:
    """An attestation's stored file as a download, never shown inline (its bytes came
    from a user)."""
    name = record.filename or "attestation"
    return Response(
        record.content or b"",
        media_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def attestation_file(session: Session, me: Principal, code: str, ident: int) -> AttestationRecord:
    """An attestation of the entity or of its holders, with its file, for a login that
    reaches the entity."""
    entity = reachable_entity(session, me, code)
    for record in records.attestations_of(session, entity):
        if record.id == ident and record.content is not None:
            return record
    raise NotFound("attestation", N_("no such attestation file"), value=str(ident))


def mark_platform(
    session: Session, me: Principal, party: str, *, platform: bool, reason: str = ""
) -> bool:
    """Mark a client as a digital work platform, or no longer one (office staff and
    administrators); what it is now."""
    require_staff(me, N_("mark a client as a platform"))
    row = reachable_party(session, me, party)
    return records.set_platform(
        session, row.code, platform=platform, actor=me.actor, reason=reason
    ).platform


# --- the office's attestations ------------------------------------------------------------
def office_attestations(
    session: Session, site: Site, me: Principal, today: date
) -> tuple[list[AttestationRow], list[AttestationRow]]:
    """The attestations the login's offices must see to: those ending within the notice
    (every one, as the workspace counts them) and those that ended with none of the same
    kind for the same holder after them, each with the entities it concerns.

    For office staff, their office's entities and their holders; administrators, all.
    """
    require_staff(me, N_("list the attestations of an office"))
    scope = entity_scope(me)
    in_scope = select(Entity.id).where(scope)
    holders_people = (
        select(Member.person_id)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .where(EntityHolder.entity_id.in_(in_scope))
    )
    limit = today + timedelta(days=ATTESTATION_NOTICE_DAYS)
    found = list(
        session.scalars(
            select(AttestationRecord)
            .where(
                or_(
                    AttestationRecord.entity_id.in_(in_scope),
                    AttestationRecord.person_id.in_(holders_people),
                )
            )
            .order_by(AttestationRecord.valid_until, AttestationRecord.id)
        )
    )
    latest: dict[tuple[str, int | None, int | None], date] = {}
    for r in found:
        key = (r.kind, r.entity_id, r.person_id)
        latest[key] = max(latest.get(key, r.valid_until), r.valid_until)
    labels = kind_labels(site)
    people = _people(session, {r.person_id for r in found if r.person_id is not None})
    entities = {
        e.id: e
        for e in session.scalars(
            select(Entity).where(
                scope,
                or_(
                    Entity.id.in_({r.entity_id for r in found if r.entity_id is not None}),
                    Entity.id.in_(
                        select(EntityHolder.entity_id)
                        .join(Member, Member.id == EntityHolder.member_id)
                        .where(Member.person_id.in_({r.person_id for r in found if r.person_id}))
                    ),
                ),
            )
        )
    }
    held: dict[int, list[int]] = {}
    for entity_id, person_id in session.execute(
        select(EntityHolder.entity_id, Member.person_id)
        .join(Member, Member.id == EntityHolder.member_id)
        .where(EntityHolder.entity_id.in_(list(entities)))
    ):
        held.setdefault(person_id, []).append(entity_id)
    ending, expired = [], []
    for r in found:
        if r.valid_until > limit:
            continue
        ids = [r.entity_id] if r.entity_id is not None else held.get(r.person_id or -1, [])
        concerned = tuple(
            (entities[i].code, entities[i].name) for i in sorted(ids) if i in entities
        )
        row = replace(
            _row(r, labels, people),
            entity=concerned[0][0] if r.entity_id is not None and concerned else None,
            entities=concerned,
        )
        if r.valid_until >= today:
            ending.append(row)
        elif latest[(r.kind, r.entity_id, r.person_id)] == r.valid_until:
            expired.append(row)
    return ending, expired
