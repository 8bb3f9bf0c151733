"""Late payers on the web: an entity's overdue invoices with their "send reminder"
button, the adviser's overdue list across the entities of their office, an invoice's
reminder history with each reminder's PDF, and the adviser's "propose a default" button.

The rules are :mod:`partage.core.documents.reminders`'s; these pages and endpoints check
who reaches the entity and that only office staff propose a default, inside the act's
own transaction, so a refusal leaves nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter
from litestar.response import Template
from litestar.status_codes import HTTP_201_CREATED
from msgspec import Meta, Struct

from partage.core.access.roles import (
    Principal,
    entity_scope,
    reachable_entity,
    require_staff,
)
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import from_minor
from partage.core.documents import reminders
from partage.core.documents.models import Reminder
from partage.core.platform.db.engine import transaction
from partage.core.sales.invoices import invoice_by_number
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, NumberPath, SiteDep, day
from partage.core.web.pages import Page, PathStr, UrlForm, guarded, see
from partage.core.web.problems import kind_of, problem_spec
from partage.core.web.schemas import LARGEST_ID, money
from partage.core.web.schemas import Request as RequestBody
from partage.core.web.site import Site

ReminderPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID)]
Reason = Annotated[str, Meta(min_length=1, max_length=500)]


# --- bodies -------------------------------------------------------------------------------
class OverdueOut(Struct, kw_only=True):
    """An invoice past its due date and still owed, with its last reminder and the
    next step of the instance's schedule (``null``: every step was sent)."""

    invoice: str
    entity: str
    client: str
    client_name: str
    issued_on: date
    due_on: date
    days_late: int
    owed: str
    last_reminder: str | None = None
    last_sent_on: date | None = None
    next_step: str | None = None
    taken_over: bool = False
    default: str | None = None


class ReminderIn(RequestBody):
    """Send the next reminder: ``charge`` claims the late-payment interest and
    compensation the law allows (default: the instance's ``charge_by_default``)."""

    charge: bool | None = None
    on: date | None = None


class ReminderOut(Struct, kw_only=True):
    """A reminder sent: its step, what was owed and what it claimed beyond the invoice
    (a claim, posted nowhere until paid)."""

    id: int
    invoice: str
    step: str
    sent_on: date
    days_late: int
    owed: str
    charged: bool
    interest: str
    compensation: str
    language: str
    recipient: str
    filename: str
    sent_by: str


class DefaultIn(RequestBody):
    """Why the adviser thinks the client will not pay."""

    reason: Reason
    on: date | None = None


class DefaultOut(Struct, kw_only=True):
    """The proposed default, waiting for another staff login's validation
    (``POST /pending/{pending_id}/validate``)."""

    invoice: str
    pending_id: int
    status: str
    amount: str


def overdue_out(row: reminders.OverdueInvoice) -> OverdueOut:
    return OverdueOut(
        invoice=row.number,
        entity=row.entity,
        client=row.client,
        client_name=row.client_name,
        issued_on=row.issued_on,
        due_on=row.due_on,
        days_late=row.days_late,
        owed=str(row.owed),
        last_reminder=row.last_step,
        last_sent_on=row.last_sent_on,
        next_step=row.next_step,
        taken_over=row.taken_over,
        default=row.default_status,
    )


def reminder_out(row: Reminder, number: str, currency: str) -> ReminderOut:
    return ReminderOut(
        id=row.id,
        invoice=number,
        step=row.step,
        sent_on=row.sent_on,
        days_late=row.days_late,
        owed=money(row.owed, currency),
        charged=row.charged,
        interest=money(row.interest, currency),
        compensation=money(row.compensation, currency),
        language=row.language,
        recipient=row.recipient,
        filename=row.filename,
        sent_by=row.sent_by,
    )


def _own_invoice(session: Any, principal: Principal, code: str, number: str) -> Any:
    """The invoice, if it is the entity's and the login reaches the entity."""
    entity = reachable_entity(session, principal, code)
    invoice = invoice_by_number(session, number)
    if invoice.entity_id != entity.id:
        raise NotFound("invoice", N_("no such invoice of this entity"), value=number)
    return invoice


def send(
    site: Site, principal: Principal, code: str, number: str, charge: bool | None, on: date
) -> Reminder:
    """Send the next reminder of one of the entity's invoices."""
    with transaction(site.sessions) as session:
        _own_invoice(session, principal, code, number)
        return reminders.send_reminder(
            session, site.coop, number, on=on, actor=principal.actor, charge=charge
        )


def propose(site: Site, principal: Principal, code: str, number: str, reason: str, on: date) -> Any:
    """Office staff propose one of the entity's invoices in default."""
    require_staff(principal, N_("propose an invoice in default"))
    with transaction(site.sessions) as session:
        _own_invoice(session, principal, code, number)
        return reminders.propose_default(
            session, site.coop, number, on=on, actor=principal.actor, reason=reason
        )


# --- API ------------------------------------------------------------------------------------
ERRORS = {404: problem_spec("no such entity or invoice among those the login reaches")}


class RemindersController(Controller):
    """An entity's late payers: overdue invoices, reminders, proposed defaults."""

    path = "/entities/{code:str}"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/overdue", operation_id="list_overdue_invoices", sync_to_thread=True)
    def list_overdue(self, code: CodePath, site: SiteDep, principal: Me) -> list[OverdueOut]:
        """The entity's overdue invoices, most days late first, with their last reminder."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            rows = reminders.overdue(session, site.coop, on=site.today(), entity_ids=[entity.id])
        return [overdue_out(r) for r in rows]

    @get(
        "/invoices/{number:str}/reminders",
        operation_id="list_reminders",
        sync_to_thread=True,
        responses=ERRORS,
    )
    def list_reminders(
        self, code: CodePath, number: NumberPath, site: SiteDep, principal: Me
    ) -> list[ReminderOut]:
        """The reminders sent on one of the entity's invoices, oldest first."""
        with site.sessions() as session:
            invoice = _own_invoice(session, principal, code, number)
            return [
                reminder_out(r, number, site.currency)
                for r in reminders.history(session, invoice.id)
            ]

    @post(
        "/invoices/{number:str}/reminders",
        operation_id="send_reminder",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=ERRORS,
    )
    def send_reminder(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[ReminderIn],
        site: SiteDep,
        principal: Me,
    ) -> ReminderOut:
        """Send the invoice's next reminder: a PDF in the client's language, emailed
        through the outbox; each step of the schedule once (409 once all were sent)."""
        on = day(site, data.on, "on")
        done = send(site, principal, code, number, data.charge, on)
        return reminder_out(done, number, site.currency)

    @post(
        "/invoices/{number:str}/default",
        operation_id="propose_default",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=ERRORS,
    )
    def propose_default(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[DefaultIn],
        site: SiteDep,
        principal: Me,
    ) -> DefaultOut:
        """Office staff propose the invoice in default, saying why: it waits for another
        staff login's validation, then the guarantee fund writes it off."""
        on = day(site, data.on, "on")
        row = propose(site, principal, code, number, data.reason, on)
        return DefaultOut(
            invoice=number,
            pending_id=row.id,
            status=row.status,
            amount=money(row.amount, site.currency),
        )


class OverdueController(Controller):
    """The overdue invoices of every entity the login reaches (an adviser: their
    office's)."""

    path = "/overdue"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_overdue_across_entities", sync_to_thread=True)
    def list_all(self, site: SiteDep, principal: Me) -> list[OverdueOut]:
        """Overdue invoices across the entities the login reaches, most days late first
        (office staff and administrators)."""
        require_staff(principal, N_("list the overdue invoices of several entities"))
        with site.sessions() as session:
            rows = reminders.overdue(
                session, site.coop, on=site.today(), scope=entity_scope(principal)
            )
        return [overdue_out(r) for r in rows]


CONTROLLERS = (RemindersController, OverdueController)


# --- pages ------------------------------------------------------------------------------------
def step_words(page: Page) -> dict[str, str]:
    """Each step of the schedule in the page's language."""
    _ = page.words.gettext
    return {
        "friendly": _("friendly reminder"),
        "second": _("second reminder"),
        "formal_notice": _("formal notice"),
    }


def _listing(
    page: Page, me: Principal, code: str | None, status: int = 200, **extra: Any
) -> Template:
    with page.site.sessions() as session:
        if code is None:
            require_staff(me, N_("list the overdue invoices of several entities"))
            entity = None
            rows = reminders.overdue(
                session, page.site.coop, on=page.site.today(), scope=entity_scope(me)
            )
        else:
            entity = reachable_entity(session, me, code)
            rows = reminders.overdue(
                session, page.site.coop, on=page.site.today(), entity_ids=[entity.id]
            )
    query = page.request.query_params
    done = {k: query.get(k) for k in ("sent", "proposed")}
    return page.render(
        "overdue.html",
        status=status,
        entity=entity,
        rows=rows,
        charge_by_default=page.site.coop.instance.reminders.charge_by_default,
        done={k: v for k, v in done.items() if v and len(v) <= 32},
        back=f"/entities/{code}/overdue" if code else "/overdue",
        step_words=step_words(page),
        **extra,
    )


@get("/entities/{code:str}/overdue", sync_to_thread=True)
def entity_overdue_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The entity's overdue invoices, each with its "send reminder" button."""
    return guarded(request, lambda page, me: _listing(page, me, code))


@get("/overdue", sync_to_thread=True)
def offices_overdue_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Overdue invoices across the entities of the adviser's office."""
    return guarded(request, lambda page, me: _listing(page, me, None))


def _act(
    request: Request[Any, Any, Any], code: str, number: str, data: dict[str, Any], what: str
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        back = str(data.get("back") or "")
        entity_code = None if back == "/overdue" else code
        on = page.site.today()
        try:
            if what == "sent":
                send(page.site, me, code, number, data.get("charge") == "yes", on)
            else:
                propose(page.site, me, code, number, str(data.get("reason") or "")[:500], on)
        except PartageError as exc:
            return _listing(page, me, entity_code, kind_of(exc).status, error=page.say(exc))
        target = "/overdue" if entity_code is None else f"/entities/{code}/overdue"
        return see(f"{target}?{urlencode({what: number})}")

    return guarded(request, build)


@post("/entities/{code:str}/invoices/{number:str}/remind", sync_to_thread=True)
def remind(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """Send an invoice's next reminder (the member chooses whether it claims charges)."""
    return _act(request, code, number, dict(data), "sent")


@post("/entities/{code:str}/invoices/{number:str}/default", sync_to_thread=True)
def propose_default_page(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """Office staff propose an invoice in default, with the reason."""
    return _act(request, code, number, dict(data), "proposed")


@get("/entities/{code:str}/invoices/{number:str}/reminders", sync_to_thread=True)
def reminders_page(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """The reminders sent on an invoice, each with its PDF."""

    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            invoice = _own_invoice(session, me, code, number)
            sent = reminders.history(session, invoice.id)
        return page.render(
            "reminders.html",
            code=code,
            invoice=invoice,
            sent=sent,
            step_words=step_words(page),
            minor=lambda units: from_minor(units, page.site.currency),
        )

    return guarded(request, build)


@get("/entities/{code:str}/invoices/{number:str}/reminders/{item:int}", sync_to_thread=True)
def reminder_pdf(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, item: ReminderPath
) -> Response[Any]:
    """Download a reminder's PDF, as it was sent."""

    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            invoice = _own_invoice(session, me, code, number)
            found = session.get(Reminder, item)
            if found is None or found.invoice_id != invoice.id:
                raise NotFound("reminder", N_("no such reminder of this invoice"), value=item)
            return Response(
                found.content,
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
            )

    return guarded(request, build)


PAGES = (
    entity_overdue_page,
    offices_overdue_page,
    remind,
    propose_default_page,
    reminders_page,
    reminder_pdf,
)
