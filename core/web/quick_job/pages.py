"""Pages of the quick job: five screens from a quote to the net pay of a salary paid
on one invoice (quote, invoice, expenses, contract, net pay).

Each step's act runs in one transaction through the services; a refused form is shown
again with the engine's message (the field and the rule), and nothing is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Template
from sqlalchemy.orm import Session

from partage.core.access.enums import Role
from partage.core.access.parties import reachable_party
from partage.core.access.roles import Principal, reachable_entity
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_, PartageError, TooLarge
from partage.core.contract.money import from_minor
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.members import clients
from partage.core.members.clients import ClientDetails
from partage.core.members.models import Entity, Party
from partage.core.payroll import budget
from partage.core.payroll import service as payroll
from partage.core.payroll.quick_job import hire_for_quick_job, quick_job_salary
from partage.core.platform.db.engine import transaction
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput, quote_lines
from partage.core.sales.models import QuoteStatus
from partage.core.spending import expenses
from partage.core.web.clients.pages import picker_rows
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
from partage.core.web.payroll.views import contract_out, entity_contract
from partage.core.web.problems import kind_of
from partage.core.web.sales.invoice_files import entity_invoice
from partage.core.web.sales.views import entity_quote
from partage.core.web.schemas import money
from partage.core.web.site import Site
from partage.core.web.spending.views import expense_claims


def _flow_url(code: str, *rest: str) -> str:
    return "/".join([f"/entities/{code}/quick-job", *rest])


@get("/entities/{code:str}/quick-job", sync_to_thread=True)
def quick_job(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        form = {
            "country": page.site.coop.instance.country_plugin.upper(),
            "quantity": "1",
            "client_code": str(request.query_params.get("client") or "")[:16],
        }
        return _quote_form(page, me, code, form)

    return guarded(request, build)


def _client(session: Session, site: Site, data: Form, me: Principal, entity: Entity) -> str:
    """The quick job's client: one picked from the entity's directory, or a new one
    (a business when a VAT number is given, found again if the cooperative knows it),
    with its address, put in the directory."""
    picked = str(data.get("client_code") or "").strip()
    if picked:
        party = reachable_party(session, me, picked)
    else:
        details = ClientDetails(
            name=str(data.get("client_name") or ""),
            country=str(data.get("country") or ""),
            street=str(data.get("street") or ""),
            postcode=str(data.get("postcode") or ""),
            town=str(data.get("town") or ""),
            email=str(data.get("client_email") or "").strip(),
            vat_number=str(data.get("client_vat") or "").strip(),
        )
        party, _ = clients.create_client(
            session,
            site.coop,
            details,
            business=bool(details.vat_number),
            actor=me.actor,
            member_id=me.member_id if me.role is Role.MEMBER else None,
        )
    clients.add_to_directory(session, entity, party)
    return party.code


def _quote_form(
    page: Page, me: Principal, code: str, form: Form, status: int = 200, **shown: object
) -> Template:
    """The first screen: the client picked from the directory or a new one, the job."""
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        rows = picker_rows(session, me, entity)
    return page.render(
        "quick_job_quote.html",
        status=status,
        entity=entity,
        form=form,
        step=1,
        client_rows=rows,
        countries=clients.country_names(page.language, site.coop.instance.country_plugin),
        back=_flow_url(code),
        **shown,
    )


@post("/entities/{code:str}/quick-job", sync_to_thread=True)
def quick_job_quote(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                client = _client(session, site, data, me, entity)
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
            return _quote_form(page, me, code, data, 422, error=page.say(exc), field=exc.field)
        return see(_flow_url(code, "quote", reference))

    return guarded(request, build)


@get("/entities/{code:str}/quick-job/quote/{reference:str}", sync_to_thread=True)
def quick_job_quote_page(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr
) -> Response[Any]:
    return guarded(request, lambda page, me: _invoice_page(page, me, code, reference))


def _invoice_page(
    page: Page,
    me: Principal,
    code: str,
    reference: str,
    status: int = 200,
    error: PartageError | None = None,
    tender_reference: str = "",
) -> Template:
    """The quote's step: what it buys in pay, and the button that invoices it (shown
    again with the refusal and what was typed when the invoice is refused)."""
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        quote = entity_quote(session, entity, reference)
        client = session.get(Party, quote.party_id)
        sim = budget.simulate_invoice(
            site.coop,
            invoiced=money(quote.net, site.currency),
            on=site.today(),
            worker_category=site.worker_category,
        )
    return page.render(
        "quick_job_invoice.html",
        status=status,
        entity=entity,
        quote=quote,
        client=client,
        lines=quote_lines(quote),
        sim=sim,
        step=2,
        net=money(quote.net, site.currency),
        vat=money(quote.vat, site.currency),
        error=page.say(error) if error else None,
        field=error.field if error else None,
        tender_reference=tender_reference,
    )


@post("/entities/{code:str}/quick-job/quote/{reference:str}", sync_to_thread=True)
def quick_job_invoice(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr, data: UrlForm
) -> Response[Any]:
    """The client agreed: accept the quote and invoice it, in one transaction. The step
    sent again (a double click, the browser's back button) shows the invoice already
    made rather than invoicing the quote twice."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        tender = str(data.get("tender_reference") or "")
        try:
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                quote = entity_quote(session, entity, reference)
                done = invoices.invoices_of_quote(session, reference)
                if done:
                    return see(_flow_url(code, "invoice", done[0].number))
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
                    tender_reference=tender,
                    actor=me.actor,
                )
                number = invoice.number
        except InvalidAct as exc:
            return _invoice_page(page, me, code, reference, 422, exc, tender)
        return see(_flow_url(code, "invoice", number))

    return guarded(request, build)


def _expenses_page(
    page: Page,
    me: Principal,
    code: str,
    number: str,
    status: int = 200,
    error: str | None = None,
    form: Form | None = None,
) -> Template:
    """The expenses step: only the categories in force for the entity today, and a
    refused claim's values typed again into the form (all but the file)."""
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        invoice = entity_invoice(session, entity, number)
        claims = expense_claims(session, site.coop, entity)
        categories = expenses.categories_in_force(session, site.coop, entity, site.today())
    kept = {k: str((form or {}).get(k) or "") for k in ("category", "net", "description")}
    return page.render(
        "quick_job_expenses.html",
        status=status,
        entity=entity,
        invoice=invoice,
        claims=claims,
        categories=categories,
        labels=dict(categories),
        form=kept,
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
        try:
            receipt, name = uploaded(data, "receipt", site.limits.receipt_bytes, "receipt_bytes")
            with transaction(site.sessions) as session:
                entity = reachable_entity(session, me, code)
                entity_invoice(session, entity, number)
                member = me.member_number
                if member is None:
                    raise InvalidAct("member", N_("only a holder claims expenses here"))
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
        except TooLarge as exc:
            return _expenses_page(page, me, code, number, 413, page.say(exc), data)
        except PartageError as exc:
            return _expenses_page(page, me, code, number, kind_of(exc).status, page.say(exc), data)
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
            (Decimal(c.net) for c in expense_claims(session, site.coop, entity)),
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
                    raise InvalidAct("member", N_("only a holder hires themselves here"))
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
                    consent=payroll.Consent.SELF,
                )
                reference = contract.code
        except (InvalidAct, NotFound) as exc:
            return _contract_page(page, me, code, number, 422, page.say(exc), data)
        return see(_flow_url(code, "done", reference))

    return guarded(request, build)


def _date(data: Form, field: str) -> date:
    try:
        return date.fromisoformat(str(data.get(field, "")))
    except ValueError:
        raise InvalidAct(
            field, N_("{item_a} is not a date (YYYY-MM-DD)"), item_a=repr(data.get(field))
        ) from None


@get("/entities/{code:str}/quick-job/done/{contract:str}", sync_to_thread=True)
def quick_job_done(
    request: Request[Any, Any, Any], code: PathStr, contract: PathStr
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            entity = reachable_entity(session, me, code)
            row = entity_contract(session, entity, contract)
            terms = EmploymentContract(
                worker_category=row.worker_category,
                start=row.start,
                end=row.end,
                monthly_gross=from_minor(int(row.monthly_gross or 0), site.currency),
                tax_situation=row.tax_situation,
                dependent_children=row.dependent_children,
                workplace_authority=payroll.workplace_authorities(session, site.coop, [entity])[
                    entity.id
                ],
            )
            slip = payroll.compute_payslip(site.coop, terms, Period.month_of(row.start))
            out = contract_out(row, entity.code, me.member_number or 0, site.currency)
        return page.render("quick_job_done.html", entity=entity, contract=out, payslip=slip, step=5)

    return guarded(request, build)


PAGES = (
    quick_job,
    quick_job_quote,
    quick_job_quote_page,
    quick_job_invoice,
    quick_job_expenses,
    quick_job_expense,
    quick_job_contract,
    quick_job_hire,
    quick_job_done,
)
