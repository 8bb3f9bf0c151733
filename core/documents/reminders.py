"""Late payers: the overdue invoices, the reminders sent on the instance's schedule, and
the adviser's proposal that an invoice is in default.

**Overdue** (:func:`overdue`): an issued invoice still owed (net of payments and credit
notes, not written off) whose due date has passed, with its days late and its last
reminder; for an entity's holders, or across an adviser's offices.

**Reminders** (:func:`send_reminder`): three steps, each sent at most once per invoice
(the ``reminder`` table's unique ``(invoice, step)`` is the guarantee, under retries and
concurrent runs alike): friendly, second, formal notice, due the number of days after
the due date the instance sets (``[instance.reminders]``). A reminder is a PDF in the
client's language (the instance's first language: a client's own is not recorded yet)
and an email carrying it, put in the outbox in the same transaction: if the act rolls
back, nothing is sent and nothing recorded. :func:`run_schedule` sends, for each overdue
invoice, the next step whose day has come, at most one step per invoice and day (a run
missed for weeks catches up step by step, the client never receiving the formal notice
before the friendly reminder); a second run on the same day finds nothing left to send.
An invoice whose default is proposed and not decided yet is left alone.

**Charges**: whether a reminder claims the late-payment interest and compensation the
law allows is the member's choice per reminder (``charge``), defaulting to the
instance's ``charge_by_default``. The country prices them
(:func:`~partage.core.contract.hookspecs.partage_late_payment_charges`): a business owes
interest from the day after the due date and a fixed compensation, a consumer what the
consumer rules allow (in Belgium, nothing on the free first reminder). The claim is
printed on the document and recorded on the reminder, and **posted nowhere**: by the
prudence principle a claim for interest is not revenue until it is collected (BE: AR
du 29 avril 2019, art. 3:6; FR: PCG art. 121-4), and most are waived or settled for
the principal. Money the client pays beyond the invoice is booked when it arrives, as
any payment is.

**Default** (:func:`propose_default`): an adviser (staff of the entity's office)
proposes that an overdue invoice is in default, with a reason. The proposal waits as a
pending act (:mod:`partage.core.acts.pending`) until another staff login validates it
— the four-eyes rule that every act raising or protecting an entity's funds follows —
and then the guarantee fund writes it off (:func:`partage.core.risk.fund.write_off`),
its balance absorbing the loss; or refuses it, saying why.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct
from partage.core.acts.models import PendingAct, PendingKind, PendingStatus
from partage.core.contract.errors import N_
from partage.core.contract.late_payment import LateCharges, LateClaim
from partage.core.contract.money import from_minor, to_minor
from partage.core.documents.models import Reminder
from partage.core.documents.reminder_pdf import (
    ReminderDocument,
    plain_amount,
    render_reminder,
    words,
)
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.platform.mail.outbox import enqueue
from partage.core.platform.mail.sending import Attachment
from partage.core.risk.solvency import lock_entity
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import OPEN_INVOICES
from partage.core.sales.receivables import owed as owed_minor

#: The actor the daily run records.
SCHEDULE = "schedule"
#: The steps, in order.
STEPS = ("friendly", "second", "formal_notice")


@dataclass(frozen=True)
class OverdueInvoice:
    """An invoice past its due date and still owed.

    Attributes:
        number: the invoice's number.
        entity: the entity's code.
        client, client_name: the client's code and name.
        client_email: where reminders go (empty: none can be emailed).
        issued_on, due_on: its dates.
        days_late: days after the due date, on the day asked.
        owed: what the client still owes.
        last_step, last_sent_on: the last reminder sent, if any.
        next_step: the next step of the schedule not sent yet (``None``: all sent).
        taken_over: whether the guarantee fund took the receivable over.
        default_status: the default proposal's status, if one was made.
    """

    number: str
    entity: str
    client: str
    client_name: str
    client_email: str
    issued_on: date
    due_on: date
    days_late: int
    owed: Decimal
    last_step: str | None
    last_sent_on: date | None
    next_step: str | None
    taken_over: bool
    default_status: str | None


def overdue(
    session: Session,
    coop: Cooperative,
    *,
    on: date,
    entity_ids: list[int] | None = None,
    office_ids: list[int] | None = None,
    scope: ColumnElement[bool] | None = None,
) -> list[OverdueInvoice]:
    """Overdue invoices on ``on``, most days late first (``entity_ids``: those entities'
    only; ``office_ids``: those offices' entities only; ``scope``: a condition on the
    :class:`~partage.core.members.models.Entity` rows the reader reaches)."""
    rows = OPEN_INVOICES.subquery()
    query = (
        select(Invoice, Entity.code, Party, rows.c.outstanding)
        .join(rows, rows.c.id == Invoice.id)
        .join(Entity, Entity.id == Invoice.entity_id)
        .join(Party, Party.id == Invoice.party_id)
        .where(Invoice.due_on < on, Invoice.issued_on <= on)
        .order_by(Invoice.due_on, Invoice.number)
    )
    if entity_ids is not None:
        query = query.where(Invoice.entity_id.in_(sorted(entity_ids)))
    if office_ids is not None:
        query = query.where(Entity.office_id.in_(sorted(office_ids)))
    if scope is not None:
        query = query.where(scope)
    found = session.execute(query).all()
    ids = [invoice.id for invoice, _, _, _ in found]
    sent = _sent_steps(session, ids)
    proposals = pending.statuses_of(session, PendingKind.INVOICE_DEFAULT, ids)
    listed = []
    for invoice, entity, party, outstanding in found:
        steps = sent.get(invoice.id, [])
        last = steps[-1] if steps else None
        listed.append(
            OverdueInvoice(
                invoice.number,
                entity,
                party.code,
                party.name,
                party.email,
                invoice.issued_on,
                invoice.due_on,
                (on - invoice.due_on).days,
                from_minor(int(outstanding), coop.currency),
                last[0] if last else None,
                last[1] if last else None,
                _next(tuple(s for s, _ in steps)),
                invoice.taken_over_on is not None,
                proposals[invoice.id].status if invoice.id in proposals else None,
            )
        )
    return listed


def _sent_steps(session: Session, invoice_ids: list[int]) -> dict[int, list[tuple[str, date]]]:
    """The steps sent on each invoice, oldest first."""
    if not invoice_ids:
        return {}
    found: dict[int, list[tuple[str, date]]] = {}
    for invoice_id, step, sent_on in session.execute(
        select(Reminder.invoice_id, Reminder.step, Reminder.sent_on)
        .where(Reminder.invoice_id.in_(sorted(invoice_ids)))
        .order_by(Reminder.sent_on, Reminder.id)
    ):
        found.setdefault(invoice_id, []).append((step, sent_on))
    return found


def _next(sent: tuple[str, ...]) -> str | None:
    """The first step not sent yet."""
    return next((s for s in STEPS if s not in sent), None)


def charges_for(
    coop: Cooperative,
    invoice: Invoice,
    party: Party,
    owed: Decimal,
    *,
    on: date,
    first_reminder_on: date | None,
) -> LateCharges | None:
    """What the country's law allows to claim on ``invoice`` on ``on`` (``None``: the
    country prices nothing)."""
    claim = LateClaim(
        owed=owed,
        currency=coop.currency,
        due_on=invoice.due_on,
        on=on,
        business=is_business(party),
        first_reminder_on=first_reminder_on,
    )
    answer: LateCharges | None = coop.plugins.hook.partage_late_payment_charges(claim=claim)
    return answer


def is_business(party: Party) -> bool:
    """A client with a VAT number is a business (a commercial transaction); one without
    is a consumer."""
    return bool(party.vat_number)


def history(session: Session, invoice_id: int) -> list[Reminder]:
    """The reminders sent on an invoice, oldest first."""
    return list(
        session.scalars(
            select(Reminder)
            .where(Reminder.invoice_id == invoice_id)
            .order_by(Reminder.sent_on, Reminder.id)
        )
    )


def send_reminder(
    session: Session,
    coop: Cooperative,
    number: str,
    *,
    on: date,
    actor: str,
    charge: bool | None = None,
) -> Reminder:
    """Send the next reminder of an overdue invoice (see the module), under its entity's
    lock so that two senders cannot send one step twice. Refuses an invoice not overdue,
    settled, written off, with every step sent, or whose client has no email address."""
    invoice = invoice_by_number(session, number)
    lock_entity(session, invoice.entity_id)
    if invoice.written_off_on is not None:
        raise ClosedRecord(
            "invoice",
            N_("written off on {invoice_written_off_on}"),
            value=number,
            invoice_written_off_on=invoice.written_off_on,
        )
    left = owed_minor(session, invoice)
    if not left:
        raise ClosedRecord("invoice", N_("nothing is owed on it"), value=number)
    if invoice.due_on >= on:
        raise InvalidAct(
            "invoice",
            N_("it is due on {due_on}: a reminder may be sent from the day after"),
            value=number,
            due_on=invoice.due_on,
        )
    sent = history(session, invoice.id)
    step = _next(tuple(r.step for r in sent))
    if step is None:
        raise ClosedRecord("invoice", N_("every reminder of the schedule was sent"), value=number)
    party = session.get(Party, invoice.party_id)
    entity = session.get(Entity, invoice.entity_id)
    assert party is not None and entity is not None
    if not party.email:
        raise InvalidAct(
            "email",
            N_("client {client} has no email address to send the reminder to"),
            client=party.code,
        )
    charged = coop.instance.reminders.charge_by_default if charge is None else charge
    owed = from_minor(left, coop.currency)
    first = sent[0].sent_on if sent else None
    charges = charges_for(coop, invoice, party, owed, on=on, first_reminder_on=first)
    language = coop.instance.languages[0]
    document = _document(coop, invoice, entity, party, step, owed, charged, charges, on, language)
    content = render_reminder(document)
    filename = f"{step.replace('_', '-')}-{invoice.number}.pdf"
    w = words(language)
    message = enqueue(
        session,
        kind="payment_reminder",
        recipient=party.email,
        subject=f"{w[step]} — {w['invoice']} {invoice.number}",
        body=_body(document, w),
        language=language,
        attachments=[Attachment(filename, "application/pdf", content)],
    )
    claimed = charged and charges is not None
    reminder = Reminder(
        invoice_id=invoice.id,
        step=step,
        sent_on=on,
        days_late=(on - invoice.due_on).days,
        owed=left,
        charged=charged,
        interest=to_minor(charges.interest, coop.currency) if claimed and charges else 0,
        compensation=to_minor(charges.compensation, coop.currency) if claimed and charges else 0,
        language=language,
        recipient=party.email,
        message_id=message.id,
        filename=filename,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        sent_by=actor,
    )
    session.add(reminder)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="invoice.remind",
        subject=f"invoice:{number}",
        data={
            "step": step,
            "owed": str(owed),
            "charged": charged,
            "claimed": str(document.claimed),
            "recipient": party.email,
        },
    )
    return reminder


def _document(
    coop: Cooperative,
    invoice: Invoice,
    entity: Entity,
    party: Party,
    step: str,
    owed: Decimal,
    charged: bool,
    charges: LateCharges | None,
    on: date,
    language: str,
) -> ReminderDocument:
    """What the reminder's PDF shows."""
    issuer = coop.instance.issuer
    if issuer is not None:
        a = issuer.address
        issuer_lines: tuple[str, ...] = (issuer.legal_name, a.street, f"{a.postcode} {a.city}")
    else:
        issuer_lines = (coop.instance.legal_name,)
    reference = coop.plugins.hook.partage_payment_reference(
        invoice_id=invoice.id, number=invoice.number
    )
    return ReminderDocument(
        step=step,
        language=language,
        country=coop.plugins.hook.partage_country_identity().code.upper(),
        currency=coop.currency,
        sent_on=on,
        issuer=issuer_lines,
        entity=entity.name,
        client=(party.name, *[line for line in party.address.splitlines() if line.strip()]),
        number=invoice.number,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        days_late=(on - invoice.due_on).days,
        owed=owed,
        charged=charged,
        charges=charges,
        business=is_business(party),
        iban=issuer.iban if issuer is not None else "",
        payment_reference=reference or invoice.number,
    )


def _body(document: ReminderDocument, w: dict[str, str]) -> str:
    """The email's text: the letter's sentences and the total; the PDF is attached."""
    intro = w["intro"].format(
        number=document.number,
        issued=document.issued_on.isoformat(),
        due=document.due_on.isoformat(),
        days=document.days_late,
        owed=plain_amount(document.owed, document.currency),
    )
    closing = w["formal"] if document.step == "formal_notice" else w["ask"]
    total = f"{w['total']}: {plain_amount(document.total, document.currency)}"
    return f"{intro}\n\n{closing}\n\n{total}\n\n{w['attached']}\n"


@dataclass
class ScheduleRun:
    """What a daily run did.

    Attributes:
        on: the day.
        sent: ``(invoice number, step)`` of each reminder sent.
        no_email: invoices whose step was due but whose client has no email address.
    """

    on: date
    sent: list[tuple[str, str]]
    no_email: list[str]


def run_schedule(session: Session, coop: Cooperative, *, on: date) -> ScheduleRun:
    """Send, for each overdue invoice, the next step whose day has come (see the
    module); idempotent: a step is sent once, so a second run on a day sends nothing."""
    done = ScheduleRun(on, [], [])
    days = dict(coop.instance.reminders.steps)
    for row in overdue(session, coop, on=on):
        if row.next_step is None or row.default_status == PendingStatus.PENDING.value:
            continue
        if row.last_sent_on is not None and row.last_sent_on >= on:
            continue  # one step a day: a missed week catches up step by step
        if row.days_late < days[row.next_step]:
            continue
        if not row.client_email:
            done.no_email.append(row.number)
            continue
        reminder = send_reminder(session, coop, row.number, on=on, actor=SCHEDULE)
        done.sent.append((row.number, reminder.step))
    if done.sent:
        audit.record(
            session,
            actor=SCHEDULE,
            action="reminders.run",
            subject=f"reminders:{on}",
            data={"sent": [f"{n} {s}" for n, s in done.sent], "no_email": done.no_email},
        )
    return done


def propose_default(
    session: Session, coop: Cooperative, number: str, *, on: date, actor: str, reason: str
) -> PendingAct:
    """An adviser proposes that an overdue invoice is in default (see the module): it
    waits for another staff login's validation, then the fund writes it off."""
    if not reason.strip():
        raise InvalidAct("reason", N_("a proposed default needs a reason"))
    invoice = invoice_by_number(session, number)
    lock_entity(session, invoice.entity_id)
    left = owed_minor(session, invoice)
    if not left:
        raise ClosedRecord("invoice", N_("nothing is owed on it"), value=number)
    if invoice.due_on >= on:
        raise InvalidAct(
            "invoice",
            N_("it is due on {due_on}: only an overdue invoice can be in default"),
            value=number,
            due_on=invoice.due_on,
        )
    if pending.of_subject(session, PendingKind.INVOICE_DEFAULT, invoice.id) is not None:
        raise ClosedRecord("invoice", N_("a default was already proposed on it"), value=number)
    return pending.enter(
        session,
        kind=PendingKind.INVOICE_DEFAULT,
        subject_id=invoice.id,
        entity_id=invoice.entity_id,
        amount=left,
        rule=reason.strip()[:500],
        actor=actor,
        data={"number": number, "days_late": (on - invoice.due_on).days},
    )
