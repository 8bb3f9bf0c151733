"""API of entities and their economic acts: the dashboard, quotes, invoices, payments,
expense claims, supplier invoices, contracts and payslips, the quick job's salary and
hire, and the budget simulation.

Each act runs in one transaction through the engine's service functions, so a refusal
leaves nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, listing_scope, reachable_entity, require
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.documents import importing
from partage.core.members import service as members
from partage.core.members.models import Entity, Party
from partage.core.payroll import budget, quick_job
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract
from partage.core.platform.db.engine import transaction
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Quote
from partage.core.spending import expenses
from partage.core.web import schemas as s
from partage.core.web import views
from partage.core.web.api_accounts import AUTHENTICATED
from partage.core.web.deps import Me, SiteDep, day
from partage.core.web.invoice_files import PRODUCERS, ProblemOut, download, issued_file
from partage.core.web.problems import PROBLEM_JSON

CodePath = Annotated[str, PathParameter(max_length=32, description="the entity's code")]
NumberPath = Annotated[
    str, PathParameter(max_length=32, description="the invoice's or credit note's number")
]
LanguageQuery = Annotated[
    str | None,
    Parameter(
        max_length=8,
        description="language of the document when it is produced now (default: the "
        "instance's first language); a file already issued keeps its language",
    ),
]
ACTING = (Role.MEMBER, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def lines_of(data: list[s.LineIn]) -> list[LineInput]:
    return [LineInput(x.description, x.quantity, x.unit_price, x.rate_code, x.supply) for x in data]


def _member_for(principal: Principal, given: int | None, what: str) -> int:
    """The member an act is for: a member acts for themselves; staff name the member."""
    if principal.role is Role.MEMBER:
        if given is not None and given != principal.member_number:
            raise Forbidden("member", f"a member may {what} only for themselves")
        assert principal.member_number is not None
        return principal.member_number
    if given is None:
        raise InvalidAct("member", f"say for which member to {what}")
    return given


class EntitiesController(Controller):
    """Autonomous entities: list, open, dashboard."""

    path = "/entities"
    tags = ("entities",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_entities", sync_to_thread=True)
    def list_entities(self, site: SiteDep, principal: Me) -> list[s.EntityOut]:
        """The entities this login may see (the ethics committee: names and kinds only)."""
        scope = listing_scope(principal)
        with site.sessions() as session:
            return views.entity_list(
                session, site.coop, scope, figures=principal.role is not Role.ETHICS_COMMITTEE
            )

    @post("/", operation_id="open_entity", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def open_entity(self, data: JSONBody[s.EntityIn], site: SiteDep, principal: Me) -> s.EntityOut:
        """Open an entity: a member for themselves, office staff in their office."""
        require(principal, *ACTING, what="open entities")
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            office = data.office
            if principal.role is Role.MEMBER:
                holders = [_member_for(principal, None, "open an entity")]
                if data.holders and data.holders != holders:
                    raise Forbidden("holders", "a member opens entities for themselves only")
            else:
                holders = list(data.holders or [])
            if principal.role in (Role.ADVISER, Role.OFFICE_MANAGER):
                if office is not None and office != principal.office_code:
                    raise Forbidden("office", f"you work for office {principal.office_code}")
                office = principal.office_code
            if office is None:
                raise InvalidAct("office", "say in which office the entity opens")
            entity = members.open_entity(
                session,
                site.coop,
                holders=holders,
                name=data.name,
                kind=data.kind,
                office=office,
                on=on,
                actor=principal.actor,
            )
            return views.entity_out(session, entity)

    @get("/{code:str}", operation_id="entity_dashboard", sync_to_thread=True)
    def dashboard(self, code: CodePath, site: SiteDep, principal: Me) -> s.DashboardOut:
        """Available funds, guarantee, invoices to be paid, last payslips and the books
        in plain words."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.dashboard(
                session, site.coop, entity, site.today(), site.fiscal_year_start_month
            )

    @get("/{code:str}/simulation", operation_id="entity_simulation", sync_to_thread=True)
    def simulation(
        self,
        code: CodePath,
        site: SiteDep,
        principal: Me,
        worker_category: Annotated[str, Parameter(max_length=32)],
    ) -> s.SimulationOut:
        """The largest monthly salary the entity's funds and guarantee pay today."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            result = budget.simulate_entity(
                session,
                site.coop,
                entity=entity.code,
                on=site.today(),
                worker_category=worker_category,
            )
        return simulation_out(result)


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=ProblemOut,
        media_type=PROBLEM_JSON,
        description=description,
        generate_examples=False,
    )


#: The refusals of the file endpoints, for the OpenAPI document.
FILE_ERRORS = {
    304: ResponseSpec(None, description="the client holds this file already (If-None-Match)"),
    404: _problem("no such entity or invoice among those the login reaches"),
    409: _problem("the instance has no [instance.issuer] table: it issues no documents"),
    422: _problem("the country's format refuses the invoice; the rule is named"),
}
#: The headers of a file answer, for the OpenAPI document.
FILE_HEADERS = [
    ResponseHeader(
        name="ETag",
        description="the file's SHA-256, quoted: the same for every request",
        documentation_only=True,
    ),
    ResponseHeader(
        name="Content-Disposition",
        description='attachment; filename="<the stored file name>"',
        documentation_only=True,
    ),
]


class DocumentsController(Controller):
    """Quotes, invoices and payments of an entity."""

    path = "/entities/{code:str}"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/quotes", operation_id="list_quotes", sync_to_thread=True)
    def list_quotes(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.QuoteOut]:
        """Every version of the entity's quotes, the latest first."""
        with site.sessions() as session:
            return views.quotes(session, site.coop, reachable_entity(session, principal, code))

    @post("/quotes", operation_id="send_quote", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def send_quote(
        self, code: CodePath, data: JSONBody[s.QuoteIn], site: SiteDep, principal: Me
    ) -> s.QuoteOut:
        """Send a quote (or a new version of one, with ``revises``)."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if data.revises is not None:
                _own_quote(session, entity, data.revises)
            quote = invoices.send_quote(
                session,
                site.coop,
                entity=entity.code,
                client=data.client,
                lines=lines_of(data.lines),
                on=on,
                valid_days=data.valid_days,
                revises=data.revises,
                actor=principal.actor,
            )
            return views.quote_out(quote, entity.code, data.client, site.currency)

    @post(
        "/quotes/{reference:str}/decision",
        operation_id="decide_quote",
        sync_to_thread=True,
        status_code=200,
    )
    def decide_quote(
        self,
        code: CodePath,
        reference: Annotated[str, PathParameter(max_length=32)],
        data: JSONBody[s.DecisionIn],
        site: SiteDep,
        principal: Me,
    ) -> s.QuoteOut:
        """Record the client's answer to the latest version of a quote."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            _own_quote(session, entity, reference)
            quote = invoices.decide_quote(
                session, site.coop, reference, accept=data.accept, on=on, actor=principal.actor
            )
            party = _party_code(session, quote.party_id)
            return views.quote_out(quote, entity.code, party, site.currency)

    @get("/invoices", operation_id="list_invoices", sync_to_thread=True)
    def list_invoices(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.InvoiceOut]:
        """Invoices and credit notes of the entity, with what is still owed."""
        with site.sessions() as session:
            return views.invoices(session, site.coop, reachable_entity(session, principal, code))

    @post(
        "/invoices",
        operation_id="issue_invoice",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def issue_invoice(
        self, code: CodePath, data: JSONBody[s.InvoiceIn], site: SiteDep, principal: Me
    ) -> s.InvoiceOut:
        """Issue an invoice in the entity's name (the management fee is taken on it)."""
        on = day(site, data.on, "on")
        due = day(site, data.due_on, "due_on") if data.due_on else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if data.quote is not None:
                _own_quote(session, entity, data.quote)
            invoice = invoices.issue_invoice(
                session,
                site.coop,
                entity=entity.code,
                client=data.client,
                lines=lines_of(data.lines),
                on=on,
                due_on=due,
                quote=data.quote,
                actor=principal.actor,
            )
            return views.invoice_out(
                invoice, entity.code, data.client, invoice.total, site.currency
            )

    @get(
        "/invoices/{number:str}/pdf",
        operation_id="invoice_pdf",
        sync_to_thread=True,
        media_type="application/pdf",
        response_description="the PDF, as an attachment; ETag: its SHA-256",
        responses=FILE_ERRORS,
        response_headers=FILE_HEADERS,
    )
    def invoice_pdf(
        self,
        request: Request[Any, Any, Any],
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        language: LanguageQuery = None,
    ) -> Response[bytes]:
        """The PDF of an invoice or credit note: produced and kept on the first request
        (an audited act), the same bytes ever after; ``If-None-Match`` with its ETag
        answers 304."""
        stored = issued_file(site, principal, code, number, PRODUCERS["pdf"], language=language)
        return download(request, stored)

    @get(
        "/invoices/{number:str}/einvoice",
        operation_id="invoice_einvoice",
        sync_to_thread=True,
        media_type="application/xml",
        response_description=(
            "the e-invoice in the country's format, as an attachment (Peppol BIS UBL: "
            "application/xml; Factur-X: application/pdf); ETag: its SHA-256"
        ),
        responses=FILE_ERRORS,
        response_headers=FILE_HEADERS,
    )
    def invoice_einvoice(
        self,
        request: Request[Any, Any, Any],
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        language: LanguageQuery = None,
    ) -> Response[bytes]:
        """The e-invoice of an invoice or credit note in the country's format, produced
        and kept on the first request (its PDF too); 422 naming the rule when the format
        refuses the invoice (a private client without an electronic address)."""
        stored = issued_file(
            site, principal, code, number, PRODUCERS["einvoice"], language=language
        )
        return download(request, stored)

    @post(
        "/payments",
        operation_id="receive_payment",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def receive_payment(
        self, code: CodePath, data: JSONBody[s.PaymentIn], site: SiteDep, principal: Me
    ) -> s.PaymentOut:
        """Declare cash received from a client (members) or record a bank payment
        (office staff); idempotent by ``key``."""
        if data.method == "bank" and not principal.is_staff:
            raise Forbidden("method", "bank payments are recorded by office staff; declare cash")
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            received = payments.receive_payment(
                session,
                site.coop,
                key=data.key,
                entity=entity.code,
                client=data.client,
                amount=data.amount,
                on=on,
                actor=principal.actor,
                method=data.method,
                reference=data.reference,
            )
            p = received.payment
            return s.PaymentOut(
                id=p.id,
                amount=views.money(p.amount, site.currency),
                method=p.method,
                received_on=p.received_on,
                settled=[[number, str(amount)] for number, amount in received.settled],
                credit_left=str(received.credit_left),
                replayed=received.replayed,
            )


class ImportProblemOut(ProblemOut, kw_only=True):
    """The problem answered when a supplier document is refused: every finding (none
    when content_base64 is not base64 at all)."""

    findings: list[s.FindingOut] = msgspec.field(default_factory=list)


#: The refusals of the supplier document import, for the OpenAPI document.
IMPORT_ERRORS = {
    404: _problem("no such entity among those the login reaches"),
    409: _problem("the entity cannot afford the purchase, or its period is closed"),
    422: ResponseSpec(
        data_container=ImportProblemOut,
        media_type=PROBLEM_JSON,
        description=(
            "the document is refused (every finding, with its official rule and XML line), "
            "or content_base64 is not base64"
        ),
        generate_examples=False,
    ),
}


def decoded(text: str, field: str) -> bytes:
    """A base64 field's bytes, or a refusal naming the field."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidAct(field, "is not valid base64") from None


class SpendingController(Controller):
    """Expense claims, supplier invoices, contracts and payslips of an entity."""

    path = "/entities/{code:str}"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @get("/expense-claims", operation_id="list_expense_claims", sync_to_thread=True)
    def list_claims(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.ExpenseOut]:
        with site.sessions() as session:
            return views.expense_claims(
                session, site.coop, reachable_entity(session, principal, code)
            )

    @post(
        "/expense-claims",
        operation_id="claim_expense",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def claim(
        self, code: CodePath, data: JSONBody[s.ExpenseIn], site: SiteDep, principal: Me
    ) -> s.ExpenseOut:
        """Claim a professional expense paid by a holder (receipt as base64)."""
        receipt = decoded(data.receipt_base64, "receipt_base64")
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = _member_for(principal, data.member, "claim expenses")
            claim = expenses.claim_expense(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                category=data.category,
                net=data.net,
                vat=data.vat,
                rate_code=data.rate_code,
                on=on,
                receipt_name=data.receipt_name,
                receipt=receipt,
                description=data.description,
                actor=principal.actor,
            )
            return views.expense_out(claim, entity.code, member, site.currency)

    @get("/purchases", operation_id="list_purchases", sync_to_thread=True)
    def list_purchases(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.PurchaseOut]:
        """Supplier invoices and credit notes booked for the entity, the newest first."""
        with site.sessions() as session:
            return views.purchases(session, site.coop, reachable_entity(session, principal, code))

    @post(
        "/purchases/import",
        operation_id="import_purchase",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=IMPORT_ERRORS,
    )
    def import_purchase(
        self, code: CodePath, data: JSONBody[s.PurchaseImportIn], site: SiteDep, principal: Me
    ) -> s.PurchaseImportOut:
        """Book a supplier's e-invoice or credit note (Peppol UBL, Factur-X PDF or CII XML,
        as base64): one purchase per VAT rate, the supplier registered from the document
        if new. It must be addressed to the cooperative and pass the official EN 16931
        rules; a refusal lists every finding and books nothing. The same document again
        books nothing and says ``replayed``."""
        content = decoded(data.content_base64, "content_base64")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            done = importing.import_purchase(
                session,
                site.coop,
                content,
                entity=entity.code,
                actor=principal.actor,
                issuer=site.coop.instance.issuer,
                category=data.category,
            )
            return views.imported_out(done, site.coop, entity.code, data.filename)

    @get("/contracts", operation_id="list_contracts", sync_to_thread=True)
    def list_contracts(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.ContractOut]:
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.contracts(session, site.coop, entity_id=entity.id)

    @post("/contracts", operation_id="hire", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def hire(
        self, code: CodePath, data: JSONBody[s.ContractIn], site: SiteDep, principal: Me
    ) -> s.ContractOut:
        """Hire a member (often the holder) under an employment contract paid by the
        entity; a monthly contract's first month must fit its funds and guarantee."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = data.member or _member_for(principal, None, "hire")
            row = payroll.hire(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                worker_category=data.worker_category,
                start=start,
                end=end,
                monthly_gross=data.monthly_gross,
                hourly_rate=data.hourly_rate,
                part_time=data.part_time,
                tax_situation=data.tax_situation,
                dependent_children=data.dependent_children,
                on=site.today(),
                actor=principal.actor,
            )
            return views.contract_out(row, entity.code, member, site.currency)

    @post(
        "/contracts/{contract:str}/payslips",
        operation_id="pay",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def pay(
        self,
        code: CodePath,
        contract: Annotated[str, PathParameter(max_length=32)],
        data: JSONBody[s.PayIn],
        site: SiteDep,
        principal: Me,
    ) -> s.PayslipOut:
        """Pay a month of a contract (office staff and administrators)."""
        require(
            principal, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR, what="pay salaries"
        )
        month = day(site, data.month, "month")
        paid_on = day(site, data.paid_on, "paid_on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            row = session.scalars(
                select(Contract).where(Contract.code == contract, Contract.entity_id == entity.id)
            ).one_or_none()
            if row is None:
                raise NotFound(
                    "contract", f"no such contract of entity {code}", value=repr(contract)
                )
            payroll.pay(
                session,
                site.coop,
                contract,
                month=month,
                paid_on=paid_on,
                hours=data.hours,
                actor=principal.actor,
            )
            return views.payslips(session, site.coop, entity_id=entity.id, limit=1)[0]

    @get("/payslips", operation_id="list_payslips", sync_to_thread=True)
    def list_payslips(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.PayslipOut]:
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.payslips(session, site.coop, entity_id=entity.id)

    @get("/invoices/{number:str}/quick-job", operation_id="quick_job_salary", sync_to_thread=True)
    def quick_job_salary(
        self,
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        worker_category: Annotated[str, Parameter(max_length=32)],
        start: Annotated[
            date | None, Parameter(description="the first day of work (default: today)")
        ] = None,
    ) -> s.QuickJobOut:
        """The monthly salary a quick job on the invoice pays: what the invoice buys
        once the client pays, capped by what the entity can commit on the first day of
        work (its funds plus the guarantee). Writes nothing."""
        first = day(site, start, "start")
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            salary = quick_job.quick_job_salary(
                session,
                site.coop,
                entity=entity.code,
                invoice=number,
                on=first,
                worker_category=worker_category,
            )
        return s.QuickJobOut(
            invoice=salary.invoice,
            start=first,
            monthly_gross=str(salary.gross),
            bought=simulation_out(salary.bought),
            committable=simulation_out(salary.committable),
        )

    @post(
        "/invoices/{number:str}/quick-job",
        operation_id="quick_job_hire",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def quick_job_hire(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[s.QuickJobIn],
        site: SiteDep,
        principal: Me,
    ) -> s.ContractOut:
        """Hire a member for a quick job on the invoice (a member hires themselves, staff
        name the member), at the monthly salary ``quick_job_salary`` gives on the first
        day of work; refused when the entity can commit no salary yet."""
        start = day(site, data.start, "start")
        end = day(site, data.end, "end") if data.end else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = _member_for(principal, data.member, "hire")
            row = quick_job.hire_for_quick_job(
                session,
                site.coop,
                entity=entity.code,
                invoice=number,
                member=member,
                worker_category=data.worker_category,
                start=start,
                end=end,
                on=site.today(),
                actor=principal.actor,
            )
            return views.contract_out(row, entity.code, member, site.currency)


class SimulationController(Controller):
    """What an invoice buys in pay."""

    path = "/simulations"
    tags = ("simulation",)
    dependencies = AUTHENTICATED

    @post("/budget", operation_id="simulate_budget", sync_to_thread=True, status_code=200)
    def simulate(
        self, data: JSONBody[s.SimulationIn], site: SiteDep, principal: Me
    ) -> s.SimulationOut:
        """From an amount to invoice (excluding VAT): the fee, the budget left, and the
        monthly gross and net pay it buys. Writes nothing."""
        require(principal, *ACTING, what="simulate budgets")
        result = budget.simulate_invoice(
            site.coop,
            invoiced=data.invoiced,
            on=day(site, data.on, "on"),
            worker_category=data.worker_category,
            vat_rate=Decimal(data.vat_rate),
            tax_situation=data.tax_situation,
            dependent_children=data.dependent_children,
        )
        return simulation_out(result)


def simulation_out(r: budget.BudgetSimulation) -> s.SimulationOut:
    return s.SimulationOut(
        invoiced=None if r.invoiced is None else str(r.invoiced),
        vat=str(r.vat),
        fee=str(r.fee),
        budget=str(r.budget),
        insurance=str(r.insurance),
        employer_cost=str(r.employer_cost),
        gross=str(r.gross),
        employee_contributions=str(r.employee_contributions),
        withholding=str(r.withholding),
        net=str(r.net),
    )


def _own_quote(session: Session, entity: Entity, reference: str) -> None:
    """Refuse a quote reference that is not the entity's (as not found)."""
    found = session.scalar(
        select(Quote.id).where(Quote.reference == reference, Quote.entity_id == entity.id).limit(1)
    )
    if found is None:
        raise NotFound("quote", f"no such quote of entity {entity.code}", value=repr(reference))


def _party_code(session: Session, party_id: int) -> str:
    return str(session.scalar(select(Party.code).where(Party.id == party_id)))
