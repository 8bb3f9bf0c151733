"""Employment declarations: the hire declaration the State requires before work starts
(Belgium's Dimona, France's DPAE) and the periodic declaration of pay (Belgium's
quarterly DmfA, France's monthly DSN), produced by the country plugin from the engine's
contracts and payslips.

The core gathers the facts — the employer, the worker, the contract's term; each
worker's pay of the period summed from the payslips as they were paid — and the country
plugin writes its file. A declaration is stored once with its SHA-256 and never changes
(:mod:`.models`); asking again returns the stored file.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ActError, Cooperative, InvalidAct, NotFound
from partage.core.contract.documents import (
    DeclarationFile,
    DeclaredPay,
    Employer,
    HireDeclaration,
    PeriodDeclaration,
    Worker,
)
from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import from_minor
from partage.core.members.models import Member, Person
from partage.core.payroll.models import Contract, DeclarationRecord, PayslipRecord
from partage.core.platform import audit
from partage.core.platform.db.immutable import store_once
from partage.core.platform.issuer import Issuer


class DeclarationRefused(ActError):
    """The country refuses the declaration (too late, wrong period); nothing is stored."""


def employer(issuer: Issuer) -> Employer:
    """The cooperative as an employer, from its issuer facts."""
    if not issuer.social_security_id:
        raise InvalidAct("issuer.social_security_id", N_("the employer number is required"))
    return Employer(issuer.legal_name, issuer.company_id, issuer.social_security_id, issuer.address)


def _worker(person: Person, member: Member) -> Worker:
    return Worker(person.national_id, person.first_name, person.last_name, f"M{member.number}")


def _keep(
    session: Session, file: DeclarationFile | None, subject: str, actor: str
) -> DeclarationRecord:
    if file is None:
        raise DeclarationRefused(None, N_("the country plugin produces no such declaration"))
    record = DeclarationRecord(
        kind=file.kind,
        subject=subject,
        format=file.format,
        filename=file.filename,
        content=file.content,
        sha256=hashlib.sha256(file.content).hexdigest(),
        created_by=actor,
    )
    record, created = store_once(session, record, lambda: _stored(session, subject))
    if not created:
        return record
    audit.record(
        session,
        actor=actor,
        action="declaration.produce",
        subject=f"declaration:{file.kind}:{subject}",
        data={"format": file.format, "sha256": record.sha256},
    )
    return record


def _stored(session: Session, subject: str) -> DeclarationRecord | None:
    return session.scalars(
        select(DeclarationRecord).where(DeclarationRecord.subject == subject)
    ).first()


def declares_hires(coop: Cooperative) -> bool:
    """Whether the country plugin produces hire declarations (a new country may not yet)."""
    return bool(coop.plugins.hook.partage_hire_declaration.get_hookimpls())


def declare_hire(
    session: Session, coop: Cooperative, contract: str, issuer: Issuer, *, on: date, actor: str
) -> DeclarationRecord:
    """The hire declaration of a contract, made on ``on``."""
    stored = _stored(session, contract)
    if stored is not None:
        return stored
    row = session.scalars(select(Contract).where(Contract.code == contract)).one_or_none()
    if row is None:
        raise NotFound("contract", N_("no such contract"), value=repr(contract))
    member = session.get(Member, row.member_id)
    assert member is not None
    person = session.get(Person, member.person_id)
    assert person is not None
    facts = HireDeclaration(
        employer=employer(issuer),
        worker=_worker(person, member),
        contract=row.code,
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        part_time=Decimal(row.part_time),
        declared_on=on,
    )
    try:
        file = coop.plugins.hook.partage_hire_declaration(declaration=facts)
    except PartageError as error:
        raise DeclarationRefused(
            "contract", N_("{refusal}"), value=contract, refusal=error
        ) from None
    return _keep(session, file, contract, actor)


def period_pay(
    session: Session, coop: Cooperative, start: date, end: date
) -> tuple[DeclaredPay, ...]:
    """Each worker's pay over the months starting in ``[start, end]``, per contract."""
    rows = session.execute(
        select(PayslipRecord, Contract, Member, Person)
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .join(Member, Member.id == Contract.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(PayslipRecord.period_start >= start, PayslipRecord.period_start <= end)
        .order_by(Contract.code, PayslipRecord.period_start)
    ).all()
    currency = coop.currency
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lines: dict[str, dict[str, list[Decimal]]] = defaultdict(dict)
    who: dict[str, tuple[Worker, str]] = {}
    for slip, contract, member, person in rows:
        total = sums[contract.code]
        for name in (
            "gross",
            "employee_contributions",
            "employer_contributions",
            "withholding",
            "net",
        ):
            total[name] += getattr(slip, name)
        for line in slip.lines:
            base, amount = lines[contract.code].setdefault(line["code"], [Decimal(0), Decimal(0)])
            lines[contract.code][line["code"]] = [
                base + Decimal(line["base"]),
                amount + Decimal(line["amount"]),
            ]
        who[contract.code] = (_worker(person, member), contract.worker_category)
    return tuple(
        DeclaredPay(
            worker=who[code][0],
            contract=code,
            worker_category=who[code][1],
            gross=from_minor(total["gross"], currency),
            employee_contributions=from_minor(total["employee_contributions"], currency),
            employer_contributions=from_minor(total["employer_contributions"], currency),
            withholding=from_minor(total["withholding"], currency),
            net=from_minor(total["net"], currency),
            lines=tuple((c, b, a) for c, (b, a) in sorted(lines[code].items())),
        )
        for code, total in sums.items()
    )


def declare_period(
    session: Session,
    coop: Cooperative,
    issuer: Issuer,
    *,
    start: date,
    end: date,
    actor: str,
) -> DeclarationRecord:
    """The periodic declaration of the payslips of ``[start, end]``."""
    if end < start:
        raise InvalidAct("end", N_("{end} is before the start {start}"), end=end, start=start)
    subject = f"{start.isoformat()}/{end.isoformat()}"
    stored = _stored(session, subject)
    if stored is not None:
        return stored
    facts = PeriodDeclaration(employer(issuer), start, end, period_pay(session, coop, start, end))
    try:
        file = coop.plugins.hook.partage_period_declaration(declaration=facts)
    except PartageError as error:
        raise DeclarationRefused("period", N_("{refusal}"), value=subject, refusal=error) from None
    return _keep(session, file, subject, actor)
