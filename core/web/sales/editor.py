"""Pages where an entity's holders make quotes and invoices as people do: several
lines, each with its unit, VAT rate and discount, a discount on the whole document and
free text; then, from a quote, the client's answer, deposits and the balance; from an
invoice, a credit note, a payment received in cash or by cheque, and its files.

A form is read into the same services the API calls, in one transaction; a refused
form is shown again as typed, with the engine's sentence naming the field. The client
is picked in one partial template (``document_client.html``) among the parties the login
may see (:func:`partage.core.access.parties.party_scope`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get, post
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.parties import party_scope, reachable_party
from partage.core.access.roles import Forbidden, Principal, entity_scope, reachable_entity
from partage.core.acts.cooperative import ActError, InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.members.models import Entity, Office, Party, PartyKind
from partage.core.platform.db.engine import transaction
from partage.core.sales import credit_notes, drafts, invoices, payments
from partage.core.sales.invoices import UNITS, Discount, LineInput, quote_lines
from partage.core.sales.models import (
    DocumentDraft,
    DraftStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Quote,
    QuoteStatus,
)
from partage.core.web.pages import Form, Page, PathStr, UrlForm, guarded, see
from partage.core.web.sales.schemas import DraftPath
from partage.core.web.sales.views import entity_quote, own_invoice

#: The descriptions of a deposit's lines and of a balance's deductions, translated for
#: the page's language (the document is written in it).
DEPOSIT_WORDING = N_("Deposit ({share}) on quote {reference}")
DEDUCTION_WORDING = N_("Deposit invoiced on {number}")
#: How many line rows the editor shows at least (without JavaScript a member adds more
#: with the "More lines" button, which shows the form again with ``ADDED_ROWS`` more);
#: empty rows are left out.
LINE_ROWS = 5
ADDED_ROWS = 3
#: The highest row index read from a form: a bound on what a hostile form can make the
#: server walk through, far above any real document.
MAX_ROWS = 300
KINDS = ("quote", "invoice")


@dataclass(frozen=True)
class RateChoice:
    """A VAT rate the country has in force, as the editor offers it."""

    code: str
    label: str
    rate: Decimal = Decimal(0)


def rate_choices(page: Page, on: date, among: frozenset[Decimal] | None = None) -> list[RateChoice]:
    """The country's VAT rates in force on ``on``, standard first (the plugin's hook);
    only those ``among`` the given rates when given (a credit note carries the rates of
    the invoice it credits). The fraction goes with each so the page's script can show
    the totals as one types."""
    rates = page.site.coop.plugins.hook.partage_vat_rates(on=on) or ()
    return [
        RateChoice(rate.code, rate.label, rate.rate)
        for rate in rates
        if among is None or Decimal(rate.rate) in among
    ]


def client_choices(session: Session, me: Principal) -> list[Party]:
    """The parties the login may invoice: those it sees, suppliers only left out."""
    return list(
        session.scalars(
            select(Party)
            .where(party_scope(me), Party.kind != PartyKind.SUPPLIER.value)
            .order_by(Party.name)
            .limit(500)
        )
    )


def recent_clients(session: Session, entity: Entity, clients: list[Party]) -> list[Party]:
    """The entity's last invoiced or quoted clients, most recent first (at most five),
    among ``clients``: a member invoices the same few clients again and again, so the
    editor offers them before the whole list."""
    seen = {party.id: party for party in clients}
    recent: list[Party] = []
    for model in (Invoice, Quote):
        ids = session.scalars(
            select(model.party_id)
            .where(model.entity_id == entity.id)
            .order_by(model.id.desc())
            .limit(20)
        )
        for party_id in ids:
            party = seen.get(party_id)
            if party is not None and party not in recent:
                recent.append(party)
    return recent[:5]


def discount_of(text: object, field: str) -> Discount:
    """A discount as typed in one box: ``"10 %"`` is a percentage, ``"25.00"`` an
    amount; empty is none."""
    raw = str(text or "").strip().replace(",", ".").replace(" ", "")
    if not raw:
        return Discount()
    if raw.endswith("%"):
        return Discount(percent=raw[:-1])
    return Discount(amount=raw)


def row_indexes(data: Form) -> list[int]:
    """The row numbers a form carries (``description_3`` is row 3), in order: rows added
    by the page's script or removed from it leave gaps, which are harmless."""
    found = set()
    for key in data:
        name, _, number = str(key).rpartition("_")
        if name in ("description", "unit_price") and number.isdigit() and int(number) < MAX_ROWS:
            found.add(int(number))
    return sorted(found)


def shown_rows(data: Form) -> range:
    """The rows the editor shows for ``data``: every row it holds and one empty row at
    least, ``LINE_ROWS`` at least, and ``ADDED_ROWS`` more when the member asked for
    more lines (the button that works without JavaScript)."""
    filled = [
        row
        for row in row_indexes(data)
        if str(data.get(f"description_{row}") or "").strip()
        or str(data.get(f"unit_price_{row}") or "").strip()
    ]
    last = filled[-1] + 1 if filled else 0
    if data.get("action") == "rows":
        return range(min(MAX_ROWS, max(LINE_ROWS, last) + ADDED_ROWS))
    return range(max(LINE_ROWS, last + 1))


def lines_of(data: Form) -> list[LineInput]:
    """The filled line rows of the editor."""
    lines = []
    for row in row_indexes(data):
        description = str(data.get(f"description_{row}") or "").strip()
        price = str(data.get(f"unit_price_{row}") or "").strip()
        if not description and not price:
            continue
        discount = discount_of(data.get(f"discount_{row}"), f"lines[{row + 1}].discount")
        lines.append(
            LineInput(
                description,
                str(data.get(f"quantity_{row}") or "").strip().replace(",", "."),
                price.replace(",", "."),
                rate_code=str(data.get(f"rate_{row}") or "") or None,
                supply=str(data.get(f"supply_{row}") or "services"),
                unit=str(data.get(f"unit_{row}") or "unit"),
                discount_percent=discount.percent,
                discount_amount=discount.amount,
            )
        )
    return lines


def _editor(
    page: Page, me: Principal, code: str, kind: str, form: Form, status: int = 200, **extra: Any
) -> Response[Any]:
    today = page.site.today()
    with page.site.sessions() as session:
        entity = reachable_entity(session, me, code)
        clients = client_choices(session, me)
        recent = recent_clients(session, entity, clients)
        validates = session.get_one(Office, entity.office_id).validates_documents
    extra.setdefault("action", f"/entities/{code}/{kind}s/new")
    return page.render(
        "document_editor.html",
        status=status,
        entity=entity,
        kind=kind,
        form=form,
        rows=shown_rows(form),
        recent=recent,
        units=list(UNITS),
        rates=rate_choices(page, today),
        today=today,
        clients=clients,
        validates=validates,
        **extra,
    )


def _new_page(request: Request[Any, Any, Any], code: str, kind: str) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        form = {"quantity_0": "1", "client": request.query_params.get("client", "")}
        return _editor(page, me, code, kind, form)

    return guarded(request, build)


@get("/entities/{code:str}/quotes/new", sync_to_thread=True)
def new_quote(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The quote editor."""
    return _new_page(request, code, "quote")


@get("/entities/{code:str}/invoices/new", sync_to_thread=True)
def new_invoice(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The invoice editor."""
    return _new_page(request, code, "invoice")


def supplied_of(data: Form) -> date | None:
    """The day of supply an invoice form gives (blank: supplied on the invoice's date);
    refuses what is not a day, naming the field."""
    text = str(data.get("supplied_on") or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAct(
            "supplied_on", N_("{text} is not a day (YYYY-MM-DD)"), text=repr(text)
        ) from None


def _create(request: Request[Any, Any, Any], code: str, kind: str, data: Form) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        if data.get("action") == "rows":
            return _editor(page, me, code, kind, data)
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                client = str(data.get("client") or "")
                if data.get("action") == "draft":
                    draft = drafts.save_draft(
                        session, site.coop, entity=entity.code, kind=kind,
                        client=client or None, lines=lines_of(data), actor=me.actor,
                        discount=discount_of(data.get("discount"), "discount") or None,
                        notes=str(data.get("notes") or ""), supplied_on=supplied_of(data),
                    )  # fmt: skip
                    return see(f"/entities/{code}/drafts/{draft.id}")
                reachable_party(session, me, client)
                if session.get_one(Office, entity.office_id).validates_documents:
                    draft = drafts.save_draft(
                        session, site.coop, entity=entity.code, kind=kind, client=client,
                        lines=lines_of(data), actor=me.actor,
                        discount=discount_of(data.get("discount"), "discount") or None,
                        notes=str(data.get("notes") or ""), supplied_on=supplied_of(data),
                    )  # fmt: skip
                    drafts.submit_draft(
                        session, site.coop, draft.id, on=site.today(), actor=me.actor
                    )
                    return see(f"/entities/{code}/drafts/{draft.id}")
                common: dict[str, Any] = {
                    "entity": entity.code,
                    "client": client,
                    "lines": lines_of(data),
                    "on": site.today(),
                    "actor": me.actor,
                    "discount": discount_of(data.get("discount"), "discount") or None,
                    "notes": str(data.get("notes") or ""),
                }
                if kind == "quote":
                    made = invoices.send_quote(session, site.coop, **common).reference
                else:
                    made = invoices.issue_invoice(
                        session, site.coop, **common, supplied_on=supplied_of(data)
                    ).number
        except (ActError, Forbidden) as exc:
            return _editor(
                page, me, code, kind, data, status=422, error=page.say(exc), field=exc.field
            )
        return see(f"/entities/{code}/{kind}s/{made}")

    return guarded(request, build)


@post("/entities/{code:str}/quotes/new", sync_to_thread=True)
def create_quote(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Send the quote the editor holds."""
    return _create(request, code, "quote", data)


@post("/entities/{code:str}/invoices/new", sync_to_thread=True)
def create_invoice(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Issue the invoice the editor holds."""
    return _create(request, code, "invoice", data)


# --- a quote ---------------------------------------------------------------------------
def _quote_page(
    page: Page, me: Principal, code: str, reference: str, status: int = 200, **extra: Any
) -> Response[Any]:
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        quote = entity_quote(session, entity, reference)
        client = session.get_one(Party, quote.party_id)
        progress = invoices.quote_progress(session, site.coop, reference)
    return page.render(
        "quote_view.html",
        status=status,
        entity=entity,
        quote=quote,
        client=client,
        lines=quote_lines(quote),
        progress=progress,
        net=from_minor(quote.net, site.currency),
        vat=from_minor(quote.vat, site.currency),
        total=from_minor(quote.total, site.currency),
        discount=invoices.stored_discount(quote, site.currency),
        accepted=quote.status == QuoteStatus.ACCEPTED,
        open=quote.status == QuoteStatus.SENT,
        **extra,
    )


@get("/entities/{code:str}/quotes/{reference:str}", sync_to_thread=True)
def quote_view(request: Request[Any, Any, Any], code: PathStr, reference: PathStr) -> Response[Any]:
    """A quote: its lines and totals, what has been invoiced of it, and what to do next."""

    def build(page: Page, me: Principal) -> Response[Any]:
        return _quote_page(page, me, code, reference)

    return guarded(request, build)


def _quote_act(
    request: Request[Any, Any, Any], code: str, reference: str, act: Any
) -> Response[Any]:
    """Run ``act(session, site, me, gettext)`` on one of the entity's quotes; show the quote
    again with the refusal, or go where the act leads."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            with transaction(page.site.sessions) as session:
                entity = reachable_entity(session, me, code)
                entity_quote(session, entity, reference)
                target = act(session, page.site, me, page.words.gettext)
        except ActError as exc:
            return _quote_page(
                page, me, code, reference, status=422, error=page.say(exc), field=exc.field
            )
        return see(target)

    return guarded(request, build)


@post("/entities/{code:str}/quotes/{reference:str}/decision", sync_to_thread=True)
def quote_decision(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr, data: UrlForm
) -> Response[Any]:
    """Record the client's answer."""

    def act(session: Session, site: Any, me: Principal, say: Any) -> str:
        invoices.decide_quote(
            session, site.coop, reference, accept=data.get("answer") == "accept",
            on=site.today(), actor=me.actor,
        )  # fmt: skip
        return f"/entities/{code}/quotes/{reference}"

    return _quote_act(request, code, reference, act)


@post("/entities/{code:str}/quotes/{reference:str}/deposit", sync_to_thread=True)
def quote_deposit(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr, data: UrlForm
) -> Response[Any]:
    """Invoice a deposit on the accepted quote."""

    def act(session: Session, site: Any, me: Principal, say: Any) -> str:
        given = discount_of(data.get("deposit"), "deposit")
        invoice = invoices.issue_deposit(
            session, site.coop, quote=reference, on=site.today(), actor=me.actor,
            percent=given.percent, amount=given.amount,
            wording=say(DEPOSIT_WORDING),
        )  # fmt: skip
        return f"/entities/{code}/invoices/{invoice.number}"

    return _quote_act(request, code, reference, act)


@post("/entities/{code:str}/quotes/{reference:str}/balance", sync_to_thread=True)
def quote_balance(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr
) -> Response[Any]:
    """Invoice the balance of the accepted quote, less its deposits."""

    def act(session: Session, site: Any, me: Principal, say: Any) -> str:
        invoice = invoices.issue_balance(
            session, site.coop, quote=reference, on=site.today(), actor=me.actor,
            wording=say(DEDUCTION_WORDING),
        )  # fmt: skip
        return f"/entities/{code}/invoices/{invoice.number}"

    return _quote_act(request, code, reference, act)


# --- an invoice ------------------------------------------------------------------------
def _invoice_page(
    page: Page, me: Principal, code: str, number: str, status: int = 200, **extra: Any
) -> Response[Any]:
    site = page.site
    with site.sessions() as session:
        entity: Entity = reachable_entity(session, me, code)
        own_invoice(session, entity, number)
        invoice = invoices.invoice_by_number(session, number)
        client = session.get_one(Party, invoice.party_id)
        rows = session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
        ).all()
        owed = payments.outstanding(session, invoice, site.currency)
        notes = session.scalars(
            select(Invoice.number).where(Invoice.credits_id == invoice.id).order_by(Invoice.id)
        ).all()
    lines = [
        {
            "description": r.description,
            "quantity": format(Decimal(r.quantity).normalize(), "f"),
            "unit": r.unit,
            "unit_price": from_minor(r.unit_price, site.currency),
            "allowance": from_minor(r.allowance, site.currency),
            "percent": r.discount_percent,
            "rate": format((Decimal(r.vat_rate) * 100).normalize(), "f"),
            "net": from_minor(r.net, site.currency),
        }
        for r in rows
    ]
    return page.render(
        "invoice_view.html",
        status=status,
        entity=entity,
        invoice=invoice,
        client=client,
        lines=lines,
        key=secrets.token_hex(12),
        rates=rate_choices(page, invoice.issued_on, frozenset(Decimal(r.vat_rate) for r in rows)),
        credit_note=invoice.kind == InvoiceKind.CREDIT_NOTE,
        credit_notes=notes,
        net=from_minor(invoice.net, site.currency),
        vat=from_minor(invoice.vat, site.currency),
        total=from_minor(invoice.total, site.currency),
        owed=owed,
        discount=invoices.stored_discount(invoice, site.currency),
        **extra,
    )


@get("/entities/{code:str}/invoices/{number:str}", sync_to_thread=True)
def invoice_view(request: Request[Any, Any, Any], code: PathStr, number: PathStr) -> Response[Any]:
    """An invoice: its lines and totals, what is owed, and what to do next."""

    def build(page: Page, me: Principal) -> Response[Any]:
        return _invoice_page(page, me, code, number)

    return guarded(request, build)


def _invoice_act(
    request: Request[Any, Any, Any], code: str, number: str, act: Any
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            with transaction(page.site.sessions) as session:
                entity = reachable_entity(session, me, code)
                own_invoice(session, entity, number)
                target = act(session, page.site, me)
        except (ActError, Forbidden) as exc:
            return _invoice_page(
                page, me, code, number, status=422, error=page.say(exc), field=exc.field
            )
        return see(target)

    return guarded(request, build)


@post("/entities/{code:str}/invoices/{number:str}/credit-note", sync_to_thread=True)
def invoice_credit_note(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """Credit the invoice in full, or by an amount excluding VAT at one of its rates."""

    def act(session: Session, site: Any, me: Principal) -> str:
        reason = str(data.get("reason") or "")
        lines = None
        if data.get("extent") == "part":
            lines = [
                LineInput(
                    reason.strip() or "-",
                    "1",
                    str(data.get("amount") or "").strip().replace(",", "."),
                    rate_code=str(data.get("rate") or "") or None,
                )
            ]
        note = credit_notes.issue_credit_note(
            session, site.coop, invoice=number, on=site.today(), actor=me.actor,
            reason=reason, lines=lines,
        )  # fmt: skip
        return f"/entities/{code}/invoices/{note.number}"

    return _invoice_act(request, code, number, act)


@post("/entities/{code:str}/invoices/{number:str}/payment", sync_to_thread=True)
def invoice_payment(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """Declare cash or a cheque received for the invoice: it waits for staff. A bank
    transfer is not declared: the bank statement brings it."""

    def act(session: Session, site: Any, me: Principal) -> str:
        method = str(data.get("method") or "")
        if method not in payments.DECLARED:
            raise InvalidAct(
                "method", N_("declare cash or a cheque; a transfer comes with the bank statement")
            )
        invoice = invoices.invoice_by_number(session, number)
        client = session.get_one(Party, invoice.party_id)
        amount = str(data.get("amount") or "").strip().replace(",", ".")
        payments.receive_payment(
            session, site.coop, key=str(data.get("key") or "")[:100],
            entity=code, client=client.code, amount=amount, on=site.today(), actor=me.actor,
            method=method, allocations=[(number, amount)] if amount else None,
            reference=str(data.get("reference") or "")[:100],
        )  # fmt: skip
        return f"/entities/{code}#pending-acts"

    return _invoice_act(request, code, number, act)


# --- drafts ---------------------------------------------------------------------------
def draft_form(draft: DocumentDraft, client: str) -> Form:
    """A draft as the editor's form holds it."""
    lines, discount, notes = drafts.content_of(draft)
    form: Form = {"client": client, "notes": notes}
    supplied = drafts.supply_of(draft)
    if supplied is not None:
        form["supplied_on"] = supplied.isoformat()
    if discount.percent:
        form["discount"] = f"{discount.percent} %"
    elif discount.amount:
        form["discount"] = str(discount.amount)
    for row, line in enumerate(lines[:MAX_ROWS]):
        off = f"{line.discount_percent} %" if line.discount_percent else line.discount_amount
        form |= {
            f"description_{row}": line.description, f"quantity_{row}": str(line.quantity),
            f"unit_{row}": line.unit, f"unit_price_{row}": str(line.unit_price),
            f"rate_{row}": line.rate_code or "", f"supply_{row}": line.supply,
            f"discount_{row}": off or "",
        }  # fmt: skip
    return form


def _draft_page(
    page: Page, me: Principal, code: str, draft_id: int, status: int = 200, **extra: Any
) -> Response[Any]:
    with page.site.sessions() as session:
        entity = reachable_entity(session, me, code)
        draft = drafts.draft_of(session, draft_id)
        if draft.entity_id != entity.id:
            raise NotFound("draft", N_("no such draft"), value=str(draft_id))
        client = session.get(Party, draft.party_id) if draft.party_id else None
        session.expunge(draft)
    if draft.status == DraftStatus.ISSUED and draft.issued:
        return see(f"/entities/{code}/{draft.kind}s/{draft.issued}")
    form = extra.pop("form", None) or draft_form(draft, client.code if client else "")
    return _editor(
        page, me, code, draft.kind, form, status=status, draft=draft,
        action=f"/entities/{code}/drafts/{draft.id}", **extra,
    )  # fmt: skip


@get("/entities/{code:str}/drafts/{draft_id:int}", sync_to_thread=True)
def draft_view(
    request: Request[Any, Any, Any], code: PathStr, draft_id: DraftPath
) -> Response[Any]:
    """A draft in the editor, with its status and the reason it came back, if it did."""

    def build(page: Page, me: Principal) -> Response[Any]:
        return _draft_page(page, me, code, draft_id)

    return guarded(request, build)


@post("/entities/{code:str}/drafts/{draft_id:int}", sync_to_thread=True)
def draft_save(
    request: Request[Any, Any, Any], code: PathStr, draft_id: DraftPath, data: UrlForm
) -> Response[Any]:
    """Save the draft again, or submit it (to the office, or issued at once)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        if data.get("action") == "rows":
            return _draft_page(page, me, code, draft_id, form=data)
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                draft = drafts.draft_of(session, draft_id)
                if draft.entity_id != entity.id:
                    raise NotFound("draft", N_("no such draft"), value=str(draft_id))
                client = str(data.get("client") or "")
                if client:
                    reachable_party(session, me, client)
                drafts.save_draft(
                    session, site.coop, entity=entity.code, kind=draft.kind,
                    client=client or None, lines=lines_of(data), actor=me.actor,
                    discount=discount_of(data.get("discount"), "discount") or None,
                    notes=str(data.get("notes") or ""), draft_id=draft_id,
                    supplied_on=supplied_of(data),
                )  # fmt: skip
                if data.get("action") != "draft":
                    drafts.submit_draft(
                        session, site.coop, draft_id, on=site.today(), actor=me.actor
                    )
        except (ActError, Forbidden) as exc:
            return _draft_page(
                page, me, code, draft_id, status=422, error=page.say(exc), field=exc.field,
                form=data,
            )  # fmt: skip
        return see(f"/entities/{code}/drafts/{draft_id}")

    return guarded(request, build)


@get("/drafts", sync_to_thread=True)
def drafts_awaiting(request: Request[Any, Any, Any]) -> Response[Any]:
    """The drafts awaiting the validation of the login's office."""

    def build(page: Page, me: Principal) -> Response[Any]:
        if not me.is_staff:
            raise Forbidden("role", N_("drafts are validated by the office's staff"))
        with page.site.sessions() as session:
            reached = list(session.scalars(select(Entity.id).where(entity_scope(me))))
            rows = []
            for draft in drafts.awaiting(session, reached):
                lines, discount, notes = drafts.content_of(draft)
                rows.append({
                    "draft": draft,
                    "entity": session.get_one(Entity, draft.entity_id),
                    "client": session.get(Party, draft.party_id) if draft.party_id else None,
                    "lines": lines, "notes": notes, "discount": discount,
                })  # fmt: skip
        return page.render("drafts.html", rows=rows)

    return guarded(request, build)


def _decide(
    request: Request[Any, Any, Any], draft_id: int, data: Form, validate: bool
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            if not me.is_staff:
                raise Forbidden("role", N_("drafts are validated by the office's staff"))
            with transaction(site.sessions) as session:
                draft = drafts.draft_of(session, draft_id)
                reachable_entity(session, me, session.get_one(Entity, draft.entity_id).code)
                if validate:
                    drafts.validate_draft(
                        session, site.coop, draft_id, on=site.today(), actor=me.actor
                    )
                else:
                    drafts.return_draft(
                        session, draft_id, reason=str(data.get("reason") or ""), actor=me.actor
                    )
        except (ActError, Forbidden) as exc:
            return page.render(
                "drafts.html", status=422, rows=[], error=page.say(exc), field=exc.field
            )
        return see("/drafts")

    return guarded(request, build)


@post("/drafts/{draft_id:int}/validate", sync_to_thread=True)
def draft_validate(
    request: Request[Any, Any, Any], draft_id: DraftPath, data: UrlForm
) -> Response[Any]:
    """Validate a draft: it is issued now, numbered."""
    return _decide(request, draft_id, data, True)


@post("/drafts/{draft_id:int}/return", sync_to_thread=True)
def draft_return(
    request: Request[Any, Any, Any], draft_id: DraftPath, data: UrlForm
) -> Response[Any]:
    """Return a draft to its holder with the reason."""
    return _decide(request, draft_id, data, False)


PAGES = (
    draft_view,
    draft_save,
    drafts_awaiting,
    draft_validate,
    draft_return,
    new_quote,
    new_invoice,
    create_quote,
    create_invoice,
    quote_view,
    quote_decision,
    quote_deposit,
    quote_balance,
    invoice_view,
    invoice_credit_note,
    invoice_payment,
)
