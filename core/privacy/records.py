"""Everything the instance stores about one person, exported (GDPR art. 15) and erased
(art. 17), except what the law makes the cooperative keep (art. 17(3)(b)).

A *subject* is named by its code: a person (``P000001``: a member, a worker, an
adviser known as a person), a party (``C000002``: a client or supplier; erasure is for
a private person, one without a VAT number) or a membership application (``A000003``:
an applicant who never became a member; an admitted one is their person).

Mutable records are pseudonymised at once, in one transaction: the person's or party's
names, national number, IBAN, address and e-mail; their logins (renamed, disabled,
their password and second factor removed, their sessions ended, their login attempts
deleted); their membership applications' details as given; the numbers of their
attestations. The row itself stays, so that the records the law keeps still point to
something, but it no longer says who it was.

Immutable records are kept as the law requires, each until the 31 December of the last
year of its retention period counted from the end of the fiscal year it belongs to:

- posted entries naming the subject as partner, issued invoices and credit notes (and
  their stored PDF and e-invoice files, which print the client's name): the country's
  accounting period (the longer of accounting and tax law);
- payslips: the longer of the country's payroll period and the accounting period, as a
  payslip is also the supporting document of the salary entries posted from it;
- the social declaration files naming a worker (their hires' declarations, the periodic
  declarations of the periods they were paid in): the country's payroll period;
- audit records about the subject: the accounting period, as the trail of the acts on
  the books and on people that they record (architecture invariant 5); the log is
  append-only and is never rewritten.

The country plugin gives the periods (hook ``partage_retention_periods``); without its
answer an erasure is refused, naming the hook, since nobody could then say what must
stay. An erasure is also refused, naming the reason, while the law or an open
obligation still needs the person's details: a member who still holds shares (the
register of members names them), a worker whose employment contract still runs, the
holder of an entity still open, a client who still owes on an invoice, an application
still before the ethics committee. Erasing a subject
already erased changes nothing and says so. Every export and every erasure is recorded
in the audit log, in the same transaction.

Advisers' notes: the platform keeps them for members only, in each member's follow-up
record (:mod:`partage.core.members.follow_up`: notes, appointments, documents), with the
workshops they registered for; the export holds them all, shown to the member or not,
and an erasure deletes the follow-up record (no law asks to keep it). For a party or an
applicant the export says there are none rather than leaving the reader to wonder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from partage.core.access.models import LoginAttempt, WebSession, WebUser
from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.contract.retention import RetentionPeriods
from partage.core.documents.models import InvoiceFile
from partage.core.ledger.models import JournalLine
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.members.models import (
    Application,
    ApplicationDecision,
    AttestationRecord,
    Entity,
    EntityHolder,
    FollowUpItem,
    Member,
    OfficeAdviser,
    Party,
    Person,
    ShareMovement,
    Workshop,
    WorkshopSeat,
)
from partage.core.members.review import PENDING
from partage.core.payroll.models import (
    Contract,
    ContractOffer,
    DeclarationRecord,
    PayslipRecord,
)
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.models import AuditRecord
from partage.core.sales.models import Invoice, Payment, Quote
from partage.core.sales.receivables import OPEN_INVOICES
from partage.core.spending.models import OtherIncome, Purchase

SubjectKind = Literal["person", "party", "application"]
Subject = Person | Party | Application
#: What the export says of advisers' notes about a party or an applicant.
NO_NOTES = "the platform keeps advisers' notes about members only"
#: What it says of a member's.
MEMBER_NOTES = "the member's follow-up record, as office staff wrote it"


@dataclass(frozen=True)
class KeptRecord:
    """Records the law makes the cooperative keep, and until when.

    Attributes:
        kind: what they are (``posted entries``, ``invoice``, ``payslip``...).
        reference: which (a number, a fiscal year, a period).
        dated: the day of the latest of them.
        count: how many.
        kept_until: the last day they are kept; erasable after it.
        source: the law that sets the period.
    """

    kind: str
    reference: str
    dated: date
    count: int
    kept_until: date
    source: str


@dataclass(frozen=True)
class PersonalData:
    """What is stored about one subject, as exported.

    Attributes:
        subject: ``person:P000001`` or ``party:C000002``.
        kind: ``person`` or ``party``.
        exported_on: the day of the export (the law in force then).
        erased_at: when the subject's data were erased, ``None`` if never.
        sections: the stored data, by record kind, as JSON-ready values.
        kept: the records the law keeps, and until when.
        retention_known: whether the country plugin gave its retention periods.
    """

    subject: str
    kind: SubjectKind
    exported_on: date
    erased_at: datetime | None
    sections: dict[str, Any]
    kept: list[KeptRecord] = field(default_factory=list)
    retention_known: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "kind": self.kind,
            "exported_on": self.exported_on.isoformat(),
            "erased_at": self.erased_at.isoformat() if self.erased_at else None,
            "retention_known": self.retention_known,
            "kept": [
                asdict(k) | {"dated": k.dated.isoformat(), "kept_until": k.kept_until.isoformat()}
                for k in self.kept
            ],
            **self.sections,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


@dataclass(frozen=True)
class Erasure:
    """The outcome of an erasure.

    Attributes:
        subject: whose data.
        already: the subject had been erased before: nothing changed.
        pseudonymised: what was pseudonymised or deleted, in words.
        kept: the records the law keeps, and until when.
    """

    subject: str
    already: bool
    pseudonymised: list[str]
    kept: list[KeptRecord]


# --- finding the subject ----------------------------------------------------------------
def _subject(session: Session, code: str) -> Subject:
    """The person, party or application of ``code``, or "not found" naming it."""
    code = code.strip().upper()
    row: Subject | None
    if code.startswith("C"):
        row = session.scalars(select(Party).where(Party.code == code)).one_or_none()
    elif code.startswith("A"):
        row = session.scalars(select(Application).where(Application.code == code)).one_or_none()
    else:
        row = session.scalars(select(Person).where(Person.code == code)).one_or_none()
    if row is None:
        raise NotFound("subject", N_("no such person, party or application"), value=repr(code))
    return row


def _periods(coop: Cooperative, on: date) -> RetentionPeriods | None:
    answer = coop.plugins.hook.partage_retention_periods(on=on)
    return answer if isinstance(answer, RetentionPeriods) else None


def _until(day: date, years: int, start_month: int) -> date:
    """The last day a record of ``day`` is kept: the 31 December of the ``years``-th year
    after the end of its fiscal year."""
    end = fiscal_year_containing(day, start_month).end
    return date(end.year + years, 12, 31)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- what is stored ---------------------------------------------------------------------
def _member_of(session: Session, person: Person) -> Member | None:
    return session.scalars(select(Member).where(Member.person_id == person.id)).one_or_none()


def _logins(session: Session, member: Member | None) -> list[WebUser]:
    if member is None:
        return []
    return list(
        session.scalars(select(WebUser).where(WebUser.member_id == member.id).order_by(WebUser.id))
    )


def _person_sections(
    session: Session, coop: Cooperative, person: Person
) -> tuple[dict[str, Any], list[str]]:
    """The person's stored data, and the audit subjects and actors that concern them."""
    cur = coop.currency
    member = _member_of(session, person)
    logins = _logins(session, member)
    usernames = [u.username for u in logins]
    sections: dict[str, Any] = {
        "person": {
            "code": person.code,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "national_id": person.national_id,
            "iban": person.iban,
            "address": person.address,
            "email": person.email,
            "language": person.language,
            "created_at": _iso(person.created_at),
        }
    }
    subjects = [f"person:{person.code}"]
    if member is not None:
        subjects.append(f"member:{member.number}")
        sections["membership"] = {
            "number": member.number,
            "share_class": member.share_class,
            "admitted_on": _iso(member.admitted_on),
            "left_on": _iso(member.left_on),
            "share_movements": [
                {"on": _iso(m.on), "class": m.share_class, "quantity": m.quantity}
                for m in session.scalars(
                    select(ShareMovement)
                    .where(ShareMovement.member_id == member.id)
                    .order_by(ShareMovement.id)
                )
            ],
        }
        sections["entities_held"] = [
            {
                "code": e.code,
                "name": e.name,
                "opened_on": _iso(e.opened_on),
                "closed_on": _iso(e.closed_on),
            }
            for e in session.scalars(
                select(Entity)
                .join(EntityHolder, EntityHolder.entity_id == Entity.id)
                .where(EntityHolder.member_id == member.id)
                .order_by(Entity.code)
            )
        ]
        contracts = list(
            session.scalars(
                select(Contract).where(Contract.member_id == member.id).order_by(Contract.code)
            )
        )
        subjects += [f"contract:{c.code}" for c in contracts]
        sections["employment_contracts"] = [
            {
                "code": c.code,
                "worker_category": c.worker_category,
                "start": _iso(c.start),
                "end": _iso(c.end),
                "monthly_gross": str(from_minor(c.monthly_gross, cur)) if c.monthly_gross else None,
                "hourly_rate": str(from_minor(c.hourly_rate, cur)) if c.hourly_rate else None,
                "tax_situation": c.tax_situation,
                "dependent_children": c.dependent_children,
            }
            for c in contracts
        ]
        offers = list(
            session.scalars(select(ContractOffer).where(ContractOffer.member_id == member.id))
        )
        sections["contract_offers"] = [
            {"start": _iso(o.start), "end": _iso(o.end), "status": o.status} for o in offers
        ]
        sections["payslips"] = [
            {
                "period_start": _iso(p.period_start),
                "paid_on": _iso(p.paid_on),
                "gross": str(from_minor(p.gross, cur)),
                "withholding": str(from_minor(p.withholding, cur)),
                "net": str(from_minor(p.net, cur)),
            }
            for p in session.scalars(
                select(PayslipRecord)
                .join(Contract, Contract.id == PayslipRecord.contract_id)
                .where(Contract.member_id == member.id)
                .order_by(PayslipRecord.period_start)
            )
        ]
        applications = list(
            session.scalars(select(Application).where(Application.member_id == member.id))
        )
        subjects += [f"application:{a.code}" for a in applications]
        sections["applications"] = [_application_out(session, a) for a in applications]
    sections["logins"] = [
        {
            "username": u.username,
            "role": u.role,
            "display_name": u.display_name,
            "language": u.language,
            "created_at": _iso(u.created_at),
            "disabled_at": _iso(u.disabled_at),
            "password_changed_at": _iso(u.password_changed_at),
            "second_factor": u.totp_secret is not None,
            "open_sessions": session.scalar(
                select(func.count()).select_from(WebSession).where(WebSession.user_id == u.id)
            ),
        }
        for u in logins
    ]
    sections["login_attempts"] = [
        {"username": a.username, "at": _iso(a.at), "address": a.address, "succeeded": a.succeeded}
        for a in session.scalars(
            select(LoginAttempt)
            .where(LoginAttempt.username.in_(usernames))
            .order_by(LoginAttempt.at)
        )
    ]
    subjects += [f"login:{name}" for name in usernames]
    sections["attestations"] = [
        {
            "kind": a.kind,
            "issuer": a.issuer,
            "number": a.number,
            "valid_from": _iso(a.valid_from),
            "valid_until": _iso(a.valid_until),
            "file_name": a.filename,
            "file_sha256": a.sha256,
        }
        for a in session.scalars(
            select(AttestationRecord).where(AttestationRecord.person_id == person.id)
        )
    ]
    sections["office_rosters"] = [
        {"user_name": r.user_name, "since": _iso(r.since)}
        for r in session.scalars(select(OfficeAdviser).where(OfficeAdviser.person_id == person.id))
    ]
    sections["advisers_notes"] = _follow_up(session, member)
    sections["workshops"] = (
        [
            {"workshop": code, "title": title, "starts_at": _iso(at), "attended": came}
            for code, title, at, came in session.execute(
                select(Workshop.code, Workshop.title, Workshop.starts_at, WorkshopSeat.attended)
                .join(WorkshopSeat, WorkshopSeat.workshop_id == Workshop.id)
                .where(WorkshopSeat.member_id == member.id)
                .order_by(Workshop.starts_at)
            )
        ]
        if member is not None
        else []
    )
    return sections, subjects + [f"user:{name}" for name in usernames]


def _follow_up(session: Session, member: Member | None) -> dict[str, Any]:
    """A member's follow-up record (files named, not copied: ask for them by item)."""
    if member is None:
        return {"notes": [], "why": NO_NOTES}
    items = session.scalars(
        select(FollowUpItem).where(FollowUpItem.member_id == member.id).order_by(FollowUpItem.id)
    )
    return {
        "notes": [
            {
                "kind": i.kind,
                "subject": i.subject,
                "text": i.body,
                "starts_at": _iso(i.starts_at),
                "place": i.place,
                "file": i.filename,
                "visible_to_member": i.visible_to_member,
                "written_at": _iso(i.written_at),
                "written_by": i.written_by,
            }
            for i in items
        ],
        "why": MEMBER_NOTES,
    }


def _party_sections(
    session: Session, coop: Cooperative, party: Party
) -> tuple[dict[str, Any], list[str]]:
    cur = coop.currency
    sections: dict[str, Any] = {
        "party": {
            "code": party.code,
            "name": party.name,
            "kind": party.kind,
            "country": party.country,
            "vat_number": party.vat_number,
            "address": party.address,
            "email": party.email,
        },
        "quotes": [
            {"reference": q.reference, "version": q.version, "issued_on": _iso(q.issued_on)}
            for q in session.scalars(select(Quote).where(Quote.party_id == party.id))
        ],
        "invoices": [
            {
                "number": i.number,
                "kind": i.kind,
                "issued_on": _iso(i.issued_on),
                "total": str(from_minor(i.total, cur)),
            }
            for i in session.scalars(
                select(Invoice).where(Invoice.party_id == party.id).order_by(Invoice.id)
            )
        ],
        "payments": [
            {"received_on": _iso(p.received_on), "amount": str(from_minor(p.amount, cur))}
            for p in session.scalars(select(Payment).where(Payment.party_id == party.id))
        ],
        "purchases": [
            {"supplier_reference": p.supplier_reference, "on": _iso(p.on)}
            for p in session.scalars(select(Purchase).where(Purchase.party_id == party.id))
        ],
        "other_income": [
            {"kind": o.kind, "on": _iso(o.on), "reference": o.reference}
            for o in session.scalars(select(OtherIncome).where(OtherIncome.party_id == party.id))
        ],
        "advisers_notes": {"notes": [], "why": NO_NOTES},
    }
    return sections, [f"party:{party.code}"]


def _application_out(session: Session, a: Application) -> dict[str, Any]:
    return {
        "code": a.code,
        "submitted_on": _iso(a.submitted_on),
        "status": a.status,
        "details_given": a.person,
        "trade": a.trade,
        "activity": a.activity,
        "clients": a.clients,
        "answers": a.answers,
        "appeal_grounds": a.appeal_grounds,
        "decisions": [
            {"stage": d.stage, "decision": d.decision, "reasons": d.reasons}
            for d in session.scalars(
                select(ApplicationDecision).where(ApplicationDecision.application_id == a.id)
            )
        ],
    }


def _audit_records(session: Session, about: list[str]) -> list[AuditRecord]:
    subjects = [a for a in about if not a.startswith("user:")]
    actors = [a for a in about if a.startswith("user:")]
    return list(
        session.scalars(
            select(AuditRecord)
            .where(or_(AuditRecord.subject.in_(subjects), AuditRecord.actor.in_(actors)))
            .order_by(AuditRecord.id)
        )
    )


# --- what the law keeps -----------------------------------------------------------------
def _declarations(session: Session, member: Member) -> list[tuple[str, date]]:
    """The social declaration files naming the member: the declarations of their hires
    (subject: the contract's code) and the periodic declarations of the periods they
    were paid in (subject: ``start/end``), with the day each was produced."""
    contracts = {
        code
        for code in session.scalars(select(Contract.code).where(Contract.member_id == member.id))
    }
    paid = list(
        session.scalars(
            select(PayslipRecord.period_start)
            .join(Contract, Contract.id == PayslipRecord.contract_id)
            .where(Contract.member_id == member.id)
        )
    )
    found = []
    for kind, subject, made in session.execute(
        select(
            DeclarationRecord.kind, DeclarationRecord.subject, DeclarationRecord.created_at
        ).where(
            or_(
                DeclarationRecord.subject.in_(contracts),
                DeclarationRecord.subject.contains("/", autoescape=True),
            )
        )
    ):
        start, _, end = subject.partition("/")
        covers = False
        if end:
            try:
                first, last = date.fromisoformat(start), date.fromisoformat(end)
            except ValueError:
                continue
            covers = any(first <= day <= last for day in paid)
        if subject in contracts or covers:
            found.append((f"{kind} {subject}", made.date()))
    return found


def _by_year(
    kind: str, days: Iterable[tuple[str, date]], years: int, source: str, start_month: int
) -> list[KeptRecord]:
    """One :class:`KeptRecord` per fiscal year of ``days`` (``(reference, day)``)."""
    groups: dict[int, list[tuple[str, date]]] = {}
    for reference, day in days:
        groups.setdefault(fiscal_year_containing(day, start_month).end.year, []).append(
            (reference, day)
        )
    kept = []
    for year, rows in sorted(groups.items()):
        latest = max(day for _, day in rows)
        refs = [r for r, _ in rows]
        reference = refs[0] if len(refs) == 1 else f"fiscal year ending {year}"
        kept.append(
            KeptRecord(
                kind, reference, latest, len(rows), _until(latest, years, start_month), source
            )
        )
    return kept


def _kept(
    session: Session,
    subject: Subject,
    periods: RetentionPeriods,
    audit_rows: list[AuditRecord],
    start_month: int,
) -> list[KeptRecord]:
    acc, pay = periods.accounting, periods.payroll
    kept: list[KeptRecord] = []
    partner: str | None = None
    if isinstance(subject, Party):
        partner = subject.code
        invoices = list(session.scalars(select(Invoice).where(Invoice.party_id == subject.id)))
        kept += _by_year(
            "invoice",
            ((i.number, i.issued_on) for i in invoices),
            acc.years,
            acc.source,
            start_month,
        )
        files = session.execute(
            select(InvoiceFile.filename, Invoice.issued_on)
            .join(Invoice, Invoice.id == InvoiceFile.invoice_id)
            .where(Invoice.party_id == subject.id)
        ).all()
        kept += _by_year("stored invoice file", files, acc.years, acc.source, start_month)
    elif isinstance(subject, Person):
        member = _member_of(session, subject)
        partner = f"M{member.number}" if member else None
        if member is not None:
            slips = session.execute(
                select(Contract.code, PayslipRecord.paid_on)
                .join(Contract, Contract.id == PayslipRecord.contract_id)
                .where(Contract.member_id == member.id)
            ).all()
            years, source = (
                (pay.years, pay.source) if pay.years >= acc.years else (acc.years, acc.source)
            )
            kept += _by_year("payslip", slips, years, source, start_month)
            kept += _by_year(
                "social declaration file",
                _declarations(session, member),
                pay.years,
                pay.source,
                start_month,
            )
    if partner is not None:
        lines = session.execute(
            select(JournalLine.entry_id, JournalLine.date).where(JournalLine.partner == partner)
        ).all()
        kept += _by_year(
            "posted entry line",
            ((str(entry), day) for entry, day in lines),
            acc.years,
            acc.source,
            start_month,
        )
    kept += _by_year(
        "audit record",
        ((str(r.id), r.at.date()) for r in audit_rows),
        acc.years,
        acc.source,
        start_month,
    )
    return kept


# --- export and erasure -----------------------------------------------------------------
def collect(
    session: Session, coop: Cooperative, code: str, *, on: date, start_month: int = 1
) -> tuple[Subject, PersonalData]:
    """What is stored about the subject ``code``, without recording anything."""
    subject = _subject(session, code)
    kind: SubjectKind
    if isinstance(subject, Party):
        sections, about = _party_sections(session, coop, subject)
        kind = "party"
    elif isinstance(subject, Application):
        sections = {
            "application": _application_out(session, subject),
            "advisers_notes": {"notes": [], "why": NO_NOTES},
        }
        about = [f"application:{subject.code}"]
        kind = "application"
    else:
        sections, about = _person_sections(session, coop, subject)
        kind = "person"
    rows = _audit_records(session, about)
    sections["audit_records"] = [
        {
            "id": r.id,
            "at": _iso(r.at),
            "actor": r.actor,
            "action": r.action,
            "subject": r.subject,
            "origin": r.origin,
            "reason": r.reason,
            "data": r.data,
        }
        for r in rows
    ]
    periods = _periods(coop, on)
    kept = _kept(session, subject, periods, rows, start_month) if periods else []
    data = PersonalData(
        subject=f"{kind}:{subject.code}",
        kind=kind,
        exported_on=on,
        erased_at=subject.erased_at,
        sections=sections,
        kept=kept,
        retention_known=periods is not None,
    )
    return subject, data


def export(
    session: Session,
    coop: Cooperative,
    code: str,
    *,
    on: date,
    actor: str,
    origin: str = "",
    start_month: int = 1,
    fmt: str = "json",
) -> PersonalData:
    """Everything stored about ``code`` (GDPR art. 15), recorded in the audit log
    (``privacy.export``, with the format) in the caller's transaction."""
    _, data = collect(session, coop, code, on=on, start_month=start_month)
    audit.record(
        session,
        actor=actor,
        action="privacy.export",
        subject=data.subject,
        origin=origin,
        data={"format": fmt, "kept": len(data.kept)},
    )
    return data


def _refusals(session: Session, subject: Subject, on: date) -> list[str]:
    """Why the subject's details may not be erased yet (empty: they may)."""
    reasons = []
    if isinstance(subject, Application):
        if subject.status in PENDING:
            reasons.append(
                f"application {subject.code} is still before the ethics committee "
                f"({subject.status}): it decides on what was given"
            )
        if subject.member_id is not None:
            person = session.scalar(
                select(Person.code)
                .join(Member, Member.person_id == Person.id)
                .where(Member.id == subject.member_id)
            )
            reasons.append(f"the applicant was admitted: erase their person {person} instead")
        return reasons
    if isinstance(subject, Party):
        if subject.vat_number is not None:
            reasons.append(
                f"party {subject.code} is a business (VAT {subject.vat_number}): its name and "
                "number are public register data, not a private person's"
            )
        owing = session.scalars(
            select(Invoice.number).where(
                Invoice.id.in_(
                    [
                        row.id
                        for row in session.execute(
                            OPEN_INVOICES.where(Invoice.party_id == subject.id)
                        )
                    ]
                )
            )
        ).all()
        if owing:
            reasons.append(f"invoices still owed by the client: {', '.join(owing)}")
        return reasons
    member = _member_of(session, subject)
    if member is None:
        return reasons
    if member.left_on is None:
        reasons.append(
            f"member {member.number} still holds shares: the register of members names them "
            "until their shares are redeemed"
        )
    running = session.scalars(
        select(Contract.code).where(
            Contract.member_id == member.id, or_(Contract.end.is_(None), Contract.end >= on)
        )
    ).all()
    if running:
        reasons.append(f"employment contracts still running: {', '.join(running)}")
    entities = session.scalars(
        select(Entity.code)
        .join(EntityHolder, EntityHolder.entity_id == Entity.id)
        .where(EntityHolder.member_id == member.id, Entity.closed_on.is_(None))
    ).all()
    if entities:
        reasons.append(f"holds entities still open: {', '.join(entities)}")
    return reasons


def erase(
    session: Session,
    coop: Cooperative,
    code: str,
    *,
    on: date,
    actor: str,
    reason: str,
    origin: str = "",
    start_month: int = 1,
) -> Erasure:
    """Erase the subject's personal data (GDPR art. 17) in the caller's transaction:
    pseudonymise every mutable record, keep the immutable ones the law requires (art.
    17(3)(b)) and say until when; refused, naming each reason, while the law or an open
    obligation needs them (see the module). A second erasure changes nothing."""
    if not reason.strip():
        raise InvalidAct("reason", N_("say why the data are erased (the person's request)"))
    subject, data = collect(session, coop, code, on=on, start_month=start_month)
    if not data.retention_known:
        raise ClosedRecord(
            "retention",
            N_(
                "the country plugin gives no retention periods (hook "
                "partage_retention_periods): what the law keeps cannot be "
                "told, so nothing is erased"
            ),
        )
    if subject.erased_at is not None:
        audit.record(
            session,
            actor=actor,
            action="privacy.erase",
            subject=data.subject,
            origin=origin,
            reason=reason,
            data={"already_erased_at": subject.erased_at.isoformat()},
        )
        return Erasure(data.subject, True, [], data.kept)
    refused = _refusals(session, subject, on)
    if refused:
        raise ClosedRecord("subject", "cannot be erased yet: " + "; ".join(refused), value=code)
    if isinstance(subject, Party):
        done = _erase_party(subject)
    elif isinstance(subject, Application):
        done = _erase_application(subject)
    else:
        done = _erase_person(session, subject)
    subject.erased_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="privacy.erase",
        subject=data.subject,
        origin=origin,
        reason=reason,
        data={
            "pseudonymised": done,
            "kept": [[k.kind, k.reference, k.kept_until.isoformat()] for k in data.kept],
        },
    )
    return Erasure(data.subject, False, done, data.kept)


def _changed(session: Session, statement: Any) -> int:
    """Rows an UPDATE changed."""
    return int(getattr(session.execute(statement), "rowcount", 0))


def _erase_application(application: Application) -> list[str]:
    application.person = {"erased": True}
    application.appeal_grounds = "" if application.appeal_grounds is not None else None
    return ["the applicant's details as given and their appeal grounds"]


def _erase_party(party: Party) -> list[str]:
    party.name = f"Erased {party.code}"
    party.address = ""
    party.email = ""
    return ["party name, address and e-mail"]


def _erase_person(session: Session, person: Person) -> list[str]:
    done = ["person's names, national number, IBAN, address and e-mail"]
    person.first_name = "Erased"
    person.last_name = person.code
    person.national_id = f"erased:{person.code}"
    person.iban = ""
    person.address = ""
    person.email = ""
    member = _member_of(session, person)
    logins = _logins(session, member)
    if logins:
        names = [u.username for u in logins]
        session.execute(delete(LoginAttempt).where(LoginAttempt.username.in_(names)))
        session.execute(delete(WebSession).where(WebSession.user_id.in_([u.id for u in logins])))
        for user in logins:
            user.username = f"erased-{user.id}"
            user.display_name = f"Erased {person.code}"
            user.password_hash = "!"  # no argon2 hash: no password ever matches
            user.totp_secret = None
            user.disabled_at = user.disabled_at or utcnow()
        done.append(
            f"{len(logins)} login(s) renamed and disabled, their sessions ended, "
            "their password, second factor and login attempts removed"
        )
    if member is not None:
        changed = _changed(
            session,
            update(Application)
            .where(Application.member_id == member.id)
            .values(person={"erased": True, "code": person.code}),
        )
        if changed:
            done.append(f"{changed} application(s): the applicant's details as given")
        deleted = _changed(session, delete(FollowUpItem).where(FollowUpItem.member_id == member.id))
        if deleted:
            done.append(f"{deleted} item(s) of the follow-up record deleted")
    if _changed(
        session,
        update(AttestationRecord)
        .where(AttestationRecord.person_id == person.id)
        .values(number="erased", filename=None, media_type=None, content=None, sha256=None),
    ):
        done.append("attestation numbers and scans")
    if _changed(
        session,
        update(OfficeAdviser).where(OfficeAdviser.person_id == person.id).values(person_id=None),
    ):
        done.append("office roster links")
    return done
