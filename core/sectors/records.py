"""What the cooperative keeps on file for sector rules to look at: attestations of
entities and members (a construction entity's ten-year liability insurance, an
artist's work certificate) and the platform flag of parties.

Sector plugins never read the database: :func:`partage.core.sectors.rules.check_act` hands
them these facts inside the :class:`~partage.core.contract.ActContext` of each act.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.contract.sectors import AttestationKind
from partage.core.members.follow_up import Document
from partage.core.members.models import AttestationRecord, Entity, EntityHolder, Member, Party
from partage.core.platform import audit
from partage.core.platform.registry import root


def attestation_kinds(coop: Cooperative) -> dict[str, AttestationKind]:
    """Every attestation kind the installed sector plugins declare, by code."""
    return {
        kind.code: kind
        for group in root(coop.plugins).hook.partage_attestation_kinds()
        for kind in group
    }


def attestation_kinds_by_sector(coop: Cooperative) -> dict[str, list[AttestationKind]]:
    """The attestation kinds each installed sector plugin declares, by sector name."""
    hook = root(coop.plugins).hook.partage_attestation_kinds
    return {
        impl.plugin_name.removeprefix("sector:"): list(
            cast("Sequence[AttestationKind]", impl.function())
        )
        for impl in hook.get_hookimpls()
        if impl.plugin_name.startswith("sector:")
    }


def register_attestation(
    session: Session,
    coop: Cooperative,
    *,
    kind: str,
    issuer: str,
    number: str,
    valid_from: date,
    valid_until: date,
    actor: str,
    entity: str | None = None,
    member: int | None = None,
    document: Document | None = None,
) -> AttestationRecord:
    """Put an attestation on file for an entity or a member, as its kind requires.

    Refuses a kind no installed sector declares (naming those it knows), a holder of the
    wrong sort, an unknown entity or member, a missing issuer or number, and a period
    that ends before it starts. ``document``: the scanned attestation, kept with its
    SHA-256 beside the record (its size was checked by the face that read it).
    """
    kinds = attestation_kinds(coop)
    if kind not in kinds:
        known = ", ".join(sorted(kinds)) or "none declared"
        raise InvalidAct(
            "kind",
            N_("{kind} is not an attestation kind of a sector ({known})"),
            kind=repr(kind),
            known=known,
        )
    holder = kinds[kind].holder
    if holder == "entity" and (entity is None or member is not None):
        raise InvalidAct(
            "entity", N_("a {kind} attestation is held by an entity; name the entity"), kind=kind
        )
    if holder == "member" and (member is None or entity is not None):
        raise InvalidAct(
            "member", N_("a {kind} attestation is held by a member; name the member"), kind=kind
        )
    if not issuer.strip():
        raise InvalidAct("issuer", N_("say who issued the attestation"))
    if not number.strip():
        raise InvalidAct("number", N_("the policy or certificate number is required"))
    if valid_until < valid_from:
        raise InvalidAct(
            "valid_until",
            N_("{valid_until} is before valid_from {valid_from}"),
            valid_until=valid_until,
            valid_from=valid_from,
        )
    record = AttestationRecord(
        kind=kind,
        issuer=issuer.strip(),
        number=number.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=actor,
    )
    if document is not None and document.content:
        record.filename = document.filename[:200] or "attestation"
        record.media_type = document.media_type[:100]
        record.content = document.content
        record.sha256 = hashlib.sha256(document.content).hexdigest()
    if entity is not None:
        entity_id = session.scalar(select(Entity.id).where(Entity.code == entity))
        if entity_id is None:
            raise NotFound("entity", N_("no such entity"), value=repr(entity))
        record.entity_id, subject = entity_id, f"entity:{entity}"
    else:
        person_id = session.scalar(select(Member.person_id).where(Member.number == member))
        if person_id is None:
            raise NotFound("member", N_("no such member"), value=member)
        record.person_id, subject = person_id, f"member:{member}"
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="attestation.register",
        subject=subject,
        reason=f"{kind} from {record.issuer}",
        data={
            "kind": kind,
            "number": record.number,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "file_sha256": record.sha256,
        },
    )
    return record


def attestations_of(session: Session, entity: Entity) -> list[AttestationRecord]:
    """The attestations on file for ``entity`` and for the members holding it, the
    latest ending first: what its sectors' rules look at."""
    people = (
        select(Member.person_id)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .where(EntityHolder.entity_id == entity.id)
    )
    return list(
        session.scalars(
            select(AttestationRecord)
            .where(
                or_(
                    AttestationRecord.entity_id == entity.id,
                    AttestationRecord.person_id.in_(people),
                )
            )
            .order_by(AttestationRecord.valid_until.desc(), AttestationRecord.id.desc())
        )
    )


def set_platform(
    session: Session, party: str, *, platform: bool, actor: str, reason: str = ""
) -> Party:
    """Flag a party as a digital work platform (or no longer one)."""
    row = session.scalars(select(Party).where(Party.code == party)).one_or_none()
    if row is None:
        raise NotFound("party", N_("no such party"), value=repr(party))
    if row.platform != platform:
        row.platform = platform
        audit.record(
            session,
            actor=actor,
            action="party.platform",
            subject=f"party:{party}",
            reason=reason,
            data={"platform": platform},
        )
    return row
