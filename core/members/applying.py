"""Applying online: a person applies without a login, verifies their address, follows
their application and appeals a refusal.

The public form is open to anyone, so what it sends is possibly hostile: the web
throttles it per address, and an application made through it stays ``unverified`` —
listed to nobody, reviewed by nobody, admitted by nothing — until the applicant follows
the link mailed to the address they gave. That link carries the applicant's *key*, a
random 256-bit token of which the database keeps only the SHA-256 digest
(:attr:`~partage.core.members.models.Application.key_sha256`); it then stays the
applicant's way back to their application: to see where it stands and, once refused, to
appeal once (:func:`partage.core.members.review.appeal`). Following it routes the
application as one made by staff would be (:func:`partage.core.members.review.route`):
admitted at once, or to the ethics committee.

The values charter must be accepted: an application without it is refused before
anything is written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct
from partage.core.contract.errors import N_, Word
from partage.core.members.checks import email_address
from partage.core.members.membership import PersonDetails
from partage.core.members.models import Application
from partage.core.members.review import PENDING, Status, appeal, route, submit_application
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.mail import outbox

#: The outbox's kind of the message carrying the verification link.
KIND = "application_verification"
#: Who the audit log names for what the applicant does through their key.
APPLICANT = "applicant"


@dataclass(frozen=True)
class ApplicantMail:
    """A message to an applicant, in their language."""

    subject: str
    body: str
    language: str


#: Writes the verification message given the application and the link to follow.
Composer = Callable[[Application, str], ApplicantMail]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def apply_online(
    session: Session,
    coop: Cooperative,
    person: PersonDetails,
    *,
    office: str,
    trade: str,
    activity: str,
    clients: str,
    charter_accepted: bool,
    on: date,
    link: Callable[[str], str],
    compose: Composer,
    origin: str = "",
    sector: str | None = None,
    answers: Mapping[str, str] | None = None,
    share_class: str = "A",
) -> Application:
    """Record an application made on the public form and mail its verification link.

    Refuses, before writing anything, an application without the values charter
    accepted, an address that is not one, a language the instance does not work in,
    and whatever :func:`~partage.core.members.review.submit_application` refuses. The
    shares are the class's minimum (the instance's settings)."""
    if not charter_accepted:
        raise InvalidAct("charter", N_("the values charter must be accepted to apply"))
    email_address(person.email)
    if person.language not in coop.instance.languages:
        raise InvalidAct(
            "language",
            N_("{person_language} must be one of {item_a}"),
            person_language=repr(person.language),
            item_a=", ".join(coop.instance.languages),
        )
    minimum = {c.code: c.minimum for c in coop.instance.share_classes}.get(share_class, 1)
    application = submit_application(
        session,
        coop,
        person,
        office=office,
        trade=trade,
        activity=activity,
        clients=clients,
        on=on,
        actor=APPLICANT,
        sector=sector,
        answers=answers,
        share_class=share_class,
        shares=minimum,
        verified=False,
    )
    key = secrets.token_urlsafe(32)
    application.key_sha256 = _digest(key)
    mail = compose(application, link(key))
    outbox.enqueue(
        session,
        kind=KIND,
        recipient=person.email.strip(),
        subject=mail.subject,
        body=mail.body,
        language=mail.language,
    )
    audit.record(
        session,
        actor=APPLICANT,
        action="application.verification_sent",
        subject=f"application:{application.code}",
        origin=origin,
    )
    session.flush()
    return application


def by_key(session: Session, key: str) -> Application:
    """The application a key opens; refuses an unknown one (naming no application)."""
    found = None
    if key and len(key) <= 200:
        found = session.scalars(
            select(Application).where(Application.key_sha256 == _digest(key))
        ).one_or_none()
    if found is None or found.erased_at is not None:
        raise InvalidAct("key", N_("this link is unknown: use the link of the last message"))
    return found


def verify(session: Session, coop: Cooperative, key: str, *, on: date) -> Application:
    """The applicant followed the link: their address is verified and the application
    is routed (admitted at once or to the committee). Following it again changes
    nothing. Refuses it while another application of the same person is pending."""
    application = by_key(session, key)
    if application.status != Status.UNVERIFIED.value:
        return application
    national_id = application.person.get("national_id")
    for other in session.scalars(
        select(Application).where(Application.status.in_(PENDING), Application.id != application.id)
    ):
        if other.person.get("national_id") == national_id:
            raise ClosedRecord(
                "application",
                N_("application {other} of the same person is {status}"),
                value=application.code,
                other=other.code,
                status=Word(other.status),
            )
    application.verified_at = utcnow()
    audit.record(
        session,
        actor=APPLICANT,
        action="application.verified",
        subject=f"application:{application.code}",
    )
    route(session, coop, application, on=on, actor=APPLICANT)
    return application


def appeal_by_key(session: Session, key: str, *, grounds: str, on: date) -> Application:
    """The refused applicant appeals through their link, once."""
    application = by_key(session, key)
    return appeal(session, application.code, grounds=grounds, on=on, actor=APPLICANT)
