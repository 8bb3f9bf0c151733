"""The membership review: applications to join, the ethics committee, appeals.

Membership is open to every trade, but some trades pass a filter first (legal liability
and insurance, ethics, the applicant's autonomy). An application names the person, the
trade (and its sector plugin, when there is one), the intended activity and clients,
and answers the sector's review questions.

- If the sector plugin says its trade needs a review (``partage_review_required``), or
  the office enabled that sector with ``review_required``, the application goes to the
  ethics committee, which admits or refuses it with reasons.
- Otherwise the applicant is admitted at once.
- A refused applicant may appeal once; the committee's decision on the appeal is final.

Admission is :func:`partage.core.members.membership.admit_member` (the first subscription
of shares, which wait for the new member's transfer, matched from the bank statement by
their structured reference). Every step is in the audit log, in the transaction of the step itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    next_number,
    reference,
)
from partage.core.contract.errors import N_, Word
from partage.core.contract.identity import IdentifierKind
from partage.core.contract.sectors import ReviewQuestion
from partage.core.members.checks import required, validated
from partage.core.members.membership import PersonDetails, admit_member
from partage.core.members.models import Application, ApplicationDecision, Member, Person
from partage.core.members.offices import office_by_code, require_installed
from partage.core.members.sectors_in_force import review_required_by_office
from partage.core.platform import audit
from partage.core.platform.registry import installed, scoped


class Status(enum.StrEnum):
    """Where an application stands."""

    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    REFUSED = "refused"
    APPEALED = "appealed"
    ADMITTED = "admitted"
    REFUSED_ON_APPEAL = "refused_on_appeal"


class Decision(enum.StrEnum):
    """What the ethics committee decides."""

    ADMIT = "admit"
    REFUSE = "refuse"


PENDING = (Status.IN_REVIEW.value, Status.APPEALED.value)


def review_questions(coop: Cooperative, sector: str | None) -> list[ReviewQuestion]:
    """The questions the sector of an application asks (none without a sector)."""
    if sector is None:
        return []
    hook = scoped(coop.plugins, {sector}).hook
    return [q for group in hook.partage_review_questions() for q in group]


def review_required(
    session: Session, coop: Cooperative, sector: str | None, office_id: int, on: date
) -> str | None:
    """Why an application in ``sector`` made at an office goes to the committee, or
    ``None`` when it is admitted directly."""
    if sector is None:
        return None
    if any(scoped(coop.plugins, {sector}).hook.partage_review_required()):
        return f"the {sector} sector reviews new members"
    if review_required_by_office(session, office_id, sector, on):
        return f"the office reviews applications in the {sector} sector"
    return None


def _answers(questions: list[ReviewQuestion], given: Mapping[str, str]) -> list[dict[str, str]]:
    codes = [q.code for q in questions]
    unknown = sorted(set(given) - set(codes))
    if unknown:
        raise InvalidAct(
            "answers",
            N_("{item_a} is not a question of this sector (questions: {item_b})"),
            item_a=", ".join(unknown),
            item_b=", ".join(codes) or "none",
        )
    missing = [c for c in codes if not str(given.get(c, "")).strip()]
    if missing:
        raise InvalidAct(
            "answers",
            N_("the review question(s) {item_a} need an answer"),
            item_a=", ".join(missing),
        )
    return [
        {"code": q.code, "question": q.text, "answer": given[q.code].strip()} for q in questions
    ]


def application_by_code(session: Session, code: str) -> Application:
    found = session.scalars(select(Application).where(Application.code == code)).one_or_none()
    if found is None:
        raise NotFound("application", N_("no such application"), value=repr(code))
    return found


def submit_application(
    session: Session,
    coop: Cooperative,
    person: PersonDetails,
    *,
    office: str,
    trade: str,
    activity: str,
    clients: str,
    on: date,
    actor: str,
    sector: str | None = None,
    answers: Mapping[str, str] | None = None,
    share_class: str = "A",
    shares: int = 1,
    verified: bool = True,
) -> Application:
    """Apply to join; admitted at once unless the trade or office needs the review.

    An application made online (``verified=False``) stays ``unverified``, seen by
    nobody, until the applicant verifies their address (:func:`route` then);
    :mod:`partage.core.members.applying`.

    Refuses an unknown office or sector (naming the installed ones), a missing trade,
    activity or clients, unanswered or unknown review questions, an unknown share class
    or too few shares, an invalid national number or IBAN, a person already a member,
    and a second application while one is pending.
    """
    where = office_by_code(session, office)
    if sector is not None:
        require_installed(sector, installed(coop.plugins))
    questions = _answers(review_questions(coop, sector), answers or {})
    national_id, iban = _check_applicant(session, coop, person, share_class, shares)
    details = asdict(person) | {"national_id": national_id, "iban": iban}
    application = Application(
        code=reference("A", next_number(session, "application", 0)),
        person=details,
        share_class=share_class,
        shares=shares,
        office_id=where.id,
        sector=sector,
        trade=required(trade, "trade"),
        activity=required(activity, "activity"),
        clients=required(clients, "clients"),
        answers=questions,
        status=(Status.IN_REVIEW if verified else Status.UNVERIFIED).value,
        submitted_on=on,
    )
    session.add(application)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="application.submit",
        subject=f"application:{application.code}",
        reason=f"{application.trade} at office {office}",
        data={"sector": sector, "activity": application.activity, "clients": application.clients},
    )
    if verified:
        route(session, coop, application, on=on, actor=actor)
    return application


def route(
    session: Session, coop: Cooperative, application: Application, *, on: date, actor: str
) -> None:
    """Admit an application at once, or send it to the ethics committee when its sector
    or office reviews new members."""
    application.status = Status.IN_REVIEW.value
    why = review_required(session, coop, application.sector, application.office_id, on)
    if why is None:
        _admit(session, coop, application, on=on, actor=actor, reason="no review for this trade")
    else:
        audit.record(
            session,
            actor=actor,
            action="application.to_committee",
            subject=f"application:{application.code}",
            reason=why,
        )
    session.flush()


def _check_applicant(
    session: Session, coop: Cooperative, person: PersonDetails, share_class: str, shares: int
) -> tuple[str, str]:
    """The applicant's national number and IBAN as the country plugin normalises them;
    refuses an unknown share class, too few shares, an invalid number or IBAN, a person
    already a member, and a person with an application pending."""
    classes = {c.code: c.minimum for c in coop.instance.share_classes}
    if share_class not in classes:
        raise InvalidAct(
            "share_class",
            N_("{share_class} must be one of {item_a}"),
            share_class=repr(share_class),
            item_a=", ".join(classes),
        )
    if shares < classes[share_class]:
        raise InvalidAct(
            "shares",
            N_("{shares} is below the minimum of {item_a} share(s) of class {share_class}"),
            shares=shares,
            item_a=classes[share_class],
            share_class=share_class,
        )
    national_id = validated(coop, IdentifierKind.PERSON, person.national_id, "national_id")
    iban = validated(coop, IdentifierKind.IBAN, person.iban, "iban")
    if session.scalar(
        select(Member.id)
        .join(Person, Person.id == Member.person_id)
        .where(Person.national_id == national_id)
    ):
        raise InvalidAct(
            "national_id", N_("{national_id} is already a member"), national_id=national_id
        )
    for pending in session.scalars(select(Application).where(Application.status.in_(PENDING))):
        if pending.person.get("national_id") == national_id:
            raise InvalidAct(
                "national_id",
                N_("application {pending_code} of this person is {pending_status}"),
                pending_code=pending.code,
                pending_status=Word(pending.status),
            )
    return national_id, iban


def decide(
    session: Session,
    coop: Cooperative,
    code: str,
    *,
    decision: str,
    reasons: str,
    on: date,
    actor: str,
) -> Application:
    """Record the ethics committee's decision, with its reasons, on an application in
    review or in appeal; admitting admits the member."""
    application = application_by_code(session, code)
    stages = {Status.IN_REVIEW.value: "review", Status.APPEALED.value: "appeal"}
    if application.status not in stages:
        raise ClosedRecord(
            "application",
            N_("is {application_status}, not awaiting a decision"),
            value=code,
            application_status=Word(application.status),
        )
    if decision not in set(Decision):
        raise InvalidAct(
            "decision",
            N_("{decision} must be one of {item_a}"),
            decision=repr(decision),
            item_a=", ".join(Decision),
        )
    reasons = required(reasons, "reasons")
    since = application.appealed_on or application.submitted_on
    if on < since:
        raise InvalidAct(
            "on",
            N_("{on} is before the application reached the committee ({since})"),
            on=on,
            since=since,
        )
    stage = stages[application.status]
    session.add(
        ApplicationDecision(
            application_id=application.id,
            stage=stage,
            decision=decision,
            reasons=reasons,
            decided_on=on,
            decided_by=actor,
        )
    )
    audit.record(
        session,
        actor=actor,
        action=f"application.{decision}",
        subject=f"application:{code}",
        reason=reasons,
        data={"stage": stage},
    )
    if decision == Decision.ADMIT:
        _admit(session, coop, application, on=on, actor=actor, reason=f"admitted on {stage}")
    else:
        application.status = (
            Status.REFUSED if stage == "review" else Status.REFUSED_ON_APPEAL
        ).value
    session.flush()
    return application


def appeal(session: Session, code: str, *, grounds: str, on: date, actor: str) -> Application:
    """A refused applicant appeals, once; the committee decides again (:func:`decide`)."""
    application = application_by_code(session, code)
    if application.status in (Status.APPEALED.value, Status.REFUSED_ON_APPEAL.value):
        raise ClosedRecord(
            "application",
            N_(
                "already appealed on {application_appealed_on}; a refused applicant may appeal once"
            ),
            value=code,
            application_appealed_on=application.appealed_on,
        )
    if application.status != Status.REFUSED.value:
        raise ClosedRecord(
            "application",
            N_("is {application_status}; only a refusal is appealed"),
            value=code,
            application_status=Word(application.status),
        )
    refused_on = session.scalar(
        select(ApplicationDecision.decided_on).where(
            ApplicationDecision.application_id == application.id,
            ApplicationDecision.stage == "review",
        )
    )
    if refused_on is not None and on < refused_on:
        raise InvalidAct(
            "on", N_("{on} is before the refusal of {refused_on}"), on=on, refused_on=refused_on
        )
    application.appeal_grounds = required(grounds, "grounds")
    application.appealed_on = on
    application.status = Status.APPEALED.value
    audit.record(
        session,
        actor=actor,
        action="application.appeal",
        subject=f"application:{code}",
        reason=application.appeal_grounds,
    )
    session.flush()
    return application


def decisions(session: Session, code: str) -> list[ApplicationDecision]:
    """The committee's decisions on an application, first the review then the appeal."""
    application = application_by_code(session, code)
    return list(
        session.scalars(
            select(ApplicationDecision)
            .where(ApplicationDecision.application_id == application.id)
            .order_by(ApplicationDecision.id)
        )
    )


def _admit(
    session: Session,
    coop: Cooperative,
    application: Application,
    *,
    on: date,
    actor: str,
    reason: str,
) -> None:
    member = admit_member(
        session,
        coop,
        PersonDetails(**application.person),
        share_class=application.share_class,
        shares=application.shares,
        on=on,
        actor=actor,
        reason=f"application {application.code}: {reason}",
        paid=False,  # the shares wait for the applicant's transfer
    )
    application.member_id = member.id
    application.status = Status.ADMITTED.value
    audit.record(
        session,
        actor=actor,
        action="application.admitted",
        subject=f"application:{application.code}",
        reason=reason,
        data={"member": member.number},
    )
