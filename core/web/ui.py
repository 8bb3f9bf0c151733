"""The server-rendered interface: plain HTML forms on the same services as the API.

Pages are Jinja templates in the instance's brand and the reader's language. Every
form carries a CSRF token; the session is an HttpOnly cookie. A refused act re-renders
its form with the engine's message (the field and the rule), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote as urlquote
from urllib.parse import urlencode

from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter
from litestar.response import File, Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.logins import authenticate, close_session, open_session
from partage.core.access.models import Role
from partage.core.access.roles import (
    Principal,
    listing_scope,
    reachable_entity,
    reachable_office,
    require,
)
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import PartageError
from partage.core.contract.money import from_minor
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.documents import importing
from partage.core.documents.importing import ImportRefused
from partage.core.members import service as members
from partage.core.members.models import Entity, Party
from partage.core.payroll import budget
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract
from partage.core.payroll.quick_job import hire_for_quick_job, quick_job_salary
from partage.core.platform.db.engine import transaction
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput, quote_lines
from partage.core.sales.models import InvoiceKind, Quote, QuoteStatus
from partage.core.spending import expenses
from partage.core.web import charts, i18n, views
from partage.core.web.deps import COOKIE, principal_for, site_of, token_of
from partage.core.web.figures import instance_figures, network_report
from partage.core.web.i18n import N_
from partage.core.web.invoice_files import PRODUCERS, download, entity_invoice, issued_file
from partage.core.web.problems import kind_of
from partage.core.web.site import Site

Form = dict[str, Any]
PathStr = Annotated[str, PathParameter(max_length=64)]
UrlForm = Annotated[Form, Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartForm = Annotated[Form, Body(media_type=RequestEncodingType.MULTI_PART)]
LANG_COOKIE = "partage_lang"


# --- rendering ------------------------------------------------------------------------------
class Page:
    """The context of one rendered page: site, login, language."""

    def __init__(self, request: Request[Any, Any, Any], principal: Principal | None) -> None:
        self.request = request
        self.site = site_of(request.app.state)
        self.principal = principal
        self.language = i18n.choose(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE) or (principal.language if principal else None),
            request.headers.get("accept-language", ""),
            self.site.languages,
        )
        self.words = i18n.words(
            self.language,
            self.site.currency,
            self.site.coop.instance.country_plugin,
            self.site.coop.plugins.hook.partage_format_amount,
        )

    def render(self, name: str, status: int = 200, **context: object) -> Template:
        look = self.site.look()
        return Template(
            name,
            status_code=status,
            context={
                "site": self.site,
                "look": look,
                "me": self.principal,
                "lang": self.language,
                "languages": [
                    (code, i18n.NAMES[code])
                    for code in i18n.LANGUAGES
                    if code in self.site.languages or code == "en"
                ],
                "_": self.words.gettext,
                "amount": self.words.amount,
                "day": self.words.day,
                "today": self.site.today(),
                "path": self.request.url.path,
                "issues_documents": self.site.coop.instance.issuer is not None,
                **context,
            },
        )


def viewer(request: Request[Any, Any, Any]) -> Principal | None:
    """The login of the session cookie, or ``None``."""
    return principal_for(site_of(request.app.state), token_of(request, cookie=True))


def to_login(request: Request[Any, Any, Any]) -> Redirect:
    return Redirect(f"/login?next={urlquote(request.url.path)}", status_code=HTTP_303_SEE_OTHER)


def guarded(
    request: Request[Any, Any, Any], build: Callable[[Page, Principal], Response[Any]]
) -> Response[Any]:
    """Run ``build`` for a logged-in viewer; send others to the login page."""
    principal = viewer(request)
    if principal is None:
        return to_login(request)
    return build(Page(request, principal), principal)


def refusal(page: Page, exc: PartageError) -> Template:
    """An error page for a refusal, with the status the API would give."""
    kind = kind_of(exc)
    return page.render(
        "error.html",
        status=kind.status,
        title=kind.title,
        field=exc.field,
        rule=exc.rule,
        detail=str(exc),
    )


def ui_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Refusals on UI pages answer an HTML error page, not problem JSON."""
    assert isinstance(exc, PartageError)
    return refusal(Page(request, viewer(request)), exc)


def see(url: str) -> Redirect:
    return Redirect(url, status_code=HTTP_303_SEE_OTHER)


# --- session ------------------------------------------------------------------------------
@get("/login", sync_to_thread=True)
def login_form(request: Request[Any, Any, Any]) -> Template:
    return Page(request, None).render("login.html", next=request.query_params.get("next", "/"))


@post("/login", sync_to_thread=True)
def login(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    site = site_of(request.app.state)
    target = str(data.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    with transaction(site.sessions) as session:
        user = authenticate(
            session, site.hasher, str(data.get("username", "")), str(data.get("password", ""))
        )
        opened = open_session(session, user, site.session_lifetime) if user else None
    if opened is None:
        page = Page(request, None)
        return page.render(
            "login.html",
            status=401,
            next=target,
            error=page.words.gettext("Unknown username or wrong password."),
        )
    response = see(target)
    response.cookies.append(
        Cookie(
            key=COOKIE,
            value=opened.token,
            httponly=True,
            samesite="lax",
            path="/",
            secure=site.secure_cookies,
            max_age=int(site.session_lifetime.total_seconds()),
        )
    )
    return response


@post("/logout", sync_to_thread=True)
def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    site = site_of(request.app.state)
    token = token_of(request, cookie=True)
    if token:
        with transaction(site.sessions) as session:
            close_session(session, token)
    response = see("/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@get("/language/{language:str}", sync_to_thread=False)
def language(request: Request[Any, Any, Any], language: PathStr) -> Response[Any]:
    """Remember the chosen interface language in a cookie and go back."""
    back = request.query_params.get("next", "/")
    response = see(back if back.startswith("/") and not back.startswith("//") else "/")
    if language in i18n.LANGUAGES:
        response.cookies.append(Cookie(key=LANG_COOKIE, value=language, samesite="lax", path="/"))
    return response


@get("/brand/logo", sync_to_thread=True)
def logo(request: Request[Any, Any, Any]) -> Response[Any]:
    path = site_of(request.app.state).look().logo
    if path is None:
        raise NotFound("logo", "the country plugin ships no logo")
    return File(path, media_type="image/svg+xml" if path.suffix == ".svg" else None)


# --- accounts -----------------------------------------------------------------------------
@get("/", sync_to_thread=True)
def home(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            mine = views.accounts(session, me)
        return page.render("home.html", accounts=mine.accounts)

    return guarded(request, build)


@get("/member", sync_to_thread=True)
def member_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        if me.member_id is None:
            raise NotFound("member", "this login has no member account")
        with page.site.sessions() as session:
            account = views.member_account(session, page.site.coop, me.member_id)
        return page.render("member.html", account=account)

    return guarded(request, build)


@get("/worker", sync_to_thread=True)
def worker_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            account = views.worker_account(session, page.site.coop, me)
        return page.render("worker.html", account=account)

    return guarded(request, build)


@get("/entities", sync_to_thread=True)
def entities_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        scope = listing_scope(me)
        with page.site.sessions() as session:
            rows = views.entity_list(
                session, page.site.coop, scope, figures=me.role is not Role.ETHICS_COMMITTEE
            )
        return page.render("entities.html", entities=rows)

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
        quotes = views.quotes(session, site.coop, entity)[:5]
        sales = views.invoices(session, site.coop, entity)[:5]
        bought = views.purchases(session, site.coop, entity, limit=PURCHASES_SHOWN)
        notice = _import_notice(page, session, entity) if status == 200 else None
    return page.render(
        "entity.html",
        status=status,
        board=board,
        quotes=quotes,
        invoices=sales,
        purchases=bought,
        notice=notice,
        **extra,
    )


def _import_notice(page: Page, session: Session, entity: Entity) -> str | None:
    """What the upload that led here booked, read back from the books: the address
    carries purchase ids only (``?imported=12,13``), never a text to show."""
    query = page.request.query_params
    given = str(query.get("imported") or "").split(",")[:PURCHASES_SHOWN]
    ids = [int(x) for x in given if x.isascii() and x.isdigit() and len(x) <= 9]
    if not ids:
        return None
    rows = views.purchases(session, page.site.coop, entity, ids=ids)
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
    elif rows[0].kind == InvoiceKind.CREDIT_NOTE.value:
        text = N_("Credit note %(number)s of %(supplier)s booked: %(total)s, VAT included.")
    else:
        text = N_("Invoice %(number)s of %(supplier)s booked: %(total)s, VAT included.")
    return words.gettext(text) % facts


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
        upload = data.get("file")
        content = upload.file.read() if isinstance(upload, UploadFile) else b""
        category = str(data.get("category") or "") or None
        try:
            if category is not None and category not in PURCHASE_CATEGORIES:
                raise InvalidAct("category", f"{category!r} is not purchases or expenses")
            if not content:
                raise InvalidAct(
                    "file", "choose the supplier's e-invoice (Peppol UBL, Factur-X PDF or CII XML)"
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
            return _entity_view(page, me, code, kind.status, error=str(exc))
        query = {"imported": ",".join(str(i) for i in done.purchases)}
        if done.replayed:
            query["replayed"] = "1"
        return see(f"/entities/{code}?{urlencode(query)}#purchases")

    return guarded(request, build)


def _invoice_file(
    request: Request[Any, Any, Any], code: str, number: str, kind: str
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        return download(request, issued_file(page.site, me, code, number, PRODUCERS[kind]))

    return guarded(request, build)


@get("/entities/{code:str}/invoices/{number:str}/pdf", sync_to_thread=True)
def invoice_pdf_file(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """Download an invoice's PDF, produced and kept on the first request."""
    return _invoice_file(request, code, number, "pdf")


@get("/entities/{code:str}/invoices/{number:str}/einvoice", sync_to_thread=True)
def invoice_einvoice_file(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """Download an invoice's e-invoice in the country's format; a format that refuses
    the invoice answers the error page naming its rule."""
    return _invoice_file(request, code, number, "einvoice")


@post("/entities/{code:str}/simulate", sync_to_thread=True)
def simulate(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """What an amount invoiced buys in pay (a fragment when asked by script)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            reachable_entity(session, me, code)
        error = result = None
        try:
            result = budget.simulate_invoice(
                site.coop,
                invoiced=str(data.get("invoiced", "")).strip(),
                on=site.today(),
                worker_category=site.chosen_category(data.get("worker_category")),
            )
        except PartageError as exc:
            error = str(exc)
        fragment = request.headers.get("x-partage-fragment") == "1"
        return page.render(
            "simulation.html" if fragment else "simulate_page.html",
            status=200 if error is None else 422,
            sim=result,
            error=error,
            code=code,
            form=data,
        )

    return guarded(request, build)


# --- the quick-job flow ----------------------------------------------------------------------
def _flow_url(code: str, *rest: str) -> str:
    return "/".join([f"/entities/{code}/quick-job", *rest])


@get("/entities/{code:str}/quick-job", sync_to_thread=True)
def quick_job(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            entity = reachable_entity(session, me, code)
        form = {"country": page.site.coop.instance.country_plugin.upper(), "quantity": "1"}
        return page.render("quick_job_quote.html", entity=entity, form=form, step=1)

    return guarded(request, build)


def _client(session: Session, site: Site, data: Form, actor: str) -> str:
    """The quick job's client: found by VAT number, or registered now."""
    vat = str(data.get("client_vat") or "").strip() or None
    if vat:
        known = session.scalar(
            select(Party.code).where(Party.vat_number == "".join(vat.split()).upper())
        )
        if known is not None:
            return str(known)
    party = members.register_party(
        session,
        site.coop,
        name=str(data.get("client_name", "")),
        kind="client",
        country=str(data.get("country", "")),
        vat_number=vat,
        email=str(data.get("client_email") or "").strip(),
        actor=actor,
    )
    return party.code


@post("/entities/{code:str}/quick-job", sync_to_thread=True)
def quick_job_quote(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                client = _client(session, site, data, me.actor)
                quote = invoices.send_quote(
                    session,
                    site.coop,
                    entity=entity.code,
                    client=client,
                    lines=[
                        LineInput(
                            str(data.get("description", "")),
                            str(data.get("quantity", "")).strip(),
                            str(data.get("unit_price", "")).strip().replace(",", "."),
                        )
                    ],
                    on=site.today(),
                    actor=me.actor,
                )
                reference = quote.reference
        except (InvalidAct, NotFound) as exc:
            with site.sessions() as session:
                entity = reachable_entity(session, me, code)
            return page.render(
                "quick_job_quote.html",
                status=422,
                entity=entity,
                form=data,
                step=1,
                error=str(exc),
                field=exc.field,
            )
        return see(_flow_url(code, "quote", reference))

    return guarded(request, build)


@get("/entities/{code:str}/quick-job/quote/{reference:str}", sync_to_thread=True)
def quick_job_quote_page(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            entity = reachable_entity(session, me, code)
            quote = _latest_quote(session, entity, reference)
            client = session.get(Party, quote.party_id)
            sim = budget.simulate_invoice(
                site.coop,
                invoiced=views.money(quote.net, site.currency),
                on=site.today(),
                worker_category=site.worker_category,
            )
        return page.render(
            "quick_job_invoice.html",
            entity=entity,
            quote=quote,
            client=client,
            lines=quote_lines(quote),
            sim=sim,
            step=2,
            net=views.money(quote.net, site.currency),
            vat=views.money(quote.vat, site.currency),
        )

    return guarded(request, build)


def _latest_quote(session: Session, entity: Entity, reference: str) -> Quote:
    quote = session.scalars(
        select(Quote)
        .where(Quote.reference == reference, Quote.entity_id == entity.id)
        .order_by(Quote.version.desc())
    ).first()
    if quote is None:
        raise NotFound("quote", f"no such quote of entity {entity.code}", value=repr(reference))
    return quote


@post("/entities/{code:str}/quick-job/quote/{reference:str}", sync_to_thread=True)
def quick_job_invoice(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr
) -> Response[Any]:
    """The client agreed: accept the quote and invoice it, in one transaction."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, me, code)
            quote = _latest_quote(session, entity, reference)
            if quote.status == QuoteStatus.SENT:
                invoices.decide_quote(
                    session, site.coop, reference, accept=True, on=site.today(), actor=me.actor
                )
            party = session.get(Party, quote.party_id)
            assert party is not None
            invoice = invoices.issue_invoice(
                session,
                site.coop,
                entity=entity.code,
                client=party.code,
                lines=quote_lines(quote),
                on=site.today(),
                quote=reference,
                actor=me.actor,
            )
            number = invoice.number
        return see(_flow_url(code, "invoice", number))

    return guarded(request, build)


def _expenses_page(
    page: Page, me: Principal, code: str, number: str, status: int = 200, error: str | None = None
) -> Template:
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        invoice = entity_invoice(session, entity, number)
        claims = views.expense_claims(session, site.coop, entity)
    return page.render(
        "quick_job_expenses.html",
        status=status,
        entity=entity,
        invoice=invoice,
        claims=claims,
        categories=expenses.expense_categories(site.coop),
        error=error,
        step=3,
    )


@get("/entities/{code:str}/quick-job/invoice/{number:str}", sync_to_thread=True)
def quick_job_expenses(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    return guarded(request, lambda page, me: _expenses_page(page, me, code, number))


@post("/entities/{code:str}/quick-job/invoice/{number:str}/expense", sync_to_thread=True)
def quick_job_expense(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: MultipartForm
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        upload = data.get("receipt")
        receipt = upload.file.read() if isinstance(upload, UploadFile) else b""
        name = upload.filename if isinstance(upload, UploadFile) else ""
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                entity_invoice(session, entity, number)
                member = me.member_number
                if member is None:
                    raise InvalidAct("member", "only a holder claims expenses here")
                expenses.claim_expense(
                    session,
                    site.coop,
                    entity=entity.code,
                    member=member,
                    category=str(data.get("category", "")),
                    net=str(data.get("net", "")).strip().replace(",", "."),
                    on=site.today(),
                    receipt_name=name,
                    receipt=receipt,
                    description=str(data.get("description", "")),
                    actor=me.actor,
                )
        except (InvalidAct, NotFound) as exc:
            return _expenses_page(page, me, code, number, 422, str(exc))
        return see(_flow_url(code, "invoice", number))

    return guarded(request, build)


def _contract_page(
    page: Page,
    me: Principal,
    code: str,
    number: str,
    status: int = 200,
    error: str | None = None,
    form: Form | None = None,
) -> Template:
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        invoice = entity_invoice(session, entity, number)
        try:  # a refused form shows the page again with the category it may keep
            category = site.chosen_category((form or {}).get("worker_category"))
        except InvalidAct:
            category = site.worker_category
        salary = quick_job_salary(
            session,
            site.coop,
            entity=entity.code,
            invoice=invoice.number,
            on=site.today(),
            worker_category=category,
        )
        spent = sum(
            (Decimal(c.net) for c in views.expense_claims(session, site.coop, entity)),
            Decimal(0),
        )
    return page.render(
        "quick_job_contract.html",
        status=status,
        entity=entity,
        invoice=invoice,
        bought=salary.bought,
        now=salary.committable,
        expenses=spent,
        error=error,
        step=4,
        form=form
        or {
            "worker_category": category,
            "start": site.today().isoformat(),
            "end": site.today().isoformat(),
        },
    )


@get("/entities/{code:str}/quick-job/invoice/{number:str}/contract", sync_to_thread=True)
def quick_job_contract(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    return guarded(request, lambda page, me: _contract_page(page, me, code, number))


@post("/entities/{code:str}/quick-job/invoice/{number:str}/contract", sync_to_thread=True)
def quick_job_hire(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr, data: UrlForm
) -> Response[Any]:
    """Hire the holder for the job at the salary :func:`quick_job_salary` gives."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            category = site.chosen_category(data.get("worker_category"))
            start = _date(data, "start")
            end = _date(data, "end")
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                if me.member_number is None:
                    raise InvalidAct("member", "only a holder hires themselves here")
                contract = hire_for_quick_job(
                    session,
                    site.coop,
                    entity=entity.code,
                    invoice=number,
                    member=me.member_number,
                    worker_category=category,
                    start=start,
                    end=end,
                    on=site.today(),
                    actor=me.actor,
                )
                reference = contract.code
        except (InvalidAct, NotFound) as exc:
            return _contract_page(page, me, code, number, 422, str(exc), data)
        return see(_flow_url(code, "done", reference))

    return guarded(request, build)


def _date(data: Form, field: str) -> date:
    try:
        return date.fromisoformat(str(data.get(field, "")))
    except ValueError:
        raise InvalidAct(field, f"{data.get(field)!r} is not a date (YYYY-MM-DD)") from None


@get("/entities/{code:str}/quick-job/done/{contract:str}", sync_to_thread=True)
def quick_job_done(
    request: Request[Any, Any, Any], code: PathStr, contract: PathStr
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            entity = reachable_entity(session, me, code)
            row = session.scalars(
                select(Contract).where(Contract.code == contract, Contract.entity_id == entity.id)
            ).one_or_none()
            if row is None:
                raise NotFound(
                    "contract", f"no such contract of entity {code}", value=repr(contract)
                )
            terms = EmploymentContract(
                worker_category=row.worker_category,
                start=row.start,
                end=row.end,
                monthly_gross=from_minor(int(row.monthly_gross or 0), site.currency),
                tax_situation=row.tax_situation,
                dependent_children=row.dependent_children,
            )
            slip = payroll.compute_payslip(site.coop, terms, Period.month_of(row.start))
            out = views.contract_out(row, entity.code, me.member_number or 0, site.currency)
        return page.render("quick_job_done.html", entity=entity, contract=out, payslip=slip, step=5)

    return guarded(request, build)


# --- offices, instance, network ---------------------------------------------------------------
@get("/offices/{code:str}", sync_to_thread=True)
def office_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            office = reachable_office(session, me, code)
            view = views.office_view(
                session, site.coop, office, site.today(), site.fiscal_year_start_month
            )
        chart = charts.bars(
            [(e.code, Decimal(e.available_funds)) for e in view.entities],
            title=page.words.gettext("Available funds per entity"),
            colour=site.look().primary_colour,
            show=page.words.amount,
        )
        return page.render("office.html", office=view, chart=chart)

    return guarded(request, build)


@get("/instance", sync_to_thread=True)
def instance_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what="read the instance's figures")
        site = page.site
        with site.sessions() as session:
            figures = instance_figures(session, site)
        look = site.look()
        words = page.words
        monthly = charts.bars(
            [(m.month, Decimal(m.invoiced)) for m in figures.months],
            title=words.gettext("Invoiced per month (excluding VAT)"),
            colour=look.primary_colour,
            show=words.amount,
        )
        offices = charts.bars(
            [(code, Decimal(v)) for code, v in figures.invoiced_by_office.items()],
            title=words.gettext("Invoiced per office"),
            colour=look.secondary_colour,
            show=words.amount,
        )
        kinds = charts.bars(
            [(k, Decimal(v)) for k, v in figures.entities_by_kind.items()],
            title=words.gettext("Entities by kind"),
            colour=look.primary_colour,
        )
        return page.render(
            "instance.html", figures=figures, monthly=monthly, offices=offices, kinds=kinds
        )

    return guarded(request, build)


@get("/network", sync_to_thread=True)
def network_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.FRANCHISOR, Role.ADMINISTRATOR, what="read the network report")
        with page.site.sessions() as session:
            report = network_report(session, page.site)
        return page.render(
            "network.html",
            report=report,
            day_text=lambda text: page.words.day(date.fromisoformat(text)),
        )

    return guarded(request, build)


def ui_router() -> Router:
    """Every page of the interface."""
    return Router(
        path="/",
        route_handlers=[
            login_form,
            login,
            logout,
            language,
            logo,
            home,
            member_page,
            worker_page,
            entities_page,
            entity_page,
            import_purchase,
            invoice_pdf_file,
            invoice_einvoice_file,
            simulate,
            quick_job,
            quick_job_quote,
            quick_job_quote_page,
            quick_job_invoice,
            quick_job_expenses,
            quick_job_expense,
            quick_job_contract,
            quick_job_hire,
            quick_job_done,
            office_page,
            instance_page,
            network_page,
        ],
        exception_handlers={PartageError: ui_error},
        include_in_schema=False,
    )
