"""Tables of people: persons, members and their shares, entities and their holders,
and the parties (clients and suppliers) the instance's entities deal with.

Share holdings are never stored as a running figure: they are the sum of the share
movements (subscriptions positive, redemptions negative), so the register is derived
from the movements and cannot drift from them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partage.core.platform.db.base import Base, UTCDateTime, utcnow


class EntityKind(enum.StrEnum):
    """The kinds of autonomous entity, one per persona of the founding documents."""

    QUICK_JOB = "quick_job"
    PROJECT = "project"
    FREELANCE = "freelance"
    MAKER = "maker"
    BUSINESS = "business"
    LONG_TERM_EMPLOYMENT = "long_term_employment"


class PartyKind(enum.StrEnum):
    """What a party is to the instance's entities."""

    CLIENT = "client"
    SUPPLIER = "supplier"
    BOTH = "both"


class Person(Base):
    """A natural person known to the cooperative.

    Attributes:
        code: stable reference (``"P000012"``).
        first_name, last_name: names as on their identity document.
        national_id: the national identifier, normalised by the country plugin.
        iban: bank account for salaries and reimbursements, normalised.
        address: postal address.
        email: e-mail address.
        language: ISO 639-1 code of the language documents are sent in.
        erased_at: when their personal data were erased on request (GDPR art. 17): the
            row stays, pseudonymised, for the records the law keeps
            (:mod:`partage.core.privacy`).
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    national_id: Mapped[str] = mapped_column(String(32), unique=True)
    iban: Mapped[str] = mapped_column(String(34))
    address: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Member(Base):
    """A person admitted as a member of the cooperative.

    Attributes:
        number: membership number, gapless in admission order.
        person_id: the person.
        share_class: ``"A"`` (workers) or ``"B"`` (staff, partners, clients).
        admitted_on: the day of admission.
        left_on: the day all shares were redeemed, ``None`` while a member.
    """

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    share_class: Mapped[str] = mapped_column(String(1))
    admitted_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class ShareMovement(Base):
    """A subscription (positive quantity) or redemption (negative) of shares.

    Attributes:
        member_id: whose shares.
        share_class: the class of the shares moved.
        quantity: shares subscribed (> 0) or redeemed (< 0).
        nominal: nominal value of one share in minor units (redeemed at nominal, never
            above: there is no other price).
        on: the day of the movement.
        entry_id: the cooperative's journal entry.
    """

    __tablename__ = "share_movement"
    __table_args__ = (CheckConstraint("quantity <> 0", name="nonzero_quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    share_class: Mapped[str] = mapped_column(String(1))
    quantity: Mapped[int] = mapped_column(Integer)
    nominal: Mapped[int] = mapped_column(BigInteger)
    on: Mapped[date] = mapped_column(Date)
    entry_id: Mapped[int] = mapped_column(BigInteger)


class SharePaymentDue(Base):
    """Shares subscribed on admission and waiting for their payment by transfer.

    The shares are entered in the register (a :class:`ShareMovement`) only once the
    money is in the cooperative's bank: the bank statement's transaction carrying
    :attr:`reference` for exactly :attr:`amount` pays them
    (:func:`partage.core.members.membership.pay_shares`).

    Attributes:
        member_id: whose shares.
        quantity: the shares subscribed.
        amount: what they cost at nominal, in minor units.
        reference: the structured reference (ISO 11649 ``RF``) the transfer must carry.
        due_since: the day of admission.
        paid_on: the day the transfer was booked, ``None`` while unpaid.
        paid_by: the bank transaction's key, once paid.
    """

    __tablename__ = "share_payment_due"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(35), unique=True)
    due_since: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by: Mapped[str | None] = mapped_column(String(200))


class Entity(Base):
    """An autonomous entity: a member's activity with its own budget and books.

    Attributes:
        code: its reference, also the code of its book (``"E000042"``).
        name: what the activity is called.
        kind: the persona it serves (:class:`EntityKind`).
        office_id: the local office it belongs to.
        opened_on: the day it opened.
        closed_on: the day it closed (only with a zero balance), ``None`` while open.
    """

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class EntityHolder(Base):
    """A member holding an entity; an entity may have several holders."""

    __tablename__ = "entity_holder"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)


class Party(Base):
    """A client (donneur d'ordre) or supplier, shared by every entity of the instance.

    Attributes:
        code: stable reference (``"C000007"``), written on journal lines as partner.
        name: registered name.
        kind: client, supplier or both.
        country: ISO 3166 alpha-2 code, upper case.
        vat_number: VAT number normalised by the country plugin (domestic parties),
            ``None`` for a private person.
        company_number: the domestic company number (Belgian enterprise number, French
            SIREN or SIRET) of a business with no VAT number, normalised; ``None``
            otherwise.
        address: postal address as one text: what rows registered before the
            structured address kept, still printed when they have nothing else.
        street, postcode, town: the structured postal address an invoice needs
            (:mod:`partage.core.members.clients`); empty on rows that predate it.
        email: where invoices go.
        defaulted_on: the day the party was declared in default or bankrupt.
        platform: a digital work platform (it orders work through an application:
            meal delivery, rides); sector rules may require it as the client.
        registered_by_member_id: the member who registered it (``None``: staff or an
            import did), who sees it among their parties from then on
            (:mod:`partage.core.access.parties`).
        erased_at: when its personal data were erased (a private person's, on request
            under GDPR art. 17); the row stays, pseudonymised, for the records the law
            keeps (:mod:`partage.core.privacy`).
    """

    __tablename__ = "party"
    __table_args__ = (UniqueConstraint("vat_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str | None] = mapped_column(String(32))
    company_number: Mapped[str | None] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(16), default="", server_default="")
    town: Mapped[str] = mapped_column(String(100), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    defaulted_on: Mapped[date | None] = mapped_column(Date)
    platform: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    registered_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EntityClient(Base):
    """A client in an entity's own directory: the clients it works with, chosen or
    created from its pages, its API or the command line (the entity's invoices and
    quotes add theirs too, :func:`partage.core.members.clients.entity_directory`).
    """

    __tablename__ = "entity_client"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntitySector(Base):
    """A trade (sector plugin) an entity works in; an entity may work in several.

    Whether a sector's rules apply to an act also depends on the entity's office having
    enabled that sector on the act's date (:mod:`partage.core.sectors.rules`).

    Attributes:
        since: first act date the entity works in the sector (``None``: every act).
        until: first act date it no longer does (``None``: still does). A sector taken
            up again opens a new period on the same row; the audit log keeps the last.
    """

    __tablename__ = "entity_sector"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class AttestationRecord(Base):
    """An attestation on file for an entity (an insurance policy) or a person (an
    artist's work certificate), which sector rules look at.

    Attributes:
        kind: the kind a sector plugin declares (``"ten_year_liability"``).
        entity_id, person_id: whose it is; exactly one is set.
        issuer: who issued it (the insurer, the commission).
        number: the policy or certificate number.
        valid_from, valid_until: the days it covers, both included.
        recorded_at, recorded_by: when and by whom it was put on file.
        filename, media_type, content, sha256: the scanned attestation, when uploaded.
    """

    __tablename__ = "attestation"
    __table_args__ = (
        CheckConstraint("(entity_id IS NULL) <> (person_id IS NULL)", name="entity_or_person"),
        CheckConstraint("valid_until >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str | None] = mapped_column(String(200))
    media_type: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64))


class Application(Base):
    """An application to join the cooperative, with the trade it is for.

    Attributes:
        code: reference (``"A000012"``).
        person: the applicant's details as given (first and last name, national id,
            IBAN, address, e-mail, language), kept until admission creates the person.
        share_class, shares: the shares the applicant will subscribe when admitted.
        office_id: the local office applied to.
        sector: the sector plugin of the trade, ``None`` for a trade with none.
        trade: the trade in the applicant's words.
        activity: the intended activity.
        clients: the intended clients.
        answers: the sector's review questions and the applicant's answers, as
            ``[{code, question, answer}]``.
        status: ``unverified`` (made online, address not verified yet),
            ``in_review``, ``refused``, ``appealed``, ``admitted`` or
            ``refused_on_appeal``.
        submitted_on: the day it was submitted.
        appeal_grounds, appealed_on: the appeal, when the refused applicant made one.
        member_id: the member admitted, once admitted.
        key_sha256: the SHA-256 digest of the applicant's key, for an application made
            online: the link mailed to verify the address, which then shows the
            applicant where it stands and lets them appeal (``None``: entered by staff).
        verified_at: when the applicant followed that link; until then the application
            is ``unverified`` and nobody reviews it.
        erased_at: when the applicant's details were erased on request (GDPR art. 17);
            the application stays, with the trade and the decisions
            (:mod:`partage.core.privacy`).
    """

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person: Mapped[dict[str, Any]] = mapped_column(JSON)
    share_class: Mapped[str] = mapped_column(String(1))
    shares: Mapped[int] = mapped_column(Integer)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    sector: Mapped[str | None] = mapped_column(String(64))
    trade: Mapped[str] = mapped_column(String(200))
    activity: Mapped[str] = mapped_column(Text)
    clients: Mapped[str] = mapped_column(Text)
    answers: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(32), index=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    appeal_grounds: Mapped[str | None] = mapped_column(Text)
    appealed_on: Mapped[date | None] = mapped_column(Date)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    key_sha256: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApplicationDecision(Base):
    """A decision of the ethics committee on an application, with its reasons.

    Attributes:
        stage: ``review`` (the first decision) or ``appeal``.
        decision: ``admit`` or ``refuse``.
        reasons: why, as the committee wrote it.
        decided_on: the day of the decision.
        decided_by: who recorded it.
    """

    __tablename__ = "application_decision"
    __table_args__ = (UniqueConstraint("application_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))
    decision: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(200))


class Office(Base):
    """A local office of the instance, with its advisers and enabled sectors.

    Attributes:
        code: short stable code (``"bru"``).
        name: display name.
        address: postal address.
        sectors: the sector plugins enabled there, with their history.
        advisers: the advisers who coach members there.
        follow_up_visible: whether what its staff write in a member's follow-up record
            is shown to the member unless they say otherwise (each item may differ).
        validates_documents: whether its staff validate the quotes and invoices of its
            entities before they go out (:mod:`partage.core.sales.drafts`).
    """

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    follow_up_visible: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    validates_documents: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    sectors: Mapped[list[OfficeSector]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="OfficeSector.sector"
    )
    advisers: Mapped[list[OfficeAdviser]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="OfficeAdviser.user_name"
    )


class OfficeSector(Base):
    """A sector plugin enabled in an office from a moment on (and maybe disabled later).

    Keeping the history, rather than deleting the row, is what makes enabling and
    disabling never retroactive: an act is judged by the sectors in force on its date,
    and the dates of a change are never earlier than the day it is made.

    Attributes:
        sector: the sector plugin's name.
        enabled_at: when the office enabled it.
        disabled_at: when it disabled it, ``None`` while enabled.
        enabled_from: first act date the sector's rules apply to.
        disabled_from: first act date they no longer apply to, ``None`` while enabled.
        review_required: applications in this sector's trade made through this office
            go to the ethics committee, whatever the sector plugin says.
    """

    __tablename__ = "office_sector"
    __table_args__ = (UniqueConstraint("office_id", "sector", "enabled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    sector: Mapped[str] = mapped_column(String(64))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enabled_from: Mapped[date] = mapped_column(Date)
    disabled_from: Mapped[date | None] = mapped_column(Date)
    review_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    office: Mapped[Office] = relationship(back_populates="sectors")


class OfficeAdviser(Base):
    """An adviser of a local office: who coaches members there.

    Attributes:
        user_name: the adviser's user name (how they sign in and appear as actor).
        person_id: the person, when the adviser is also known as one (a member).
        since: when they were added.
    """

    __tablename__ = "office_adviser"
    __table_args__ = (UniqueConstraint("office_id", "user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    office: Mapped[Office] = relationship(back_populates="advisers")


class FollowUpKind(enum.StrEnum):
    """What an item of a member's follow-up record is."""

    NOTE = "note"
    APPOINTMENT = "appointment"
    DOCUMENT = "document"


class FollowUpItem(Base):
    """One item of a member's follow-up record, written by office staff: a note, an
    appointment or a document. Items are added, never changed: the record is what was
    said and done, in order.

    Attributes:
        member_id: the member followed up.
        office_id: the office whose staff wrote it.
        kind: a :class:`FollowUpKind`.
        subject: one line saying what it is about.
        body: the note's text, the appointment's agenda or the document's description.
        starts_at: an appointment's day and time, as the office's clock reads it.
        place: where an appointment takes place.
        filename, media_type, content, sha256: a document's file.
        visible_to_member: whether the member sees it on their page.
        written_at, written_by: when and by whom it was written.
    """

    __tablename__ = "follow_up_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime())
    place: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str | None] = mapped_column(String(200))
    media_type: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    visible_to_member: Mapped[bool] = mapped_column(Boolean)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    written_by: Mapped[str] = mapped_column(String(200))


class Workshop(Base):
    """A workshop or training session an office holds for members.

    Attributes:
        code: reference (``"W000012"``).
        office_id: the office holding it.
        title: what it is.
        starts_at: its day and time, as the office's clock reads it.
        place: where.
        capacity: the most members who may attend.
        description: what it covers.
        created_by: who planned it.
    """

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class WorkshopSeat(Base):
    """A member registered for a workshop, and whether they came.

    Attributes:
        attended: ``None`` until attendance is marked, then whether they came.
    """

    __tablename__ = "workshop_seat"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(200))
    attended: Mapped[bool | None] = mapped_column(Boolean)
