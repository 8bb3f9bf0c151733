"""API of an entity's sectors and attestations, of the attestations an office must see
to, and of a client's platform flag.

Office staff of the entity's office and administrators change them; the entity's
holders read them. Each act is one transaction, audited by the service it calls
(:mod:`partage.core.web.entities.sectors`); a refusal leaves nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED
from msgspec import Meta, Struct

from partage.core.members.follow_up import Document
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep
from partage.core.web.entities import sectors as views
from partage.core.web.schemas import MemberNumber, Name, Request, Text
from partage.core.web.site import Site
from partage.core.web.spending.api import decoded
from partage.core.web.spending.schemas import Base64File

SectorCode = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
IdPath = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="the attestation's id")]
PartyPath = Annotated[str, PathParameter(max_length=32, description="the client's reference")]


class SectorsIn(Request):
    """The trades the entity works in from ``since`` (default today, never earlier): a
    sector left out stops that day, one added starts that day."""

    sectors: Annotated[list[SectorCode], Meta(min_length=1, max_length=20)]
    since: date | None = None
    reason: Text = ""


class AttestationIn(Request):
    """An attestation to put on file: an entity's (``ten_year_liability``) or, with
    ``member``, one of its holders' (``artist_work_certificate``), with its scanned file
    (``file_base64``, at most [limits] receipt_bytes once decoded)."""

    kind: SectorCode
    issuer: Name
    number: Annotated[str, Meta(min_length=1, max_length=100)]
    valid_from: date
    valid_until: date
    member: MemberNumber | None = None
    file_name: Name | None = None
    file_base64: Base64File | None = None


class PlatformIn(Request):
    """Whether the client is a digital work platform (it orders work through an
    application: meal delivery, rides...)."""

    platform: bool
    reason: Text = ""


class SpanOut(Struct, kw_only=True):
    sector: str
    name: str
    since: date | None
    until: date | None


class LabelOut(Struct, kw_only=True):
    code: str
    label: str


class KindOut(Struct, kw_only=True):
    code: str
    label: str
    holder: str


class AttestationOut(Struct, kw_only=True):
    id: int
    kind: str
    label: str
    holder: str
    entity: str | None
    member: int | None
    issuer: str
    number: str
    valid_from: date
    valid_until: date
    state: str
    file_name: str | None
    entities: list[str]


class SectorsOut(Struct, kw_only=True):
    """An entity's sectors on ``on``: every period it works or worked in one, those in
    force (its own, enabled by its office), what they offer and the attestations on file
    for it and its holders."""

    entity: str
    office: str
    on: date
    sectors: list[SpanOut]
    in_force: list[str]
    enabled_in_office: list[str]
    expense_categories: list[LabelOut]
    attestation_kinds: list[KindOut]
    attestations: list[AttestationOut]


class OfficeAttestationsOut(Struct, kw_only=True):
    """Attestations ending within ``notice_days`` and those expired without renewal."""

    notice_days: int
    ending: list[AttestationOut]
    expired: list[AttestationOut]


class PlatformOut(Struct, kw_only=True):
    party: str
    platform: bool


def _attestation(row: views.AttestationRow, today: date) -> AttestationOut:
    return AttestationOut(
        id=row.id,
        kind=row.kind,
        label=row.kind_label,
        holder=row.holder,
        entity=row.entity,
        member=row.member,
        issuer=row.issuer,
        number=row.number,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        state=row.state(today),
        file_name=row.file_name,
        entities=[code for code, _ in row.entities],
    )


def sectors_out(site: Site, shown: views.SectorsView) -> SectorsOut:
    """The API's document of an entity's sectors."""
    return SectorsOut(
        entity=shown.entity,
        office=shown.office,
        on=shown.on,
        sectors=[
            SpanOut(
                sector=s.sector,
                name=shown.names.get(s.sector, s.sector),
                since=s.since,
                until=s.until,
            )
            for s in shown.spans
        ],
        in_force=list(shown.in_force),
        enabled_in_office=list(shown.enabled),
        expense_categories=[
            LabelOut(code=c, label=shown.category_labels.get(c, c))
            for c in shown.expense_categories
        ],
        attestation_kinds=[
            KindOut(code=code, label=label, holder=holder)
            for code, label, holder in shown.attestation_kinds
        ],
        attestations=[_attestation(a, shown.on) for a in shown.attestations],
    )


class EntitySectorsController(Controller):
    """An entity's sectors and the attestations its sectors look at."""

    path = "/entities/{code:str}"
    tags = ("sectors",)
    dependencies = AUTHENTICATED

    @get("/sectors", operation_id="entity_sectors", sync_to_thread=True)
    def sectors(self, code: CodePath, site: SiteDep, principal: Me) -> SectorsOut:
        """The entity's sectors, those in force today, the expense categories its claims
        may use today and the attestations on file (whoever reaches the entity)."""
        with site.sessions() as session:
            return sectors_out(site, views.view(session, site, principal, code))

    @put("/sectors", operation_id="set_entity_sectors", sync_to_thread=True)
    def set_sectors(
        self, code: CodePath, data: JSONBody[SectorsIn], site: SiteDep, principal: Me
    ) -> SectorsOut:
        """Set the trades the entity works in from ``since`` (office staff of its office
        and administrators; 403 otherwise). A sector of another country than the
        instance's, or not installed, is refused naming the field; audited."""
        with transaction(site.sessions) as session:
            views.set_sectors(
                session,
                site,
                principal,
                code,
                list(data.sectors),
                since=data.since,
                reason=data.reason,
            )
        with site.sessions() as session:
            return sectors_out(site, views.view(session, site, principal, code))

    @post(
        "/attestations",
        operation_id="add_attestation",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def attest(
        self, code: CodePath, data: JSONBody[AttestationIn], site: SiteDep, principal: Me
    ) -> AttestationOut:
        """Put an attestation on file for the entity or one of its holders (office staff
        of its office and administrators; 403 otherwise); audited."""
        document = None
        if data.file_base64 is not None:
            limit = site.limits.receipt_bytes
            content = decoded(data.file_base64, "file_base64", limit, "receipt_bytes")
            document = Document(
                data.file_name or "attestation", "application/octet-stream", content
            )
        with transaction(site.sessions) as session:
            record = views.attest(
                session,
                site,
                principal,
                code,
                kind=data.kind,
                issuer=data.issuer,
                number=data.number,
                valid_from=data.valid_from,
                valid_until=data.valid_until,
                member=data.member,
                document=document,
            )
            ident = record.id
        with site.sessions() as session:
            shown = views.view(session, site, principal, code)
        return next(_attestation(a, shown.on) for a in shown.attestations if a.id == ident)

    @get(
        "/attestations/{ident:int}/file",
        operation_id="attestation_file",
        sync_to_thread=True,
        media_type="application/octet-stream",
    )
    def file(self, code: CodePath, ident: IdPath, site: SiteDep, principal: Me) -> Response[bytes]:
        """An attestation's scanned file, as an attachment."""
        with site.sessions() as session:
            record = views.attestation_file(session, principal, code, ident)
            return views.download(record)


class AttestationsController(Controller):
    """The attestations office staff must see to."""

    path = "/attestations"
    tags = ("sectors",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="office_attestations", sync_to_thread=True)
    def attestations(self, site: SiteDep, principal: Me) -> OfficeAttestationsOut:
        """Attestations of the login's office (its entities and their holders; an
        administrator: all) ending within the notice, and those expired without a later
        one of the same kind for the same holder (office staff and administrators)."""
        today = site.today()
        with site.sessions() as session:
            ending, expired = views.office_attestations(session, site, principal, today)
        return OfficeAttestationsOut(
            notice_days=views.ATTESTATION_NOTICE_DAYS,
            ending=[_attestation(a, today) for a in ending],
            expired=[_attestation(a, today) for a in expired],
        )


class PartyPlatformController(Controller):
    """Whether a client is a digital work platform."""

    path = "/parties/{party:str}/platform"
    tags = ("sectors",)
    dependencies = AUTHENTICATED

    @put("/", operation_id="set_party_platform", sync_to_thread=True)
    def set_platform(
        self, party: PartyPath, data: JSONBody[PlatformIn], site: SiteDep, principal: Me
    ) -> PlatformOut:
        """Mark the client as a digital work platform, or no longer one (office staff and
        administrators; 403 otherwise); audited when it changes."""
        with transaction(site.sessions) as session:
            now = views.mark_platform(
                session, principal, party, platform=data.platform, reason=data.reason
            )
        return PlatformOut(party=party, platform=now)


CONTROLLERS = (EntitySectorsController, AttestationsController, PartyPlatformController)
