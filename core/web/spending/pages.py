"""Pages of an entity's other economic acts, each a form on its own page reached from
the entity page's "Do" menu: a paper supplier invoice with its file, expenses with a
receipt per line, an invoice to another entity (and, on the buyer's side, its
acceptance or refusal), a copyright cession, a subsidy, a gift or a sponsorship.

Each act runs in one transaction through the spending services; a refused form is
shown again with the engine's message in the reader's language and everything typed
(a file must be chosen again: browsers never refill one), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import PathParameter
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.parties import party_scope, reachable_party
from partage.core.access.roles import Forbidden, Principal, reachable_entity
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_, PartageError
from partage.core.members.models import Entity, Party, PartyKind
from partage.core.platform.db.engine import transaction
from partage.core.spending import copyright, expenses, internal_invoices, other_income, purchases
from partage.core.spending.receipts import receipt_of
from partage.core.web.pages import (
    Form,
    MultipartForm,
    Page,
    PathStr,
    UrlForm,
    guarded,
    see,
    uploaded,
)
from partage.core.web.problems import kind_of
from partage.core.web.schemas import LARGEST_ID
from partage.core.web.spending import views
from partage.core.web.spending.acts import disposition

#: A purchase's id in a page's address.
ItemPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID)]
#: How many parties a form proposes to pick from (the others are typed by their code).
PARTIES_SHOWN = 200
#: How many receipts the expenses page offers at once.
EXPENSE_LINES = 5
#: The fields of each act's form kept when it is refused.
PURCHASE_FIELDS = (
    "supplier",
    "supplier_reference",
    "net",
    "category",
    "due_on",
    "description",
    "payment_reference",
)
EXPENSE_FIELDS = ("category", "net", "vat", "description")
INTERNAL_FIELDS = ("buyer", "amount", "description")
COPYRIGHT_FIELDS = ("work", "amount")
INCOME_FIELDS = ("kind", "funder", "amount", "reference", "description")


def _text(data: Form, field: str) -> str:
    return str(data.get(field) or "").strip()


def _amount(data: Form, field: str) -> str:
    return _text(data, field).replace(",", ".")


def _kept(data: Form | None, fields: tuple[str, ...]) -> dict[str, str]:
    return {k: _text(data or {}, k) for k in fields}


def _parties(session: Session, me: Principal, *kinds: PartyKind) -> list[tuple[str, str]]:
    """The parties a form proposes: those of the login's scope of ``kinds``, by name."""
    rows = session.execute(
        select(Party.code, Party.name)
        .where(party_scope(me), Party.kind.in_([k.value for k in kinds]))
        .order_by(Party.name, Party.code)
        .limit(PARTIES_SHOWN)
    ).all()
    return [(code, name) for code, name in rows]


def _member(me: Principal, what: str) -> int:
    if me.member_number is None:
        raise InvalidAct("member", N_("only a holder of the entity does this here"), value=what)
    return me.member_number


def _act_page(
    request: Request[Any, Any, Any],
    code: str,
    template: str,
    context: Callable[[Session, Page, Principal, Entity], dict[str, object]],
) -> Response[Any]:
    """A form page of an entity: the entity, then what ``context`` adds."""

    def build(page: Page, me: Principal) -> Response[Any]:
        return _render(page, me, code, template, context, {})

    return guarded(request, build)


def _render(
    page: Page,
    me: Principal,
    code: str,
    template: str,
    context: Callable[[Session, Page, Principal, Entity], dict[str, object]],
    extra: dict[str, object],
    status: int = 200,
) -> Template:
    with page.site.sessions() as session:
        entity = reachable_entity(session, me, code)
        found = context(session, page, me, entity)
    return page.render(template, status=status, entity=entity, **(found | extra))


def _refused(
    page: Page,
    me: Principal,
    code: str,
    template: str,
    context: Callable[[Session, Page, Principal, Entity], dict[str, object]],
    exc: PartageError,
    form: dict[str, Any],
) -> Template:
    return _render(
        page,
        me,
        code,
        template,
        context,
        {"error": page.say(exc), "field": exc.field, "form": form},
        kind_of(exc).status,
    )


# --- a paper supplier invoice --------------------------------------------------------
def _purchase_context(
    session: Session, page: Page, me: Principal, entity: Entity
) -> dict[str, object]:
    return {
        "suppliers": _parties(session, me, PartyKind.SUPPLIER, PartyKind.BOTH),
        "form": {"category": "purchases"},
    }


@get("/entities/{code:str}/purchases/new", sync_to_thread=True)
def purchase_form(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return _act_page(request, code, "act_purchase.html", _purchase_context)


@post("/entities/{code:str}/purchases/new", sync_to_thread=True)
def purchase_new(
    request: Request[Any, Any, Any], code: PathStr, data: MultipartForm
) -> Response[Any]:
    """Book a paper supplier invoice with its file; back to the entity's purchases."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = _kept(data, PURCHASE_FIELDS)
        try:
            receipt, name = uploaded(data, "receipt", site.limits.receipt_bytes, "receipt_bytes")
            due = _date(form["due_on"]) if form["due_on"] else None
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                reachable_party(session, me, form["supplier"])
                purchases.record_paper_purchase(
                    session,
                    site.coop,
                    entity=entity.code,
                    supplier=form["supplier"],
                    supplier_reference=form["supplier_reference"],
                    net=form["net"].replace(",", "."),
                    on=site.today(),
                    due_on=due,
                    actor=me.actor,
                    receipt_name=name,
                    receipt=receipt,
                    category=form["category"] or "purchases",
                    description=form["description"],
                    payment_reference=form["payment_reference"] or None,
                )
        except PartageError as exc:
            return _refused(page, me, code, "act_purchase.html", _purchase_context, exc, form)
        return see(f"/entities/{code}#purchases")

    return guarded(request, build)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAct(
            "due_on", N_("{item_a} is not a date (YYYY-MM-DD)"), item_a=repr(text)
        ) from None


@get("/entities/{code:str}/purchases/{item:int}/receipt", sync_to_thread=True)
def purchase_file(request: Request[Any, Any, Any], code: PathStr, item: ItemPath) -> Response[Any]:
    """The file a paper purchase was booked with, for its holders and their office."""

    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            entity = reachable_entity(session, me, code)
            if not views.purchases(session, page.site.coop, entity, ids=[item]):
                raise NotFound("purchase", N_("no such purchase"), value=item)
            kept = receipt_of(session, "purchase", item)
            return Response(
                kept.content,
                media_type=kept.media_type,
                headers={"Content-Disposition": disposition(kept.name)},
            )

    return guarded(request, build)


# --- expenses with several receipts -------------------------------------------------
def _expenses_context(
    session: Session, page: Page, me: Principal, entity: Entity
) -> dict[str, object]:
    categories = expenses.categories_in_force(session, page.site.coop, entity, page.site.today())
    return {
        "categories": categories,
        "labels": dict(categories),
        "claims": views.expense_claims(session, page.site.coop, entity)[:20],
        "rows": [{} for _ in range(EXPENSE_LINES)],
        "done": page.request.query_params.get("done"),
    }


@get("/entities/{code:str}/expenses/new", sync_to_thread=True)
def expenses_form(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return _act_page(request, code, "act_expenses.html", _expenses_context)


@post("/entities/{code:str}/expenses/new", sync_to_thread=True)
def expenses_new(
    request: Request[Any, Any, Any], code: PathStr, data: MultipartForm
) -> Response[Any]:
    """Claim the lines filled in, each with its own receipt, all or none."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        rows = [
            {k: _text(data, f"{k}_{n}") for k in EXPENSE_FIELDS}
            for n in range(1, EXPENSE_LINES + 1)
        ]
        try:
            lines = []
            for n, row in enumerate(rows, start=1):
                receipt, name = uploaded(
                    data, f"receipt_{n}", site.limits.receipt_bytes, "receipt_bytes"
                )
                if not row["net"] and not receipt:
                    continue
                lines.append(
                    expenses.ExpenseLine(
                        category=row["category"],
                        net=row["net"].replace(",", "."),
                        vat=row["vat"].replace(",", ".") or "0",
                        receipt_name=name,
                        receipt=receipt,
                        description=row["description"],
                    )
                )
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                claims = expenses.claim_expenses(
                    session,
                    site.coop,
                    entity=entity.code,
                    member=_member(me, "expenses"),
                    lines=lines,
                    on=site.today(),
                    actor=me.actor,
                )
        except PartageError as exc:
            return _render(
                page,
                me,
                code,
                "act_expenses.html",
                _expenses_context,
                {"error": page.say(exc), "field": exc.field, "rows": rows},
                kind_of(exc).status,
            )
        return see(f"/entities/{code}/expenses/new?done={len(claims)}")

    return guarded(request, build)


# --- internal invoices --------------------------------------------------------------
def _internal_context(
    session: Session, page: Page, me: Principal, entity: Entity
) -> dict[str, object]:
    return {"invoices": views.internal_invoices(session, page.site.coop, entity), "form": {}}


@get("/entities/{code:str}/internal-invoices", sync_to_thread=True)
def internal_list(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The invoices the entity sent to, or received from, other entities; those it
    received wait for its holder's decision here."""
    return _act_page(request, code, "internal_invoices.html", _internal_context)


@get("/entities/{code:str}/internal-invoices/new", sync_to_thread=True)
def internal_form(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return _act_page(request, code, "act_internal.html", _internal_context)


@post("/entities/{code:str}/internal-invoices/new", sync_to_thread=True)
def internal_new(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = _kept(data, INTERNAL_FIELDS)
        form["buyer"] = form["buyer"].upper()
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                internal_invoices.propose_internal_invoice(
                    session,
                    site.coop,
                    seller=entity.code,
                    buyer=form["buyer"],
                    amount=form["amount"].replace(",", "."),
                    description=form["description"],
                    on=site.today(),
                    actor=me.actor,
                )
        except PartageError as exc:
            return _refused(page, me, code, "act_internal.html", _internal_context, exc, form)
        return see(f"/entities/{code}/internal-invoices")

    return guarded(request, build)


@post("/entities/{code:str}/internal-invoices/{number:str}/decision", sync_to_thread=True)
def internal_decision(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """The buyer's holder accepts (the buyer's funds are checked, then committed) or
    refuses an invoice another entity sent."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                row = views.internal_invoice_of(session, entity, number)
                if row.buyer_id != entity.id or me.member_number is None:
                    raise Forbidden(
                        "internal invoice", N_("only a holder of the buyer entity decides")
                    )
                internal_invoices.decide_internal_invoice(
                    session,
                    site.coop,
                    number,
                    accept=_text(data, "decision") == "accept",
                    by_member=me.member_number,
                    on=site.today(),
                    actor=me.actor,
                    reason=_text(data, "reason")[:500],
                )
        except PartageError as exc:
            return _refused(page, me, code, "internal_invoices.html", _internal_context, exc, {})
        return see(f"/entities/{code}/internal-invoices")

    return guarded(request, build)


# --- copyright ----------------------------------------------------------------------
def _copyright_context(
    session: Session, page: Page, me: Principal, entity: Entity
) -> dict[str, object]:
    return {"form": {}, "done": page.request.query_params.get("done")}


@get("/entities/{code:str}/copyright/new", sync_to_thread=True)
def copyright_form(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return _act_page(request, code, "act_copyright.html", _copyright_context)


@post("/entities/{code:str}/copyright/new", sync_to_thread=True)
def copyright_new(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = _kept(data, COPYRIGHT_FIELDS)
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                row = copyright.cede_copyright(
                    session,
                    site.coop,
                    entity=entity.code,
                    member=_member(me, "copyright"),
                    work=form["work"],
                    amount=form["amount"].replace(",", "."),
                    on=site.today(),
                    actor=me.actor,
                )
                done = row.id
        except PartageError as exc:
            return _refused(page, me, code, "act_copyright.html", _copyright_context, exc, form)
        return see(f"/entities/{code}/copyright/new?done={done}")

    return guarded(request, build)


# --- subsidies, gifts, sponsorship --------------------------------------------------
def _income_context(
    session: Session, page: Page, me: Principal, entity: Entity
) -> dict[str, object]:
    return {
        "funders": _parties(session, me, PartyKind.CLIENT, PartyKind.BOTH, PartyKind.SUPPLIER),
        "form": {"kind": "subsidy"},
        "done": page.request.query_params.get("done"),
    }


@get("/entities/{code:str}/income/new", sync_to_thread=True)
def income_form(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return _act_page(request, code, "act_income.html", _income_context)


@post("/entities/{code:str}/income/new", sync_to_thread=True)
def income_new(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """A subsidy or gift waits for staff; a sponsorship is invoiced at once."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = _kept(data, INCOME_FIELDS)
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                reachable_party(session, me, form["funder"])
                if form["kind"] == "sponsorship":
                    _, number = other_income.invoice_sponsorship(
                        session,
                        site.coop,
                        entity=entity.code,
                        sponsor=form["funder"],
                        amount=form["amount"].replace(",", "."),
                        description=form["description"],
                        on=site.today(),
                        actor=me.actor,
                    )
                    done = number
                else:
                    other_income.record_other_income(
                        session,
                        site.coop,
                        kind=form["kind"],
                        entity=entity.code,
                        funder=form["funder"],
                        amount=form["amount"].replace(",", "."),
                        on=site.today(),
                        actor=me.actor,
                        reference_=form["reference"],
                    )
                    done = ""
        except PartageError as exc:
            return _refused(page, me, code, "act_income.html", _income_context, exc, form)
        if done:
            return see(f"/entities/{code}/income/new?done={done}")
        return see(f"/entities/{code}#pending-acts")

    return guarded(request, build)


PAGES = (
    purchase_form,
    purchase_new,
    purchase_file,
    expenses_form,
    expenses_new,
    internal_list,
    internal_form,
    internal_new,
    internal_decision,
    copyright_form,
    copyright_new,
    income_form,
    income_new,
)
