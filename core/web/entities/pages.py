"""Pages of entities: the list a login may see, and an entity's page — its dashboard,
its latest quotes, invoices and supplier documents — with the upload of a supplier's
e-invoice, whose refusal shows the page again with every finding."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_currency
from litestar import Request, Response, get, post
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.parties import reachable_party
from partage.core.access.roles import Principal, listing_scope, reachable_entity
from partage.core.acts.cooperative import InvalidAct
from partage.core.acts.models import PendingStatus
from partage.core.banking import pending as decisions
from partage.core.contract.errors import PartageError
from partage.core.documents import importing
from partage.core.documents.importing import ImportRefused
from partage.core.members.models import Entity
from partage.core.platform.db.engine import transaction
from partage.core.sales import payments
from partage.core.sales.models import InvoiceKind
from partage.core.web import charts
from partage.core.web.entities import document_pages, documents, listing, overview, views
from partage.core.web.i18n import N_
from partage.core.web.pages import (
    MultipartForm,
    Page,
    PathStr,
    UrlForm,
    guarded,
    see,
    uploaded,
)
from partage.core.web.problems import kind_of
from partage.core.web.spending import schemas as spending_s
from partage.core.web.spending import views as spending_views


@get("/entities", sync_to_thread=True)
def entities_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The staff's workspace: what needs them first, then their entities, searched,
    filtered, sorted and paged (the ethics committee: names and kinds only)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        scope = listing_scope(me)
        site = page.site
        params = request.query_params
        asked = {k: str(params.get(k) or "") for k in listing.ASKED}
        error: str | None = None
        try:
            query = listing.query_of(*(asked[k] or None for k in listing.ASKED))
        except PartageError as exc:
            query, error = listing.Query(), page.say(exc)
        with site.sessions() as session:
            found = listing.search(session, site.coop, me, scope, query, site.today())
            needs = listing.needs(session, me, site.today()) if me.is_staff else None
            kinds = sorted(session.scalars(select(Entity.kind).where(scope).distinct()))
        return page.render(
            "entities.html",
            status=422 if error else 200,
            found=found,
            needs=needs,
            kinds=kinds,
            asked=asked,
            error=error,
            page_link=lambda number: (
                "/entities?" + urlencode({**{k: v for k, v in asked.items() if v}, "page": number})
            ),
        )

    return guarded(request, build)


#: How many supplier documents the entity page lists, the newest first (the API: all).
PURCHASES_SHOWN = 20
#: The categories a supplier document may be booked in, as the upload form offers them.
PURCHASE_CATEGORIES = ("purchases", "expenses")


def _entity_view(page: Page, me: Principal, code: str, status: int = 200, **extra: Any) -> Template:
    """The entity page; ``extra`` carries a refused upload's error or findings."""
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        board = views.dashboard(
            session, site.coop, entity, site.today(), site.fiscal_year_start_month
        )
        lists = document_pages.latest(session, site, entity)
        view = overview.overview(session, site.currency, entity, board, site.today())
        bought = spending_views.purchases(session, site.coop, entity, limit=PURCHASES_SHOWN)
        waiting = decisions.listing(
            session, site.coop, entity_ids=[entity.id], statuses=[PendingStatus.PENDING]
        )
        notice = _import_notice(page, session, entity) if status == 200 else None
    return page.render(
        "entity.html",
        status=status,
        board=board,
        code=board.entity.code,
        lists=documents.LISTS,
        latest=lists,
        row_links={
            name: document_pages.row_link(listing, board.entity.code)
            for name, listing in documents.LISTS.items()
        },
        plain=overview.sentences(view, board, page.words.gettext, page.words.amount),
        charts=_charts(page, view, board),
        purchases=bought,
        waiting=waiting,
        cash_key=uuid.uuid4().hex,
        notice=notice,
        **extra,
    )


def _charts(page: Page, view: overview.Overview, board: Any) -> dict[str, Markup]:
    """The entity page's charts: funds at each month's end, invoiced against received
    per month, and what the guarantee adds to the funds."""
    say, show = page.words.gettext, page.words.amount
    months = [f"{m:%Y-%m}" for m in view.months]
    return {
        "funds": charts.columns(
            months,
            [(say(N_("Available funds")), "#2f6f9f", view.funds)],
            title=say(N_("Available funds at the end of each month")),
            show=show,
        ),
        "sales": charts.columns(
            months,
            [
                (say(N_("Invoiced")), "#2f6f9f", view.invoiced),
                (say(N_("Received")), "#3c8d4f", view.received),
            ],
            title=say(N_("Invoiced and received per month")),
            show=show,
        ),
        "guarantee": charts.bars(
            [
                (say(N_("Your funds")), Decimal(board.available_funds)),
                (say(N_("Guarantee cover")), Decimal(board.guarantee_coverage)),
                (say(N_("You can commit today")), Decimal(board.headroom)),
            ],
            title=say(N_("What the guarantee covers")),
            colour="#2f6f9f",
            show=show,
        ),
    }


def _import_notice(page: Page, session: Session, entity: Entity) -> str | None:
    """What the upload that led here booked, read back from the books: the address
    carries purchase ids only (``?imported=12,13``), never a text to show."""
    query = page.request.query_params
    given = str(query.get("imported") or "").split(",")[:PURCHASES_SHOWN]
    ids = [int(x) for x in given if x.isascii() and x.isdigit() and len(x) <= 9]
    if not ids:
        return None
    rows = spending_views.purchases(session, page.site.coop, entity, ids=ids)
    if not rows:
        return None
    words = page.words
    facts = {
        "number": ", ".join(sorted(r.supplier_reference for r in rows)),
        "supplier": rows[0].supplier_name,
        "total": words.amount(sum((Decimal(r.total) for r in rows), Decimal(0))),
    }
    if query.get("replayed") == "1":
        text = N_("%(number)s of %(supplier)s was imported before: nothing was booked.")
    elif rows[0].pending:
        text = N_(
            "Credit note %(number)s of %(supplier)s received: %(total)s, VAT included. "
            "It names no invoice in your books, so it counts once staff of your office "
            "validate it."
        )
    elif rows[0].kind == InvoiceKind.CREDIT_NOTE.value:
        text = N_("Credit note %(number)s of %(supplier)s booked: %(total)s, VAT included.")
    else:
        text = N_("Invoice %(number)s of %(supplier)s booked: %(total)s, VAT included.")
    return " ".join([words.gettext(text) % facts, *_foreign_notice(page, rows)])


def _foreign_notice(page: Page, rows: list[spending_s.PurchaseOut]) -> list[str]:
    """What a supplier document from abroad changed: the currency it was converted
    from at the ECB rate, and the VAT of another country booked as a cost."""
    words, said = page.words, []
    converted = [r for r in rows if r.currency and r.original_total is not None]
    if converted:
        first = converted[0]
        original = sum((Decimal(r.original_total or 0) for r in converted), Decimal(0))
        text = N_(
            "Converted from %(original)s at the ECB reference rate of %(day)s: "
            "%(rate)s %(currency)s for one %(books)s."
        )
        said.append(
            words.gettext(text)
            % {
                # The code, not a symbol: "$" alone does not say which dollar.
                "original": format_currency(
                    original, first.currency or "", "#,##0.00\u00a0¤¤", locale=words.language
                ),
                "day": words.day(first.exchange_rate_on),
                "rate": first.exchange_rate,
                "currency": first.currency,
                "books": page.site.currency,
            }
        )
    foreign = [r for r in rows if r.foreign_vat]
    if foreign:
        text = N_(
            "The supplier charged %(country)s VAT of %(amount)s: it is not deductible "
            "here, so it is booked as a cost, and your office's advisers are told."
        )
        said.append(
            words.gettext(text)
            % {
                "country": foreign[0].foreign_vat_country,
                "amount": words.amount(sum(Decimal(r.foreign_vat or 0) for r in foreign)),
            }
        )
    return said


@get("/entities/{code:str}", sync_to_thread=True)
def entity_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return guarded(request, lambda page, me: _entity_view(page, me, code))


@post("/entities/{code:str}/purchases/import", sync_to_thread=True)
def import_purchase(
    request: Request[Any, Any, Any], code: PathStr, data: MultipartForm
) -> Response[Any]:
    """Book a supplier's e-invoice or credit note uploaded from the entity page, then go
    back to it with what was booked; a refusal shows the page again with every finding
    (rule, place, message), and nothing is booked."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        category = str(data.get("category") or "") or None
        try:
            content, _name = uploaded(data, "file", site.limits.einvoice_bytes, "einvoice_bytes")
            if category is not None and category not in PURCHASE_CATEGORIES:
                raise InvalidAct(
                    "category",
                    N_("{category} is not purchases or expenses"),
                    category=repr(category),
                )
            if not content:
                raise InvalidAct(
                    "file",
                    N_("choose the supplier's e-invoice (Peppol UBL, Factur-X PDF or CII XML)"),
                )
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                done = importing.import_purchase(
                    session,
                    site.coop,
                    content,
                    entity=entity.code,
                    actor=me.actor,
                    issuer=site.coop.instance.issuer,
                    category=category,
                )
        except ImportRefused as exc:
            return _entity_view(page, me, code, 422, findings=exc.findings)
        except PartageError as exc:
            kind = kind_of(exc)
            return _entity_view(page, me, code, kind.status, error=page.say(exc))
        query = {"imported": ",".join(str(i) for i in done.purchases)}
        if done.replayed:
            query["replayed"] = "1"
        return see(f"/entities/{code}?{urlencode(query)}#purchases")

    return guarded(request, build)


@post("/entities/{code:str}/cash", sync_to_thread=True)
def declare_cash(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Declare cash received from a client: it waits for staff of the office, marked on
    the entity page; the form's key makes a second submission the same declaration."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = {k: str(data.get(k) or "").strip() for k in ("key", "client", "amount", "reference")}
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                reachable_party(session, me, form["client"])
                payments.receive_payment(
                    session,
                    site.coop,
                    key=form["key"][:100],
                    entity=entity.code,
                    client=form["client"],
                    amount=form["amount"].replace(",", "."),
                    on=site.today(),
                    actor=me.actor,
                    method="cash",
                    reference=form["reference"][:100],
                )
        except PartageError as exc:
            kind = kind_of(exc)
            return _entity_view(
                page, me, code, kind.status, cash_error=page.say(exc), cash_form=form
            )
        return see(f"/entities/{code}#pending-acts")

    return guarded(request, build)


PAGES = (entities_page, entity_page, import_purchase, declare_cash)
